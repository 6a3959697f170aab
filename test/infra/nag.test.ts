import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../../infra/app-builder.ts';
import { ACKNOWLEDGED } from '../../infra/nag.ts';

describe('cdk-nag AwsSolutions', () => {
  it('synthesizes with no unacknowledged finding', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'nag-'));
    const { app } = buildApp({ bundling: false, outdir });
    expect(() => app.synth()).not.toThrow();
    const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as { pluginReports?: { violations?: unknown[] }[] };
    const violations = (report.pluginReports ?? []).flatMap((p) => p.violations ?? []);
    expect(violations).toEqual([]);
  });

  it('justifies every acknowledgement', () => {
    expect(ACKNOWLEDGED.length).toBeGreaterThan(0);
    for (const a of ACKNOWLEDGED) expect(a.reason.length).toBeGreaterThan(60);
  });
});
