import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildReferralPack } from '../../functions/core/referral-pack.ts';
import { ledgerStatus } from '../../functions/core/ledger.ts';
import { addDays } from '../../functions/core/dates.ts';
import { AS_OF, EVENTS, NOTICES, PAYMENTS, TAX_EVENTS, UNIT, employer, ev, input, periods, policy, task } from '../support/referral-pack-fixtures.ts';

describe('referral pack (pure)', () => {
  const pack = buildReferralPack(input(), policy);

  it('names the unit with what the inspector needs, never its email or phone', () => {
    expect(pack.unit).toEqual({ unitCode: UNIT, name: employer.name, taxCode: '2700123456', district: 'Tam Điệp', commune: 'Bắc Sơn' });
    const everything = JSON.stringify(pack);
    expect(everything).not.toContain(employer.email);
    expect(everything).not.toContain(employer.phone);
    expect(pack.case).toEqual({ status: 'open', stage: 'inspection', anchorPeriod: '2026-08', monthsOverdue: 2, openedOn: '2026-10-02', officerId: 'cb.tran.thi.b', inspectorId: null });
    expect(pack.inspection).toEqual({ taskId: `${UNIT}-2026-11-inspection`, inspectorId: 'tt.pham.van.c', dueDate: '2026-12-05' });
    expect(pack.policy).toEqual({ version: policy.version, legalBasis: policy.source, dailyInterestRatePpm: 300, evasionAfterDays: 60 });
  });

  it('states the position and every period as the ledger computes them as of the date', () => {
    const status = ledgerStatus(input().periods, PAYMENTS, AS_OF, policy);
    expect(pack.position).toMatchObject({
      debt: status.debt, overduePrincipal: 18_045_000, interestOutstanding: status.interestOutstanding, interestPaid: 45_000,
      notYetDue: 10_000_000, credit: 0, totalDue: 50_000_000, totalPaid: 22_000_000, oldestUnpaidPeriod: '2026-08', monthsOverdue: 2,
    });
    expect(pack.position.debt).toBe(18_045_000 + status.interestOutstanding);
    expect(pack.periods.map((p) => [p.period, p.amountPaid, p.balance, p.daysLate])).toEqual([
      ['2026-06', 10_000_000, 0, 0],
      ['2026-07', 10_000_000, 0, 0],
      ['2026-08', 1_955_000, 8_045_000, 51],
      ['2026-09', 0, 10_000_000, 20],
      ['2026-10', 0, 10_000_000, 0],
    ]);
    expect(pack.periods.map((p) => p.interest)).toEqual(status.periods.map((p) => p.interest));
  });

  it('lists payments made by the date, in date order, each with where it went', () => {
    expect(pack.payments).toEqual([
      { reference: 'P1', paidOn: '2026-07-20', amount: 10_000_000, allocations: [{ to: '2026-06', amount: 10_000_000 }] },
      {
        reference: 'P2', paidOn: '2026-09-15', amount: 12_000_000,
        allocations: [{ to: '2026-07', amount: 10_000_000 }, { to: 'interest', amount: 45_000 }, { to: '2026-08', amount: 1_955_000 }],
      },
    ]);
  });

  it('marks periods unpaid more than the evasion threshold after their deadline, and only those', () => {
    // 2026-08 is due 2026-09-30: 60 days late on 2026-11-29, 61 on 2026-11-30.
    const on = (asOf: string) => buildReferralPack(input({ asOf, payments: [] }), policy);
    expect(on('2026-11-29').position.periodsPastEvasionThreshold).toEqual(['2026-06', '2026-07']);
    expect(on('2026-11-30').position.periodsPastEvasionThreshold).toEqual(['2026-06', '2026-07', '2026-08']);
    expect(on('2026-11-30').periods.map((p) => p.pastEvasionThreshold)).toEqual([true, true, true, false, false]);
    expect(pack.position.periodsPastEvasionThreshold).toEqual([]);
  });

  it('lists the notices by cycle with the office date sent, the status and the content hash', () => {
    expect(pack.notices).toEqual([
      { cycle: '2026-10', stage: 'urging-notice', status: 'sent', sentOn: '2026-10-02', contentSha256: 'b'.repeat(64), debt: 10_030_000 },
      { cycle: '2026-11', stage: null, status: 'failed', sentOn: null, contentSha256: null, debt: null },
    ]);
  });

  it('keeps the officers\' contacts from the case history: tasks opened, outcomes, run out, closed by a payment', () => {
    expect(pack.contacts).toEqual([
      { on: '2026-10-02', cycle: '2026-10', event: 'task-opened', taskId: `${UNIT}-2026-10-visit`, taskType: 'visit', officerId: 'cb.tran.thi.b', outcome: null, dueDate: '2026-10-12', noteRecorded: false },
      { on: '2026-10-05', cycle: '2026-10', event: 'outcome', taskId: `${UNIT}-2026-10-visit`, taskType: 'visit', officerId: 'cb.tran.thi.b', outcome: 'promised-to-pay', dueDate: null, noteRecorded: true },
      { on: '2026-11-02', cycle: '2026-11', event: 'task-opened', taskId: `${UNIT}-2026-11-visit`, taskType: 'visit', officerId: 'cb.tran.thi.b', outcome: null, dueDate: '2026-11-12', noteRecorded: false },
      { on: '2026-11-13', cycle: '2026-11', event: 'timed-out', taskId: `${UNIT}-2026-11-visit`, taskType: 'visit', officerId: 'cb.tran.thi.b', outcome: null, dueDate: null, noteRecorded: false },
      { on: '2026-11-13', cycle: '2026-11', event: 'outcome', taskId: `${UNIT}-2026-11-visit-escalated`, taskType: 'visit', officerId: 'tl.vo.van.d', outcome: 'refer-to-inspection', dueDate: null, noteRecorded: false },
      { on: '2026-11-20', cycle: '2026-11', event: 'closed-by-payment', taskId: `${UNIT}-2026-11-visit-escalated`, taskType: 'visit', officerId: 'tl.vo.van.d', outcome: 'paid', dueDate: null, noteRecorded: false },
    ]);
  });

  it('shows the hold now in force or lapsed, and every hold set and lifted', () => {
    expect(pack.holds).toEqual({
      current: { reason: 'force-majeure', until: '2026-11-30', inForce: true },
      history: [
        { on: '2026-10-10', action: 'set', reason: 'dispute', until: '2026-10-20', by: 'tt.le.c' },
        { on: '2026-10-15', action: 'lifted', reason: null, until: null, by: 'tt.le.c' },
      ],
    });
    expect(buildReferralPack(input({ asOf: '2026-12-01' }), policy).holds.current).toEqual({ reason: 'force-majeure', until: '2026-11-30', inForce: false });
    expect(buildReferralPack(input({ hold: undefined, events: [] }), policy).holds).toEqual({ current: null, history: [] });
  });

  it('lists the findings from tax data still standing as of the date: checks open, or referred to inspection', () => {
    expect(pack.taxFindings).toEqual([]);
    const withChecks = buildReferralPack(input({ events: [...EVENTS, ...TAX_EVENTS].reverse() }), policy);
    expect(withChecks.taxFindings).toEqual([
      { taskId: 'TC-a', openedOn: '2026-11-03', kind: 'unregistered-employee', year: 2025, employeesNotCovered: 1, months: 5, notPaid: 12_480_000, evasionFrom: '2025-10-02', status: 'open' },
      { taskId: 'TC-c', openedOn: '2026-11-03', kind: 'unregistered-employee', year: 2025, employeesNotCovered: 1, months: 12, notPaid: 29_952_000, evasionFrom: '2025-04-02', status: 'referred-to-inspection' },
      { taskId: 'TC-d', openedOn: '2026-11-03', kind: 'under-declared-wage', year: 2025, employeesNotCovered: 0, months: 6, notPaid: 1_500_000, evasionFrom: '2025-08-01', status: 'open' },
    ]);
    // Read off the case history: nothing of an employee but a count.
    expect(JSON.stringify(withChecks.taxFindings)).not.toMatch(/\d{12}/);
  });

  it('is the same pack, byte for byte, whatever order the data comes in', () => {
    const shuffled = input({ events: [...EVENTS].reverse(), notices: [...NOTICES].reverse(), payments: [...PAYMENTS].reverse(), periods: periods('2026-06', 5).reverse() });
    expect(JSON.stringify(buildReferralPack(shuffled, policy))).toBe(JSON.stringify(pack));
    // Data recorded after the as-of day does not change it either.
    const later = input({ events: [...EVENTS, ev({ at: '2026-11-21T01:00:00Z', cycle: '2026-11', kind: 'outcome-recorded', actor: 'tt.pham.van.c', detail: { ...task('2026-11', 'inspection'), outcome: 'closed', hasNote: false } })] });
    expect(JSON.stringify(buildReferralPack(later, policy))).toBe(JSON.stringify(pack));
  });

  it('builds a pack for a unit with no case, periods, payments, notices or history', () => {
    const empty = buildReferralPack({ asOf: AS_OF, unit: employer, periods: [], payments: [], notices: [], events: [] }, policy);
    expect(empty).toMatchObject({ case: null, inspection: null, periods: [], payments: [], notices: [], contacts: [], holds: { current: null, history: [] } });
    expect(empty.position).toMatchObject({ debt: 0, monthsOverdue: 0, oldestUnpaidPeriod: null });
  });

  it('allocates every payment in full (property)', () => {
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 12 }),
      fc.array(fc.record({ day: fc.integer({ min: 0, max: 500 }), amount: fc.integer({ min: 1, max: 40_000_000 }) }), { maxLength: 8 }),
      fc.integer({ min: 0, max: 500 }),
      (n, raw, asOfDay) => {
        const ps = periods('2025-06', n);
        const payments = raw.map((p, i) => ({ reference: `R${i}`, paidOn: addDays('2025-06-01', p.day), amount: p.amount }));
        const asOf = addDays('2025-06-01', asOfDay);
        const built = buildReferralPack(input({ asOf, periods: ps, payments }), policy);
        const status = ledgerStatus(ps, payments, asOf, policy);
        expect(built.position.debt).toBe(status.debt);
        expect(built.periods).toHaveLength(n);
        expect(built.payments).toHaveLength(payments.filter((p) => p.paidOn <= asOf).length);
        for (const p of built.payments) expect(p.allocations.reduce((s, a) => s + a.amount, 0)).toBe(p.amount);
        for (const p of built.periods) expect(p.pastEvasionThreshold).toBe(p.balance > 0 && p.daysLate > 60 && p.dueDate < asOf);
      },
    ), { numRuns: 150 });
  });
});
