import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { SESClient } from '@aws-sdk/client-ses';
import type { SFNClient } from '@aws-sdk/client-sfn';
import { createTable, startDynalite, type EmbeddedDynamo } from '../../local/embedded/dynalite.ts';
import { DynamoArrearsStore } from '../../functions/commons/dynamo-store.ts';
import { DynamoReminderStore } from '../../functions/commons/reminder-store.ts';
import { assembleDeps, type Deps } from '../../functions/commons/deps.ts';
import { fixedClock } from '../../functions/commons/clock.ts';
import type { Participant } from '../../functions/commons/reminder-records.ts';
import { FolderDocumentStore } from '../../functions/commons/documents.ts';
import { policyFor } from '../../functions/core/policy.ts';
import { addDays } from '../../functions/core/dates.ts';
import { agentFollowUpOn, dueActions } from '../../functions/core/reminder-schedule.ts';
import { scheduleCycle } from '../../functions/steps/schedule-cycle.ts';
import { runReminders, type ReminderRunOptions } from '../../functions/steps/reminder-run.ts';

/**
 * The scheduler may stop (a disabled schedule, a failed deployment, an outage) for days or weeks.
 * The run that comes after must find every cycle whose action fell in the gap: the index is read
 * up to today, not for a window of recent days.
 */

const AGENT = { officerId: 'dl.tran.van.nam', name: 'Trần Văn Nam', email: 'nam@bhxh.example.vn', district: 'Tam Điệp', communes: ['Bắc Sơn'], role: 'collection-agent' as const, active: true, phone: '0915000102' };
const COVERED_UNTIL = '2026-11-30';
const SCHEDULED_ON = '2026-11-02';
const r = policyFor(SCHEDULED_ON).reminders;

const participant = (siCode: string, over: Partial<Participant> = {}): Participant => ({
  siCode, name: 'Lê Thị Mai', dateOfBirth: '1975-02-03', phone: `09${siCode.slice(2)}`, email: undefined, commune: 'Bắc Sơn',
  agentId: AGENT.officerId, preferredChannel: 'sms', locale: 'vi', consent: true, optOut: false, method: 'quarterly', chosenIncome: 3_000_000,
  supportGroup: 'other', supportMonthsUsed: 0, paidThrough: '2026-11', ...over,
});

let dynamo: EmbeddedDynamo;
beforeAll(async () => { dynamo = await startDynalite(); }, 60_000);
afterAll(() => dynamo?.close());

/** A fresh table on the shared dynalite server, with one participant per code scheduled on SCHEDULED_ON. */
async function world(participants: Participant[]) {
  const tableName = `outage-${randomUUID().slice(0, 8)}`;
  await createTable(dynamo.client, tableName);
  const store = new DynamoArrearsStore(dynamo.doc, tableName);
  const reminders = new DynamoReminderStore(dynamo.doc, tableName);
  const sms: { to: string; text: string }[] = [];
  let now = new Date(`${SCHEDULED_ON}T08:00:00+07:00`);
  const deps: Deps = assembleDeps({
    store, reminders, ses: new SESClient({ region: 'ap-southeast-1' }), sfn: {} as SFNClient,
    sms: { send: async (m) => { sms.push(m); return `sms-${sms.length}`; } },
    documents: new FolderDocumentStore(mkdtempSync(join(tmpdir(), 'outage-'))), clock: fixedClock(() => now),
  });
  await store.putOfficers([AGENT]);
  await reminders.putParticipants(participants);
  for (const p of participants) await scheduleCycle(deps, 'vsi', p.siCode, SCHEDULED_ON);
  const runOn = (day: string, options: ReminderRunOptions = {}) => { now = new Date(`${day}T08:00:00+07:00`); return runReminders(deps, {}, options); };
  return { deps, store, reminders, sms, runOn };
}

describe('reminder run after the scheduler stopped', () => {
  it('a month without runs: the current step goes out, the missed ones are counted, the agent visit is opened once', async () => {
    const w = await world([participant('2700000101'), participant('2700000102')]);
    // Nothing ran from 2026-11-15 (15 days before) to 2026-12-03: the lapse notice (12-01) is within the catch-up days.
    const first = await w.runOn('2026-12-03');
    expect(first).toMatchObject({ cycles: 2, sent: { sms: 2, email: 0 }, skipped: 4, lapsed: 2, agentTasks: 0 });
    expect(w.sms.every((m) => m.text.includes('01/12/2026'))).toBe(true);
    // The next stop is 30 days after the lapse.
    const after30 = addDays(COVERED_UNTIL, 30);
    expect(await w.reminders.cyclesDueBy(addDays(after30, -1))).toEqual([]);
    expect((await w.reminders.cyclesDueBy(after30)).map((c) => c.nextReminderOn)).toEqual([after30, after30]);
    // Stopped again until well past the agent's day: the 30-day reminder is stale (skipped), the visit still opens.
    const agentDay = agentFollowUpOn(COVERED_UNTIL, r);
    const late = await w.runOn(addDays(agentDay, 20));
    expect(late).toMatchObject({ cycles: 2, sent: { sms: 0, email: 0 }, skipped: 2, agentTasks: 2 });
    expect(await w.store.openTasksOf(AGENT.officerId)).toHaveLength(2);
    // Nothing is left in the index, and a rerun opens nothing twice.
    expect(await w.reminders.cyclesDueBy('2027-12-31')).toEqual([]);
    expect(await w.runOn(addDays(agentDay, 21))).toMatchObject({ cycles: 0, agentTasks: 0 });
    expect(w.sms).toHaveLength(2);
  });

  it('a lapsed participant whose agent is not active stays in the index until one is', async () => {
    const w = await world([participant('2700000201')]);
    await w.store.putOfficers([{ ...AGENT, active: false }]);
    const agentDay = agentFollowUpOn(COVERED_UNTIL, r);
    expect(await w.runOn(agentDay)).toMatchObject({ agentTasks: 0, agentTasksWithoutAgent: 1 });
    expect(await w.runOn(addDays(agentDay, 1))).toMatchObject({ cycles: 1, agentTasks: 0, agentTasksWithoutAgent: 1 });
    await w.store.putOfficers([AGENT]);
    expect(await w.runOn(addDays(agentDay, 2))).toMatchObject({ cycles: 1, agentTasks: 1, agentTasksWithoutAgent: 0 });
    expect(await w.reminders.cyclesDueBy('2027-12-31')).toEqual([]);
  });

  it('a run out of time stops taking cycles; the next hourly run takes the rest, nothing twice', async () => {
    const codes = ['2700000501', '2700000502', '2700000503', '2700000504', '2700000505'];
    const w = await world(codes.map((c) => participant(c)));
    // Time for two cycles, then the invocation is near its end.
    let asked = 0;
    const first = await w.runOn('2026-11-15', { timeLeftMs: () => (++asked <= 2 ? 900_000 : 30_000) });
    expect(first).toMatchObject({ cycles: 5, unfinished: 3, sent: { sms: 2, email: 0 } });
    expect(await w.reminders.cyclesDueBy('2026-11-15')).toHaveLength(3);
    const next = await w.runOn('2026-11-15', { timeLeftMs: () => 900_000 });
    expect(next).toMatchObject({ cycles: 3, unfinished: 0, sent: { sms: 3, email: 0 } });
    expect(new Set(w.sms.map((m) => m.to)).size).toBe(5);
    expect(w.sms).toHaveLength(5);
  });

  it('property: whichever days the run happens on, each step goes out at most once, exactly when a run saw it due, and the visit opens once', async () => {
    const horizon = 120;
    await fc.assert(fc.asyncProperty(
      fc.uniqueArray(fc.integer({ min: 0, max: horizon }), { minLength: 1, maxLength: 25 }).map((d) => d.sort((a, b) => a - b)),
      async (offsets) => {
        const w = await world([participant('2700000301')]);
        const days = offsets.map((o) => addDays(SCHEDULED_ON, o));
        for (const day of days) await w.runOn(day);
        // The model: a step goes out iff some run day has it due (latest step, within the catch-up days).
        const expected = new Set(days.flatMap((d) => dueActions(COVERED_UNTIL, d, r).flatMap((a) => (a.kind === 'step' ? [a.step.id] : []))));
        expect(w.sms).toHaveLength(expected.size);
        const claims = await w.reminders.remindersOf('vsi', '2700000301');
        expect(claims.filter((c) => c.status === 'sent').map((c) => c.step).sort()).toEqual([...expected].sort());
        const agentDay = agentFollowUpOn(COVERED_UNTIL, r);
        const last = days.at(-1)!;
        expect(await w.store.openTasksOf(AGENT.officerId)).toHaveLength(last >= agentDay ? 1 : 0);
        // Never missed: after the last run nothing due by that day is left waiting.
        expect(await w.reminders.cyclesDueBy(last)).toEqual([]);
      },
    ), { numRuns: 12 });
  }, 120_000);
});
