import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  contributionWage, estimateContributions, isCompulsorilyCovered, maskPersonalId, monthlyContributions, ratesForYear, reconcile, wageCap,
  type ReconciliationInput, type RosterMember, type TaxEmployee,
} from '../../functions/core/reconciliation.ts';
import { POLICY_VERSIONS } from '../../functions/core/policy.ts';
import { addMonths } from '../../functions/core/dates.ts';

const policy = POLICY_VERSIONS.at(-1)!;
const p = policy.reconciliation;
const rates = ratesForYear(p, 2025);

const empty: ReconciliationInput = { year: 2025, asOf: '2026-11-02', units: [], roster: [], taxOrganisations: [], taxEmployees: [], register: [] };
const unit = (unitCode: string, taxCode: string, debt = 0) => ({ unitCode, taxCode, debt });
const member = (unitCode: string, personalId: string, startMonth: string, salary: number, endMonth?: string): RosterMember =>
  ({ unitCode, siCode: `SI${personalId.slice(-8)}`, personalId, startMonth, endMonth, salary });
const paid = (personalId: string, payerTaxCode: string, monthsPaid: number, monthlyIncome: number): TaxEmployee =>
  ({ personalId, payerTaxCode, year: 2025, monthsPaid, taxableIncome: monthlyIncome * monthsPaid });

describe('contribution estimates', () => {
  it('charges employer 21.5% and employee 10.5% by insurance type, floored per type', () => {
    expect(monthlyContributions(10_000_000, rates)).toEqual({
      si: 1_750_000 + 800_000, hi: 300_000 + 150_000, ui: 100_000 + 100_000, employer: 2_150_000, employee: 1_050_000, total: 3_200_000,
    });
    // 3% of 3,333,333 is 99,999.99: floored to the dong.
    expect(monthlyContributions(3_333_333, rates).hi).toBe(99_999 + 49_999);
  });

  it('caps the wage at 20 times the reference level', () => {
    expect(wageCap(rates)).toBe(46_800_000);
    expect(monthlyContributions(100_000_000, rates)).toEqual(monthlyContributions(46_800_000, rates));
  });

  it('never estimates a negative amount, and rises with months and wage', () => {
    const wage = fc.integer({ min: -1_000_000, max: 200_000_000 });
    const months = fc.integer({ min: -3, max: 600 });
    fc.assert(fc.property(wage, wage, months, months, (w1, w2, m1, m2) => {
      const [lowW, highW] = w1 <= w2 ? [w1, w2] : [w2, w1];
      const [lowM, highM] = m1 <= m2 ? [m1, m2] : [m2, m1];
      const a = estimateContributions(lowW, lowM, rates);
      for (const v of Object.values(a)) expect(Number.isInteger(v) && v >= 0).toBe(true);
      expect(estimateContributions(highW, lowM, rates).total).toBeGreaterThanOrEqual(a.total);
      expect(estimateContributions(lowW, highM, rates).total).toBeGreaterThanOrEqual(a.total);
      expect(a.employer + a.employee).toBe(a.total);
      expect(a.si + a.hi + a.ui).toBe(a.total);
    }));
  });

  it('never pays on a wage above the cap', () => {
    fc.assert(fc.property(fc.integer({ min: -1e9, max: 1e12 }), (w) => {
      const c = contributionWage(w, rates);
      expect(c).toBeLessThanOrEqual(wageCap(rates));
      expect(c).toBeGreaterThanOrEqual(0);
    }));
  });

  it('covers a contract of a month or more on at least the reference level', () => {
    expect(isCompulsorilyCovered({ monthsPaid: 1, taxableIncome: 2_340_000 }, p, rates)).toBe(true);
    expect(isCompulsorilyCovered({ monthsPaid: 0, taxableIncome: 0 }, p, rates)).toBe(false);
    expect(isCompulsorilyCovered({ monthsPaid: 6, taxableIncome: 6 * 2_000_000 }, p, rates)).toBe(false);
  });

  it('masks a personal ID to its last four digits', () => {
    expect(maskPersonalId('001085012345')).toBe('********2345');
  });
});

describe('reconciliation', () => {
  it('finds an organisation that pays wages but is not an SI unit, per employee where it can', () => {
    const r = reconcile({
      ...empty,
      units: [unit('TD000001', '2700000001')],
      taxOrganisations: [{ taxCode: '2799999999', year: 2025, employeesPaid: 2, wageFund: 240_000_000 }, { taxCode: '2788888888', year: 2025, employeesPaid: 3, wageFund: 360_000_000 }],
      taxEmployees: [paid('001085000001', '2799999999', 12, 10_000_000), paid('001085000002', '2799999999', 2, 1_000_000)],
    }, policy);
    const orgs = r.findings.filter((f) => f.kind === 'unregistered-organisation');
    expect(orgs.map((f) => [f.taxCode, f.basis, f.months, f.notPaid])).toEqual([
      // 3 employees × 12 months on 10 M a month.
      ['2788888888', 'wage-fund', 36, 36 * 3_200_000],
      // Only the first employee is covered (the second earns under the reference level).
      ['2799999999', 'per-employee', 12, 12 * 3_200_000],
    ]);
    // 12 months unregistered: from January, registration due 31/01, evasion from the 61st day after.
    expect(orgs[1]!.evasionFrom).toBe('2025-04-02');
    expect(r.counts['unregistered-organisation']).toBe(2);
  });

  it('finds an employee paid by a unit but missing from its roster, matched to each unit that pays them', () => {
    const r = reconcile({
      ...empty,
      units: [unit('TD000001', '2700000001'), unit('TD000002', '2700000002')],
      roster: [member('TD000001', '001085000009', '2024-01', 8_000_000), member('TD000002', '001085000001', '2025-01', 8_000_000, '2025-03')],
      taxEmployees: [paid('001085000001', '2700000001', 12, 8_000_000), paid('001085000001', '2700000002', 6, 8_000_000)],
    }, policy);
    const found = r.findings.filter((f) => f.kind === 'unregistered-employee');
    expect(found.map((f) => [f.unitCode, f.months, f.notPaid])).toEqual([
      ['TD000001', 12, 12 * 2_560_000],
      // On TD000002's roster for 3 of the 6 months paid.
      ['TD000002', 3, 3 * 2_560_000],
    ]);
    // The 3 months taken as October to December: registration due 31/10, evasion from 31/12.
    expect(found[1]!.evasionFrom).toBe('2025-12-31');
  });

  it('never reports an employee on the roster for every month paid as unregistered', () => {
    const id = fc.integer({ min: 0, max: 999_999_999 }).map((n) => String(n).padStart(12, '0'));
    fc.assert(fc.property(id, fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 11 }), fc.integer({ min: 0, max: 100_000_000 }), fc.integer({ min: 0, max: 100_000_000 }),
      (personalId, months, startOffset, salary, income) => {
        const start = addMonths('2025-01', Math.min(startOffset, 12 - months));
        const r = reconcile({
          ...empty,
          units: [unit('TD000001', '2700000001')],
          roster: [member('TD000001', personalId, start, salary, addMonths(start, months - 1))],
          taxEmployees: [{ personalId, payerTaxCode: '2700000001', year: 2025, monthsPaid: months, taxableIncome: income }],
        }, policy);
        expect(r.findings.filter((f) => f.kind === 'unregistered-employee')).toEqual([]);
        for (const f of r.findings) expect(Number.isInteger(f.notPaid) && f.notPaid > 0).toBe(true);
      }));
  });

  it('does not count an employee outside compulsory coverage', () => {
    const r = reconcile({ ...empty, units: [unit('TD000001', '2700000001')], taxEmployees: [paid('001085000001', '2700000001', 4, 1_500_000)] }, policy);
    expect(r.findings).toEqual([]);
  });

  it('finds a wage declared more than 10% below the taxed one, per employee', () => {
    const r = reconcile({
      ...empty,
      units: [unit('TD000001', '2700000001')],
      roster: [member('TD000001', '001085000001', '2025-01', 5_000_000), member('TD000001', '001085000002', '2025-01', 9_500_000)],
      taxEmployees: [paid('001085000001', '2700000001', 12, 10_000_000), paid('001085000002', '2700000001', 12, 10_000_000)],
    }, policy);
    const found = r.findings.filter((f) => f.kind === 'under-declared-wage');
    // The second declares 9.5 M of 10 M: within the threshold.
    expect(found.map((f) => [f.personalId, f.basis, f.months, f.notPaid])).toEqual([['001085000001', 'per-employee', 12, 12 * (3_200_000 - 1_600_000)]]);
    // January is the earliest month under-declared: evasion after the last day of February.
    expect(found[0]!.evasionFrom).toBe('2025-03-01');
  });

  it('compares the wage fund with the roster when there is no per-employee data', () => {
    const roster = [member('TD000001', '001085000001', '2025-07', 5_000_000), member('TD000001', '001085000002', '2025-07', 5_000_000)];
    const at = (wageFund: number) => reconcile({
      ...empty, units: [unit('TD000001', '2700000001'), unit('TD000002', '2700000002')], roster,
      taxOrganisations: [{ taxCode: '2700000001', year: 2025, employeesPaid: 2, wageFund }, { taxCode: '2700000002', year: 2025, employeesPaid: 1, wageFund: 1 }],
    }, policy);
    // Declared 60 M over 12 employee-months; 66 M is exactly 10% more.
    expect(at(66_000_000).counts['under-declared-wage']).toBe(0);
    const r = at(120_000_000);
    expect(r.findings.map((f) => [f.kind, f.basis, f.months, f.notPaid, f.evasionFrom])).toEqual([['under-declared-wage', 'wage-fund', 12, 12 * 1_600_000, '2026-02-01']]);
    // TD000002 has no roster to compare with: said so, not guessed.
    expect(r.unchecked).toEqual(['TD000002']);
  });

  it('finds a unit closed or suspended in the business register that still owes', () => {
    const r = reconcile({
      ...empty,
      units: [
        { unitCode: 'TD000001', taxCode: '2700000001', debt: 45_000_000, oldestLateDeadline: '2026-08-31' },
        unit('TD000002', '2700000002', 0), unit('TD000003', '2700000003', 10_000_000), unit('TD000004', '2700000004', 5_000_000),
      ],
      register: [
        { taxCode: '2700000001', status: 'closed', statusDate: '2026-09-15' },
        { taxCode: '2700000002', status: 'closed', statusDate: '2026-09-15' },
        { taxCode: '2700000003', status: 'active', statusDate: '2020-01-01' },
        // Suspended later than the as-of date: not yet.
        { taxCode: '2700000004', status: 'suspended', statusDate: '2026-12-01' },
      ],
    }, policy);
    expect(r.findings).toEqual([{ kind: 'closed-with-debt', taxCode: '2700000001', unitCode: 'TD000001', basis: 'ledger', months: 0, notPaid: 45_000_000, evasionFrom: '2026-10-31' }]);
    expect(r.notPaid['closed-with-debt']).toBe(45_000_000);
  });

  it('reads only the year asked for', () => {
    const r = reconcile({ ...empty, taxOrganisations: [{ taxCode: '2799999999', year: 2024, employeesPaid: 2, wageFund: 240_000_000 }] }, policy);
    expect(r.findings).toEqual([]);
  });
});
