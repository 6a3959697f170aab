import { z } from 'zod';
import { toGsm7 } from '../core/sms.ts';
import { smsEvidenceOf } from '../core/sms-events.ts';
import { type Ports } from '../commons/deps.ts';
import { logger } from '../commons/logger.ts';
import { addressHash } from '../commons/sms-sender.ts';
import { claimTag, type ProviderEvidence } from '../commons/message-claims.ts';
import { ZNS_RECEIVED, type ZnsWebhookEvent } from '../commons/zns-webhook.ts';

/**
 * What comes back from the channels: SES bounce and complaint notifications (an SNS topic the
 * sending identity publishes to) suppress the address; a STOP reply to a reminder SMS (two-way
 * SMS, published to an SNS topic) opts the phone number out. The run checks both before each send.
 * SES's configuration-set events and End User Messaging SMS's events are recorded on the claims.
 */

/** The SNS event a subscribed Lambda receives. */
export const snsEventSchema = z.object({
  Records: z.array(z.object({ Sns: z.object({ Message: z.string() }) })).min(1),
});
export type SnsEvent = z.infer<typeof snsEventSchema>;

/**
 * An SES notification: an identity's (`notificationType`) or a configuration set's event
 * (`eventType`: Send, Delivery, Bounce, Complaint, Reject), whose `mail.tags` carry the message's claim.
 */
const sesNotificationSchema = z.object({
  notificationType: z.string().optional(),
  eventType: z.string().optional(),
  mail: z.object({ messageId: z.string(), timestamp: z.string(), tags: z.record(z.string(), z.array(z.string())).optional() }).optional(),
  delivery: z.object({ timestamp: z.string() }).optional(),
  reject: z.object({ reason: z.string() }).optional(),
  bounce: z.object({ bounceType: z.string(), bouncedRecipients: z.array(z.object({ emailAddress: z.string() })) }).optional(),
  complaint: z.object({ complainedRecipients: z.array(z.object({ emailAddress: z.string() })) }).optional(),
});

const inboundSmsSchema = z.object({ originationNumber: z.string(), messageBody: z.string() });

const EVIDENCE: Record<string, ProviderEvidence['event']> = { Send: 'send', Delivery: 'delivery', Bounce: 'bounce', Reject: 'reject' };

/**
 * What SES says of each message: its send, delivery, bounce and reject events are recorded on the
 * message's claim (found by its `claim` tag), so a message accepted just before its worker died is
 * known to be sent and is not sent again. Permanent bounces (a full mailbox is tried again) and
 * complaints also suppress the address for reminders.
 */
export async function recordEmailFeedback(
  deps: Ports<'reminders' | 'claims' | 'clock' | 'policyFor'>, event: SnsEvent,
): Promise<{ suppressed: number; evidence: number; ignored: number }> {
  const store = deps.reminders;
  let suppressed = 0;
  let evidence = 0;
  let ignored = 0;
  for (const record of event.Records) {
    const parsed = sesNotificationSchema.safeParse(safeJson(record.Sns.Message));
    if (!parsed.success) { ignored++; continue; }
    const n = parsed.data;
    const type = n.eventType ?? n.notificationType ?? '';
    const tag = n.mail?.tags?.[claimTag.NAME]?.[0];
    const ref = tag ? claimTag.read(tag) : undefined;
    if (ref && n.mail && EVIDENCE[type]) {
      const detail = type === 'Bounce' ? n.bounce?.bounceType : type === 'Reject' ? n.reject?.reason : undefined;
      const at = type === 'Delivery' ? n.delivery?.timestamp ?? n.mail.timestamp : n.mail.timestamp;
      if (await deps.claims.recordEvidence(ref, { event: EVIDENCE[type]!, at, messageId: n.mail.messageId, detail })) evidence++;
    }
    const addresses = type === 'Bounce' && n.bounce?.bounceType === 'Permanent'
      ? n.bounce.bouncedRecipients.map((r) => ({ address: r.emailAddress, reason: 'bounce' as const }))
      : type === 'Complaint' && n.complaint ? n.complaint.complainedRecipients.map((r) => ({ address: r.emailAddress, reason: 'complaint' as const })) : [];
    if (addresses.length === 0 && !ref) ignored++;
    for (const { address, reason } of addresses) {
      await store.putSuppression({ channel: 'email', addressHash: addressHash('email', address), reason, at: deps.clock.now().toISOString() });
      suppressed++;
    }
  }
  logger.info('Email feedback recorded', { suppressed, evidence, ignored });
  return { suppressed, evidence, ignored };
}

/**
 * An AWS End User Messaging SMS event record (the body of the SNS message its configuration set
 * publishes): only the fields read here. The numbers it also carries are never read nor logged.
 */
const smsEventSchema = z.object({
  eventType: z.string().regex(/^TEXT_[A-Z_]+$/),
  eventTimestamp: z.number().int().nonnegative(),
  messageId: z.string().min(1),
  messageRequestTimestamp: z.number().int().nonnegative().optional(),
  context: z.record(z.string(), z.string()).optional(),
});

export interface SmsFeedbackSummary {
  /** Events recorded on their claim. */
  evidence: number;
  /** Events whose context carries no readable claim (reported by message id). */
  noClaim: number;
  /** Events whose claim is not in the table (reported by message id). */
  unknownClaim: number;
  /** Records that are not an SMS event (reported by position and reason). */
  malformed: number;
}

/**
 * What End User Messaging SMS says of each reminder SMS (the table in core/sms-events.ts), recorded
 * on the message's claim found by its `claim` context: any event means the provider had accepted
 * the message, so a claim whose worker died after SendTextMessage becomes `sent` and is not sent
 * again; delivery, bounce or reject is recorded beside it. A record that cannot be read, or names
 * no claim, is reported and the rest of the batch goes on.
 */
export async function recordSmsFeedback(deps: Ports<'claims'>, event: SnsEvent): Promise<SmsFeedbackSummary> {
  const s: SmsFeedbackSummary = { evidence: 0, noClaim: 0, unknownClaim: 0, malformed: 0 };
  for (const [i, record] of event.Records.entries()) {
    const parsed = smsEventSchema.safeParse(safeJson(record.Sns.Message));
    if (!parsed.success) {
      s.malformed++;
      // The paths and reasons only: the values could be a phone number.
      logger.warn('SMS event not readable', { record: i, reason: parsed.error.issues.map((x) => `${x.path.join('.') || '(record)'}: ${x.code}`).join('; ') });
      continue;
    }
    const e = parsed.data;
    const tag = e.context?.[claimTag.NAME];
    const ref = tag ? claimTag.read(tag) : undefined;
    if (!ref) {
      s.noClaim++;
      logger.warn('SMS event without a readable claim', { messageId: e.messageId, eventType: e.eventType });
      continue;
    }
    const accepted = { event: 'send' as const, at: new Date(e.messageRequestTimestamp ?? e.eventTimestamp).toISOString(), messageId: e.messageId };
    if (!(await deps.claims.recordEvidence(ref, accepted))) {
      s.unknownClaim++;
      logger.warn('SMS event for a claim not in the table', { messageId: e.messageId, eventType: e.eventType, message: ref.message });
      continue;
    }
    const kind = smsEvidenceOf(e.eventType);
    // A type the table does not know yet still proves acceptance; it is named so the table can learn it.
    if (!kind) logger.warn('SMS event type not in the evidence table: recorded as accepted only', { messageId: e.messageId, eventType: e.eventType });
    else if (kind !== 'send') {
      await deps.claims.recordEvidence(ref, { event: kind, at: new Date(e.eventTimestamp).toISOString(), messageId: e.messageId, detail: e.eventType });
    }
    s.evidence++;
  }
  logger.info('SMS feedback recorded', { ...s });
  return s;
}

/** A reply whose first words are a stop word of the policy (STOP, TU CHOI, HUY...) opts the number out of reminder SMS. */
export async function recordSmsReply(deps: Ports<'reminders' | 'clock' | 'policyFor'>, event: SnsEvent): Promise<{ optedOut: number; ignored: number }> {
  const store = deps.reminders;
  const words = deps.policyFor(deps.clock.today()).reminders.stopWords;
  let optedOut = 0;
  let ignored = 0;
  for (const record of event.Records) {
    const parsed = inboundSmsSchema.safeParse(safeJson(record.Sns.Message));
    const text = parsed.success ? toGsm7(parsed.data.messageBody).trim().toUpperCase().replace(/\s+/g, ' ') : '';
    if (!parsed.success || !words.some((w) => text === w || text.startsWith(`${w} `))) { ignored++; continue; }
    await store.putSuppression({ channel: 'sms', addressHash: addressHash('sms', parsed.data.originationNumber), reason: 'stop-reply', at: deps.clock.now().toISOString() });
    optedOut++;
  }
  // Never the number or the text.
  logger.info('SMS replies read', { optedOut, ignored });
  return { optedOut, ignored };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export interface ZnsFeedbackSummary {
  /** `user_received_message` events recorded on their attempt. */
  evidence: number;
  /** Received events with no tracking id (a message not sent by this system). */
  noTracking: number;
  /** Received events whose tracking id is no attempt in the table (reported by message id). */
  unknownAttempt: number;
  /** Other events of the Official Account (follows, replies...): not read here. */
  ignored: number;
}

/**
 * What Zalo's webhook says of a ZNS reminder (commons/zns-webhook.ts): `user_received_message`
 * makes its attempt, found by the tracking id it was sent with, `accepted`; a claim whose worker
 * died after Zalo took the message is then settled from it and never sent again. The events are
 * read already checked (signature, app id) by the handler; other event names are counted only.
 */
export async function recordZnsFeedback(deps: Ports<'reminders'>, events: readonly ZnsWebhookEvent[]): Promise<ZnsFeedbackSummary> {
  const s: ZnsFeedbackSummary = { evidence: 0, noTracking: 0, unknownAttempt: 0, ignored: 0 };
  for (const e of events) {
    if (e.event_name !== ZNS_RECEIVED) { s.ignored++; continue; }
    const trackingId = e.message?.tracking_id;
    if (!trackingId) {
      s.noTracking++;
      logger.warn('ZNS received event without a tracking id', { msgId: e.message?.msg_id });
      continue;
    }
    const at = new Date(Number(e.message?.delivery_time ?? e.timestamp)).toISOString();
    if (await deps.reminders.recordZnsReceived(trackingId, { msgId: e.message?.msg_id, at })) s.evidence++;
    else {
      s.unknownAttempt++;
      logger.warn('ZNS received event for no known attempt', { msgId: e.message?.msg_id, trackingId });
    }
  }
  // Never the phone: Zalo's events name the user by id only, and that is not logged either.
  logger.info('ZNS feedback recorded', { ...s });
  return s;
}
