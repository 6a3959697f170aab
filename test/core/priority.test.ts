import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  compactVnd, describePart, describePriority, priorityFacts, priorityOf, scorePriority, type PriorityFacts,
} from '../../functions/core/priority.ts';
import { POLICY_VERSIONS, deadlineOf, policySchema, prioritySchema, type PriorityPolicy } from '../../functions/core/policy.ts';
import { addMonths } from '../../functions/core/dates.ts';
import { caseEvent, type CaseEvent } from '../../functions/core/case-events.ts';
import type { ContributionPeriod, Payment } from '../../functions/core/ledger.ts';

const policy = POLICY_VERSIONS.at(-1)!;
const weights = policy.priority;
const TODAY = '2026-11-02';

const periods = (first: string, amounts: number[]): ContributionPeriod[] =>
  amounts.map((amountDue, i) => { const period = addMonths(first, i); return { period, amountDue, dueDate: deadlineOf(period, policy) }; });
const paidOnTime = (ps: ContributionPeriod[]): Payment[] => ps.map((p) => ({ reference: `R-${p.period}`, paidOn: p.dueDate, amount: p.amountDue }));

const NOTHING: PriorityFacts = {
  debt: 0, monthsOverdue: 0, debtBefore: 0, brokenArrangements: 0, daysToEvasion: null, stoppedPaying: false, declaredZero: false, declaredFalling: false, unregisteredFound: 0,
};

/** Any facts: amounts up to 10 bn ₫, up to 60 months. */
const facts: fc.Arbitrary<PriorityFacts> = fc.record({
  debt: fc.integer({ min: 0, max: 10_000_000_000 }),
  monthsOverdue: fc.integer({ min: 0, max: 60 }),
  debtBefore: fc.integer({ min: 0, max: 10_000_000_000 }),
  brokenArrangements: fc.integer({ min: 0, max: 6 }),
  daysToEvasion: fc.option(fc.integer({ min: -2000, max: 61 }), { nil: null }),
  stoppedPaying: fc.boolean(),
  declaredZero: fc.boolean(),
  declaredFalling: fc.boolean(),
  unregisteredFound: fc.integer({ min: 0, max: 50 }),
});

/** Any weights the policy's schema accepts: bands from the highest threshold down, points not rising. */
const descendingBands = (maxThreshold: number) => fc.uniqueArray(fc.integer({ min: 1, max: maxThreshold }), { minLength: 1, maxLength: 4 })
  .chain((thresholds) => fc.array(fc.integer({ min: 0, max: 100 }), { minLength: thresholds.length, maxLength: thresholds.length })
    .map((pts) => {
      const t = [...thresholds].sort((a, b) => b - a);
      const p = [...pts].sort((a, b) => b - a);
      return t.map((atLeast, i) => ({ atLeast, points: p[i]! }));
    }));
const anyWeights: fc.Arbitrary<PriorityPolicy> = fc.record({
  debt: descendingBands(1_000_000_000),
  monthsOverdue: fc.record({ pointsPerMonth: fc.integer({ min: 0, max: 100 }), maxPoints: fc.integer({ min: 0, max: 100 }) }),
  growth: fc.record({ months: fc.integer({ min: 1, max: 12 }), bands: descendingBands(10_000) }),
  brokenArrangements: fc.record({ pointsEach: fc.integer({ min: 0, max: 100 }), maxPoints: fc.integer({ min: 0, max: 100 }) }),
  evasion: fc.integer({ min: 0, max: 100 }).chain((evadingPoints) => fc.record({
    evadingPoints: fc.constant(evadingPoints),
    near: fc.uniqueArray(fc.integer({ min: 1, max: 365 }), { maxLength: 3 }).chain((days) => fc.array(fc.integer({ min: 0, max: evadingPoints }), { minLength: days.length, maxLength: days.length })
      .map((pts) => { const d = [...days].sort((a, b) => a - b); const p = [...pts].sort((a, b) => b - a); return d.map((withinDays, i) => ({ withinDays, points: p[i]! })); })),
  })),
  failing: fc.record({
    stoppedPaying: fc.record({ months: fc.integer({ min: 1, max: 24 }), points: fc.integer({ min: 0, max: 100 }) }),
    declaredZero: fc.record({ points: fc.integer({ min: 0, max: 100 }) }),
    declaredFalling: fc.record({ percent: fc.integer({ min: 1, max: 99 }), months: fc.integer({ min: 1, max: 24 }), points: fc.integer({ min: 0, max: 100 }) }),
  }),
  findings: fc.record({ pointsPerUnregisteredEmployee: fc.integer({ min: 0, max: 100 }), maxPoints: fc.integer({ min: 0, max: 100 }) }),
});

describe('priority: properties', () => {
  it('the generated weights are ones the policy accepts', () => {
    fc.assert(fc.property(anyWeights, (w) => policySchema.safeParse({ ...policy, priority: w }).success));
  });

  it('the parts add up to the total, each part earns points, and none is listed twice', () => {
    fc.assert(fc.property(facts, anyWeights, (f, w) => {
      const p = scorePriority(f, w);
      expect(p.parts.reduce((s, x) => s + x.points, 0)).toBe(p.total);
      expect(p.parts.every((x) => x.points > 0)).toBe(true);
      expect(new Set(p.parts.map((x) => x.factor)).size).toBe(p.parts.length);
    }));
  });

  it('is monotone in debt: more debt, everything else equal, never lowers the priority', () => {
    fc.assert(fc.property(facts, anyWeights, fc.integer({ min: 0, max: 10_000_000_000 }), (f, w, more) => {
      expect(scorePriority({ ...f, debt: f.debt + more }, w).total).toBeGreaterThanOrEqual(scorePriority(f, w).total);
    }));
  });

  it('is monotone in months overdue', () => {
    fc.assert(fc.property(facts, anyWeights, fc.integer({ min: 0, max: 60 }), (f, w, more) => {
      expect(scorePriority({ ...f, monthsOverdue: f.monthsOverdue + more }, w).total).toBeGreaterThanOrEqual(scorePriority(f, w).total);
    }));
  });

  it('is monotone in broken promises, and in nearness to the evasion threshold', () => {
    fc.assert(fc.property(facts, anyWeights, fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 100 }), (f, w, more, sooner) => {
      const base = scorePriority(f, w).total;
      expect(scorePriority({ ...f, brokenArrangements: f.brokenArrangements + more }, w).total).toBeGreaterThanOrEqual(base);
      if (f.daysToEvasion !== null) expect(scorePriority({ ...f, daysToEvasion: f.daysToEvasion - sooner }, w).total).toBeGreaterThanOrEqual(base);
    }));
  });

  it('a unit with nothing against it scores 0, with no parts', () => {
    expect(scorePriority(NOTHING, weights)).toEqual({ total: 0, parts: [] });
  });

  it('is monotone in unregistered employees found, up to the cap', () => {
    fc.assert(fc.property(facts, anyWeights, fc.integer({ min: 0, max: 20 }), (f, w, more) => {
      const base = scorePriority(f, w);
      const after = scorePriority({ ...f, unregisteredFound: f.unregisteredFound + more }, w);
      expect(after.total).toBeGreaterThanOrEqual(base.total);
      expect(after.parts.find((p) => p.factor === 'unregistered-found')?.points ?? 0).toBeLessThanOrEqual(w.findings.maxPoints);
    }));
  });
});

describe('priority: findings of reconciliation with tax data', () => {
  const opened = (taskId: string, kind: 'unregistered-employee' | 'under-declared-wage') => caseEvent({
    unitCode: 'TD000001', cycle: '2026-11', at: '2026-11-20T01:00:00.000Z', actor: 'system', kind: 'task-opened',
    detail: { taskId, taskType: 'tax-data-check', escalated: false, officerId: 'thu.nguyen', dueDate: '2026-12-20',
      finding: { kind, year: 2025, months: 3, notPaid: 3_000_000, evasionFrom: '2025-12-01', unregisteredEmployees: kind === 'unregistered-employee' ? 1 : 0 } },
  });
  const outcome = (taskId: string) => caseEvent({
    unitCode: 'TD000001', cycle: '2026-11', at: '2026-11-25T01:00:00.000Z', actor: 'thu.nguyen', kind: 'outcome-recorded',
    detail: { taskId, taskType: 'tax-data-check', escalated: false, outcome: 'registered', hasNote: false },
  });

  it('counts the employees of checks still open: "+10 2 unregistered employees found (tax data)"', () => {
    const history: CaseEvent[] = [opened('TC-a', 'unregistered-employee'), opened('TC-b', 'unregistered-employee'), opened('TC-c', 'under-declared-wage')];
    const facts = priorityFacts({ periods: [], payments: [], history }, TODAY, policy);
    expect(facts.unregisteredFound).toBe(2);
    const p = scorePriority(facts, weights);
    expect(describePriority(p, 'en')).toBe('+10 2 unregistered employees found (tax data)');
    expect(describePriority(p, 'vi')).toBe('+10 2 lao động chưa đăng ký (dữ liệu thuế)');
  });

  it('a check whose outcome is recorded no longer counts', () => {
    const history: CaseEvent[] = [opened('TC-a', 'unregistered-employee'), opened('TC-b', 'unregistered-employee'), outcome('TC-a')];
    expect(priorityFacts({ periods: [], payments: [], history }, TODAY, policy).unregisteredFound).toBe(1);
  });
});

describe('priority: the office policy in force', () => {
  it('explains itself in Vietnamese and English, largest part first', () => {
    const p = scorePriority({ ...NOTHING, debt: 250_000_000, monthsOverdue: 4, debtBefore: 100_000_000, brokenArrangements: 1, daysToEvasion: -30 }, weights);
    expect(describePriority(p, 'vi')).toBe('+30 nợ ≥ 200 triệu ₫, +20 chậm đóng 4 tháng, +20 1 kế hoạch hoặc lời hứa trả bị phá vỡ, +20 đã quá ngưỡng trốn đóng, +15 nợ tăng ≥ 100% trong 3 tháng');
    expect(p.total).toBe(105);
    expect(describePart(p.parts[0]!, 'en')).toBe('+30 debt ≥ 200 M ₫');
    expect(describePriority(scorePriority({ ...NOTHING, monthsOverdue: 1, daysToEvasion: 1 }, weights), 'en')).toBe('+10 1 day to the evasion threshold, +5 1 month overdue');
  });

  it('caps months and broken promises at the policy\'s maximum', () => {
    expect(scorePriority({ ...NOTHING, monthsOverdue: 40 }, weights).total).toBe(weights.monthsOverdue.maxPoints);
    expect(scorePriority({ ...NOTHING, brokenArrangements: 9 }, weights).total).toBe(weights.brokenArrangements.maxPoints);
  });

  it('says amounts as people do', () => {
    expect(compactVnd(200_000_000, 'vi')).toBe('200 triệu ₫');
    expect(compactVnd(1_500_000_000, 'vi')).toBe('1,5 tỷ ₫');
    expect(compactVnd(1_500_000_000, 'en')).toBe('1.5 bn ₫');
  });

  it('refuses bands that rise, and near-threshold points above the evading ones', () => {
    const bad = { ...weights, debt: [{ atLeast: 10_000_000, points: 10 }, { atLeast: 200_000_000, points: 30 }] };
    expect(policySchema.safeParse({ ...policy, priority: bad }).success).toBe(false);
    const near = { ...weights, evasion: { evadingPoints: 5, near: [{ withinDays: 10, points: 10 }] } };
    expect(policySchema.safeParse({ ...policy, priority: near }).success).toBe(false);
    expect(prioritySchema.safeParse(weights).success).toBe(true);
  });
});

describe('priority: facts read off the ledger and the history', () => {
  // Periods 2026-01..2026-10; 2026-09 (due 2026-10-31) and 2026-10 (due 2026-11-30) unpaid on 2026-11-02.
  const year = periods('2026-01', Array.from({ length: 10 }, () => 30_000_000));

  it('a unit two months behind that still pays: debt, months, days to the evasion threshold', () => {
    const payments = paidOnTime(year.slice(0, 8));
    const f = priorityFacts({ periods: year, payments, history: [] }, TODAY, policy);
    // 2026-09's deadline was 2026-10-31: 2 days late; evasion from day 61.
    expect(f).toMatchObject({ monthsOverdue: 1, daysToEvasion: 59, stoppedPaying: false, declaredZero: false, declaredFalling: false, brokenArrangements: 0 });
    expect(f.debt).toBeGreaterThan(30_000_000);
  });

  it('a unit that stopped paying and declared no one: stopped paying, headcount to zero, evading, debt grown', () => {
    const dwindling = periods('2026-01', [30_000_000, 30_000_000, 30_000_000, 30_000_000, 30_000_000, 30_000_000, 30_000_000, 0, 0, 0]);
    const payments = paidOnTime(dwindling.slice(0, 4));
    const f = priorityFacts({ periods: dwindling, payments, history: [] }, TODAY, policy);
    expect(f).toMatchObject({ stoppedPaying: true, declaredZero: true, declaredFalling: false });
    expect(f.daysToEvasion).toBeLessThanOrEqual(0);
    const p = priorityOf({ periods: dwindling, payments, history: [] }, TODAY, policy);
    expect(p.parts.map((x) => x.factor)).toEqual(expect.arrayContaining(['stopped-paying', 'declared-zero', 'evading', 'debt', 'months']));
    expect(p.parts.reduce((s, x) => s + x.points, 0)).toBe(p.total);
  });

  it('headcount falling: the latest amount due half or less of the highest of the months before', () => {
    const falling = periods('2026-01', [30_000_000, 30_000_000, 30_000_000, 30_000_000, 30_000_000, 30_000_000, 30_000_000, 30_000_000, 30_000_000, 12_000_000]);
    expect(priorityFacts({ periods: falling, payments: paidOnTime(falling.slice(0, 8)), history: [] }, TODAY, policy)).toMatchObject({ declaredFalling: true, declaredZero: false });
    const steady = periods('2026-01', Array.from({ length: 10 }, () => 30_000_000));
    expect(priorityFacts({ periods: steady, payments: [], history: [] }, TODAY, policy).declaredFalling).toBe(false);
  });

  it('counts each broken promise or plan once, from the history and the arrangement in force', () => {
    const missed = { kind: 'plan' as const, instalment: 1, dueDate: '2026-09-20' };
    const base = { unitCode: 'UNIT0001', actor: 'workflow', at: '2026-10-02T06:00:00.000Z' };
    const assessment = { stage: 'officer-visit' as const, anchorPeriod: '2026-09', monthsOverdue: 2, debt: 20_000_000, asOf: '2026-10-02', policy: policy.version };
    const history: CaseEvent[] = [
      caseEvent({ ...base, cycle: '2026-10', kind: 'assessed', detail: { phase: 'start', ...assessment, missedInstalment: missed } }),
      caseEvent({ ...base, cycle: '2026-10', kind: 'notice-sent', detail: { channel: 'email', stage: 'officer-visit', debt: 1, interest: 0, payBy: '2026-10-17', messageId: 'm', contentSha256: 'a'.repeat(64), missedInstalment: missed } }),
    ];
    const payments = paidOnTime(year.slice(0, 8));
    expect(priorityFacts({ periods: year, payments, history }, TODAY, policy).brokenArrangements).toBe(1);
    // A promise agreed later and missed too: a second one.
    const promise = { kind: 'promise' as const, agreedOn: '2026-10-05', instalments: [{ dueDate: '2026-10-20', amount: 60_000_000 }] };
    expect(priorityFacts({ periods: year, payments, history, arrangement: promise }, TODAY, policy).brokenArrangements).toBe(2);
    // The same plan, still missed: not counted again.
    const plan = { kind: 'plan' as const, agreedOn: '2026-09-01', instalments: [{ dueDate: '2026-09-20', amount: 30_000_000 }, { dueDate: '2026-10-20', amount: 30_000_000 }] };
    expect(priorityFacts({ periods: year, payments, history, arrangement: plan }, TODAY, policy).brokenArrangements).toBe(1);
  });

  it('a unit that owes nothing has no priority', () => {
    expect(priorityOf({ periods: year, payments: paidOnTime(year), history: [] }, TODAY, policy)).toEqual({ total: 0, parts: [] });
  });
});
