import { createHash } from 'node:crypto';
import { ZNS_UNSURE } from '../core/claim-rule.ts';
import type { PhoneRoute } from '../core/channel-choice.ts';
import { type Ports } from '../commons/deps.ts';
import { NoticeDeliveryError } from '../commons/errors.ts';
import { logger } from '../commons/logger.ts';
import { claimKey, type MessageRef } from '../commons/message-claims.ts';
import type { Sms } from '../commons/sms-sender.ts';
import { ZnsError, znsTrackingId } from '../commons/zns-sender.ts';
import type { Sent } from './deliver-once.ts';

/**
 * A reminder's phone message, sent under its claim (steps/deliver-once.ts): by Zalo ZNS first when
 * the route says so, by SMS when ZNS refuses it for good; the result names the channel that
 * delivered it, which the claim records. One message reaches the person once:
 *
 * - ZNS carries the claim's tracking id (a hash of the claim key) and the attempt is recorded under
 *   it before Zalo is called (`sending`) and after (`accepted`, `refused`, `failed`).
 * - Zalo's webhook event of the message (user_received_message, with its tracking id) makes the
 *   record `accepted` (steps/delivery-feedback.ts), whatever the worker managed to write.
 * - A claim taken over (its worker died) reads that record first: `accepted` is the evidence that
 *   Zalo took it, and the claim is completed from it without sending anything; `refused` goes
 *   straight to SMS; `sending` with no event means Zalo may not have taken it: it is tried again
 *   by ZNS (at least once on the one channel, as the policy's `resend` asks), and falls back to SMS
 *   only when ZNS refuses it for a reason about the recipient (no Zalo account: the earlier attempt
 *   was refused too); any other refusal settles it as ZNS_UNSURE (at most a missed step, never two).
 * - A retryable ZNS failure (Zalo down, rate-limited) is not a refusal: the claim is released and
 *   the hourly rerun tries ZNS again, like any retryable failure.
 */
export async function sendPhoneMessage(
  deps: Ports<'reminders' | 'zns' | 'sms' | 'clock'>, claim: MessageRef, route: PhoneRoute, messages: { sms: Sms; params?: Record<string, string> | undefined },
): Promise<Sent> {
  const bySms = async (znsRefused?: string): Promise<Sent> => ({
    messageId: await deps.sms.send(messages.sms),
    evidence: { deliveredBy: 'sms', ...(znsRefused ? { znsRefused } : {}) },
  });
  if (route.first === 'sms') return bySms();

  const store = deps.reminders;
  const trackingId = znsTrackingId(claimKey(claim));
  const params = messages.params ?? {};
  const prior = await store.znsAttempt(trackingId);
  const evidence = { deliveredBy: 'zns' as const, trackingId, contentSha256: createHash('sha256').update(JSON.stringify({ t: route.template.templateId, params })).digest('hex') };
  if (prior?.status === 'accepted') return { messageId: prior.msgId ?? 'unknown', evidence };
  // Refused after an attempt of unknown outcome: never by SMS as well (the claim settles as ZNS_UNSURE).
  if (prior?.status === 'refused' && prior.unsure) throw new NoticeDeliveryError(ZNS_UNSURE);
  if (prior?.status === 'refused') return bySms(prior.reason);

  const unsure = prior?.status === 'sending' || prior?.unsure === true;
  const at = () => deps.clock.now().toISOString();
  // Each write yields to Zalo's webhook: once it said the message reached the person, that stands.
  const acceptedAfterAll = async (): Promise<Sent> => ({ messageId: (await store.znsAttempt(trackingId))?.msgId ?? 'unknown', evidence });
  if (!(await store.putZnsAttempt({ trackingId, status: 'sending', at: at(), ...(unsure ? { unsure } : {}) }))) return acceptedAfterAll();
  let msgId: string;
  try {
    msgId = await deps.zns.send({ templateId: route.template.templateId, phone: messages.sms.to, params, trackingId });
  } catch (error) {
    if (!(error instanceof ZnsError)) throw error;
    if (error.kind === 'retryable') {
      if (!(await store.putZnsAttempt({ trackingId, status: 'failed', at: at(), reason: error.reason, ...(unsure ? { unsure } : {}) }))) return acceptedAfterAll();
      throw new NoticeDeliveryError(`Zns:${error.reason}`);
    }
    if (unsure && !error.aboutRecipient) {
      // The earlier attempt may have reached them: no SMS as well.
      if (!(await store.putZnsAttempt({ trackingId, status: 'refused', at: at(), reason: error.reason, unsure }))) return acceptedAfterAll();
      logger.warn('ZNS refused a message whose earlier attempt is unknown: not sent by SMS', { reason: error.reason });
      throw new NoticeDeliveryError(ZNS_UNSURE);
    }
    // Refused for good; after an attempt of unknown outcome only for a reason about the recipient
    // (no Zalo account...), which refused that attempt too: nobody got it, the SMS goes.
    if (!(await store.putZnsAttempt({ trackingId, status: 'refused', at: at(), reason: error.reason }))) return acceptedAfterAll();
    return bySms(error.reason);
  }
  await store.putZnsAttempt({ trackingId, status: 'accepted', at: at(), msgId, ...(unsure ? { unsure } : {}) });
  return { messageId: msgId, evidence };
}
