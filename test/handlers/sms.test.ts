import { beforeEach, describe, expect, it, vi } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { PinpointSMSVoiceV2Client, SendTextMessageCommand, ThrottlingException, ValidationException } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { EndUserMessagingSmsSender } from '../../functions/commons/sms-sender.ts';
import { claimKey, claimTag, type MessageRef } from '../../functions/commons/message-claims.ts';
import { NoticeDeliveryError } from '../../functions/commons/errors.ts';
import { fixedClock } from '../../functions/commons/clock.ts';
import { logger } from '../../functions/commons/logger.ts';
import type { ClaimStore } from '../../functions/commons/store.ts';
import { failureStatus } from '../../functions/core/claim-rule.ts';
import { SMS_EVENT_EVIDENCE, SMS_EVENT_TYPES } from '../../functions/core/sms-events.ts';
import { policyFor } from '../../functions/core/policy.ts';
import { deliverOnce } from '../../functions/steps/deliver-once.ts';
import { handler } from '../../functions/handlers/sms-feedback.ts';
import { context } from './fixtures.ts';

process.env.TABLE_NAME = 'arrears-test';
const smsVoice = mockClient(PinpointSMSVoiceV2Client);
const db = mockClient(DynamoDBDocumentClient);
const PHONE = '0912345678';
const ref: MessageRef = { message: 'reminder', cycle: { kind: 'vsi', code: '2700000042', coveredUntil: '2026-11-30' }, step: 'before-15', channel: 'sms' };
const sender = () => new EndUserMessagingSmsSender(new PinpointSMSVoiceV2Client({ region: 'ap-southeast-1' }), 'arrears-sms');

describe('the End User Messaging SMS adapter', () => {
  beforeEach(() => smsVoice.reset());

  it('sends a transactional SMS from the sender ID, through the configuration set, with the claim in its context', async () => {
    smsVoice.on(SendTextMessageCommand).resolves({ MessageId: 'eum-1' });
    expect(await sender().send({ to: PHONE, text: 'Nhac dong BHXH', senderId: 'BHXH', claim: ref })).toBe('eum-1');
    expect(smsVoice).toHaveReceivedCommandWith(SendTextMessageCommand, {
      DestinationPhoneNumber: '+84912345678', OriginationIdentity: 'BHXH', MessageBody: 'Nhac dong BHXH',
      MessageType: 'TRANSACTIONAL', ConfigurationSetName: 'arrears-sms',
    });
    const context = smsVoice.commandCalls(SendTextMessageCommand)[0]!.args[0].input.Context;
    // The context is what every event record carries back: it reads back as the message's claim.
    expect(Object.keys(context ?? {})).toEqual(['claim']);
    expect(claimTag.read(context!.claim!)).toEqual(ref);
  });

  it("keeps only the provider's error name, never its message (it can quote the number); a refusal is permanent", async () => {
    smsVoice.on(SendTextMessageCommand).rejects(new ValidationException({ message: `Destination ${PHONE} is not valid`, $metadata: {}, Reason: 'INVALID_PARAMETER' }));
    const error = await sender().send({ to: PHONE, text: 'x', senderId: 'BHXH', claim: ref }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoticeDeliveryError);
    expect((error as NoticeDeliveryError).sesError).toBe('ValidationException');
    expect(JSON.stringify({ message: (error as Error).message, ...(error as object) })).not.toContain('912345678');
    expect(failureStatus('ValidationException')).toBe('failed-permanent');
  });

  it('names throttling so that deliver-once keeps the message pending (retried), not failed', async () => {
    smsVoice.on(SendTextMessageCommand).rejects(new ThrottlingException({ message: 'Rate exceeded', $metadata: {} }));
    const completions: unknown[] = [];
    const claims = { claim: async () => 'claimed', complete: async (_: MessageRef, c: unknown) => { completions.push(c); } } as unknown as ClaimStore;
    const sms = sender();
    const result = await deliverOnce({ claims, clock: fixedClock(() => new Date('2026-11-15T01:00:00Z')) }, policyFor('2026-11-15'), ref, 15, async () => ({
      send: (claim) => sms.send({ to: PHONE, text: 'x', senderId: 'BHXH', claim }),
    }));
    expect(result).toEqual({ delivery: 'pending', providerError: 'ThrottlingException' });
    // Released for the next run, not settled.
    expect(completions).toEqual([{ status: 'failed', providerError: 'ThrottlingException' }]);
  });
});

/** An End User Messaging SMS event record, as the documentation's sample, for this message. */
const eventRecord = (eventType: string, over: Record<string, unknown> = {}) => ({
  eventType, eventVersion: '1.0', eventTimestamp: Date.parse('2026-11-15T01:00:05Z'), isFinal: eventType !== 'TEXT_SENT',
  originationPhoneNumber: 'BHXH', destinationPhoneNumber: '+84912345678', isoCountryCode: 'VN', mcc: '452', mnc: '04',
  messageId: 'eum-42', messageRequestTimestamp: Date.parse('2026-11-15T01:00:00Z'), messageEncoding: 'GSM', messageType: 'TRANSACTIONAL',
  messageStatus: eventType.replace(/^TEXT_/, ''), messageStatusDescription: 'Message has been accepted by phone carrier',
  context: { claim: claimTag.of(ref) }, totalMessageParts: 1, totalMessagePrice: 0.02, totalCarrierFee: 0, ...over,
});
const sns = (...messages: (string | object)[]) => ({ Records: messages.map((m) => ({ Sns: { Message: typeof m === 'string' ? m : JSON.stringify(m) } })) });
const updates = () => db.commandCalls(UpdateCommand).map((c) => c.args[0].input);

describe('the sms-feedback handler', () => {
  beforeEach(() => {
    db.reset();
    db.on(UpdateCommand).resolves({});
  });

  it('maps every event type of the table to one kind of evidence', () => {
    expect(SMS_EVENT_TYPES).toEqual(expect.arrayContaining(['TEXT_SENT', 'TEXT_QUEUED', 'TEXT_SUCCESSFUL', 'TEXT_DELIVERED', 'TEXT_BLOCKED', 'TEXT_INVALID', 'TEXT_CARRIER_UNREACHABLE']));
    expect(new Set(Object.values(SMS_EVENT_EVIDENCE))).toEqual(new Set(['send', 'delivery', 'bounce', 'reject']));
  });

  it('a delivered event settles the claim as accepted (its worker may have died) and records the delivery beside it', async () => {
    expect(await handler(sns(eventRecord('TEXT_DELIVERED')), context)).toEqual({ evidence: 1, noClaim: 0, unknownClaim: 0, malformed: 0 });
    const [accepted, settled, delivered] = updates();
    expect(accepted).toMatchObject({ Key: claimKey(ref), ExpressionAttributeValues: { ':at': '2026-11-15T01:00:00.000Z', ':id': 'eum-42' } });
    expect(settled).toMatchObject({ Key: claimKey(ref), ConditionExpression: '#s IN (:claimed, :failed)', ExpressionAttributeValues: expect.objectContaining({ ':sent': 'sent' }) });
    expect(delivered).toMatchObject({ Key: claimKey(ref), UpdateExpression: expect.stringContaining('deliveredAt'), ExpressionAttributeValues: { ':at': '2026-11-15T01:00:05.000Z', ':d': 'TEXT_DELIVERED' } });
  });

  it('a blocked event is a reject and an unreachable one a bounce, each beside the acceptance', async () => {
    await handler(sns(eventRecord('TEXT_CARRIER_BLOCKED'), eventRecord('TEXT_UNREACHABLE')), context);
    const fields = updates().map((u) => /SET (\w+) = :at/.exec(String(u.UpdateExpression))?.[1]);
    expect(fields).toEqual(['acceptedAt', undefined, 'rejectedAt', 'acceptedAt', undefined, 'bouncedAt']);
  });

  it('reports an event without a readable claim by its message id (never the number), a malformed record by position, and records the rest', async () => {
    const warn = vi.spyOn(logger, 'warn');
    const result = await handler(sns(
      eventRecord('TEXT_SENT', { context: undefined, messageId: 'eum-no-claim' }),
      eventRecord('TEXT_SENT', { context: { claim: 'not-a-claim' }, messageId: 'eum-bad-claim' }),
      '{"eventType": "TEXT_SENT", "destinationPhoneNumber": "+84912345678"',
      eventRecord('TEXT_SENT', { messageId: undefined }),
      { notificationType: 'Bounce' },
      eventRecord('TEXT_SENT'),
    ), context);
    expect(result).toEqual({ evidence: 1, noClaim: 2, unknownClaim: 0, malformed: 3 });
    // The good one went through.
    expect(updates().map((u) => u.Key)).toEqual([claimKey(ref), claimKey(ref)]);
    const logged = JSON.stringify(warn.mock.calls);
    expect(logged).toContain('eum-no-claim');
    expect(logged).toContain('eum-bad-claim');
    expect(warn.mock.calls.filter(([m]) => m === 'SMS event not readable').map(([, a]) => (a as { record: number }).record)).toEqual([2, 3, 4]);
    expect(logged).not.toContain('912345678');
    warn.mockRestore();
  });

  it('an event whose claim is not in the table is reported, and records nothing more', async () => {
    db.on(UpdateCommand).rejects(new ConditionalCheckFailedException({ message: 'no such item', $metadata: {} }));
    expect(await handler(sns(eventRecord('TEXT_DELIVERED')), context)).toEqual({ evidence: 0, noClaim: 0, unknownClaim: 1, malformed: 0 });
    expect(updates()).toHaveLength(1);
  });
});
