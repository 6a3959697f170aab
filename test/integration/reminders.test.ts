import { claimTag } from '../../functions/commons/message-claims.ts';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mockClient } from 'aws-sdk-client-mock';
import { SESClient, SendEmailCommand } from '@aws-sdk/client-ses';
import type { SFNClient } from '@aws-sdk/client-sfn';
import { dynamoForTests } from '../support/dynamo.ts';
import { DynamoReminderStore } from '../../functions/commons/reminder-store.ts';
import { assembleDeps, type Deps } from '../../functions/commons/deps.ts';
import { fixedClock } from '../../functions/commons/clock.ts';
import type { SmsSender } from '../../functions/commons/sms-sender.ts';
import { logger } from '../../functions/commons/logger.ts';
import { policyFor } from '../../functions/core/policy.ts';
import { smsSegments } from '../../functions/core/sms.ts';
import type { Participant } from '../../functions/commons/reminder-records.ts';
import { scheduleCycle } from '../../functions/steps/schedule-cycle.ts';
import { runReminders } from '../../functions/steps/reminder-run.ts';
import { recordRenewal } from '../../functions/steps/record-renewal.ts';
import { recordEmailFeedback, recordSmsReply } from '../../functions/steps/delivery-feedback.ts';
import { runRenewalReport } from '../../functions/steps/renewal-report.ts';
import { importParticipants } from '../../functions/import/participant-import.ts';
import { FolderDocumentStore } from '../../functions/commons/documents.ts';

let db: Awaited<ReturnType<typeof dynamoForTests>>;
let reminders: DynamoReminderStore;
let deps: Deps;
let now = new Date();
const sms: { to: string; text: string }[] = [];
const ses = mockClient(SESClient);
const at = (local: string) => { now = new Date(`${local}+07:00`); };

const AGENT = { officerId: 'dl.nguyen.thi.hoa', name: 'Nguyễn Thị Hoa', email: 'hoa@bhxh.example.vn', district: 'Tam Điệp', communes: ['Bắc Sơn'], role: 'collection-agent' as const, active: true, phone: '0915000101' };
const participant = (siCode: string, over: Partial<Participant> = {}): Participant => ({
  siCode, name: 'Nguyễn Văn Đức', dateOfBirth: '1980-05-04', phone: `09${siCode.slice(2)}`, email: `p${siCode}@example.vn`, commune: 'Bắc Sơn',
  agentId: AGENT.officerId, preferredChannel: 'sms', locale: 'vi', consent: true, optOut: false, method: 'quarterly', chosenIncome: 3_000_000,
  supportGroup: 'poor', supportMonthsUsed: 0, paidThrough: '2026-11', ...over,
});
const PERSONAL = ['Nguyễn Văn Đức', '1980-05-04', '@example.vn', '2700000001', '2700000002', '2700000003', '2700000004'];

beforeAll(async () => {
  db = await dynamoForTests();
  reminders = new DynamoReminderStore(db.dynamo.doc, db.tableName);
  const sender: SmsSender = { send: async (m) => { sms.push(m); return `sms-${sms.length}`; } };
  deps = assembleDeps({
    store: db.store, reminders, ses: new SESClient({ region: 'ap-southeast-1' }), sfn: {} as SFNClient, sms: sender,
    documents: new FolderDocumentStore(mkdtempSync(join(tmpdir(), 'renewals-'))), clock: fixedClock(() => now),
  });
  await db.store.putOfficers([AGENT]);
  await reminders.putParticipants([
    participant('2700000001'),
    participant('2700000002', { preferredChannel: 'email' }),
    participant('2700000003', { consent: false }),
    participant('2700000004'),
  ]);
  at('2026-11-02T08:00:00');
  for (const code of ['2700000001', '2700000002', '2700000003', '2700000004']) await scheduleCycle(deps, 'vsi', code, '2026-11-02');
}, 60_000);
afterAll(() => db?.close());
beforeEach(() => {
  ses.reset();
  ses.on(SendEmailCommand).resolves({ MessageId: 'email-1' });
});

describe('the daily reminder run on dynalite', () => {
  it('finds cycles through the reminder index only once they are due', async () => {
    expect(await reminders.cyclesDueBy('2026-11-14')).toHaveLength(0);
    expect(await reminders.cyclesDueBy('2026-11-15')).toHaveLength(4);
    at('2026-11-14T08:00:00');
    expect((await runReminders(deps, {})).cycles).toBe(0);
  });

  it('15 days before: the preferred channel, claimed once; a rerun sends nothing', async () => {
    const log = vi.spyOn(logger, 'info');
    at('2026-11-15T08:00:00');
    const first = await runReminders(deps, {});
    expect(first).toMatchObject({ cycles: 4, sent: { sms: 2, email: 1 }, unreachable: 1 });
    expect(sms.map((m) => m.to).sort()).toEqual(['+84900000001', '+84900000004']);
    expect(sms[0]!.text).toContain('30/11/2026');
    expect(smsSegments(sms[0]!.text)).toMatchObject({ encoding: 'GSM-7' });
    expect(smsSegments(sms[0]!.text).segments).toBe(1);
    expect(ses.commandCalls(SendEmailCommand)[0]!.args[0].input.Destination?.ToAddresses).toEqual(['p2700000002@example.vn']);
    // The index moved on to the next step of each cycle.
    expect((await reminders.cyclesDueBy('2026-11-26')).length).toBe(0);
    expect((await reminders.cyclesDueBy('2026-11-27')).map((c) => c.nextReminderOn)).toEqual(Array(4).fill('2026-11-27'));
    // Rerun (the index was moved, so put one back by hand as an overlapping run would see it).
    await reminders.setNextReminder({ kind: 'vsi', code: '2700000001', coveredUntil: '2026-11-30' }, '2026-11-15');
    const again = await runReminders(deps, {});
    expect(again).toMatchObject({ sent: { sms: 0, email: 0 }, alreadySent: 1 });
    expect(sms).toHaveLength(2);
    const logged = JSON.stringify(log.mock.calls);
    expect(logged.length).toBeGreaterThan(10);
    for (const p of PERSONAL) expect(logged).not.toContain(p);
    log.mockRestore();
  });

  it('a STOP reply opts the number out; a bounce suppresses the address', async () => {
    const event = (m: unknown) => ({ Records: [{ Sns: { Message: JSON.stringify(m) } }] });
    expect(await recordSmsReply(deps, event({ originationNumber: '+84900000004', messageBody: 'Từ chối' }))).toEqual({ optedOut: 1, ignored: 0 });
    expect(await recordSmsReply(deps, event({ originationNumber: '+84900000001', messageBody: 'ok cam on' }))).toEqual({ optedOut: 0, ignored: 1 });
    expect(await recordEmailFeedback(deps, event({ notificationType: 'Bounce', bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: 'P2700000002@example.vn' }] } })))
      .toEqual({ suppressed: 1, evidence: 0, ignored: 0 });
  });

  it("the configuration set's send event settles a claim whose worker died after SES accepted the message; delivery and bounce are recorded beside it", async () => {
    const event = (m: unknown) => ({ Records: [{ Sns: { Message: JSON.stringify(m) } }] });
    const ref = { message: 'reminder', cycle: { kind: 'vsi', code: '2700000099', coveredUntil: '2026-12-31' }, step: 'before-30', channel: 'email' } as const;
    const mail = (tag: string) => ({ messageId: 'ses-99', timestamp: '2026-11-27T01:00:00Z', tags: { claim: [tag] } });
    await db.store.claim(ref, new Date('2026-11-27T01:00:00Z'), 15);
    expect(await recordEmailFeedback(deps, event({ eventType: 'Send', mail: mail(claimTag.of(ref)) }))).toMatchObject({ evidence: 1 });
    expect(await recordEmailFeedback(deps, event({ eventType: 'Delivery', mail: mail(claimTag.of(ref)), delivery: { timestamp: '2026-11-27T01:00:04Z' } }))).toMatchObject({ evidence: 1 });
    const [claim] = (await reminders.remindersOf('vsi', '2700000099')).filter((c) => c.step === 'before-30');
    expect(claim).toMatchObject({ status: 'sent', messageId: 'ses-99' });
    // An hour later the stale claim is not taken over: it went out.
    expect(await db.store.claim(ref, new Date('2026-11-27T02:00:00Z'), 15)).toBe('already-sent');
    // A tag that names no claim changes nothing.
    const unknown = claimTag.of({ ...ref, step: 'never-claimed' });
    expect(await recordEmailFeedback(deps, event({ eventType: 'Send', mail: mail(unknown) }))).toMatchObject({ evidence: 0 });
  });

  it('3 days before, in the quiet hours: email now, SMS deferred to the next run, not dropped', async () => {
    sms.length = 0;
    at('2026-11-27T22:00:00');
    const night = await runReminders(deps, {});
    // 0001: sms deferred + email; 0002: sms only (email bounced) deferred; 0004: email only (STOP).
    expect(night).toMatchObject({ sent: { sms: 0, email: 2 }, deferred: 2, suppressed: 2, unreachable: 1 });
    expect(sms).toHaveLength(0);
    at('2026-11-28T08:00:00');
    const morning = await runReminders(deps, {});
    expect(morning.sent).toEqual({ sms: 2, zns: 0, email: 0 });
    // 0001's email went out last night; 0004 had only email (STOP), already sent.
    expect(morning.alreadySent).toBe(1);
    expect(sms.map((m) => m.to).sort()).toEqual(['+84900000001', '+84900000002']);
    expect((await runReminders(deps, {})).sent).toEqual({ sms: 0, zns: 0, email: 0 });
  });

  it('a renewal stops the remaining reminders of the cycle at once and schedules the next cycle', async () => {
    at('2026-11-29T10:00:00');
    const renewal = { kind: 'vsi' as const, code: '2700000001', reference: 'BANK-1', paidOn: '2026-11-29', paidThrough: '2027-02', actor: 'cb.test' };
    expect(await recordRenewal(deps, renewal)).toMatchObject({ outcome: 'recorded', coveredUntil: '2027-02-28', nextReminderOn: '2027-02-13' });
    expect(await recordRenewal(deps, renewal)).toMatchObject({ outcome: 'duplicate' });
    const cycles = (await reminders.getPayer('vsi', '2700000001')).cycles;
    expect(cycles.map((c) => [c.coveredUntil, c.status, c.nextReminderOn ?? null])).toEqual([['2026-11-30', 'renewed', null], ['2027-02-28', 'open', '2027-02-13']]);
    sms.length = 0;
    at('2026-12-01T08:00:00');
    const lapse = await runReminders(deps, {});
    expect(lapse.cycles).toBe(3);
    expect(sms.map((m) => m.to)).not.toContain('+84900000001');
  });

  it('the collection agent gets a renewal visit after the grace, once; a renewal closes it', async () => {
    at('2026-12-30T08:00:00');
    expect((await runReminders(deps, {})).cycles).toBe(3);
    at('2027-01-07T08:00:00');
    const run = await runReminders(deps, {});
    expect(run.agentTasks).toBe(3);
    const tasks = await db.store.openTasksOf(AGENT.officerId);
    expect(tasks.map((t) => t.type)).toEqual(['renewal-visit', 'renewal-visit', 'renewal-visit']);
    for (const t of tasks) expect(t.taskId).not.toMatch(/27000/);
    expect((await runReminders(deps, {})).agentTasks).toBe(0);
    const r = await recordRenewal(deps, { kind: 'vsi', code: '2700000002', reference: 'POST-9', paidOn: '2027-01-08', paidThrough: '2027-02', actor: AGENT.officerId });
    expect(r.agentTaskClosed).toBe(true);
    expect(await db.store.openTasksOf(AGENT.officerId)).toHaveLength(2);
  });

  it('reports due, reminded, renewed and lapsed per commune and agent against targets', async () => {
    await reminders.putTargets([{ month: '2026-11', commune: 'Bắc Sơn', targetRenewalPercent: 75 }]);
    const report = await runRenewalReport(deps, { month: '2026-11', asOf: '2027-01-10' });
    expect(report.total).toMatchObject({ due: 4, reminded: 3, renewed: 2, lapsed: 2, renewalRatePercent: 50 });
    expect(report.rows.find((r) => r.agentId === '*')).toMatchObject({ targetPercent: 75, gapPoints: -25 });
  });
});

describe('participant import', () => {
  it('reports bad rows by file, line, key and column rule, never the value, and loads the good ones', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'participants-'));
    writeFileSync(join(dir, 'participants.csv'), [
      'si_code,name,date_of_birth,phone,email,commune,agent_id,payment_method,years_ahead,chosen_income,support_group,support_months_used,paid_through,preferred_channel,language,consent,opt_out',
      '2711111111,Trần Thị Mai,1975-02-03,0911111111,,Bắc Sơn,dl.nguyen.thi.hoa,monthly,,2500000,other,0,2026-12,sms,vi,true,false',
      '2722222222,Lê Văn Nam,1975-02-30,0911111112,,Bắc Sơn,dl.nguyen.thi.hoa,weekly,,2500000,other,0,2026-12,sms,vi,true,false',
      '2733333333,Phạm Thu Hà,1975-02-03,0911111113,,Bắc Sơn,dl.nguyen.thi.hoa,monthly,,1000000,other,0,2026-12,sms,vi,true,false',
      'NOT-A-CODE,Hồ Văn Sơn,1975-02-03,0911111114,,Bắc Sơn,dl.nguyen.thi.hoa,years-ahead,,2500000,other,0,2026-12,sms,vi,yes,false',
    ].join('\n'));
    writeFileSync(join(dir, 'renewals.csv'), 'kind,code,reference,paid_on,amount,paid_through,expires_on\nvsi,2799999999,R-1,2026-11-01,,2027-01,\n');
    at('2026-11-02T08:00:00');
    const report = await importParticipants(dir, deps);
    expect(report.loaded.participants).toBe(1);
    expect(report.scheduled).toBe(1);
    expect(report.errors).toEqual([
      { file: 'participants.csv', line: 3, key: '2722222222', reason: 'date_of_birth must be a calendar date YYYY-MM-DD; payment_method must be one of monthly, quarterly, half-yearly, yearly, years-ahead' },
      { file: 'participants.csv', line: 4, key: '2733333333', reason: 'chosen_income must be at least the rural poverty line (2000000 dong)' },
      { file: 'participants.csv', line: 5, key: '(invalid)', reason: 'consent must be true or false' },
      { file: 'renewals.csv', line: 2, key: '2799999999 R-1', reason: 'code is not a known participant or household; not recorded' },
    ]);
    expect(JSON.stringify(report.errors)).not.toMatch(/Lê Văn Nam|Hồ Văn Sơn|NOT-A-CODE|weekly/);
  });

  it('phones written with spaces, dots, dashes or parentheses are stored as +84...; an invalid one refuses its row with the reason', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'participants-'));
    const head = 'si_code,name,date_of_birth,phone,email,commune,agent_id,payment_method,years_ahead,chosen_income,support_group,support_months_used,paid_through,preferred_channel,language,consent,opt_out';
    const row = (code: string, phone: string) => `${code},Trần Thị Mai,1975-02-03,${phone},,Bắc Sơn,dl.nguyen.thi.hoa,monthly,,2500000,other,0,2026-12,sms,vi,true,false`;
    writeFileSync(join(dir, 'participants.csv'), [head, row('2744444441', '091.444 4441'), row('2744444442', '+84 (91) 444-4442'), row('2744444443', '0914 444 44'), row('2744444444', '1900 9068')].join('\n'));
    writeFileSync(join(dir, 'households.csv'), [
      'household_code,head_name,phone,email,commune,agent_id,payment_method,preferred_channel,language,consent,opt_out',
      'HGD444441,Lê Văn Nam,(024) 3825-1234,,Bắc Sơn,dl.nguyen.thi.hoa,yearly,sms,vi,true,false',
      'HGD444442,Lê Văn Nam,+1 202 555 0100,,Bắc Sơn,dl.nguyen.thi.hoa,yearly,sms,vi,true,false',
    ].join('\n'));
    at('2026-11-02T08:00:00');
    const report = await importParticipants(dir, deps);
    expect(report.loaded).toMatchObject({ participants: 2, households: 1 });
    expect(report.errors).toEqual([
      { file: 'participants.csv', line: 4, key: '2744444443', reason: 'phone must have 10 digits for a mobile (0 and 9 more)' },
      { file: 'participants.csv', line: 5, key: '2744444444', reason: 'phone must start with 0, 84 or +84' },
      { file: 'households.csv', line: 3, key: 'HGD444442', reason: 'phone must be a Vietnamese number (+84)' },
    ]);
    expect((await reminders.getPayer('vsi', '2744444441')).participant?.phone).toBe('+84914444441');
    expect((await reminders.getPayer('vsi', '2744444442')).participant?.phone).toBe('+84914444442');
    expect((await reminders.getPayer('hi', 'HGD444441')).household?.phone).toBe('+842438251234');
    expect((await reminders.getPayer('vsi', '2744444443')).participant).toBeUndefined();
    expect(JSON.stringify(report.errors)).not.toMatch(/0914 444 44|1900|202 555/);
  });
});
