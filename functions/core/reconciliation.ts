import { addDays, addMonths, firstDayOfPeriod, lastDayOfPeriod, type IsoDate, type Period } from './dates.ts';
import { inForceOn } from './effective-date.ts';
import type { Vnd } from './ledger.ts';
import type { Policy } from './policy.ts';
import type { ContributionRates, ReconciliationPolicy } from './policy/reconciliation-schema.ts';

/**
 * Finding who should pay but does not: the agency's records (SI units, their rosters, their debt)
 * matched with the tax authority's annual data (per organisation and per employee) and the business
 * register, by tax code and personal ID, for one year. Pure; money in whole dong, each month's
 * amount of each insurance type floored to the dong (the policy's `rounding`).
 *
 * Four kinds of finding:
 * 1. unregistered-organisation: pays wages per the tax data, but no SI unit has its tax code;
 * 2. unregistered-employee: paid by an SI unit per the tax data for more months than the unit's
 *    roster has them that year (and covered by the policy's compulsory-coverage test); an employee
 *    paid by two units is matched to each;
 * 3. under-declared-wage: the tax wage exceeds the roster's salary by more than the policy's
 *    threshold: per employee where the unit has per-employee tax data, else its wage fund;
 * 4. closed-with-debt: closed or suspended in the business register and still owing.
 *
 * Annual tax data tells how many months a payer paid, not which: the unregistered or under-declared
 * months are taken as the year's latest ones, so the evasion date given is the latest it can be,
 * never one the unit could dispute as too early.
 */

export const FINDING_KINDS = ['unregistered-organisation', 'unregistered-employee', 'under-declared-wage', 'closed-with-debt'] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

export const REGISTER_STATUSES = ['active', 'suspended', 'closed'] as const;
export type RegisterStatus = (typeof REGISTER_STATUSES)[number];

/** An SI unit as reconciliation sees it: its debt of the day and the deadline of its oldest late period. */
export interface SiUnit {
  unitCode: string;
  taxCode: string;
  debt: Vnd;
  oldestLateDeadline?: IsoDate | undefined;
}

/** One row of a unit's roster (its declared employees, form D02-LT). */
export interface RosterMember {
  unitCode: string;
  siCode: string;
  /** The 12-digit citizen ID number. */
  personalId: string;
  startMonth: Period;
  /** The last month on the roster; none while still employed. */
  endMonth?: Period | undefined;
  /** The monthly salary contributions are paid on. */
  salary: Vnd;
}

export interface TaxOrganisation {
  taxCode: string;
  year: number;
  employeesPaid: number;
  /** The year's total taxable wage fund. */
  wageFund: Vnd;
}

export interface TaxEmployee {
  personalId: string;
  payerTaxCode: string;
  year: number;
  monthsPaid: number;
  /** The year's taxable income from this payer. */
  taxableIncome: Vnd;
}

export interface BusinessRegistration {
  taxCode: string;
  status: RegisterStatus;
  statusDate: IsoDate;
}

export interface ReconciliationInput {
  year: number;
  asOf: IsoDate;
  units: readonly SiUnit[];
  roster: readonly RosterMember[];
  taxOrganisations: readonly TaxOrganisation[];
  taxEmployees: readonly TaxEmployee[];
  register: readonly BusinessRegistration[];
}

/** Contributions by insurance type, and by who bears them; `total` is both. */
export interface ContributionAmounts {
  si: Vnd;
  hi: Vnd;
  ui: Vnd;
  employer: Vnd;
  employee: Vnd;
  total: Vnd;
}

export interface Finding {
  kind: FindingKind;
  taxCode: string;
  /** The SI unit, when there is one (every kind but unregistered-organisation). */
  unitCode?: string;
  /** The employee, for findings about one employee (never logged: see `maskPersonalId`). */
  personalId?: string;
  /** What the estimate rests on: one employee's tax record, the unit's wage fund, or its ledger. */
  basis: 'per-employee' | 'wage-fund' | 'ledger';
  /** Months the estimate counts (employee-months for a unit or organisation). */
  months: number;
  /** Employees paid and covered per the tax data (unregistered-organisation only: every one of them is not covered). */
  employees?: number;
  /** The estimated contributions not paid; for closed-with-debt, the debt of the day. */
  notPaid: Vnd;
  /** The estimate by insurance type (none for closed-with-debt: its debt is the ledger's). */
  byType?: ContributionAmounts;
  /** The day from which it counts as evasion (Decree 274/2025), or null when nothing is late yet. */
  evasionFrom: IsoDate | null;
}

export interface ReconciliationResult {
  year: number;
  findings: Finding[];
  counts: Record<FindingKind, number>;
  notPaid: Record<FindingKind, Vnd>;
  /** SI units with tax data but no roster months that year: their wages could not be compared. */
  unchecked: string[];
}

const ZERO: ContributionAmounts = { si: 0, hi: 0, ui: 0, employer: 0, employee: 0, total: 0 };

/** The rates for a year's tax data: those in force at its end (annual data carries no months). */
export function ratesForYear(policy: ReconciliationPolicy, year: number): ContributionRates {
  return inForceOn(policy.rates, `${year}-12-31`);
}

export function wageCap(rates: ContributionRates): Vnd {
  return rates.wageCapMultiple * rates.referenceWage;
}

/** The wage contributions are paid on: never negative, never above the cap. */
export function contributionWage(wage: Vnd, rates: ContributionRates): Vnd {
  return Math.min(Math.max(0, Math.floor(wage)), wageCap(rates));
}

const part = (wage: Vnd, bps: number) => Math.floor((wage * bps) / 10_000);

/** One month's contributions on a wage (capped), each insurance type and party floored to the dong. */
export function monthlyContributions(wage: Vnd, rates: ContributionRates): ContributionAmounts {
  const w = contributionWage(wage, rates);
  const er = rates.employer;
  const ee = rates.employee;
  const erSi = part(w, er.siRetirement) + part(w, er.siSickness) + part(w, er.siAccident);
  const erHi = part(w, er.hi);
  const erUi = part(w, er.ui);
  const eeSi = part(w, ee.siRetirement);
  const eeHi = part(w, ee.hi);
  const eeUi = part(w, ee.ui);
  const employer = erSi + erHi + erUi;
  const employee = eeSi + eeHi + eeUi;
  return { si: erSi + eeSi, hi: erHi + eeHi, ui: erUi + eeUi, employer, employee, total: employer + employee };
}

const times = (a: ContributionAmounts, n: number): ContributionAmounts =>
  ({ si: a.si * n, hi: a.hi * n, ui: a.ui * n, employer: a.employer * n, employee: a.employee * n, total: a.total * n });
/** What is owed on `actual` beyond what `declared` paid, per month (never negative: contributions rise with the wage). */
const minus = (a: ContributionAmounts, b: ContributionAmounts): ContributionAmounts =>
  ({ si: a.si - b.si, hi: a.hi - b.hi, ui: a.ui - b.ui, employer: a.employer - b.employer, employee: a.employee - b.employee, total: a.total - b.total });
const plus = (a: ContributionAmounts, b: ContributionAmounts): ContributionAmounts => minus(a, times(b, -1));

/** The contributions of `months` months on a monthly wage (employer and employee, capped wage). */
export function estimateContributions(monthlyWage: Vnd, months: number, rates: ContributionRates): ContributionAmounts {
  return times(monthlyContributions(monthlyWage, rates), Math.max(0, Math.floor(months)));
}

/** The average monthly wage of a year's income over the months paid, floored. */
const monthlyWageOf = (income: Vnd, months: number) => (months > 0 ? Math.floor(income / months) : 0);

/** The compulsory-coverage test on one employee's tax record with one payer. */
export function isCompulsorilyCovered(employee: Pick<TaxEmployee, 'monthsPaid' | 'taxableIncome'>, policy: ReconciliationPolicy, rates: ContributionRates): boolean {
  const { minMonthsPaid, minWagePercentOfReference } = policy.coverage;
  if (employee.monthsPaid < minMonthsPaid) return false;
  return monthlyWageOf(employee.taxableIncome, employee.monthsPaid) * 100 >= rates.referenceWage * minWagePercentOfReference;
}

/** The months of a year a roster member is on the roster for (several rows of one person count each month once). */
function rosterMonthsIn(rows: readonly RosterMember[], year: number): Set<Period> {
  const months = new Set<Period>();
  const first = `${year}-01`;
  const last = `${year}-12`;
  for (const r of rows) {
    const from = r.startMonth > first ? r.startMonth : first;
    const to = r.endMonth === undefined || r.endMonth > last ? last : r.endMonth;
    for (let m = from; m <= to; m = addMonths(m, 1)) months.add(m);
  }
  return months;
}

/** The first of the year's latest `months` months: where the uncounted months are taken to start. */
const latestMonthsStart = (year: number, months: number): Period => `${year}-${String(13 - Math.min(Math.max(months, 1), 12)).padStart(2, '0')}`;

/** Decree 274/2025: evasion from the day after `unregisteredEvasionAfterDays` past the registration deadline of a month's new contract. */
export function unregisteredEvasionFrom(firstMonth: Period, policy: ReconciliationPolicy): IsoDate {
  const deadline = addDays(firstDayOfPeriod(firstMonth), policy.registrationDays);
  return addDays(deadline, policy.unregisteredEvasionAfterDays + 1);
}

/** Decree 274/2025: a wage declared too low is evasion after the last day of the month following the month declared. */
export function underDeclaredEvasionFrom(month: Period, policy: ReconciliationPolicy): IsoDate {
  return addDays(lastDayOfPeriod(addMonths(month, policy.underDeclaredEvasionMonthsAfter)), 1);
}

/** A personal ID as screens and reports that do not need it whole show it: the last four digits. */
export function maskPersonalId(personalId: string): string {
  return `********${personalId.slice(-4)}`;
}

/** Whether `actual` exceeds `declared` by more than the threshold percent (integers only). */
const exceeds = (actual: Vnd, declared: Vnd, percent: number) => actual * 100 > declared * (100 + percent);

export function reconcile(input: ReconciliationInput, policy: Pick<Policy, 'reconciliation' | 'evasionAfterDays'>): ReconciliationResult {
  const p = policy.reconciliation;
  const { year } = input;
  const rates = ratesForYear(p, year);

  const unitsByTax = new Map<string, SiUnit>();
  for (const u of [...input.units].sort((a, b) => (a.unitCode < b.unitCode ? -1 : 1))) if (!unitsByTax.has(u.taxCode)) unitsByTax.set(u.taxCode, u);
  const rosterOf = groupBy(input.roster, (r) => r.unitCode);
  // One record per person and payer: rows repeated in the data are added up, never counted as two people.
  const employeesOf = new Map<string, Map<string, TaxEmployee>>();
  for (const e of input.taxEmployees) {
    if (e.year !== year) continue;
    const byPerson = employeesOf.get(e.payerTaxCode) ?? new Map<string, TaxEmployee>();
    const seen = byPerson.get(e.personalId);
    byPerson.set(e.personalId, seen
      ? { ...seen, monthsPaid: Math.min(12, seen.monthsPaid + e.monthsPaid), taxableIncome: seen.taxableIncome + e.taxableIncome }
      : e);
    employeesOf.set(e.payerTaxCode, byPerson);
  }
  const organisations = new Map<string, TaxOrganisation>();
  for (const o of input.taxOrganisations) if (o.year === year && !organisations.has(o.taxCode)) organisations.set(o.taxCode, o);

  const findings: Finding[] = [];
  const unchecked: string[] = [];
  const taxCodes = [...new Set([...organisations.keys(), ...employeesOf.keys()])].sort();

  for (const taxCode of taxCodes) {
    const unit = unitsByTax.get(taxCode);
    const org = organisations.get(taxCode);
    const employees = [...(employeesOf.get(taxCode)?.values() ?? [])].sort((a, b) => (a.personalId < b.personalId ? -1 : 1));
    if (!unit) {
      const f = unregisteredOrganisation(taxCode, org, employees, p, rates, year);
      if (f) findings.push(f);
      continue;
    }
    const roster = rosterOf.get(unit.unitCode) ?? [];
    const rosterByPerson = groupBy(roster, (r) => r.personalId);
    const unitMonths = rosterMonthsIn(roster, year);
    if (employees.length > 0) {
      for (const e of employees) {
        const rows = rosterByPerson.get(e.personalId) ?? [];
        const onRoster = rosterMonthsIn(rows, year);
        const missing = e.monthsPaid - onRoster.size;
        if (missing > 0 && isCompulsorilyCovered(e, p, rates)) {
          const byType = estimateContributions(monthlyWageOf(e.taxableIncome, e.monthsPaid), missing, rates);
          findings.push({
            kind: 'unregistered-employee', taxCode, unitCode: unit.unitCode, personalId: e.personalId, basis: 'per-employee',
            months: missing, notPaid: byType.total, byType, evasionFrom: unregisteredEvasionFrom(latestMonthsStart(year, missing), p),
          });
        }
        const declaredMonths = Math.min(e.monthsPaid, onRoster.size);
        if (declaredMonths === 0) continue;
        const taxWage = monthlyWageOf(e.taxableIncome, e.monthsPaid);
        const declared = averageSalary(rows, onRoster);
        if (!exceeds(taxWage, declared, p.underDeclaredPercent)) continue;
        const byType = times(minus(monthlyContributions(taxWage, rates), monthlyContributions(declared, rates)), declaredMonths);
        // Both wages above the cap: the contributions were right.
        if (byType.total === 0) continue;
        const months = [...onRoster].sort();
        findings.push({
          kind: 'under-declared-wage', taxCode, unitCode: unit.unitCode, personalId: e.personalId, basis: 'per-employee',
          months: declaredMonths, notPaid: byType.total, byType, evasionFrom: underDeclaredEvasionFrom(months[months.length - declaredMonths]!, p),
        });
      }
    } else if (org) {
      if (unitMonths.size === 0) {
        unchecked.push(unit.unitCode);
        continue;
      }
      const { fund, memberMonths, latest } = rosterFund(roster, year);
      if (!exceeds(org.wageFund, fund, p.underDeclaredPercent)) continue;
      const byType = times(minus(monthlyContributions(Math.floor(org.wageFund / memberMonths), rates), monthlyContributions(Math.floor(fund / memberMonths), rates)), memberMonths);
      if (byType.total === 0) continue;
      findings.push({
        kind: 'under-declared-wage', taxCode, unitCode: unit.unitCode, basis: 'wage-fund',
        months: memberMonths, notPaid: byType.total, byType, evasionFrom: underDeclaredEvasionFrom(latest, p),
      });
    }
  }

  const statusOf = new Map<string, BusinessRegistration>();
  for (const r of input.register) {
    const seen = statusOf.get(r.taxCode);
    if (r.statusDate <= input.asOf && (!seen || r.statusDate > seen.statusDate)) statusOf.set(r.taxCode, r);
  }
  for (const unit of [...input.units].sort((a, b) => (a.unitCode < b.unitCode ? -1 : 1))) {
    const r = statusOf.get(unit.taxCode);
    if (!r || r.status === 'active' || unit.debt <= 0) continue;
    findings.push({
      kind: 'closed-with-debt', taxCode: unit.taxCode, unitCode: unit.unitCode, basis: 'ledger', months: 0, notPaid: unit.debt,
      evasionFrom: unit.oldestLateDeadline ? addDays(unit.oldestLateDeadline, policy.evasionAfterDays + 1) : null,
    });
  }

  findings.sort((a, b) => FINDING_KINDS.indexOf(a.kind) - FINDING_KINDS.indexOf(b.kind));
  const counts = Object.fromEntries(FINDING_KINDS.map((k) => [k, 0])) as Record<FindingKind, number>;
  const notPaid = Object.fromEntries(FINDING_KINDS.map((k) => [k, 0])) as Record<FindingKind, Vnd>;
  for (const f of findings) {
    counts[f.kind]++;
    notPaid[f.kind] += f.notPaid;
  }
  return { year, findings, counts, notPaid, unchecked };
}

function unregisteredOrganisation(
  taxCode: string, org: TaxOrganisation | undefined, employees: readonly TaxEmployee[], p: ReconciliationPolicy, rates: ContributionRates, year: number,
): Finding | undefined {
  const covered = employees.filter((e) => isCompulsorilyCovered(e, p, rates));
  if (covered.length > 0) {
    let byType = ZERO;
    let months = 0;
    for (const e of covered) {
      byType = plus(byType, estimateContributions(monthlyWageOf(e.taxableIncome, e.monthsPaid), e.monthsPaid, rates));
      months += e.monthsPaid;
    }
    const longest = Math.max(...covered.map((e) => e.monthsPaid));
    return { kind: 'unregistered-organisation', taxCode, basis: 'per-employee', months, employees: covered.length, notPaid: byType.total, byType, evasionFrom: unregisteredEvasionFrom(latestMonthsStart(year, longest), p) };
  }
  // Per-employee data that shows nobody covered outweighs the fund: the organisation owes nothing compulsory.
  if (employees.length > 0 || !org || org.employeesPaid === 0 || org.wageFund === 0) return undefined;
  // The fund alone: spread over every employee for the whole year (the lowest average wage, so the cap takes the least).
  const months = org.employeesPaid * 12;
  const byType = estimateContributions(Math.floor(org.wageFund / months), months, rates);
  if (byType.total === 0) return undefined;
  return { kind: 'unregistered-organisation', taxCode, basis: 'wage-fund', months, employees: org.employeesPaid, notPaid: byType.total, byType, evasionFrom: unregisteredEvasionFrom(`${year}-12`, p) };
}

/** The roster's declared salary fund for a year, its member-months and its latest month. */
function rosterFund(roster: readonly RosterMember[], year: number): { fund: Vnd; memberMonths: number; latest: Period } {
  let fund = 0;
  let memberMonths = 0;
  let latest = `${year}-01`;
  for (const rows of groupBy(roster, (r) => r.personalId).values()) {
    for (const m of rosterMonthsIn(rows, year)) {
      fund += salaryIn(rows, m);
      memberMonths++;
      if (m > latest) latest = m;
    }
  }
  return { fund, memberMonths, latest };
}

/** The salary of the roster row covering a month (the latest-starting one, if rows overlap). */
function salaryIn(rows: readonly RosterMember[], month: Period): Vnd {
  let found: RosterMember | undefined;
  for (const r of rows) {
    if (r.startMonth <= month && (r.endMonth === undefined || r.endMonth >= month) && (!found || r.startMonth >= found.startMonth)) found = r;
  }
  return found?.salary ?? 0;
}

/** The average declared salary over the months on the roster, floored. */
function averageSalary(rows: readonly RosterMember[], months: ReadonlySet<Period>): Vnd {
  let sum = 0;
  for (const m of months) sum += salaryIn(rows, m);
  return months.size === 0 ? 0 : Math.floor(sum / months.size);
}

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = map.get(k);
    if (list) list.push(item);
    else map.set(k, [item]);
  }
  return map;
}
