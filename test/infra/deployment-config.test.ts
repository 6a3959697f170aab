import { describe, expect, it } from 'vitest';
import { DEFAULT_DEPLOYMENT, deploymentConfig } from '../../infra/deployment-config.ts';

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
});
