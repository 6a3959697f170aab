import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../../infra/app-builder.ts';
import { ACKNOWLEDGED } from '../../infra/nag.ts';
import { deploymentConfig, type DeploymentConfig } from '../../infra/deployment-config.ts';

/** A deployment with Zalo ZNS: its webhook route and function are in the template too. */
const WITH_ZNS = deploymentConfig({ zns: { tokenParameter: '/arrears/zalo/oa-access-token', appId: '1234567890123456789', webhookSecretParameter: '/arrears/zalo/oa-secret-key' } });

type Report = { pluginReports?: { pluginName: string; violations?: { ruleName: string; violatingConstructs: { constructPath: string }[] }[] }[] };

/** Synthesizes the app as `cdk synth` does (bundling off) and returns its cdk-nag findings. */
function synthFindings(acknowledge: boolean, deployment?: DeploymentConfig) {
  const outdir = mkdtempSync(join(tmpdir(), 'nag-'));
  const { app, stack } = buildApp({ bundling: false, outdir, acknowledge, env: { region: 'ap-southeast-1' }, ...(deployment ? { deployment } : {}) });
  let threw = false;
  try {
    app.synth();
  } catch {
    threw = true;
  }
  const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as Report;
  const findings = (report.pluginReports ?? [])
    .flatMap((p) => p.violations ?? [])
    .flatMap((v) => v.violatingConstructs.map((c) => `${v.ruleName} @ ${c.constructPath}`));
  return { threw, findings: findings.sort(), stack };
}

describe('cdk-nag AwsSolutions', () => {
  it('synthesizes with no unacknowledged finding', () => {
    const { threw, findings } = synthFindings(true);
    expect(findings).toEqual([]);
    expect(threw).toBe(false);
  });

  it('needs every acknowledgement: without them, synth fails on exactly those findings', () => {
    const { threw, findings, stack } = synthFindings(false);
    const acknowledged = ACKNOWLEDGED.flatMap((a) => a.on(stack).map((c) => `${a.id(stack)} @ ${c.node.path}`)).sort();
    expect(threw).toBe(true);
    expect(findings).toEqual(acknowledged);
  });

  it('with Zalo ZNS configured: no unacknowledged finding, and the webhook route\'s acknowledgement is needed', () => {
    const acknowledged = synthFindings(true, WITH_ZNS);
    expect(acknowledged.findings).toEqual([]);
    expect(acknowledged.threw).toBe(false);
    const { findings, stack } = synthFindings(false, WITH_ZNS);
    expect(stack.zaloWebhookRoutes).toHaveLength(1);
    expect(findings).toContain(`AwsSolutions-APIG4 @ ${stack.zaloWebhookRoutes[0]!.node.defaultChild!.node.path}`);
  }, 120_000);

  it('justifies every acknowledgement with a specific reason', () => {
    expect(ACKNOWLEDGED.length).toBeGreaterThan(0);
    for (const a of ACKNOWLEDGED) expect(a.reason.length, a.reason).toBeGreaterThanOrEqual(60);
    expect(new Set(ACKNOWLEDGED.map((a) => a.reason)).size).toBe(ACKNOWLEDGED.length);
  });
});
