import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatTable, runFaults } from '../../local/faults/run.ts';

/**
 * The fault harness in its reduced form (npm run faults -- --ci): a one-month run on a fresh store,
 * SIGKILLed twice at seeded moments, then run to completion with an 8 s SES outage (503, then
 * Throttling) from its first statement; counted at the SES wire stand-in and the SMS files.
 * Asserted: no message twice, and no statement, urging notice or officer's email missing (the redrive
 * sends what the kills and the outage left). Reminder SMS are the known gap: an SMS handed to the
 * provider just before a kill has no evidence yet, so it may go again (at most one per send in flight).
 */
describe('fault injection (reduced)', () => {
  it('sends no message twice, and no notice, statement or officer email is missing, across kills and an SES outage', async () => {
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
    expect(rows.filter((r) => r.kind !== 'reminder-sms' && r.duplicates > 0)).toEqual([]);
    expect(rows.find((r) => r.kind === 'reminder-sms')!.duplicates).toBeLessThanOrEqual(2 * 8);
    expect(rows.filter((r) => ['statement', 'urging', 'officer-email'].includes(r.kind) && r.missing > 0)).toEqual([]);
  }, 420_000);
});
