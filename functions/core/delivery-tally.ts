/**
 * How each message's delivery ended, counted the same way in every run summary and metric:
 * what went out, what was not needed, what is bad data (reported by key), what waits for the
 * redrive (throttled, or the provider down), what the provider refused, what was given up.
 */
export const DELIVERIES = ['sent', 'alreadySent', 'inProgress', 'notNeeded', 'held', 'badRecord', 'pending', 'failed', 'refused', 'abandoned'] as const;
export type Delivery = (typeof DELIVERIES)[number];
export type DeliveryTally = Record<Delivery, number>;

export const emptyTally = (): DeliveryTally => Object.fromEntries(DELIVERIES.map((d) => [d, 0])) as DeliveryTally;

export function addTallies(a: DeliveryTally, b: DeliveryTally): DeliveryTally {
  return Object.fromEntries(DELIVERIES.map((d) => [d, a[d] + b[d]])) as DeliveryTally;
}

/** Not out, and not settled either: the redrive's work (and, past the deadline, the alarm's). */
export const STILL_DUE = ['pending', 'failed', 'inProgress'] as const satisfies readonly Delivery[];
export const stillDue = (t: DeliveryTally): number => STILL_DUE.reduce((n, d) => n + t[d], 0);
export const isStillDue = (d: Delivery): boolean => (STILL_DUE as readonly Delivery[]).includes(d);
/** Will not go out by itself: bad data to correct, a refused address, a message given up. */
export const needsAttention = (t: DeliveryTally): number => t.badRecord + t.refused + t.abandoned;
