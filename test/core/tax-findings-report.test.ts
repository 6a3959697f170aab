import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FINDING_KINDS } from '../../functions/core/reconciliation.ts';
import { TAX_CHECK_OUTCOMES } from '../../functions/core/tax-check.ts';
import {
  TaxFindingsReportBuilder, UNKNOWN_COMMUNE, coveredIn, employeesNotCoveredOf, latestCheckPerFinding, quartersOfYearTo,
  type ReportedCheck, type TaxFindingsFigures, type TaxFindingsGroup,
} from '../../functions/core/tax-findings-report.ts';

const MONTH = '2026-11';

const check = (district: string, commune: string, kind: ReportedCheck['finding']['kind'], notPaid: number, outcome?: ReportedCheck['outcome'], extra: Partial<ReportedCheck['finding']> = {}): ReportedCheck =>
  ({ district, commune, finding: { kind, notPaid, months: 12, ...extra }, outcome });

/** Every additive figure of a group, flat (the outcomes one by one). */
function additive(g: TaxFindingsFigures): Record<string, number> {
  const { closed, ...rest } = g as TaxFindingsGroup;
  const flat: Record<string, number> = {};
  for (const [k, v] of Object.entries(rest)) if (typeof v === 'number' && k !== 'participantsTarget' && k !== 'participantsPercentOfPlan') flat[k] = v;
  for (const o of TAX_CHECK_OUTCOMES) flat[`closed.${o}`] = closed[o];
  return flat;
}

describe('tax findings report', () => {
  it('counts each kind, the outcomes, the registrations and the participants per district and commune, against the plan by count', () => {
    const b = new TaxFindingsReportBuilder(MONTH);
    b.addCheck(check('Tam Điệp', UNKNOWN_COMMUNE, 'unregistered-organisation', 100_000_000, undefined, { employees: 3 }));
    b.addCheck(check('Tam Điệp', 'Bắc Sơn', 'unregistered-employee', 20_000_000, 'registered'));
    b.addCheck(check('Tam Điệp', 'Bắc Sơn', 'under-declared-wage', 5_000_000, 'wage-corrected'));
    b.addCheck(check('Tam Điệp', 'Nam Sơn', 'under-declared-wage', 7_000_000, 'explained'));
    b.addCheck(check('Nho Quan', 'Đông Sơn', 'closed-with-debt', 900_000_000, 'refer-to-inspection'));
    b.addRegistered({ district: 'Tam Điệp', commune: 'Bắc Sơn' }, 4);
    b.addParticipants({ district: 'Tam Điệp', commune: 'Bắc Sơn' }, 60);
    b.addParticipants({ district: 'Tam Điệp', commune: 'Nam Sơn' }, 40);
    b.addParticipants({ district: 'Nho Quan', commune: 'Đông Sơn' }, 10);
    const r = b.finish([
      { scope: 'district', key: 'Tam Điệp', year: 2026, compulsoryParticipants: 120 },
      { scope: 'commune', key: 'Tam Điệp/Bắc Sơn', year: 2026, compulsoryParticipants: 50 },
      { scope: 'commune', key: 'Tam Điệp/Nam Sơn', year: 2025, compulsoryParticipants: 50 },
    ]);
    expect(r.quarters).toEqual(['2026-Q1', '2026-Q2', '2026-Q3', '2026-Q4']);
    expect(r.office).toMatchObject({
      findings: 5, organisationsFound: 1, employeesNotCovered: 4, underDeclaredWage: 2, closedWithDebt: 1,
      // The closed unit's debt is the ledger's: not an estimate.
      notPaid: 132_000_000, notPaidOpen: 100_000_000, open: 1,
      closed: { registered: 1, 'wage-corrected': 1, explained: 1, 'refer-to-inspection': 1 },
      registeredAfterCheck: 4, compulsoryParticipants: 110,
      // Nho Quan has no target: the office's is not the sum of a part.
      participantsTarget: null, participantsPercentOfPlan: null,
    });
    const tamDiep = r.districts.find((d) => d.district === 'Tam Điệp')!;
    expect(tamDiep).toMatchObject({ compulsoryParticipants: 100, participantsTarget: 120, participantsPercentOfPlan: 83.3 });
    expect(r.communes.map((c) => [c.commune, c.participantsTarget, c.participantsPercentOfPlan])).toEqual([
      ['Đông Sơn', null, null], ['(không rõ)', null, null], ['Bắc Sơn', 50, 120], ['Nam Sơn', null, null],
    ]);
  });

  it('gives the office its districts\' target when every district has one', () => {
    const b = new TaxFindingsReportBuilder(MONTH);
    b.addParticipants({ district: 'Tam Điệp', commune: 'Bắc Sơn' }, 12_082);
    const r = b.finish([{ scope: 'district', key: 'Tam Điệp', year: 2026, compulsoryParticipants: 13_176 }]);
    expect(r.office).toMatchObject({ compulsoryParticipants: 12_082, participantsTarget: 13_176, participantsPercentOfPlan: 91.7 });
  });

  it('adds up: the districts to the office, the communes to their district', () => {
    const where = fc.record({ district: fc.constantFrom('Tam Điệp', 'Nho Quan', 'Yên Mô'), commune: fc.constantFrom('Bắc Sơn', 'Nam Sơn', UNKNOWN_COMMUNE) });
    const reported = fc.record({
      where,
      kind: fc.constantFrom(...FINDING_KINDS),
      notPaid: fc.integer({ min: 0, max: 5_000_000_000 }),
      months: fc.integer({ min: 0, max: 1_200 }),
      employees: fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }),
      outcome: fc.option(fc.constantFrom(...TAX_CHECK_OUTCOMES), { nil: undefined }),
    });
    fc.assert(fc.property(
      fc.array(reported, { maxLength: 40 }),
      fc.array(fc.tuple(where, fc.integer({ min: 1, max: 50 })), { maxLength: 10 }),
      fc.array(fc.tuple(where, fc.integer({ min: 0, max: 5_000 })), { maxLength: 10 }),
      (checks, registered, participants) => {
        const b = new TaxFindingsReportBuilder(MONTH);
        for (const c of checks) b.addCheck({ ...c.where, finding: { kind: c.kind, notPaid: c.notPaid, months: c.months, employees: c.employees }, outcome: c.outcome });
        for (const [w, n] of registered) b.addRegistered(w, n);
        for (const [w, n] of participants) b.addParticipants(w, n);
        const r = b.finish([]);
        const sum = (groups: readonly TaxFindingsGroup[]) => {
          const total: Record<string, number> = {};
          for (const g of groups) for (const [k, v] of Object.entries(additive(g))) total[k] = (total[k] ?? 0) + v;
          return total;
        };
        const office = additive(r.office);
        expect(sum(r.districts)).toEqual(r.districts.length === 0 ? {} : office);
        for (const d of r.districts) expect(sum(r.communes.filter((c) => c.district === d.district))).toEqual(additive(d));
        expect(office.findings).toBe(checks.length);
        expect(office.open! + TAX_CHECK_OUTCOMES.reduce((s, o) => s + office[`closed.${o}`]!, 0)).toBe(checks.length);
      },
    ));
  });

  it('keeps the latest quarter\'s check of a finding found again', () => {
    const finding = { kind: 'unregistered-employee' as const, year: 2025, taxCode: '2700000001', unitCode: 'TD000001', personalId: '001085000001' };
    const checks = [
      { quarter: '2026-Q1', finding, id: 'a' },
      { quarter: '2026-Q3', finding, id: 'c' },
      { quarter: '2026-Q2', finding: { ...finding, personalId: '001085000002' }, id: 'b' },
      { quarter: '2026-Q2', finding, id: 'b2' },
    ];
    expect(latestCheckPerFinding(checks).map((c) => c.id).sort()).toEqual(['b', 'c']);
  });

  it('counts employees not covered and roster members covered in a month', () => {
    expect(employeesNotCoveredOf({ kind: 'unregistered-employee', months: 5 })).toBe(1);
    expect(employeesNotCoveredOf({ kind: 'unregistered-organisation', months: 30, employees: 4 })).toBe(4);
    // A finding kept before employees were counted: the fewest its employee-months allow.
    expect(employeesNotCoveredOf({ kind: 'unregistered-organisation', months: 30 })).toBe(3);
    expect(employeesNotCoveredOf({ kind: 'under-declared-wage', months: 12 })).toBe(0);
    expect(coveredIn([
      { personalId: 'a', startMonth: '2024-01' },
      { personalId: 'a', startMonth: '2026-01', endMonth: '2026-12' },
      { personalId: 'b', startMonth: '2025-01', endMonth: '2026-10' },
      { personalId: 'c', startMonth: '2026-12' },
    ], '2026-11')).toBe(1);
    expect(quartersOfYearTo('2027-02')).toEqual(['2027-Q1']);
  });
});
