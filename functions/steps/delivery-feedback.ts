import { z } from 'zod';
import { toGsm7 } from '../core/sms.ts';
import { type Ports } from '../commons/deps.ts';
import { logger } from '../commons/logger.ts';
import { addressHash } from '../commons/sms-sender.ts';
import { claimTag, type ProviderEvidence } from '../commons/message-claims.ts';

/**
 * What comes back from the channels: SES bounce and complaint notifications (an SNS topic the
 * sending identity publishes to) suppress the address; a STOP reply to a reminder SMS (two-way
 * SMS, published to an SNS topic) opts the phone number out. The run checks both before each send.
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
