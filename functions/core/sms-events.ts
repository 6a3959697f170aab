import type { EvidenceKind } from './claim-rule.ts';

/**
 * What each AWS End User Messaging SMS event says of a reminder SMS, as evidence on its claim: the
 * one table the configuration set's event destination subscribes from (infra/constructs/messaging.ts)
 * and the sms-feedback function reads by (steps/delivery-feedback.ts).
 *
 * | event type | evidence | meaning |
 * |---|---|---|
 * | TEXT_QUEUED, TEXT_PENDING, TEXT_SENT | send | accepted, on its way to the carrier |
 * | TEXT_SUCCESSFUL, TEXT_DELIVERED | delivery | the carrier took it / the handset got it |
 * | TEXT_UNREACHABLE, TEXT_CARRIER_UNREACHABLE, TEXT_TTL_EXPIRED, TEXT_UNKNOWN | bounce | it could not reach the handset |
 * | TEXT_BLOCKED, TEXT_CARRIER_BLOCKED, TEXT_SPAM, TEXT_PROTECT_BLOCKED, TEXT_INVALID, TEXT_INVALID_MESSAGE | reject | refused: blocked, filtered, not a valid number or body |
 *
 * Every one of them also means the provider accepted the request (it had answered with the event's
 * message id), so each is recorded as `send` first: a claim whose worker died after SendTextMessage
 * is settled by whichever event comes, in whatever order.
 */
export const SMS_EVENT_EVIDENCE = {
  TEXT_QUEUED: 'send',
  TEXT_PENDING: 'send',
  TEXT_SENT: 'send',
  TEXT_SUCCESSFUL: 'delivery',
  TEXT_DELIVERED: 'delivery',
  TEXT_UNREACHABLE: 'bounce',
  TEXT_CARRIER_UNREACHABLE: 'bounce',
  TEXT_TTL_EXPIRED: 'bounce',
  TEXT_UNKNOWN: 'bounce',
  TEXT_BLOCKED: 'reject',
  TEXT_CARRIER_BLOCKED: 'reject',
  TEXT_SPAM: 'reject',
  TEXT_PROTECT_BLOCKED: 'reject',
  TEXT_INVALID: 'reject',
  TEXT_INVALID_MESSAGE: 'reject',
} as const satisfies Record<string, EvidenceKind>;

export type SmsEventType = keyof typeof SMS_EVENT_EVIDENCE;
export const SMS_EVENT_TYPES = Object.keys(SMS_EVENT_EVIDENCE) as SmsEventType[];

/** The evidence an event type gives, or undefined for a type this table does not know (a newer one). */
export function smsEvidenceOf(eventType: string): EvidenceKind | undefined {
  return Object.hasOwn(SMS_EVENT_EVIDENCE, eventType) ? SMS_EVENT_EVIDENCE[eventType as SmsEventType] : undefined;
}
