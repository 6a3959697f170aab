import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { SESClient, SendEmailCommand } from '@aws-sdk/client-ses';
import type { SFNClient } from '@aws-sdk/client-sfn';
import { dynamoForTests } from '../support/dynamo.ts';
import { DynamoReminderStore } from '../../functions/commons/reminder-store.ts';
import { assembleDeps, type Deps } from '../../functions/commons/deps.ts';
import { fixedClock } from '../../functions/commons/clock.ts';
import { addressHash, type Sms, type SmsSender } from '../../functions/commons/sms-sender.ts';
import { logger } from '../../functions/commons/logger.ts';
import type { RosterMemberRecord } from '../../functions/commons/reconciliation-records.ts';
import { deadlineOf, policyFor } from '../../functions/core/policy.ts';
import { smsSegments } from '../../functions/core/sms.ts';
import { runEmployeeNotices } from '../../functions/steps/employee-notice-run.ts';

/**
 * Employees' right to know on dynalite: a unit two months late with a roster of four (one without
 * consent, one who replied STOP) gets two employee messages and one to the unit; a rerun sends
 * nothing; a unit that is up to date gets nothing; no personal data is logged.
 */

let db: Awaited<ReturnType<typeof dynamoForTests>>;
let deps: Deps;
const sms: Sms[] = [];
const ses = mockClient(SESClient);
const policy = policyFor('2026-11-10');
const now = new Date('2026-11-10T09:00:00+07:00');

const employer = (unitCode: string, email: string) => ({
  unitCode, name: `Công ty TNHH ${unitCode}`, taxCode: '2700123456', district: 'Tam Điệp', commune: 'Bắc Sơn', email, phone: '0912345678', locale: 'vi' as const,
});
const member = (unitCode: string, siCode: string, over: Partial<RosterMemberRecord>): RosterMemberRecord => ({
  unitCode, siCode, personalId: `0370800${siCode.slice(-5)}`, name: `Trần Thị ${siCode.slice(-1)}`, dateOfBirth: '1990-03-04', startMonth: '2025-01',
  salary: 10_000_000, contactConsent: true, ...over,
});
const PERSONAL = ['Trần Thị', '0912000001', '+84912000001', 'b.tran@example.vn', '0400000001', '0400000002', '0400000003', '0400000004', '037080000001', '1990-03-04'];

beforeAll(async () => {
  db = await dynamoForTests();
  const reminders = new DynamoReminderStore(db.dynamo.doc, db.tableName);
  const sender: SmsSender = { send: async (m) => { sms.push(m); return `sms-${sms.length}`; } };
  deps = assembleDeps({ store: db.store, reminders, ses: new SESClient({ region: 'ap-southeast-1' }), sfn: {} as SFNClient, sms: sender, clock: fixedClock(() => now) });
  await db.store.putEmployers([employer('LATE0001', 'late@example.vn'), employer('PAID0001', 'paid@example.vn')]);
  // LATE0001 owes August (deadline 30/09: 41 days late on the 10th) and September; PAID0001 paid both.
  const periods = (unitCode: string) => ['2026-08', '2026-09'].map((period) => ({ unitCode, period, amountDue: 32_000_000, dueDate: deadlineOf(period, policy) }));
  await db.store.putPeriods([...periods('LATE0001'), ...periods('PAID0001')]);
  await db.store.putPayments([{ unitCode: 'PAID0001', reference: 'PAID-1', paidOn: '2026-09-25', amount: 64_000_000 }]);
  await db.store.putRosterMembers([
    member('LATE0001', '0400000001', { phone: '0912000001' }),
    member('LATE0001', '0400000002', { email: 'b.tran@example.vn' }),
    member('LATE0001', '0400000003', { contactConsent: false }),
    member('LATE0001', '0400000004', { phone: '0912000004' }),
    member('PAID0001', '0400000005', { phone: '0912000005' }),
  ]);
  // The fourth replied STOP to an SMS once: opted out.
  await reminders.putSuppression({ channel: 'sms', addressHash: addressHash('sms', '0912000004'), reason: 'stop-reply', at: '2026-10-01T00:00:00Z' });
  ses.on(SendEmailCommand).resolves({ MessageId: 'email-1' });
}, 60_000);
afterAll(() => db?.close());

describe('the employee notice run on dynalite', () => {
  it('tells the consenting, not opted-out employees once, then the unit once; a rerun sends nothing', async () => {
    const log = vi.spyOn(logger, 'info');
    const warn = vi.spyOn(logger, 'warn');
    const first = await runEmployeeNotices(deps, { asOf: '2026-11-10' });
    expect(first).toMatchObject({ cycle: '2026-11', unitsScanned: 2, unitsLate: 1, unitsHeld: 0, sentBy: { sms: 1, email: 1 } });
    expect(first.employees).toMatchObject({ sent: 2, alreadySent: 0, failed: 0 });
    expect(first.skipped).toEqual({ notInUnpaidMonths: 0, noConsent: 1, noContact: 0, optedOut: 1 });
    expect(first.units).toMatchObject({ sent: 1, waiting: 0 });

    // The SMS stand-in: one SMS, to the first employee, one GSM-7 segment, naming the unit, the months, SI/HI/UI and the hotline.
    expect(sms.map((m) => m.to)).toEqual(['+84912000001']);
    const text = sms[0]!.text;
    expect(smsSegments(text)).toMatchObject({ encoding: 'GSM-7', segments: 1 });
    expect(text).toContain('LATE0001');
    expect(text).toContain('2 thang (08/2026-09/2026)');
    // Both shares on 10,000,000 a month for two months: SI 25.5%, HI 4.5%, UI 2%.
    expect(text).toContain('BHXH 5.100.000d, BHYT 900.000d, BHTN 400.000d');
    expect(text).toContain(deps.office.hotline);
    expect(sms[0]!.claim).toMatchObject({ message: 'employee-notice', unitCode: 'LATE0001', cycle: '2026-11' });
    // The claim's reference carries no SI code.
    expect(JSON.stringify(sms[0]!.claim)).not.toContain('0400000001');

    // The SES stand-in: the second employee's email, then the unit's (a count, no names).
    const emails = ses.commandCalls(SendEmailCommand).map((c) => c.args[0].input);
    expect(emails.map((e) => e.Destination?.ToAddresses)).toEqual([['b.tran@example.vn'], ['late@example.vn']]);
    const unitMail = emails[1]!.Message!.Body!.Text!.Data!;
    expect(unitMail).toContain('2 người lao động');
    expect(unitMail).not.toContain('Trần');
    expect(emails[0]!.Message!.Body!.Text!.Data!).toContain('Trần Thị 2');

    const again = await runEmployeeNotices(deps, { asOf: '2026-11-10' });
    expect(again.employees).toMatchObject({ sent: 0, alreadySent: 2 });
    expect(again.units).toMatchObject({ sent: 0, alreadySent: 1 });
    expect(sms).toHaveLength(1);
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(2);

    // Logs and the run's record: counts and unit codes, never a name, phone, email, SI code or ID number.
    const logged = JSON.stringify([log.mock.calls, warn.mock.calls, first, again]);
    expect(logged).toContain('Employee notice run finished');
    for (const p of PERSONAL) expect(logged).not.toContain(p);
    log.mockRestore();
    warn.mockRestore();
  });

  it('a unit up to date gets nothing, nor its employees', async () => {
    const all = [...sms.map((m) => m.to), ...ses.commandCalls(SendEmailCommand).flatMap((c) => c.args[0].input.Destination?.ToAddresses ?? [])];
    expect(all).not.toContain('+84912000005');
    expect(all).not.toContain('paid@example.vn');
  });

  it('a unit that pays before a rerun: nothing more (its claims stay as they were)', async () => {
    await db.store.putPayments([{ unitCode: 'LATE0001', reference: 'LATE-1', paidOn: '2026-11-10', amount: 64_000_000 }]);
    const third = await runEmployeeNotices(deps, { asOf: '2026-11-10' });
    expect(third.unitsLate).toBe(0);
    expect(sms).toHaveLength(1);
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(2);
  });
});
