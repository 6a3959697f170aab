import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatTable, runFaults } from '../../local/faults/run.ts';

/**
 * The fault harness in its reduced form (npm run faults -- --ci): a one-month run on a fresh store,
 * SIGKILLed twice at seeded points of its timeline (each run continues where the last was cut off),
 * then run to completion with an 8 s SES outage (503, then Throttling) from its first statement;
 * counted at the SES wire stand-in, the SMS files and the Zalo ZNS files. Asserted: every kind of
 * message, reminder SMS included (their provider's status log settles a claim cut off after the send)
 * and the reminders Zalo ZNS delivered (the sample's `zalo` = yes payers; its few phones without Zalo
 * fall back to SMS), exactly once: no duplicates, nothing missing.
 */
describe('fault injection (reduced)', () => {
  it('sends every message exactly once across kills and an SES outage', async () => {
    const { rows, notes } = await runFaults({
      seed: 1, months: 1, kills: 2, outageSeconds: 8, reruns: 0, scenarios: ['kills'], durationSeconds: 40,
      outageOnFinalRun: true, workDir: mkdtempSync(join(tmpdir(), 'arrears-faults-test-')), log: () => {},
    });
    console.log(formatTable(rows));
    for (const n of notes) console.log(`note: ${n}`);
    expect(rows.length).toBeGreaterThan(0);
    // Both kills landed (each run continues the store's timeline, so none ends before its kill).
    expect(rows[0]!.kills).toBe(2);
    expect(rows.find((r) => r.kind === 'statement')!.sent).toBeGreaterThan(0);
    expect(rows.find((r) => r.kind === 'reminder-sms')!.sent).toBeGreaterThan(0);
    expect(rows.find((r) => r.kind === 'reminder-zns')).toMatchObject({ duplicates: 0, missing: 0 });
    expect(rows.find((r) => r.kind === 'reminder-zns')!.sent).toBeGreaterThan(0);
    expect(rows.filter((r) => r.duplicates > 0 || r.missing > 0)).toEqual([]);
  }, 420_000);
});
