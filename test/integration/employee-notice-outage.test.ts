import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { mockClient } from 'aws-sdk-client-mock';
import { SESClient, SendEmailCommand, type SendEmailCommandInput } from '@aws-sdk/client-ses';
import type { SFNClient } from '@aws-sdk/client-sfn';
import { createTable, startDynalite, type EmbeddedDynamo } from '../../local/embedded/dynalite.ts';
import { DynamoArrearsStore } from '../../functions/commons/dynamo-store.ts';
import { DynamoReminderStore } from '../../functions/commons/reminder-store.ts';
import { assembleDeps, type Deps } from '../../functions/commons/deps.ts';
import { fixedClock } from '../../functions/commons/clock.ts';
import { NoticeDeliveryError } from '../../functions/commons/errors.ts';
import { ids } from '../../functions/commons/ids.ts';
import type { MessageRef } from '../../functions/commons/message-claims.ts';
import { addressHash, type Sms } from '../../functions/commons/sms-sender.ts';
import type { RosterMemberRecord } from '../../functions/commons/reconciliation-records.ts';
import { deadlineOf, policyFor } from '../../functions/core/policy.ts';
import { METRICS } from '../../functions/core/metric-names.ts';
import { employeeNoticeRunMetrics, redriveMetrics } from '../../functions/core/metric-points.ts';
import { addTallies } from '../../functions/core/delivery-tally.ts';
import { runEmployeeNotices } from '../../functions/steps/employee-notice-run.ts';
import { runRedrive, type RedriveSummary } from '../../functions/steps/redrive-run.ts';

/**
 * The SMS provider and SES down during the 10th's employee notice runs (09:00, and the reruns at
 * 10:00 and 11:00), a worker crashed holding one notice's claim: the daily redrive (11:00) sends
 * what they left, unit by unit, once the providers are back, before the employee notices' deadline
 * (the policy: the 15th); each employee is told exactly once and each unit once, after its
 * employees. An address the provider refuses for good is counted (and alarmed), never retried. An
 * outage that outlasts the deadline: nothing is sent late, what is left is counted past its deadline.
 * On dynalite, counted at the stand-ins' wire (the SMS sender, SES mocked).
 */

const CYCLE = '2026-11';
const policy = policyFor('2026-11-10');
const DEADLINE = `${CYCLE}-${String(policy.delivery['employee-notice'].deadlineDayOfMonth).padStart(2, '0')}`;
const ses = mockClient(SESClient);

let dynamo: EmbeddedDynamo;
beforeAll(async () => { dynamo = await startDynalite(); }, 60_000);
afterAll(() => dynamo?.close());

const employer = (unitCode: string) => ({
  unitCode, name: `Công ty TNHH ${unitCode}`, taxCode: '2700123456', district: 'Tam Điệp', commune: 'Bắc Sơn', email: `${unitCode.toLowerCase()}@example.vn`, phone: '0912345678', locale: 'vi' as const,
});
const member = (unitCode: string, siCode: string, over: Partial<RosterMemberRecord>): RosterMemberRecord => ({
  unitCode, siCode, personalId: `0370800${siCode.slice(-5)}`, name: `Trần Thị ${siCode.slice(-1)}`, dateOfBirth: '1990-03-04', startMonth: '2025-01',
  salary: 10_000_000, contactConsent: true, ...over,
});
/** The provider refuses this number for good (End User Messaging SMS's ValidationException). */
const REFUSED = '+84912000009';

/** A fresh table on the shared dynalite: two units two months late, five employees to tell (one refused for good). */
async function world() {
  const tableName = `empout-${randomUUID().slice(0, 8)}`;
  await createTable(dynamo.client, tableName);
  const store = new DynamoArrearsStore(dynamo.doc, tableName);
  const reminders = new DynamoReminderStore(dynamo.doc, tableName);
  let now = new Date(`${CYCLE}-10T09:00:00+07:00`);
  const down = { sms: true, email: true };
  /** What each provider accepted (the wire), with the office day it went on. */
  const wire: { channel: 'sms' | 'email'; to: string; claim: string; day: string }[] = [];
  const smsAttempts: string[] = [];
  const day = () => new Date(now.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);
  const sms = {
    send: async (m: Sms) => {
      smsAttempts.push(m.to);
      if (m.to === REFUSED) throw new NoticeDeliveryError('ValidationException');
      if (down.sms) throw new NoticeDeliveryError('ServiceUnavailable');
      wire.push({ channel: 'sms', to: m.to, claim: JSON.stringify(m.claim), day: day() });
      return `sms-${wire.length}`;
    },
  };
  ses.reset();
  ses.on(SendEmailCommand).callsFake((input: SendEmailCommandInput) => {
    if (down.email) throw Object.assign(new Error('down'), { name: 'ServiceUnavailable' });
    wire.push({ channel: 'email', to: input.Destination!.ToAddresses![0]!, claim: String(input.Tags?.find((t) => t.Name === 'claim')?.Value), day: day() });
    return { MessageId: `ses-${wire.length}` };
  });
  const deps: Deps = assembleDeps({ store, reminders, ses: new SESClient({ region: 'ap-southeast-1' }), sfn: {} as SFNClient, sms, clock: fixedClock(() => now) });
  await store.putEmployers([employer('LATE0001'), employer('LATE0002')]);
  const periods = (unitCode: string) => ['2026-08', '2026-09'].map((period) => ({ unitCode, period, amountDue: 32_000_000, dueDate: deadlineOf(period, policy) }));
  await store.putPeriods([...periods('LATE0001'), ...periods('LATE0002')]);
  await store.putRosterMembers([
    member('LATE0001', '0400000001', { phone: '0912000001' }),
    member('LATE0001', '0400000002', { email: 'b.tran@example.vn' }),
    member('LATE0001', '0400000003', { phone: '0912000003' }),
    member('LATE0002', '0400000004', { phone: '0912000004' }),
    member('LATE0002', '0400000009', { phone: '0912000009' }),
  ]);
  const at = (iso: string) => { now = new Date(iso); };
  /** The 10th's three runs, as scheduled. */
  const theTenth = async () => {
    const runs = [];
    for (const hour of ['09', '10', '11']) {
      at(`${CYCLE}-10T${hour}:00:00+07:00`);
      runs.push(await runEmployeeNotices(deps, {}));
    }
    return runs;
  };
  const redriveOn = (d: string) => { at(`${d}T11:00:00+07:00`); return runRedrive(deps, {}); };
  return { deps, store, reminders, wire, smsAttempts, down, at, theTenth, redriveOn };
}

const EMPLOYEES = ['+84912000001', 'b.tran@example.vn', '+84912000003', '+84912000004'];
const UNITS = ['late0001@example.vn', 'late0002@example.vn'];
const employeeRef = (unitCode: string, siCode: string): MessageRef => ({ message: 'employee-notice', unitCode, cycle: CYCLE, employee: ids.employeeNotice({ unitCode, cycle: CYCLE, siCode }) });
const employeesTold = (r: RedriveSummary) => r.messages['employee-notice'];
/** Each metric's value in these points. */
const pointsOf = (points: { metric: keyof typeof METRICS; value: number }[]) => Object.fromEntries(points.map((p) => [p.metric, p.value]));

describe('employee notices through an SMS and email outage on the 10th', () => {
  it('the redrive sends, once the providers are back, every notice exactly once before the deadline, then each unit once', async () => {
    const w = await world();
    // A worker claimed the third employee's notice at 08:59 and died (no answer from the provider, no event).
    await w.store.claim(employeeRef('LATE0001', '0400000003'), new Date(`${CYCLE}-10T08:59:00+07:00`), policy.employeeNotice.claimStaleAfterMinutes);

    const [first, , last] = await w.theTenth();
    expect(first!.employees).toMatchObject({ sent: 0, failed: 3, inProgress: 1, refused: 1 });
    expect(first!.units).toMatchObject({ sent: 0, waiting: 2 });
    // The 11:00 rerun: the crashed claim is stale by now and taken over; still nothing out; the refused address is not tried again.
    expect(last!.employees).toMatchObject({ sent: 0, failed: 4, refused: 1 });
    expect(w.smsAttempts.filter((to) => to === REFUSED)).toHaveLength(1);
    // The run's metrics: nothing sent, the refusal counted (the EmployeeNoticesNotSent alarm), four waiting.
    expect(pointsOf(employeeNoticeRunMetrics(first!))).toMatchObject({ employeeNoticesSentSms: 0, employeeNoticesSentEmail: 0, employeeNoticesNotSent: 1, employeeNoticesPending: 4 });

    // The redrive at 11:00 on the 10th (the same hour as the last rerun: too soon for its claims) and the next day: still down.
    expect(employeesTold(await w.redriveOn(`${CYCLE}-10`))).toMatchObject({ sent: 0 });
    const down = await w.redriveOn(`${CYCLE}-11`);
    expect(employeesTold(down)).toMatchObject({ sent: 0, failed: 4 });
    expect(down).toMatchObject({ stillDue: 4, pastDeadline: 0, employeeNoticesPastDeadline: 0 });
    expect(w.wire).toEqual([]);

    // Back on the 12th: every employee told once, then each unit once (its employees' notices settled).
    w.down.sms = false;
    w.down.email = false;
    const back = await w.redriveOn(`${CYCLE}-12`);
    expect(employeesTold(back)).toMatchObject({ sent: 4, failed: 0 });
    expect(back.messages['employees-informed']).toMatchObject({ sent: 2 });
    expect(back).toMatchObject({ stillDue: 0, pastDeadline: 0 });
    expect(w.wire.map((m) => m.to).sort()).toEqual([...EMPLOYEES, ...UNITS].sort());
    expect(w.wire.every((m) => m.day === `${CYCLE}-12` && m.day <= DEADLINE)).toBe(true);
    // Each unit after its own employees.
    for (const unit of ['LATE0001', 'LATE0002']) {
      const order = w.wire.map((m) => JSON.parse(m.channel === 'sms' ? m.claim : Buffer.from(m.claim, 'base64url').toString('utf8')) as MessageRef)
        .filter((r) => 'unitCode' in r && r.unitCode === unit).map((r) => r.message);
      expect(order.at(-1)).toBe('employees-informed');
      expect(order.filter((m) => m === 'employees-informed')).toHaveLength(1);
    }

    // Settled: nothing in the redrive's index, a rerun of the run and the days after send nothing; the refused number was tried once.
    expect(await w.store.pendingClaims('employee-notice', '9999')).toEqual([]);
    expect(await w.store.pendingClaims('employees-informed', '9999')).toEqual([]);
    expect(employeesTold(await w.redriveOn(`${CYCLE}-13`))).toMatchObject({ sent: 0, alreadySent: 0 });
    w.at(`${CYCLE}-13T09:00:00+07:00`);
    const rerun = await runEmployeeNotices(w.deps, { asOf: `${CYCLE}-10` });
    expect(rerun.employees).toMatchObject({ sent: 0, alreadySent: 4, refused: 1 });
    expect(rerun.units).toMatchObject({ sent: 0, alreadySent: 2 });
    expect(w.wire).toHaveLength(EMPLOYEES.length + UNITS.length);
    expect(w.smsAttempts.filter((to) => to === REFUSED)).toHaveLength(1);
  }, 60_000);

  it('the redrive and the 11:00 rerun at once, just as the providers come back: each notice once', async () => {
    const w = await world();
    await w.theTenth();
    w.down.sms = false;
    w.down.email = false;
    // The 11:00 rerun and the redrive's firing at 11:00 on the 10th, with the 09:00 run's claims stale.
    w.at(`${CYCLE}-10T11:20:00+07:00`);
    await Promise.all([runEmployeeNotices(w.deps, {}), runRedrive(w.deps, {}), runRedrive(w.deps, {})]);
    expect(w.wire.map((m) => m.to).sort()).toEqual([...EMPLOYEES, ...UNITS].sort());
  }, 60_000);

  it('an outage past the deadline: nothing is sent late; what is left is counted past its deadline (the alarm), in its cycle only', async () => {
    const w = await world();
    await w.theTenth();
    for (const d of ['11', '12', '13', '14', '15']) expect((await w.redriveOn(`${CYCLE}-${d}`)).employeeNoticesPastDeadline).toBe(0);
    // The providers back on the 16th, the day after the deadline: the redrive's last day of the month.
    w.down.sms = false;
    w.down.email = false;
    const late = await w.redriveOn(`${CYCLE}-16`);
    expect(w.wire).toEqual([]);
    expect(late).toMatchObject({ stillDue: 4, pastDeadline: 4, employeeNoticesPastDeadline: 4 });
    expect(employeesTold(late)).toMatchObject({ sent: 0, failed: 4 });
    const points = pointsOf(redriveMetrics({
      sent: 0, stillDue: late.stillDue, pastDeadline: late.pastDeadline,
      employeeNotices: addTallies(late.messages['employee-notice'], late.messages['employees-informed']), employeeNoticesPastDeadline: late.employeeNoticesPastDeadline,
    }));
    expect(points).toMatchObject({ messagesPastDeadline: 4, employeeNoticesPastDeadline: 4, employeeNoticesPending: 4 });
    // The next month's redrive days: not sent, not counted again (that cycle's run tells the employees again).
    const next = await w.redriveOn('2026-12-02');
    expect(next).toMatchObject({ stillDue: 0, pastDeadline: 0, employeeNoticesPastDeadline: 0 });
    expect(w.wire).toEqual([]);
  }, 60_000);

  it('SMS down past the deadline, email back: the unit with an employee told by email hears of that one the day after, once; the other unit, nobody told, hears nothing', async () => {
    const w = await world();
    await w.theTenth();
    w.down.email = false;
    // The 12th: LATE0001's employee by email goes; its two SMS and LATE0002's do not: the unit waits.
    const twelfth = await w.redriveOn(`${CYCLE}-12`);
    expect(employeesTold(twelfth)).toMatchObject({ sent: 1, failed: 3 });
    expect(twelfth.messages['employees-informed']).toMatchObject({ sent: 0 });
    for (const d of ['13', '14', '15']) await w.redriveOn(`${CYCLE}-${d}`);
    expect(w.wire.map((m) => m.to)).toEqual(['b.tran@example.vn']);
    // The 16th: the notices' deadline has passed (not sent late, counted); LATE0001 is told of its one.
    const after = await w.redriveOn(`${CYCLE}-16`);
    expect(after).toMatchObject({ employeeNoticesPastDeadline: 3 });
    expect(after.messages['employees-informed']).toMatchObject({ sent: 1 });
    expect(w.wire.map((m) => m.to)).toEqual(['b.tran@example.vn', 'late0001@example.vn']);
    expect(w.wire.at(-1)!.day).toBe(`${CYCLE}-16`);
    // The redrive's last day, the 17th, and a rerun of the 16th: nothing more, by either channel.
    w.down.sms = false;
    await w.redriveOn(`${CYCLE}-16`);
    const last = await w.redriveOn(`${CYCLE}-17`);
    expect(last.messages['employees-informed']).toMatchObject({ sent: 0 });
    expect(w.wire.map((m) => m.to)).toEqual(['b.tran@example.vn', 'late0001@example.vn']);
  }, 60_000);

  it('an employee who opted out since the run (a STOP reply): their notice still due is settled as not needed, the others go, then the unit', async () => {
    const w = await world();
    await w.theTenth();
    await w.reminders.putSuppression({ channel: 'sms', addressHash: addressHash('sms', '0912000001'), reason: 'stop-reply', at: `${CYCLE}-11T08:00:00Z` });
    w.down.sms = false;
    w.down.email = false;
    const r = await w.redriveOn(`${CYCLE}-12`);
    expect(employeesTold(r)).toMatchObject({ sent: 3, notNeeded: 1 });
    expect(w.wire.map((m) => m.to).sort()).toEqual([...EMPLOYEES.filter((to) => to !== '+84912000001'), ...UNITS].sort());
    expect(await w.store.pendingClaims('employee-notice', '9999')).toEqual([]);
  }, 60_000);

  it('a unit that pays before the redrive: its notices still due are settled as not needed, nothing goes out', async () => {
    const w = await world();
    await w.theTenth();
    await w.store.putPayments([{ unitCode: 'LATE0001', reference: 'LATE-1', paidOn: `${CYCLE}-11`, amount: 64_000_000 }]);
    w.down.sms = false;
    w.down.email = false;
    const r = await w.redriveOn(`${CYCLE}-12`);
    expect(employeesTold(r)).toMatchObject({ sent: 1, notNeeded: 3 });
    expect(w.wire.map((m) => m.to).sort()).toEqual(['+84912000004', 'late0002@example.vn']);
    expect(await w.store.pendingClaims('employee-notice', '9999')).toEqual([]);
  }, 60_000);
});
