import type { Period } from './dates.ts';
import type { Vnd } from './ledger.ts';
import { quarterOf } from './quarterly-list.ts';
import type { Finding, FindingKind } from './reconciliation.ts';
import { TAX_CHECK_OUTCOMES, type TaxCheckOutcome } from './tax-check.ts';
import type { Target } from './collection-report.ts';

/**
 * The collection report's section on reconciliation with tax data (issue 14, "find who should pay
 * but doesn't"): per office, district and commune, the year's findings and what their tax-data
 * checks came to, the employees registered after a check, and the compulsory participants (roster
 * members covered in the report month) against the plan's target by count. Pure: the step reads the
 * checks, the registrations and the rosters; this only counts. Groups are as many as the districts
 * and communes, never the findings.
 *
 * Where a finding counts: the unit's district and commune (its profile); an organisation with no SI
 * unit by the tax data's district, its commune unknown (`UNKNOWN_COMMUNE`).
 */

export const UNKNOWN_COMMUNE = '(không rõ)';

/** What a finding's check is known by across quarters: each quarter's run opens its own check for a finding still found. */
export type FindingIdentity = Pick<Finding, 'kind' | 'taxCode' | 'unitCode' | 'personalId'> & { year: number };

export const findingIdentity = (f: FindingIdentity): string => [f.kind, f.year, f.taxCode, f.unitCode ?? '', f.personalId ?? ''].join('|');

/** One finding in the report: where it counts, and its check's outcome (none while the check is open). */
export interface ReportedCheck {
  district: string;
  commune: string;
  finding: Pick<Finding, 'kind' | 'notPaid' | 'months' | 'employees'>;
  outcome?: TaxCheckOutcome | undefined;
}

export interface TaxFindingsFigures {
  /** Findings of every kind. */
  findings: number;
  /** Organisations paying wages per the tax data with no SI unit. */
  organisationsFound: number;
  /** Employees paid and covered per the tax data but on no roster (unregistered employees, and every covered employee of an organisation found). */
  employeesNotCovered: number;
  underDeclaredWage: number;
  closedWithDebt: number;
  /** Estimated contributions not paid (the three estimated kinds; a closed unit's debt is the ledger's, in the arrears above). */
  notPaid: Vnd;
  /** Of which on findings whose check is still open. */
  notPaidOpen: Vnd;
  closed: Record<TaxCheckOutcome, number>;
  open: number;
  /** Employees registered after a check (the year's registrations, by the check's unit). */
  registeredAfterCheck: number;
  /** Roster members covered in the report month (each person once per unit). */
  compulsoryParticipants: number;
}

export interface TaxFindingsGroup extends TaxFindingsFigures {
  level: 'office' | 'district' | 'commune';
  district: string | null;
  commune: string | null;
  /** The plan's target of compulsory participants by count (the office's: its districts' sum, when every one has one). */
  participantsTarget: number | null;
  participantsPercentOfPlan: number | null;
}

export interface TaxFindingsReport {
  year: number;
  /** The quarters whose checks are counted: the report year's, up to the report date's. */
  quarters: string[];
  /** The month compulsory participants are counted in. */
  month: Period;
  office: TaxFindingsGroup;
  districts: TaxFindingsGroup[];
  communes: TaxFindingsGroup[];
}

/** The report year's quarters up to the one of `month`. */
export function quartersOfYearTo(month: Period): string[] {
  const last = Number(quarterOf(`${month}-01`).slice(-1));
  return Array.from({ length: last }, (_, i) => `${month.slice(0, 4)}-Q${i + 1}`);
}

/** Of the checks of several quarters, the latest one per finding (the finding as it stands). */
export function latestCheckPerFinding<T extends { quarter: string; finding: FindingIdentity }>(checks: readonly T[]): T[] {
  const latest = new Map<string, T>();
  for (const c of checks) {
    const id = findingIdentity(c.finding);
    const seen = latest.get(id);
    if (!seen || c.quarter > seen.quarter) latest.set(id, c);
  }
  return [...latest.values()];
}

/**
 * Employees a finding shows not covered: one for an employee off the roster; for an organisation
 * found, its covered employees (a finding kept before they were counted: its employee-months over
 * twelve, rounded up, the fewest it can be).
 */
export function employeesNotCoveredOf(finding: Pick<Finding, 'kind' | 'months' | 'employees'>): number {
  if (finding.kind === 'unregistered-employee') return 1;
  if (finding.kind === 'unregistered-organisation') return finding.employees ?? Math.ceil(finding.months / 12);
  return 0;
}

const ESTIMATED: readonly FindingKind[] = ['unregistered-organisation', 'unregistered-employee', 'under-declared-wage'];

/** Roster members covered in a month: each person once, whatever their rows. */
export function coveredIn(rows: readonly { personalId: string; startMonth: Period; endMonth?: Period | undefined }[], month: Period): number {
  const people = new Set<string>();
  for (const r of rows) if (r.startMonth <= month && (r.endMonth === undefined || r.endMonth >= month)) people.add(r.personalId);
  return people.size;
}

function newFigures(): TaxFindingsFigures {
  return {
    findings: 0, organisationsFound: 0, employeesNotCovered: 0, underDeclaredWage: 0, closedWithDebt: 0, notPaid: 0, notPaidOpen: 0,
    closed: Object.fromEntries(TAX_CHECK_OUTCOMES.map((o) => [o, 0])) as Record<TaxCheckOutcome, number>, open: 0,
    registeredAfterCheck: 0, compulsoryParticipants: 0,
  };
}

export class TaxFindingsReportBuilder {
  private readonly office = newFigures();
  private readonly districts = new Map<string, TaxFindingsFigures>();
  private readonly communes = new Map<string, TaxFindingsFigures & { district: string; commune: string }>();

  constructor(private readonly month: Period) {}

  private accs(district: string, commune: string): TaxFindingsFigures[] {
    const d = this.districts.get(district) ?? this.districts.set(district, newFigures()).get(district)!;
    const key = `${district}/${commune}`;
    const c = this.communes.get(key) ?? this.communes.set(key, { ...newFigures(), district, commune }).get(key)!;
    return [this.office, d, c];
  }

  addCheck(check: ReportedCheck): void {
    const { kind, notPaid } = check.finding;
    const estimated = ESTIMATED.includes(kind);
    for (const acc of this.accs(check.district, check.commune)) {
      acc.findings++;
      if (kind === 'unregistered-organisation') acc.organisationsFound++;
      if (kind === 'under-declared-wage') acc.underDeclaredWage++;
      if (kind === 'closed-with-debt') acc.closedWithDebt++;
      acc.employeesNotCovered += employeesNotCoveredOf(check.finding);
      if (estimated) acc.notPaid += notPaid;
      if (check.outcome) acc.closed[check.outcome]++;
      else {
        acc.open++;
        if (estimated) acc.notPaidOpen += notPaid;
      }
    }
  }

  addRegistered(where: { district: string; commune: string }, registered: number): void {
    for (const acc of this.accs(where.district, where.commune)) acc.registeredAfterCheck += registered;
  }

  addParticipants(where: { district: string; commune: string }, count: number): void {
    for (const acc of this.accs(where.district, where.commune)) acc.compulsoryParticipants += count;
  }

  finish(targets: readonly Target[]): TaxFindingsReport {
    const year = Number(this.month.slice(0, 4));
    const targetOf = (scope: 'district' | 'commune', key: string) =>
      targets.find((t) => t.scope === scope && t.key === key && t.year === year)?.compulsoryParticipants ?? null;
    const group = (f: TaxFindingsFigures, level: TaxFindingsGroup['level'], district: string | null, commune: string | null, target: number | null): TaxFindingsGroup => {
      const { district: _d, commune: _c, ...figures } = f as TaxFindingsFigures & { district?: string; commune?: string };
      return {
        ...figures, closed: { ...f.closed }, level, district, commune, participantsTarget: target,
        participantsPercentOfPlan: target ? Math.round((f.compulsoryParticipants * 1000) / target) / 10 : null,
      };
    };
    const byName = (a: TaxFindingsGroup, b: TaxFindingsGroup) =>
      (a.district ?? '').localeCompare(b.district ?? '', 'vi') || (a.commune ?? '').localeCompare(b.commune ?? '', 'vi');
    const districts = [...this.districts.entries()].map(([d, f]) => group(f, 'district', d, null, targetOf('district', d))).sort(byName);
    const communes = [...this.communes.values()].map((c) => group(c, 'commune', c.district, c.commune, targetOf('commune', `${c.district}/${c.commune}`))).sort(byName);
    const officeTarget = districts.length > 0 && districts.every((d) => d.participantsTarget !== null)
      ? districts.reduce((s, d) => s + d.participantsTarget!, 0) : null;
    return { year, quarters: quartersOfYearTo(this.month), month: this.month, office: group(this.office, 'office', null, null, officeTarget), districts, communes };
  }
}
