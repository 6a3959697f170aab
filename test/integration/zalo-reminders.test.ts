import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mockClient } from 'aws-sdk-client-mock';
import { SESClient, SendEmailCommand } from '@aws-sdk/client-ses';
import type { SFNClient } from '@aws-sdk/client-sfn';
import { dynamoForTests } from '../support/dynamo.ts';
import { DynamoReminderStore } from '../../functions/commons/reminder-store.ts';
import { assembleDeps, type Deps } from '../../functions/commons/deps.ts';
import { fixedClock } from '../../functions/commons/clock.ts';
import { FolderSmsSender } from '../../functions/commons/sms-sender.ts';
import { FolderZnsSender, LOCAL_ZNS_APP_ID, znsTrackingId } from '../../functions/commons/zns-sender.ts';
import { znsReceivedEvent } from '../../functions/commons/zns-webhook.ts';
import { recordZnsFeedback } from '../../functions/steps/delivery-feedback.ts';
import { claimKey, type MessageRef } from '../../functions/commons/message-claims.ts';
import { FolderDocumentStore } from '../../functions/commons/documents.ts';
import { policyFor } from '../../functions/core/policy.ts';
import type { Participant } from '../../functions/commons/reminder-records.ts';
import { scheduleCycle } from '../../functions/steps/schedule-cycle.ts';
import { runReminders } from '../../functions/steps/reminder-run.ts';
import { runRenewalReport } from '../../functions/steps/renewal-report.ts';
import { importParticipants } from '../../functions/import/participant-import.ts';
import { writeFileSync } from 'node:fs';

/**
 * Zalo ZNS first, SMS on a permanent refusal, on dynalite with the local stand-ins (the ZNS and
 * SMS outbox folders): one message per person and step, whatever the reruns and crashes.
 */

let db: Awaited<ReturnType<typeof dynamoForTests>>;
let reminders: DynamoReminderStore;
let deps: Deps;
let now = new Date();
const at = (local: string) => { now = new Date(`${local}+07:00`); };
const ses = mockClient(SESClient);
const znsDir = mkdtempSync(join(tmpdir(), 'zns-outbox-'));
const smsDir = mkdtempSync(join(tmpdir(), 'sms-outbox-'));
const filesIn = (dir: string, suffix: string) => readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith(suffix)).map((f) => join(dir, f));
const smsTo = () => filesIn(smsDir, '.sms.txt').map((f) => /To: (\S+)/.exec(readFileSync(f, 'utf8'))![1]).sort();
const znsSent = () => filesIn(znsDir, '.zns.json').map((f) => ({ file: f, ...(JSON.parse(readFileSync(f, 'utf8')) as { phone: string; template_id: string; template_data: Record<string, string>; tracking_id: string }) }));

const AGENT = { officerId: 'dl.tran.van.binh', name: 'Trần Văn Bình', email: 'binh@bhxh.example.vn', district: 'Tam Điệp', communes: ['Bắc Sơn'], role: 'collection-agent' as const, active: true, phone: '0915000202' };
const participant = (siCode: string, over: Partial<Participant> = {}): Participant => ({
  siCode, name: 'Lê Thị Thu Trang', dateOfBirth: '1985-03-02', phone: `09${siCode.slice(2)}`, commune: 'Bắc Sơn', agentId: AGENT.officerId,
  preferredChannel: 'sms', locale: 'vi', consent: true, optOut: false, method: 'quarterly', chosenIncome: 3_000_000, supportGroup: 'other',
  supportMonthsUsed: 0, paidThrough: '2026-11', ...over,
});
// 0001 and 0004 use Zalo; 0002 said so but has no Zalo account (the stand-in refuses it for good); 0003 has no Zalo.
const CODES = ['2800000001', '2800000002', '2800000003', '2800000004'];
const ref = (code: string, step: string): MessageRef => ({ message: 'reminder', cycle: { kind: 'vsi', code, coveredUntil: '2026-11-30' }, step, channel: 'sms' });

beforeAll(async () => {
  db = await dynamoForTests();
  reminders = new DynamoReminderStore(db.dynamo.doc, db.tableName);
  deps = assembleDeps({
    store: db.store, reminders, ses: new SESClient({ region: 'ap-southeast-1' }), sfn: {} as SFNClient,
    sms: new FolderSmsSender(smsDir, () => now), zns: new FolderZnsSender(znsDir, () => now, { noZalo: ['0900000002'] }),
    documents: new FolderDocumentStore(mkdtempSync(join(tmpdir(), 'renewals-'))), clock: fixedClock(() => now),
  });
  ses.on(SendEmailCommand).resolves({ MessageId: 'email-1' });
  await db.store.putOfficers([AGENT]);
  await reminders.putParticipants([
    participant(CODES[0]!, { zalo: true }), participant(CODES[1]!, { zalo: true }), participant(CODES[2]!), participant(CODES[3]!, { zalo: true }),
  ]);
  at('2026-11-02T08:00:00');
  for (const code of CODES) await scheduleCycle(deps, 'vsi', code, '2026-11-02');
}, 60_000);
afterAll(() => db?.close());

describe('reminders by Zalo ZNS first, SMS on a permanent refusal', () => {
  it('a Zalo user gets one ZNS and no SMS; a refused one gets one SMS; the rest SMS; costs add up', async () => {
    // 0004's message of this step was claimed by a worker that died after Zalo accepted it (its attempt recorded, the claim not completed).
    const crashed = ref(CODES[3]!, 'before-15');
    at('2026-11-15T07:30:00');
    expect(await db.store.claim(crashed, now, 15)).toBe('claimed');
    await reminders.putZnsAttempt({ trackingId: znsTrackingId(claimKey(crashed)), status: 'accepted', at: now.toISOString(), msgId: 'zalo-earlier' });

    at('2026-11-15T08:00:00');
    const run = await runReminders(deps, {});
    const prices = policyFor('2026-11-15').channels.priceVnd;
    // 0004: its stale claim is taken over and completed from the attempt's evidence, nothing sent again.
    expect(run).toMatchObject({ cycles: 4, sent: { sms: 2, zns: 2, email: 0 }, znsFallbacks: 1, failed: 0 });
    expect(run.costVnd).toEqual({ sms: 2 * prices.sms, zns: 2 * prices.zns, email: 0, total: 2 * prices.sms + 2 * prices.zns });

    const zns = znsSent();
    expect(zns.map((m) => m.phone)).toEqual(['84900000001']);
    expect(zns[0]!.template_id).toBe(policyFor('2026-11-15').channels.zns.reminders.upcoming!.vi.templateId);
    expect(zns[0]!.template_data).toMatchObject({ customer_name: 'Lê Thị Thu Trang', code: '***0001', deadline: '30/11/2026' });
    expect(zns[0]!.tracking_id).toBe(znsTrackingId(claimKey(ref(CODES[0]!, 'before-15'))));
    // The phone is masked in the file's name; the tracking id names no SI code.
    expect(zns[0]!.file).not.toMatch(/900000001/);
    expect(zns[0]!.tracking_id).not.toMatch(/2800000001/);
    expect(smsTo()).toEqual(['+84900000002', '+84900000003']);

    const claimOf = async (code: string) => (await reminders.remindersOf('vsi', code)).find((c) => c.step === 'before-15');
    expect(await claimOf(CODES[0]!)).toMatchObject({ status: 'sent', deliveredBy: 'zns', channel: 'sms' });
    expect((await claimOf(CODES[0]!))!.segments).toBeUndefined();
    expect(await claimOf(CODES[1]!)).toMatchObject({ status: 'sent', deliveredBy: 'sms', znsRefused: 'zns-118', segments: 1 });
    expect(await claimOf(CODES[2]!)).toMatchObject({ status: 'sent', deliveredBy: 'sms' });
    expect(await claimOf(CODES[3]!)).toMatchObject({ status: 'sent', deliveredBy: 'zns', messageId: 'zalo-earlier' });

    // The cycles count what delivered each reminder: the renewal report's messages and costs by channel.
    const cycle = async (code: string) => (await reminders.getPayer('vsi', code)).cycles[0]!;
    expect(await cycle(CODES[0]!)).toMatchObject({ remindersSent: 1, znsSent: 1, smsSent: 0 });
    expect(await cycle(CODES[1]!)).toMatchObject({ remindersSent: 1, znsSent: 0, smsSent: 1 });
  });

  it('a rerun sends nothing more, by either channel', async () => {
    for (const code of CODES) await reminders.setNextReminder({ kind: 'vsi', code, coveredUntil: '2026-11-30' }, '2026-11-15');
    at('2026-11-15T09:00:00');
    const again = await runReminders(deps, {});
    expect(again).toMatchObject({ sent: { sms: 0, zns: 0, email: 0 }, alreadySent: 4, costVnd: { total: 0 } });
    expect(znsSent()).toHaveLength(1);
    expect(smsTo()).toHaveLength(2);
  });

  it('a claim cut off during its ZNS call: Zalo\'s webhook event settles it; with none it is tried by ZNS again, by SMS only when Zalo refuses the person', async () => {
    // At the next step two workers died during the ZNS call: 0001's message had reached Zalo (its
    // webhook event comes), 0002's had not (no Zalo account: the stand-in refuses it for good).
    const [took, refused] = [ref(CODES[0]!, 'before-3'), ref(CODES[1]!, 'before-3')];
    at('2026-11-27T07:30:00');
    for (const cut of [took, refused]) {
      expect(await db.store.claim(cut, now, 15)).toBe('claimed');
      await reminders.putZnsAttempt({ trackingId: znsTrackingId(claimKey(cut)), status: 'sending', at: now.toISOString() });
    }
    const event = znsReceivedEvent(LOCAL_ZNS_APP_ID, 'zalo-took-it', znsTrackingId(claimKey(took)), now);
    expect(await recordZnsFeedback(deps, [event, { ...event, message: { ...event.message, tracking_id: 'not-ours' } }])).toEqual({ evidence: 1, noTracking: 0, unknownAttempt: 1, ignored: 0 });
    // The worker's own late word, a guess or Zalo's answer, cannot undo the webhook's: accepted is final.
    expect(await reminders.putZnsAttempt({ trackingId: znsTrackingId(claimKey(took)), status: 'failed', at: now.toISOString(), reason: 'http-503' })).toBe(false);
    expect(await reminders.putZnsAttempt({ trackingId: znsTrackingId(claimKey(took)), status: 'accepted', at: now.toISOString(), msgId: 'zalo-took-it' })).toBe(false);
    expect(await reminders.znsAttempt(znsTrackingId(claimKey(took)))).toMatchObject({ status: 'accepted', msgId: 'zalo-took-it', receivedAt: now.toISOString() });
    at('2026-11-27T08:00:00');
    const znsBefore = znsSent().length;
    const run = await runReminders(deps, {});
    // 0001 settled from the event, 0004 by ZNS, 0002 refused again for having no Zalo (nobody got
    // the earlier attempt either) then by SMS, 0003 by SMS.
    expect(run).toMatchObject({ sent: { sms: 2, zns: 2, email: 0 }, znsFallbacks: 1 });
    expect(znsSent().length - znsBefore).toBe(1);
    expect(smsTo()).toEqual(['+84900000002', '+84900000002', '+84900000003', '+84900000003']);
    const claimOf = async (code: string) => (await reminders.remindersOf('vsi', code)).find((c) => c.step === 'before-3');
    expect(await claimOf(CODES[0]!)).toMatchObject({ status: 'sent', deliveredBy: 'zns', messageId: 'zalo-took-it' });
    expect(await claimOf(CODES[1]!)).toMatchObject({ status: 'sent', deliveredBy: 'sms' });
    // And nothing more on the next rerun.
    for (const code of CODES) await reminders.setNextReminder({ kind: 'vsi', code, coveredUntil: '2026-11-30' }, '2026-11-27');
    at('2026-11-27T09:00:00');
    expect((await runReminders(deps, {})).sent).toEqual({ sms: 0, zns: 0, email: 0 });
    expect(smsTo()).toHaveLength(4);
  });

  it('the renewal report shows the messages and their estimated cost by channel', async () => {
    const report = await runRenewalReport(deps, { month: '2026-11', asOf: '2026-11-28' });
    const prices = policyFor('2026-11-28').channels.priceVnd;
    expect(report.messages).toEqual({ sms: 4, zns: 4, email: 0 });
    expect(report.costVnd).toEqual({ sms: 4 * prices.sms, zns: 4 * prices.zns, email: 0, total: 4 * prices.sms + 4 * prices.zns });
  });
});

describe('the zalo column of the participant and household files', () => {
  it('reads yes/no (and true/false, empty as no); refuses anything else by column and rule, never the value', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'participants-zalo-'));
    const head = 'si_code,name,date_of_birth,phone,email,commune,agent_id,payment_method,years_ahead,chosen_income,support_group,support_months_used,paid_through,preferred_channel,language,consent,opt_out,zalo';
    const row = (code: string, zalo: string) => `${code},Trần Thị Mai,1975-02-03,09${code.slice(2)},,Bắc Sơn,${AGENT.officerId},monthly,,2500000,other,0,2026-12,sms,vi,true,false,${zalo}`;
    writeFileSync(join(dir, 'participants.csv'), [head, row('2811111111', 'yes'), row('2811111112', 'No'), row('2811111113', ''), row('2811111114', 'maybe')].join('\n'));
    writeFileSync(join(dir, 'households.csv'), 'household_code,head_name,phone,email,commune,agent_id,payment_method,preferred_channel,language,consent,opt_out,zalo\nHGDZ00001,Đặng Thị Long,0976894114,,Bắc Sơn,dl.tran.van.binh,half-yearly,sms,vi,true,false,yes\n');
    at('2026-11-02T08:00:00');
    const report = await importParticipants(dir, deps);
    expect(report.loaded).toMatchObject({ participants: 3, households: 1 });
    expect(report.errors).toEqual([{ file: 'participants.csv', line: 5, key: '2811111114', reason: 'zalo must be yes or no' }]);
    const zalo = async (code: string) => (await reminders.getPayer('vsi', code)).participant?.zalo;
    expect([await zalo('2811111111'), await zalo('2811111112'), await zalo('2811111113')]).toEqual([true, false, false]);
    expect((await reminders.getPayer('hi', 'HGDZ00001')).household?.zalo).toBe(true);
  });
});
