import { describe, expect, it } from 'vitest';
import { DEFAULT_DEPLOYMENT, deploymentConfig, startExecutionShare } from '../../infra/deployment-config.ts';

describe('deployment configuration', () => {
  it('is the defaults unless the context overrides a field (an object, or its JSON from -c)', () => {
    expect(deploymentConfig()).toEqual(DEFAULT_DEPLOYMENT);
    expect(deploymentConfig('{"scan":{"segments":16}}')).toEqual({ ...DEFAULT_DEPLOYMENT, scan: { segments: 16 } });
    expect(deploymentConfig({ statementRun: { concurrency: 4 } }, 'ops@example.vn')).toEqual({
      ...DEFAULT_DEPLOYMENT, statementRun: { ...DEFAULT_DEPLOYMENT.statementRun, concurrency: 4 }, alarms: { ...DEFAULT_DEPLOYMENT.alarms, email: 'ops@example.vn' },
    });
  });

  it('fails on a wrong value, naming the field', () => {
    expect(() => deploymentConfig({ scan: { segments: 0 } })).toThrow(/scan\.segments/);
    expect(() => deploymentConfig({ alarms: { sesBounceRate: 2 } })).toThrow(/alarms\.sesBounceRate/);
  });

  it('shares the account\'s StartExecution quota between the monthly run\'s segments running at once, never more than the whole', () => {
    expect(startExecutionShare(DEFAULT_DEPLOYMENT)).toEqual({ bucket: 50, perSecond: 150 / 16 });
    const raised = deploymentConfig({ monthlyRun: { concurrency: 10 }, stepFunctions: { startExecution: { perSecond: 300 } } });
    expect(raised.stepFunctions.startExecution).toEqual({ bucket: 800, perSecond: 300 });
    expect(startExecutionShare(raised)).toEqual({ bucket: 80, perSecond: 30 });
    for (const concurrency of [1, 3, 7, 16, 40]) {
      const share = startExecutionShare({ ...DEFAULT_DEPLOYMENT, monthlyRun: { segments: 32, concurrency } });
      expect(share.bucket * concurrency).toBeLessThanOrEqual(800);
      expect(share.perSecond * concurrency).toBeCloseTo(150, 9);
      expect(share.bucket).toBeGreaterThanOrEqual(1);
    }
    expect(() => deploymentConfig({ stepFunctions: { startExecution: { perSecond: 0 } } })).toThrow(/stepFunctions\.startExecution\.perSecond/);
    expect(() => deploymentConfig({ monthlyRun: { concurrency: 0 } })).toThrow(/monthlyRun\.concurrency/);
  });
});
