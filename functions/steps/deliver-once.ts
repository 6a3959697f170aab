import { failureStatus, isThrottling, type ClaimResult } from '../core/claim-rule.ts';
import type { Delivery } from '../core/delivery-tally.ts';
import type { Policy } from '../core/policy.ts';
import type { Ports } from '../commons/deps.ts';
import { NoticeDeliveryError } from '../commons/errors.ts';
import { logger } from '../commons/logger.ts';
import type { ClaimCompletion, MessageRef } from '../commons/message-claims.ts';

export type { Delivery } from '../core/delivery-tally.ts';

/** What a step prepares once it holds the claim: send this, or do not (and why). */
export type Prepared =
  | { skip: 'notNeeded' | 'held' | 'badRecord' }
  | { send(claim: MessageRef): Promise<string | Sent>; evidence?: Evidence };

type Evidence = Omit<ClaimCompletion, 'status' | 'messageId' | 'sentAt'>;
/** A send that knows more than the message id once it is done: which channel delivered it (ZNS, else SMS) and its evidence. */
export interface Sent {
  messageId: string;
  evidence?: Evidence | undefined;
}

/**
 * How each delivery ended (core/delivery-tally.ts): `sent` now or `alreadySent` before; `inProgress`
 * (another worker's fresh claim); `notNeeded`, `held`; `badRecord` (reported by key); `pending`
 * (throttled: the redrive sends it); `failed` (retryable); `refused` (for good); `abandoned`.
 */
const NOT_OURS: Record<Exclude<ClaimResult, 'claimed'>, Delivery> = {
  'already-sent': 'alreadySent', 'in-progress': 'inProgress', refused: 'refused', abandoned: 'abandoned',
};

/**
 * The one way a message goes out: claim it (core/claim-rule.ts), prepare it from fresh data
 * (`prepare` runs only while the claim is ours), send it with its claim key, record how it ended.
 * A provider failure releases the claim (`failed`, sent again by a retry or the redrive) or
 * settles it (`failed-permanent`); anything else thrown releases it and is thrown on.
 */
export interface DeliveryResult {
  delivery: Delivery;
  /** The provider's message id, when it was sent now. */
  messageId?: string | undefined;
  /** The provider's error name, when it failed or refused it now. */
  providerError?: string | undefined;
  /** What the claim recorded of the send, when it was sent now. */
  evidence?: Evidence | undefined;
}

export async function deliverOnce(
  deps: Ports<'claims' | 'clock'>, policy: Pick<Policy, 'delivery'>, ref: MessageRef, staleAfterMinutes: number, prepare: () => Promise<Prepared>,
): Promise<DeliveryResult> {
  const claim = await deps.claims.claim(ref, deps.clock.now(), staleAfterMinutes, policy.delivery[ref.message].whenUnsure);
  if (claim !== 'claimed') return { delivery: NOT_OURS[claim] };
  let prepared: Prepared;
  try {
    prepared = await prepare();
  } catch (error) {
    await deps.claims.complete(ref, { status: 'failed' });
    throw error;
  }
  if ('skip' in prepared) {
    // A bad record is released: once it is corrected, the next run sends it.
    await deps.claims.complete(ref, { status: prepared.skip === 'badRecord' ? 'failed' : prepared.skip === 'held' ? 'held' : 'not-needed' });
    return { delivery: prepared.skip };
  }
  let sent: string | Sent;
  try {
    sent = await prepared.send(ref);
  } catch (error) {
    if (!(error instanceof NoticeDeliveryError)) {
      await deps.claims.complete(ref, { status: 'failed' });
      throw error;
    }
    const status = failureStatus(error.sesError);
    await deps.claims.complete(ref, { status, providerError: error.sesError });
    // The kind and the provider's error name only: a reminder's reference carries an SI code.
    logger.warn('Message not sent', { message: ref.message, providerError: error.sesError, status });
    const delivery = status === 'failed-permanent' ? 'refused' : isThrottling(error.sesError) ? 'pending' : 'failed';
    return { delivery, providerError: error.sesError };
  }
  const { messageId, evidence: more } = typeof sent === 'string' ? { messageId: sent, evidence: undefined } : sent;
  const evidence = { ...prepared.evidence, ...more };
  await deps.claims.complete(ref, { status: 'sent', sentAt: deps.clock.now().toISOString(), messageId, ...evidence });
  return { delivery: 'sent', messageId, evidence };
}
