/**
 * The one rule for every message the product sends (urging notice, statement, pre-disclosure
 * notice, payment confirmation, officer email, manager email, reminder): claim → send → complete. A conditional
 * write takes the claim, so of any number of workers one sends. The statuses, and which of them a
 * new claim may take over, are defined here once; the DynamoDB adapter builds its condition from
 * the same lists.
 *
 * - `claimed`: a worker is sending it (or crashed while sending: see `staleBefore`).
 * - `sent`: the provider accepted it (SES or End User Messaging SMS answered with a message id, or its send event
 *   says so). Delivery and bounces are recorded beside it as evidence, the status stays `sent`.
 * - `failed`: the provider failed or throttled: nothing went out, it may be sent again at once.
 * - `failed-permanent`: the provider refused this message (a bad address): sending again would fail again.
 * - `held`, `not-needed`: nothing went out, the unit was on hold or no longer owed; decided again next time.
 * - `lapsed`: what went out no longer stands (a pre-disclosure notice after the unit paid).
 * - `abandoned`: a stale claim with no evidence of acceptance, of a kind the policy sends at most once.
 */
/** Every kind of message claimed through the one rule. */
export const MESSAGE_KINDS = ['urging', 'statement', 'pre-disclosure', 'payment-confirmation', 'officer-email', 'manager-email', 'reminder', 'employee-notice', 'employees-informed'] as const;
export type MessageKindName = (typeof MESSAGE_KINDS)[number];

export const CLAIM_STATUSES = ['claimed', 'sent', 'failed', 'failed-permanent', 'held', 'not-needed', 'lapsed', 'abandoned'] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];

/** Nothing went out (failed, held back, not needed) or what went out no longer stands (lapsed): claim again at once. */
export const CLAIMABLE_AGAIN = ['failed', 'held', 'not-needed', 'lapsed'] as const satisfies readonly ClaimStatus[];

/**
 * What to do with a stale claim that has no evidence of acceptance (the worker died between the
 * claim and the provider's answer, and no send event came): `resend` (at least once: the message
 * matters more than a rare duplicate) or `give-up` (at most once: it is marked abandoned and counted).
 */
export type WhenUnsure = 'resend' | 'give-up';

/** What a claim attempt found: ours to send, sent already, another worker's fresh claim, refused for good by the provider, or given up. */
export type ClaimResult = 'claimed' | 'already-sent' | 'in-progress' | 'refused' | 'abandoned';

/**
 * What a provider's event says of a message it was given: it accepted it (`send`), the recipient
 * got it (`delivery`), it could not reach them (`bounce`), it refused it (`reject`). SES's
 * configuration-set events and End User Messaging SMS's events (core/sms-events.ts) both map here.
 */
export const EVIDENCE_KINDS = ['send', 'delivery', 'bounce', 'reject'] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

/** A claim older than this instant was left by a crashed worker and may be taken over. */
export function staleBefore(now: Date, staleAfterMinutes: number): string {
  return new Date(now.getTime() - staleAfterMinutes * 60_000).toISOString();
}

/** The rule itself, over the claim found (if any): what an attempt at `now` gets. */
export function claimOutcome(
  existing: { status: ClaimStatus; claimedAt: string } | undefined, now: Date, staleAfterMinutes: number, whenUnsure: WhenUnsure = 'resend',
): ClaimResult {
  if (!existing) return 'claimed';
  if ((CLAIMABLE_AGAIN as readonly ClaimStatus[]).includes(existing.status)) return 'claimed';
  if (existing.status === 'claimed') {
    if (existing.claimedAt >= staleBefore(now, staleAfterMinutes)) return 'in-progress';
    return whenUnsure === 'resend' ? 'claimed' : 'abandoned';
  }
  if (existing.status === 'abandoned') return 'abandoned';
  if (existing.status === 'failed-permanent') return 'refused';
  return 'already-sent';
}

/**
 * A reminder's phone message whose earlier ZNS attempt may have been accepted (its worker died
 * during the call), now refused by ZNS: it is not sent by SMS as well, and not tried again.
 */
export const ZNS_UNSURE = 'ZnsUnsureNoFallback';

/**
 * Provider errors that mean "never this message": sending it again would be refused again. SES's,
 * and End User Messaging SMS's ValidationException (a destination or body it will not take).
 */
const PERMANENT = new Set(['MessageRejected', 'InvalidParameterValue', 'InvalidParameter', 'InvalidParameterException', 'ValidationException', ZNS_UNSURE]);

/** How a provider's failure is recorded on the claim, by the error's name alone. */
export function failureStatus(providerError: string): 'failed' | 'failed-permanent' {
  // Outages, throttling and unknown errors are retried: a message is not given up on a guess.
  return PERMANENT.has(providerError) ? 'failed-permanent' : 'failed';
}

/** Throttling is not a failure: the message waits for the redrive and is counted as pending. */
export function isThrottling(providerError: string): boolean {
  return providerError === 'Throttling' || providerError === 'ThrottlingException' || providerError === 'TooManyRequestsException';
}
