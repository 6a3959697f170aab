import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MAX_REGISTERED_PER_CHECK, TAX_CHECK_OUTCOMES, employeesNotCoveredOf, taxCheckProblems, taxCheckRoute, unregisteredEmployeesOf } from '../../functions/core/tax-check.ts';
import { pickOfficer, type OfficerCandidate } from '../../functions/core/assignment.ts';
import { FINDING_KINDS } from '../../functions/core/reconciliation.ts';
import { POLICY_VERSIONS, OFFICER_ROLES } from '../../functions/core/policy.ts';
import { TASK_OUTCOMES } from '../../functions/core/task-outcomes.ts';
import { TASK_OUTCOMES_BY_TYPE } from '../../functions/commons/records.ts';

const policy = POLICY_VERSIONS.at(-1)!;
const reasons = policy.reconciliation.followUp.explanationReasons.map((r) => r.code);

const officer = fc.record({
  officerId: fc.stringMatching(/^[a-z]{2,6}$/),
  district: fc.constantFrom('Tam Điệp', 'Nho Quan'),
  communes: fc.subarray(['Bắc Sơn', 'Trung Sơn', 'Nam Sơn']),
  role: fc.constantFrom(...OFFICER_ROLES),
  active: fc.boolean(),
  openTasks: fc.integer({ min: 0, max: 30 }),
}) satisfies fc.Arbitrary<OfficerCandidate>;

describe('tax-data check: whom it goes to', () => {
  it('a unit\'s check goes to an active collector of its district, its case officer first; an organisation\'s to an active team lead of its district', () => {
    fc.assert(fc.property(fc.array(officer, { maxLength: 12 }), fc.boolean(), fc.constantFrom('Tam Điệp', 'Nho Quan'), fc.option(fc.stringMatching(/^[a-z]{2,6}$/), { nil: undefined }), (officers, registered, district, current) => {
      const subject = registered ? { registered: true as const, district, commune: 'Bắc Sơn', officerId: current } : { registered: false as const, district };
      const picked = pickOfficer(taxCheckRoute(subject), officers);
      const role = registered ? 'collector' : 'team-lead';
      const eligible = officers.filter((o) => o.active && o.role === role && o.district === district);
      if (eligible.length === 0) {
        expect(picked).toBeNull();
        return;
      }
      expect(picked).not.toBeNull();
      expect([picked!.role, picked!.district, picked!.active]).toEqual([role, district, true]);
      if (registered && eligible.some((o) => o.officerId === current)) expect(picked!.officerId).toBe(current);
    }));
  });
});

describe('tax-data check: its outcomes', () => {
  it('offers only registered, wage corrected, explained and refer to inspection, none of another type\'s alone', () => {
    expect(TASK_OUTCOMES_BY_TYPE['tax-data-check']).toEqual(['registered', 'wage-corrected', 'explained', 'refer-to-inspection']);
    for (const type of ['visit', 'inspection', 'renewal-visit'] as const) {
      for (const o of ['registered', 'wage-corrected', 'explained'] as const) expect(TASK_OUTCOMES_BY_TYPE[type]).not.toContain(o);
    }
  });

  it('"registered" needs a whole count from 1; "explained" a reason of the policy; neither goes with another outcome', () => {
    fc.assert(fc.property(
      fc.constantFrom(...TASK_OUTCOMES),
      fc.option(fc.integer({ min: -5, max: MAX_REGISTERED_PER_CHECK + 5 }), { nil: undefined }),
      fc.option(fc.constantFrom(...reasons, 'made-up'), { nil: undefined }),
      (outcome, registered, reason) => {
        const problems = taxCheckProblems({ outcome, registered, reason }, policy.reconciliation);
        const allowed = (TAX_CHECK_OUTCOMES as readonly string[]).includes(outcome);
        const countOk = outcome === 'registered' ? registered !== undefined && registered >= 1 && registered <= MAX_REGISTERED_PER_CHECK : registered === undefined;
        const reasonOk = outcome === 'explained' ? reason !== undefined && reasons.includes(reason) : reason === undefined;
        expect(problems.length === 0).toBe(allowed && countOk && reasonOk);
        if (!countOk) expect(problems.map((p) => p.field)).toContain('registered');
        if (!reasonOk) expect(problems.map((p) => p.field)).toContain('reason');
      },
    ));
  });

  it('counts an unregistered employee for the priority, nothing for the other kinds', () => {
    expect(FINDING_KINDS.map((kind) => unregisteredEmployeesOf({ kind }))).toEqual([0, 1, 0, 0]);
  });

  it('the policy\'s reason codes are unique', () => {
    expect(new Set(reasons).size).toBe(reasons.length);
  });

  it('counts the employees a finding leaves uncovered: one employee, an organisation\'s covered employees (a person once), or its wage fund\'s', () => {
    const p = policy.reconciliation;
    const covered = { monthsPaid: 12, taxableIncome: 120_000_000 };
    const employees = [
      { personalId: '000000000001', ...covered },
      // The same person in two rows: one person.
      { personalId: '000000000002', monthsPaid: 6, taxableIncome: 60_000_000 }, { personalId: '000000000002', monthsPaid: 6, taxableIncome: 60_000_000 },
      // Paid too little for compulsory coverage.
      { personalId: '000000000003', monthsPaid: 1, taxableIncome: 1_000 },
    ];
    expect(employeesNotCoveredOf({ kind: 'unregistered-organisation', basis: 'per-employee' }, { employees }, p, 2025)).toBe(2);
    expect(employeesNotCoveredOf({ kind: 'unregistered-organisation', basis: 'wage-fund' }, { employeesPaid: 7, employees: [] }, p, 2025)).toBe(7);
    expect(employeesNotCoveredOf({ kind: 'unregistered-employee', basis: 'per-employee' }, { employees: [] }, p, 2025)).toBe(1);
    expect(employeesNotCoveredOf({ kind: 'under-declared-wage', basis: 'wage-fund' }, { employees }, p, 2025)).toBe(0);
    expect(employeesNotCoveredOf({ kind: 'closed-with-debt', basis: 'ledger' }, { employees }, p, 2025)).toBe(0);
  });
});
