import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { inForceOn, outOfOrder, spansOf } from '../../functions/core/effective-date.ts';
import { fromDayNumber, toDayNumber } from '../../functions/core/dates.ts';
import { policyFor, POLICY_VERSIONS } from '../../functions/core/policy.ts';

/** Entries oldest first: distinct days, sorted, each with its position as a marker. */
const entriesArb = fc.uniqueArray(fc.integer({ min: 18_000, max: 22_000 }), { minLength: 1, maxLength: 8 })
  .map((days) => [...days].sort((a, b) => a - b).map((d, i) => ({ effectiveFrom: fromDayNumber(d), n: i })));
const dayArb = fc.integer({ min: 17_500, max: 22_500 });

describe('the entry in force on a date', () => {
  it('is the newest that took effect on or before the date, or the first for an earlier date', () => {
    fc.assert(fc.property(entriesArb, dayArb, (entries, day) => {
      const date = fromDayNumber(day);
      const started = entries.filter((e) => e.effectiveFrom <= date);
      return inForceOn(entries, date) === (started.at(-1) ?? entries[0]);
    }));
  });

  it('changes on each effective date, and only there', () => {
    fc.assert(fc.property(entriesArb, (entries) => entries.every((e, i) =>
      inForceOn(entries, e.effectiveFrom) === e
      && (i === 0 || inForceOn(entries, fromDayNumber(toDayNumber(e.effectiveFrom) - 1)) === entries[i - 1]))));
  });

  it('the spans cover every day once, each with the entry in force that day', () => {
    fc.assert(fc.property(entriesArb, dayArb, (entries, day) => {
      const holding = spansOf(entries).filter((s) => s.from <= day && day < s.until);
      return holding.length === 1 && holding[0]!.entry === inForceOn(entries, fromDayNumber(day));
    }));
  });

  it('finds entries out of order', () => {
    fc.assert(fc.property(entriesArb, (entries) => outOfOrder(entries).length === 0));
    const dates = (...d: string[]) => d.map((effectiveFrom) => ({ effectiveFrom }));
    expect(outOfOrder(dates('2025-07-01', '2025-07-01', '2026-01-01', '2025-12-31'))).toEqual([1, 3]);
    expect(() => inForceOn([], '2026-01-01')).toThrow(/empty/);
  });

  it('picks the policy version the same way', () => {
    expect(policyFor('2020-01-01')).toBe(POLICY_VERSIONS[0]);
    expect(policyFor('2026-11-02')).toBe(inForceOn(POLICY_VERSIONS, '2026-11-02'));
  });
});
