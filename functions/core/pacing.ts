/**
 * Pacing calls to a quota that AWS enforces as a token bucket (Step Functions' StartExecution: a
 * bucket of 800 and 150 a second in ap-southeast-1), and backing off when it says "throttled".
 * Pure: time is a number of milliseconds passed in, randomness a function passed in.
 *
 * Two sides of one bucket:
 * - `reserve`, the caller's: every call gets a slot, in order; when the bucket is empty the slot is
 *   in the future (the caller waits that long), so a burst of calls is spread at the refill rate and
 *   none is refused. Tokens go below zero by the calls waiting.
 * - `tryTake`, the service's: a call with no token is refused (ThrottlingException), nothing queued.
 */
export interface TokenBucket {
  /** Most tokens held (the burst). */
  readonly capacity: number;
  /** Tokens added per second, up to the capacity. */
  readonly perSecond: number;
  /** Tokens now (below zero: calls already reserved ahead); fractional. */
  tokens: number;
  /** When `tokens` was last brought up to date (ms). */
  at: number;
}

/** A full bucket at `now`. */
export function tokenBucket(capacity: number, perSecond: number, now: number): TokenBucket {
  if (!(capacity >= 1) || !(perSecond > 0)) throw new Error(`A token bucket needs a capacity of at least 1 and a positive rate (got ${capacity}, ${perSecond})`);
  return { capacity, perSecond, tokens: capacity, at: now };
}

function refill(b: TokenBucket, now: number): void {
  if (now > b.at) {
    b.tokens = Math.min(b.capacity, b.tokens + ((now - b.at) / 1000) * b.perSecond);
    b.at = now;
  }
}

/** The caller's side: takes the next token, returning how long to wait (ms) before using it; 0 when one is there now. */
export function reserve(b: TokenBucket, now: number): number {
  refill(b, now);
  b.tokens -= 1;
  // Exact, not rounded up: a slot later than its token would let the service's full bucket waste refill.
  return b.tokens >= 0 ? 0 : (-b.tokens / b.perSecond) * 1000;
}

/**
 * The caller's side, told it was throttled anyway (someone else uses the same account's bucket):
 * what it thought it had is gone, so the calls behind it wait for the refill instead of piling on.
 */
export function drain(b: TokenBucket, now: number): void {
  refill(b, now);
  b.tokens = Math.min(b.tokens, 0);
}

/** The service's side: takes a token if there is one now; false (throttled) otherwise. */
export function tryTake(b: TokenBucket, now: number): boolean {
  refill(b, now);
  // A hair under one is one: the caller's slot, computed from the same rate, lands on it exactly.
  if (b.tokens < 1 - 1e-9) return false;
  b.tokens -= 1;
  return true;
}

export interface Backoff {
  /** The first retry's ceiling (ms). */
  baseMs: number;
  /** No wait above this (ms). */
  capMs: number;
  /** Attempts in all, the first included; the last one's error is thrown. */
  maxAttempts: number;
}

/**
 * "Full jitter" (AWS Architecture Blog, Exponential Backoff And Jitter): after the n-th failed
 * attempt (n from 1) wait a uniformly random time below min(cap, base · 2^(n-1)). Callers throttled
 * together spread out instead of coming back together.
 */
export function backoffDelayMs(failedAttempts: number, b: Pick<Backoff, 'baseMs' | 'capMs'>, random: () => number): number {
  const ceiling = Math.min(b.capMs, b.baseMs * 2 ** Math.max(0, failedAttempts - 1));
  return Math.floor(random() * ceiling);
}

/** The longest a caller can wait in backoff before its last attempt (every wait at its ceiling). */
export function worstBackoffMs(b: Backoff): number {
  let total = 0;
  for (let n = 1; n < b.maxAttempts; n++) total += Math.min(b.capMs, b.baseMs * 2 ** (n - 1));
  return total;
}
