import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  addDays, addMonths, daysBetween, endOfLocalDay, fromDayNumber, isValidDate, lastDayOfPeriod, localDate, periodFromIndex, periodIndex, toDayNumber,
} from '../../functions/core/dates.ts';

const TZ = 'Asia/Ho_Chi_Minh';
const day = fc.integer({ min: toDayNumber('1990-01-01'), max: toDayNumber('2100-12-31') });

describe('calendar dates', () => {
  it('round-trips day numbers', () => {
    fc.assert(fc.property(day, (d) => toDayNumber(fromDayNumber(d)) === d && isValidDate(fromDayNumber(d))));
  });

  it('adds and subtracts days consistently', () => {
    fc.assert(fc.property(day, fc.integer({ min: -2000, max: 2000 }), (d, n) => daysBetween(fromDayNumber(d), addDays(fromDayNumber(d), n)) === n));
  });

  it('knows month ends and leap years', () => {
    expect(lastDayOfPeriod('2024-02')).toBe('2024-02-29');
    expect(lastDayOfPeriod('2026-02')).toBe('2026-02-28');
    expect(lastDayOfPeriod('2000-02')).toBe('2000-02-29');
    expect(lastDayOfPeriod('2100-02')).toBe('2100-02-28');
    expect(lastDayOfPeriod('2026-12')).toBe('2026-12-31');
    expect(isValidDate('2026-02-29')).toBe(false);
    expect(isValidDate('2026-02-30')).toBe(false);
    expect(isValidDate('2024-02-29')).toBe(true);
  });

  it('moves periods across year ends', () => {
    expect(addMonths('2026-11', 2)).toBe('2027-01');
    expect(addMonths('2026-01', -1)).toBe('2025-12');
    fc.assert(fc.property(fc.integer({ min: 1990 * 12, max: 2100 * 12 }), fc.integer({ min: -300, max: 300 }), (i, n) =>
      periodIndex(addMonths(periodFromIndex(i), n)) === i + n));
  });

  it('reads instants as Asia/Ho_Chi_Minh calendar dates, not UTC ones', () => {
    // 17:00 UTC is midnight in Hanoi: the date has already turned.
    expect(localDate(new Date('2026-10-31T16:59:59Z'), TZ)).toBe('2026-10-31');
    expect(localDate(new Date('2026-10-31T17:00:00Z'), TZ)).toBe('2026-11-01');
    expect(endOfLocalDay('2026-11-12', TZ).toISOString()).toBe('2026-11-12T17:00:00.000Z');
  });
});
