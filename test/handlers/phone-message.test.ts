import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import type { Deps } from '../../functions/commons/deps.ts';
import { NoticeDeliveryError } from '../../functions/commons/errors.ts';
import type { ZnsAttempt } from '../../functions/commons/reminder-records.ts';
import type { MessageRef } from '../../functions/commons/message-claims.ts';
import { SsmAccessToken, ZnsError, znsFailure, type Zns } from '../../functions/commons/zns-sender.ts';
import { ZNS_UNSURE } from '../../functions/core/claim-rule.ts';
import { policyFor } from '../../functions/core/policy.ts';
import { sendPhoneMessage } from '../../functions/steps/phone-message.ts';
import { fixedClock } from '../../functions/commons/clock.ts';

const claim: MessageRef = { message: 'reminder', cycle: { kind: 'vsi', code: '2700000001', coveredUntil: '2026-11-30' }, step: 'before-15', channel: 'sms' };
const template = policyFor('2026-11-15').channels.zns.reminders.upcoming!.vi;
const sms = { to: '+84900000001', text: 'Nhac dong BHXH', senderId: 'BHXH', claim };

/** The ports the phone message uses, in memory: the attempts kept by tracking id, every send recorded. */
function world(zns: (m: Zns) => Promise<string>, attempts = new Map<string, ZnsAttempt>()) {
  const sent = { zns: [] as Zns[], sms: 0 };
  const deps = {
    reminders: { znsAttempt: async (id: string) => attempts.get(id), putZnsAttempt: async (a: ZnsAttempt) => {
      // As the table does: accepted is final.
      if (attempts.get(a.trackingId)?.status === 'accepted') return false;
      attempts.set(a.trackingId, a);
      return true;
    } },
    zns: { send: async (m: Zns) => { sent.zns.push(m); return zns(m); } },
    sms: { send: async () => { sent.sms++; return 'sms-1'; } },
    clock: fixedClock(() => new Date('2026-11-15T01:00:00Z')),
  } as unknown as Pick<Deps, 'reminders' | 'zns' | 'sms' | 'clock'>;
  return { deps, sent, attempts };
}
const refuse = (reason = 'zns-118') => () => Promise.reject(new ZnsError('permanent', reason));

describe('a phone reminder: ZNS first, SMS on a refusal for good, once', () => {
  it('SMS alone for a participant without Zalo', async () => {
    const w = world(async () => 'never');
    expect(await sendPhoneMessage(w.deps, claim, { first: 'sms' }, { sms })).toEqual({ messageId: 'sms-1', evidence: { deliveredBy: 'sms' } });
    expect(w.sent.zns).toHaveLength(0);
  });

  it('accepted by ZNS: no SMS, the attempt recorded as accepted under the tracking id', async () => {
    const w = world(async () => 'zalo-1');
    const r = await sendPhoneMessage(w.deps, claim, { first: 'zns', template }, { sms, params: { customer_name: 'Mai' } });
    expect(r).toMatchObject({ messageId: 'zalo-1', evidence: { deliveredBy: 'zns', trackingId: w.sent.zns[0]!.trackingId } });
    expect(w.sent.sms).toBe(0);
    expect([...w.attempts.values()]).toMatchObject([{ status: 'accepted', msgId: 'zalo-1' }]);
  });

  it('refused for good: the same claim goes by SMS, the refusal recorded; a retake goes straight to SMS', async () => {
    const w = world(refuse());
    expect(await sendPhoneMessage(w.deps, claim, { first: 'zns', template }, { sms })).toEqual({ messageId: 'sms-1', evidence: { deliveredBy: 'sms', znsRefused: 'zns-118' } });
    await sendPhoneMessage(w.deps, claim, { first: 'zns', template }, { sms });
    expect(w.sent.zns).toHaveLength(1);
    expect(w.sent.sms).toBe(2);
  });

  it('retryable: released for the rerun, never by SMS; the next attempt tries ZNS again', async () => {
    let answer: () => Promise<string> = () => Promise.reject(new ZnsError('retryable', 'http-503'));
    const w = world(() => answer());
    await expect(sendPhoneMessage(w.deps, claim, { first: 'zns', template }, { sms })).rejects.toThrow(NoticeDeliveryError);
    expect(w.sent.sms).toBe(0);
    expect([...w.attempts.values()]).toMatchObject([{ status: 'failed', reason: 'http-503' }]);
    answer = async () => 'zalo-2';
    expect((await sendPhoneMessage(w.deps, claim, { first: 'zns', template }, { sms })).messageId).toBe('zalo-2');
  });

  it('a retake after a crash: accepted is evidence (nothing sent); sending (unknown) is retried by ZNS only, a refusal then settles it without SMS', async () => {
    const accepted = world(async () => 'never');
    const id = (w: ReturnType<typeof world>) => w.sent.zns[0]?.trackingId;
    // The tracking id is the claim's: learn it from one send, then play the crash with it.
    const probe = world(async () => 'x');
    await sendPhoneMessage(probe.deps, claim, { first: 'zns', template }, { sms });
    const trackingId = id(probe)!;
    accepted.attempts.set(trackingId, { trackingId, status: 'accepted', at: 't', msgId: 'zalo-earlier' });
    expect(await sendPhoneMessage(accepted.deps, claim, { first: 'zns', template }, { sms })).toMatchObject({ messageId: 'zalo-earlier', evidence: { deliveredBy: 'zns' } });
    expect(accepted.sent.zns).toHaveLength(0);

    const cut = world(refuse(), new Map([[trackingId, { trackingId, status: 'sending', at: 't' } as ZnsAttempt]]));
    await expect(sendPhoneMessage(cut.deps, claim, { first: 'zns', template }, { sms })).rejects.toMatchObject({ sesError: ZNS_UNSURE });
    await expect(sendPhoneMessage(cut.deps, claim, { first: 'zns', template }, { sms })).rejects.toMatchObject({ sesError: ZNS_UNSURE });
    expect(cut.sent.sms).toBe(0);
    expect(cut.sent.zns).toHaveLength(1);
    expect(cut.attempts.get(trackingId)).toMatchObject({ status: 'refused', unsure: true });
  });
});

describe('a retake after a crash, with Zalo\'s word', () => {
  const trackingIdOf = async () => {
    const probe = world(async () => 'x');
    await sendPhoneMessage(probe.deps, claim, { first: 'zns', template }, { sms });
    return probe.sent.zns[0]!.trackingId;
  };

  it('sending, then refused for a reason about the person (no Zalo account): nobody got it, the SMS goes', async () => {
    const trackingId = await trackingIdOf();
    const w = world(() => Promise.reject(znsFailure(-118)), new Map([[trackingId, { trackingId, status: 'sending', at: 't' } as ZnsAttempt]]));
    expect(await sendPhoneMessage(w.deps, claim, { first: 'zns', template }, { sms })).toEqual({ messageId: 'sms-1', evidence: { deliveredBy: 'sms', znsRefused: 'zns-118' } });
    expect(w.sent.sms).toBe(1);
  });

  it('the webhook said received while the worker was calling Zalo: its refusal or failure is not recorded over it, nothing more is sent', async () => {
    const trackingId = await trackingIdOf();
    for (const answer of [() => Promise.reject(new ZnsError('permanent', 'zns-124')), () => Promise.reject(new ZnsError('retryable', 'http-503')), () => Promise.reject(znsFailure(-118))]) {
      const attempts = new Map<string, ZnsAttempt>();
      // Zalo's event arrives during the call (the first one of this worker timed out, say).
      const w = world(async (m) => {
        attempts.set(m.trackingId, { trackingId: m.trackingId, status: 'accepted', at: 't', msgId: 'zalo-webhook' });
        return answer();
      }, attempts);
      attempts.set(trackingId, { trackingId, status: 'sending', at: 't' });
      expect(await sendPhoneMessage(w.deps, claim, { first: 'zns', template }, { sms })).toMatchObject({ messageId: 'zalo-webhook', evidence: { deliveredBy: 'zns' } });
      expect(w.sent.sms).toBe(0);
      expect(attempts.get(trackingId)).toMatchObject({ status: 'accepted', msgId: 'zalo-webhook' });
    }
  });
});

describe('the Zalo access token from SSM', () => {
  it('is read by GetParameter WithDecryption, cached, and read again once Zalo refused it', async () => {
    const ssm = mockClient(SSMClient);
    let n = 0;
    ssm.on(GetParameterCommand).callsFake(async () => ({ Parameter: { Name: '/arrears/zalo/token', Type: 'SecureString', Value: `token-${++n}` } }));
    const token = new SsmAccessToken('/arrears/zalo/token', new SSMClient({ region: 'ap-southeast-1' }), 60_000);
    expect(await token.get()).toBe('token-1');
    expect(await token.get()).toBe('token-1');
    expect(ssm.commandCalls(GetParameterCommand).map((c) => c.args[0].input)).toEqual([{ Name: '/arrears/zalo/token', WithDecryption: true }]);
    token.invalidate();
    expect(await token.get()).toBe('token-2');
    ssm.restore();
  });

  it('a refused read is retryable and names no token', async () => {
    const ssm = mockClient(SSMClient);
    ssm.on(GetParameterCommand).rejects(Object.assign(new Error('not authorized for /arrears/zalo/token'), { name: 'AccessDeniedException' }));
    const token = new SsmAccessToken('/arrears/zalo/token', new SSMClient({ region: 'ap-southeast-1' }), 60_000);
    await expect(token.get()).rejects.toMatchObject({ kind: 'retryable', reason: 'token-AccessDeniedException' });
    ssm.restore();
  });
});
