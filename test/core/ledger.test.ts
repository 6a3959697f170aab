import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ledgerStatus, monthlyDeadlinesPassed, type ContributionPeriod, type Payment } from '../../functions/core/ledger.ts';
import { POLICY_VERSIONS, deadlineOf, policySchema, type Policy } from '../../functions/core/policy.ts';
import { addDays, addMonths, fromDayNumber, toDayNumber } from '../../functions/core/dates.ts';

const policy = POLICY_VERSIONS.at(-1)!;
const RATE_PPM = policy.interest.rates.at(-1)!.dailyRatePpm;

function periods(first: string, amounts: number[]): ContributionPeriod[] {
  return amounts.map((amountDue, i) => {
    const period = addMonths(first, i);
    return { period, amountDue, dueDate: deadlineOf(period, policy) };
  });
}

const pay = (reference: string, paidOn: string, amount: number): Payment => ({ reference, paidOn, amount });

describe('ledger status', () => {
  it('an employer who paid every period on time owes nothing', () => {
    const ps = periods('2026-01', [10_000_000, 10_000_000, 10_000_000]);
    const payments = ps.map((p, i) => pay(`R${i}`, p.dueDate, p.amountDue));
    const s = ledgerStatus(ps, payments, '2026-11-02', policy);
    expect(s).toMatchObject({ debt: 0, overduePrincipal: 0, interestAccrued: 0, monthsOverdue: 0, oldestUnpaidPeriod: null, credit: 0 });
  });

  it('settles the oldest period first and treats a partly paid period as unpaid', () => {
    const ps = periods('2026-07', [10_000_000, 10_000_000, 10_000_000]);
    // 2026-07 due 2026-08-31, 2026-08 due 2026-09-30, 2026-09 due 2026-10-31.
    const s = ledgerStatus(ps, [pay('A', '2026-08-20', 15_000_000)], '2026-11-02', policy);
    expect(s.periods.map((p) => p.amountPaid)).toEqual([10_000_000, 5_000_000, 0]);
    expect(s.oldestUnpaidPeriod).toBe('2026-08');
    expect(s.monthsOverdue).toBe(2);
    expect(s.overduePrincipal).toBe(15_000_000);
    expect(s.allocations).toEqual([
      { reference: 'A', to: '2026-07', amount: 10_000_000 },
      { reference: 'A', to: '2026-08', amount: 5_000_000 },
    ]);
  });

  it('charges 0.03% a day on the late balance, truncated to whole dong per period', () => {
    const ps = periods('2026-09', [12_345_678]); // due 2026-10-31
    const s = ledgerStatus(ps, [], '2026-11-10', policy);
    expect(s.periods[0]!.daysLate).toBe(10);
    expect(s.interestAccrued).toBe(Math.floor((12_345_678 * 10 * 300) / 1_000_000)); // 37 037
    expect(s.debt).toBe(12_345_678 + 37_037);
  });

  it('accrues interest only on what stays unpaid after a part payment', () => {
    const ps = periods('2026-09', [10_000_000]); // due 2026-10-31
    const s = ledgerStatus(ps, [pay('A', '2026-11-05', 4_000_000)], '2026-11-15', policy);
    // 5 days on 10M, then 10 days on 6M.
    expect(s.interestAccrued).toBe(Math.floor((10_000_000 * 5 * 300 + 6_000_000 * 10 * 300) / 1_000_000));
  });

  it('puts money beyond principal towards interest, then keeps the rest as credit', () => {
    const ps = periods('2026-09', [10_000_000]);
    const late = ledgerStatus(ps, [pay('A', '2026-11-10', 10_100_000)], '2026-11-20', policy);
    // 10 days late on 10M = 30 000 interest; 100 000 paid beyond principal.
    expect(late.interestPaid).toBe(30_000);
    expect(late.credit).toBe(70_000);
    expect(late.debt).toBe(0);
  });

  it('ignores payments made after the status date', () => {
    const ps = periods('2026-09', [10_000_000]);
    const s = ledgerStatus(ps, [pay('A', '2026-11-20', 10_000_000)], '2026-11-10', policy);
    expect(s.overduePrincipal).toBe(10_000_000);
  });

  it('a period not yet past its deadline is not arrears', () => {
    const ps = periods('2026-10', [10_000_000]); // due 2026-11-30
    const s = ledgerStatus(ps, [], '2026-11-30', policy);
    expect(s).toMatchObject({ overduePrincipal: 0, notYetDue: 10_000_000, monthsOverdue: 0, debt: 0 });
  });
});

describe('ledger properties', () => {
  const ledgerArb = fc.record({
    amounts: fc.array(fc.integer({ min: 0, max: 500_000_000 }), { minLength: 1, maxLength: 30 }),
    firstIndex: fc.integer({ min: 2024 * 12, max: 2026 * 12 }),
    payments: fc.array(fc.record({ dayOffset: fc.integer({ min: 0, max: 1100 }), amount: fc.integer({ min: 1, max: 800_000_000 }) }), { maxLength: 30 }),
    asOfOffset: fc.integer({ min: 0, max: 1200 }),
  });
  const build = (l: { amounts: number[]; firstIndex: number; payments: { dayOffset: number; amount: number }[]; asOfOffset: number }) => {
    const first = `${Math.floor(l.firstIndex / 12)}-${String((l.firstIndex % 12) + 1).padStart(2, '0')}`;
    const ps = periods(first, l.amounts);
    const start = toDayNumber(`${first}-01`);
    const payments = l.payments.map((p, i) => pay(`P${i}`, fromDayNumber(start + p.dayOffset), p.amount));
    return { ps, payments, asOf: fromDayNumber(start + l.asOfOffset) };
  };

  it('every dong paid is allocated exactly once', () => {
    fc.assert(fc.property(ledgerArb, (l) => {
      const { ps, payments, asOf } = build(l);
      const s = ledgerStatus(ps, payments, asOf, policy);
      const allocated = s.allocations.reduce((a, x) => a + x.amount, 0);
      const principal = s.periods.reduce((a, p) => a + p.amountPaid, 0);
      return allocated === s.totalPaid && principal + s.interestPaid + s.credit === s.totalPaid;
    }));
  });

  it('never pays a later period while an earlier one has a balance (oldest first)', () => {
    fc.assert(fc.property(ledgerArb, (l) => {
      const { ps, payments, asOf } = build(l);
      const s = ledgerStatus(ps, payments, asOf, policy);
      const firstOpen = s.periods.findIndex((p) => p.balance > 0);
      return firstOpen === -1 || s.periods.slice(firstOpen + 1).every((p) => p.amountPaid === 0);
    }));
  });

  it('credit only exists when nothing is owed; money stays whole dong', () => {
    fc.assert(fc.property(ledgerArb, (l) => {
      const { ps, payments, asOf } = build(l);
      const s = ledgerStatus(ps, payments, asOf, policy);
      const whole = [s.debt, s.credit, s.interestAccrued, s.overduePrincipal].every(Number.isSafeInteger);
      return whole && (s.credit === 0 || (s.overduePrincipal === 0 && s.notYetDue === 0 && s.interestOutstanding === 0));
    }));
  });

  it('interest and months overdue never fall as time passes without payments', () => {
    fc.assert(fc.property(ledgerArb, fc.integer({ min: 1, max: 400 }), (l, later) => {
      const { ps, asOf } = build(l);
      const a = ledgerStatus(ps, [], asOf, policy);
      const b = ledgerStatus(ps, [], addDays(asOf, later), policy);
      return b.interestAccrued >= a.interestAccrued && b.monthsOverdue >= a.monthsOverdue;
    }));
  });

  it('a single unpaid period accrues exactly amount × days × rate', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 2_000_000_000 }), fc.integer({ min: 0, max: 2000 }), (amount, days) => {
      const ps = periods('2026-01', [amount]);
      const s = ledgerStatus(ps, [], addDays(ps[0]!.dueDate, days), policy);
      return s.interestAccrued === Number((BigInt(amount) * BigInt(days) * BigInt(RATE_PPM)) / 1_000_000n);
    }));
  });
});

/** The policy with the daily rate changing from `before` to `after` ppm on `changeOn`. */
function withRateChange(changeOn: string, before: number, after: number): Policy {
  const first = policy.interest.rates[0]!;
  return policySchema.parse({
    ...policy,
    interest: { ...policy.interest, rates: [{ ...first, dailyRatePpm: before }, { effectiveFrom: changeOn, dailyRatePpm: after, source: 'test: a new rate' }] },
  });
}

describe('interest when the rate changes inside a period', () => {
  it('charges each late day at the rate in effect that day, truncated once for the period', () => {
    // 2026-09 is due 2026-10-31: late from 2026-11-01. 0.03% until 2026-11-14, 0.05% from 2026-11-15.
    const twoRates = withRateChange('2026-11-15', 300, 500);
    const ps = periods('2026-09', [3_333_333]);
    const s = ledgerStatus(ps, [], '2026-11-20', twoRates);
    expect(s.periods[0]!.daysLate).toBe(20);
    // 14 days at 300 ppm and 6 days at 500 ppm: 13 999.9986 + 9 999.999 = 23 999.9976, so 23 999
    // (truncating each rate's share apart would give 23 998).
    expect(s.interestAccrued).toBe(23_999);
    expect(s.interestAccrued).toBe(Number((3_333_333n * (14n * 300n + 6n * 500n)) / 1_000_000n));
    expect(s.debt).toBe(3_333_333 + 23_999);
    // Under the old rate alone it would have been 20 days at 300 ppm.
    expect(ledgerStatus(ps, [], '2026-11-20', policy).interestAccrued).toBe(19_999);
  });

  it('charges the new rate on what a part payment left unpaid', () => {
    const twoRates = withRateChange('2026-11-15', 300, 500);
    const ps = periods('2026-09', [10_000_000]);
    // 10M late 2026-11-01..11-10 (10 days at 300, the payment's day still on the whole balance),
    // 4M paid on 11-10, then 6M for 11-11..11-14 (4 days at 300) and 11-15..11-20 (6 days at 500).
    const s = ledgerStatus(ps, [pay('A', '2026-11-10', 4_000_000)], '2026-11-20', twoRates);
    expect(s.interestAccrued).toBe((10_000_000 * 10 * 300 + 6_000_000 * 4 * 300 + 6_000_000 * 6 * 500) / 1_000_000); // 30 000 + 7 200 + 18 000
    expect(s.interestAccrued).toBe(55_200);
  });

  it('a single unpaid period accrues amount × Σ(rate of each late day), whatever the change date', () => {
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 2_000_000_000 }), fc.integer({ min: 0, max: 800 }), fc.integer({ min: -200, max: 900 }),
      fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 10_000 }),
      (amount, days, changeOffset, before, after) => {
        const ps = periods('2026-01', [amount]);
        const due = ps[0]!.dueDate;
        const changeOn = addDays(due, changeOffset);
        fc.pre(changeOn > policy.interest.rates[0]!.effectiveFrom);
        const s = ledgerStatus(ps, [], addDays(due, days), withRateChange(changeOn, before, after));
        // Day by day: late day k is the k-th day after the deadline.
        let ppmDays = 0n;
        for (let k = 1; k <= days; k++) ppmDays += BigInt(addDays(due, k) >= changeOn ? after : before);
        return s.interestAccrued === Number((BigInt(amount) * ppmDays) / 1_000_000n);
      },
    ));
  });
});

describe('months overdue', () => {
  it('counts monthly deadlines passed, the anchor one included', () => {
    expect(monthlyDeadlinesPassed('2026-10-31', '2026-10-31')).toBe(0);
    expect(monthlyDeadlinesPassed('2026-10-31', '2026-11-01')).toBe(1);
    expect(monthlyDeadlinesPassed('2026-10-31', '2026-11-30')).toBe(1);
    expect(monthlyDeadlinesPassed('2026-10-31', '2026-12-01')).toBe(2);
    // End-of-month deadlines stay at month end through February, leap year or not.
    expect(monthlyDeadlinesPassed('2026-01-31', '2026-02-28')).toBe(1);
    expect(monthlyDeadlinesPassed('2026-01-31', '2026-03-01')).toBe(2);
    expect(monthlyDeadlinesPassed('2024-01-31', '2024-02-29')).toBe(1);
    expect(monthlyDeadlinesPassed('2024-01-31', '2024-03-01')).toBe(2);
    expect(monthlyDeadlinesPassed('2025-12-31', '2026-01-02')).toBe(1);
  });

  it('matches counting the deadlines of each following period one by one', () => {
    fc.assert(fc.property(fc.integer({ min: 2020 * 12, max: 2030 * 12 }), fc.integer({ min: 0, max: 2000 }), (index, days) => {
      const anchor = `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
      const first = deadlineOf(anchor, policy);
      const asOf = addDays(first, days);
      let count = 0;
      while (deadlineOf(addMonths(anchor, count), policy) < asOf) count++;
      return monthlyDeadlinesPassed(first, asOf) === count;
    }));
  });

  it('anchors on the oldest unpaid period even when later ones are paid', () => {
    const ps = periods('2026-06', [5_000_000, 0, 0, 0]);
    const s = ledgerStatus(ps, [], '2026-11-02', policy);
    expect(s.oldestUnpaidPeriod).toBe('2026-06');
    expect(s.monthsOverdue).toBe(4); // deadlines 07-31, 08-31, 09-30, 10-31 have passed
  });
});

describe('allocation order', () => {
  it('settles late principal, then its interest, before prepaying a period not yet due', () => {
    const ps = periods('2026-09', [10_000_000, 10_000_000]); // due 2026-10-31 (late), 2026-11-30 (not yet)
    const s = ledgerStatus(ps, [pay('A', '2026-11-10', 12_000_000)], '2026-11-10', policy);
    expect(s.allocations).toEqual([
      { reference: 'A', to: '2026-09', amount: 10_000_000 },
      { reference: 'A', to: 'interest', amount: 30_000 },
      { reference: 'A', to: '2026-10', amount: 1_970_000 },
    ]);
    expect(s.interestOutstanding).toBe(0);
  });
});
