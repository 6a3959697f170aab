import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { SESClient } from '@aws-sdk/client-ses';
import type { SFNClient } from '@aws-sdk/client-sfn';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { createTable, startDynalite, type EmbeddedDynamo } from '../../local/embedded/dynalite.ts';
import { smsEventPublisher } from '../../local/embedded/sms-events.ts';
import { DynamoArrearsStore } from '../../functions/commons/dynamo-store.ts';
import { DynamoReminderStore } from '../../functions/commons/reminder-store.ts';
import { assembleDeps, type Deps } from '../../functions/commons/deps.ts';
import { fixedClock } from '../../functions/commons/clock.ts';
import { FolderDocumentStore } from '../../functions/commons/documents.ts';
import { FolderSmsSender, type SmsSender } from '../../functions/commons/sms-sender.ts';
import { claimKey, type MessageRef } from '../../functions/commons/message-claims.ts';
import type { Participant } from '../../functions/commons/reminder-records.ts';
import { policyFor } from '../../functions/core/policy.ts';
import type { WhenUnsure } from '../../functions/core/claim-rule.ts';
import { scheduleCycle } from '../../functions/steps/schedule-cycle.ts';
import { runReminders } from '../../functions/steps/reminder-run.ts';
import { recordSmsFeedback, type SnsEvent } from '../../functions/steps/delivery-feedback.ts';

/**
 * A reminder SMS the provider accepted just before its worker died: the claim stays `claimed`, and
 * what settles it is the provider's word. Here the provider is the local stand-in (FolderSmsSender:
 * a .sms.txt per SMS, its TEXT_SENT event in the status log), the word reaches the claim through the
 * same step as End User Messaging's events in AWS, and the run is really cut off mid-send (its SMS
 * call never returns), on dynalite.
 */
const AGENT = { officerId: 'dl.pham.thi.lan', name: 'Phạm Thị Lan', email: 'lan@bhxh.example.vn', district: 'Tam Điệp', communes: ['Bắc Sơn'], role: 'collection-agent' as const, active: true, phone: '0915000103' };
const SI_CODE = '2700000701';
const participant: Participant = {
  siCode: SI_CODE, name: 'Đỗ Văn Hùng', dateOfBirth: '1970-08-09', phone: '0912000701', email: undefined, commune: 'Bắc Sơn',
  agentId: AGENT.officerId, preferredChannel: 'sms', locale: 'vi', consent: true, optOut: false, method: 'quarterly', chosenIncome: 3_000_000,
  supportGroup: 'other', supportMonthsUsed: 0, paidThrough: '2026-11',
};
/** The step due on 2026-11-15: 15 days before the cover ends. */
const REF: MessageRef = { message: 'reminder', cycle: { kind: 'vsi', code: SI_CODE, coveredUntil: '2026-11-30' }, step: 'before-15', channel: 'sms' };

let dynamo: EmbeddedDynamo;
beforeAll(async () => { dynamo = await startDynalite(); }, 60_000);
afterAll(() => dynamo?.close());

/** A fresh table and stand-in, one participant scheduled; the run's SMS call hangs forever while `crashing` (the process died there). */
async function world(whenUnsure: WhenUnsure = 'resend') {
  const tableName = `smsevid-${randomUUID().slice(0, 8)}`;
  await createTable(dynamo.client, tableName);
  const store = new DynamoArrearsStore(dynamo.doc, tableName);
  const reminders = new DynamoReminderStore(dynamo.doc, tableName);
  const dir = mkdtempSync(join(tmpdir(), 'sms-evidence-'));
  const log = join(dir, 'store', 'sms-events.jsonl');
  let now = new Date('2026-11-02T08:00:00+07:00');
  const provider = new FolderSmsSender(join(dir, 'outbox'), () => now, { eventsLog: log });
  let crashing = true;
  let accepted: () => void = () => {};
  const acceptedOnce = new Promise<void>((resolve) => { accepted = resolve; });
  const sms: SmsSender = {
    send: async (m) => {
      const id = await provider.send(m);
      if (!crashing) return id;
      accepted();
      return new Promise<string>(() => {});
    },
  };
  const base = assembleDeps({
    store, reminders, ses: new SESClient({ region: 'ap-southeast-1' }), sfn: {} as SFNClient, sms,
    documents: new FolderDocumentStore(join(dir, 'documents')), clock: fixedClock(() => now),
  });
  const deps: Deps = {
    ...base,
    policyFor: (date) => {
      const p = policyFor(date);
      return { ...p, delivery: { ...p.delivery, reminder: { ...p.delivery.reminder, whenUnsure } } };
    },
  };
  await store.putOfficers([AGENT]);
  await reminders.putParticipants([participant]);
  await scheduleCycle(deps, 'vsi', SI_CODE, '2026-11-02');
  const publish = smsEventPublisher(log, (event) => recordSmsFeedback(deps, event as SnsEvent));
  const sent = () => (existsSync(join(dir, 'outbox')) ? readdirSync(join(dir, 'outbox'), { recursive: true }).map(String).filter((f) => f.endsWith('.sms.txt')) : []);
  const claim = async () => (await dynamo.doc.send(new GetCommand({ TableName: tableName, Key: claimKey(REF), ConsistentRead: true }))).Item;
  return {
    deps, log, publish, sent, claim,
    at: (local: string) => { now = new Date(`${local}+07:00`); },
    /** The morning run: it claims the SMS, the provider accepts it, and the process dies before the claim is completed. */
    crashMidSend: async () => {
      now = new Date('2026-11-15T08:00:00+07:00');
      void runReminders(deps, {}, { runId: 'run-that-died' });
      await acceptedOnce;
      crashing = false;
    },
  };
}

describe('a reminder SMS accepted just before a crash', () => {
  it('is settled by the provider log and not sent again by the next run', async () => {
    const w = await world();
    await w.crashMidSend();
    expect(w.sent()).toHaveLength(1);
    expect(await w.claim()).toMatchObject({ status: 'claimed' });
    // The stand-in logged what the configuration set would publish: the claim rides in the context.
    const [line] = readFileSync(w.log, 'utf8').trim().split('\n');
    expect(JSON.parse(line!)).toMatchObject({ eventType: 'TEXT_SENT', messageType: 'TRANSACTIONAL', context: { claim: expect.any(String) } });
    expect(line).not.toContain('912000701');

    expect(await w.publish()).toBe(1);
    // Read once: the next call publishes nothing more.
    expect(await w.publish()).toBe(0);
    const settled = await w.claim();
    expect(settled).toMatchObject({ status: 'sent', messageId: JSON.parse(line!).messageId, acceptedAt: expect.any(String) });

    // The hourly rerun, after the dead run's lease and claim have gone stale.
    w.at('2026-11-15T09:00:00');
    const next = await runReminders(w.deps, {}, { runId: 'next-hourly-run' });
    expect(next).toMatchObject({ cycles: 1, sent: { sms: 0, email: 0 }, alreadySent: 1, failed: 0 });
    expect(w.sent()).toHaveLength(1);
  });

  it('without the log line it is sent again, as the policy says for reminders when unsure (at least once)', async () => {
    expect(policyFor('2026-11-15').delivery.reminder.whenUnsure).toBe('resend');
    const w = await world();
    await w.crashMidSend();
    w.at('2026-11-15T09:00:00');
    const next = await runReminders(w.deps, {}, { runId: 'next-hourly-run' });
    expect(next).toMatchObject({ sent: { sms: 1, email: 0 }, alreadySent: 0 });
    expect(w.sent()).toHaveLength(2);
    expect(await w.claim()).toMatchObject({ status: 'sent' });
    // The resent SMS is in the log too: a later crash of this one would be settled as well.
    expect(readFileSync(w.log, 'utf8').trim().split('\n')).toHaveLength(2);
  });

  it('at most once instead: without evidence it is abandoned (never twice), with evidence it counts as sent', async () => {
    const unsure = await world('give-up');
    await unsure.crashMidSend();
    unsure.at('2026-11-15T09:00:00');
    expect(await runReminders(unsure.deps, {}, { runId: 'next-hourly-run' })).toMatchObject({ sent: { sms: 0, email: 0 }, failed: 1 });
    expect(await unsure.claim()).toMatchObject({ status: 'abandoned' });
    expect(unsure.sent()).toHaveLength(1);

    const known = await world('give-up');
    await known.crashMidSend();
    await known.publish();
    known.at('2026-11-15T09:00:00');
    expect(await runReminders(known.deps, {}, { runId: 'next-hourly-run' })).toMatchObject({ sent: { sms: 0, email: 0 }, alreadySent: 1, failed: 0 });
    expect(await known.claim()).toMatchObject({ status: 'sent' });
  });

  it("the fault harness's SMS outage accepts nothing and logs nothing", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sms-outage-'));
    const log = join(dir, 'sms-events.jsonl');
    const provider = new FolderSmsSender(join(dir, 'outbox'), () => new Date(), { eventsLog: log });
    const before = process.env.LOCAL_SMS_FAIL_WINDOW;
    process.env.LOCAL_SMS_FAIL_WINDOW = `${Date.now() - 1_000}-${Date.now() + 60_000}`;
    try {
      await expect(provider.send({ to: participant.phone!, text: 'x', senderId: 'BHXH', claim: REF })).rejects.toMatchObject({ sesError: 'ServiceUnavailable' });
    } finally {
      if (before === undefined) delete process.env.LOCAL_SMS_FAIL_WINDOW;
      else process.env.LOCAL_SMS_FAIL_WINDOW = before;
    }
    expect(existsSync(log)).toBe(false);
    expect(existsSync(join(dir, 'outbox'))).toBe(false);
    // Once it is over, the SMS goes out and is logged.
    await provider.send({ to: participant.phone!, text: 'x', senderId: 'BHXH', claim: REF });
    expect(readFileSync(log, 'utf8').trim().split('\n')).toHaveLength(1);
  });
});
