import { toDayNumber, type IsoDate } from './dates.ts';

/**
 * Things that change by effective date (policy versions, interest rates, premium rates): a list
 * oldest first, each entry in force from its `effectiveFrom` until the next one's. The one place
 * that says which entry governs a date.
 */
export interface EffectiveDated {
  effectiveFrom: IsoDate;
}

/**
 * The entry in force on a date: the newest whose effective date is on or before it. A date before
 * the first entry falls under the first: arrears older than the rules configured are still
 * followed up, under the earliest of them.
 */
export function inForceOn<T extends EffectiveDated>(entries: readonly T[], date: IsoDate): T {
  if (entries.length === 0) throw new Error('Nothing is in force: the list of effective-dated entries is empty');
  let found = entries[0]!;
  for (const e of entries) if (e.effectiveFrom <= date) found = e;
  return found;
}

/**
 * The days each entry governs, as day numbers (dates.ts): from its effective date (the first entry
 * from the beginning of time, as `inForceOn` reads it) until the next entry's, exclusive; the last
 * one without end. For sums over a range of days, such as interest at each day's rate.
 */
export function spansOf<T extends EffectiveDated>(entries: readonly T[]): { entry: T; from: number; until: number }[] {
  return entries.map((entry, i) => ({
    entry,
    from: i === 0 ? -Infinity : toDayNumber(entry.effectiveFrom),
    until: i + 1 < entries.length ? toDayNumber(entries[i + 1]!.effectiveFrom) : Infinity,
  }));
}

/** The positions of the entries that do not take effect strictly after the one before (empty when in order). */
export function outOfOrder(entries: readonly EffectiveDated[]): number[] {
  return entries.flatMap((e, i) => (i > 0 && e.effectiveFrom <= entries[i - 1]!.effectiveFrom ? [i] : []));
}
