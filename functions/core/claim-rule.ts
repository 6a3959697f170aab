/**
 * The one rule for claiming a message before it is sent (urging notice, statement, pre-disclosure
 * notice, reminder): a conditional write takes the claim, so of any number of workers one sends.
 * The statuses, and which of them a new claim may take over, are defined here once; the DynamoDB
 * adapter builds its condition from the same lists.
 */
export const CLAIM_STATUSES = ['claimed', 'sent', 'failed', 'held', 'not-needed', 'lapsed'] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];

/** Nothing went out (failed, held back, not needed) or what went out no longer stands (lapsed): claim again at once. */
export const CLAIMABLE_AGAIN = ['failed', 'held', 'not-needed', 'lapsed'] as const satisfies readonly ClaimStatus[];

/** What a claim attempt found: the claim is ours, the message went out already, or another worker holds a fresh claim. */
export type ClaimResult = 'claimed' | 'already-sent' | 'in-progress';

/** A claim older than this instant was left by a crashed worker and may be taken over. */
export function staleBefore(now: Date, staleAfterMinutes: number): string {
  return new Date(now.getTime() - staleAfterMinutes * 60_000).toISOString();
}

/** The rule itself, over the claim found (if any): what an attempt at `now` gets. */
export function claimOutcome(existing: { status: ClaimStatus; claimedAt: string } | undefined, now: Date, staleAfterMinutes: number): ClaimResult {
  if (!existing) return 'claimed';
  if ((CLAIMABLE_AGAIN as readonly ClaimStatus[]).includes(existing.status)) return 'claimed';
  if (existing.status === 'claimed') return existing.claimedAt < staleBefore(now, staleAfterMinutes) ? 'claimed' : 'in-progress';
  return 'already-sent';
}
