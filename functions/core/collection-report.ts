import { addDays, addMonthsToDate, periodOf, type IsoDate, type Period } from './dates.ts';
import { ledgerStatus, type ContributionPeriod, type Payment, type Vnd } from './ledger.ts';
import { classifyArrears } from './quarterly-list.ts';
import { monthsOverdueBucket, type MonthsOverdueBucket } from './run-summary.ts';
import type { Hold } from './escalation.ts';
import type { Policy, StageName } from './policy.ts';
import type { RenewalReport } from './renewal-report.ts';
import type { TaxFindingsReport } from './tax-findings-report.ts';

/**
 * The collection report managers read: per office, district and commune, what was receivable,
 * what came in, the arrears and the debt ratio (arrears / receivable) with its trend over the last
 * cycles, units by months overdue and evasion, cases by stage, and each figure against the plan
 * targets; and the voluntary participants' renewals (the renewal report's figures, per commune and
 * collection agent against their targets). Built by streaming units through an accumulator whose size is the number of groups,
 * never the number of units. Pure: the step reads the store, this only counts.
 */

export const TREND_CYCLES = 12;

export interface ReportUnit {
  unitCode: string;
  district: string;
  commune: string;
  periods: readonly ContributionPeriod[];
  payments: readonly Payment[];
  caseStage?: StageName | null | undefined;
  hold?: Hold | undefined;
}

export type TargetScope = 'district' | 'commune' | 'officer';

/** A plan target for a year: money to collect, and a ceiling on the debt ratio. */
export interface Target {
  scope: TargetScope;
  /** District name; `district/commune` for a commune; the officer id. */
  key: string;
  year: number;
  collected?: Vnd | undefined;
  maxDebtRatioPercent?: number | undefined;
  /** Compulsory participants by count (reconciliation's section: functions/core/tax-findings-report.ts). */
  compulsoryParticipants?: number | undefined;
}

export interface TrendPoint {
  cycle: Period;
  asOf: IsoDate;
  receivable: Vnd;
  arrears: Vnd;
  debtRatioPercent: number;
}

export interface Figures {
  units: number;
  /** Due in the policy's receivable window (the last 12 months of deadlines) before the report date. */
  receivable: Vnd;
  /** Paid in the same window. */
  collected: Vnd;
  arrears: Vnd;
  interest: Vnd;
  debtRatioPercent: number;
  byMonthsOverdue: Record<MonthsOverdueBucket, number>;
  evading: number;
  casesByStage: Record<StageName, number>;
  onHold: number;
}

export interface Against {
  collectedTarget: Vnd | null;
  /** Collected this year so far as a share of the year's target. */
  collectedPercentOfPlan: number | null;
  maxDebtRatioPercent: number | null;
  debtRatioMet: boolean | null;
}

export interface GroupReport extends Figures {
  level: 'office' | 'district' | 'commune';
  district: string | null;
  commune: string | null;
  /** Collected since 1 January of the report year, for the plan. */
  collectedThisYear: Vnd;
  trend: TrendPoint[];
  target: Against;
}

export interface OfficerReport {
  officerId: string;
  role: string;
  district: string;
  communes: string[];
  openTasks: number;
  overdueTasks: number;
  /** The communes' units: what the officer answers for. */
  units: number;
  collectedThisYear: Vnd;
  arrears: Vnd;
  receivable: Vnd;
  debtRatioPercent: number;
  target: Against;
}

export interface CollectionReport {
  asOf: IsoDate;
  policyVersion: string;
  receivableFrom: IsoDate;
  office: GroupReport;
  districts: GroupReport[];
  communes: GroupReport[];
  officers: OfficerReport[];
  /** Voluntary SI participants and HI households whose cover ended in the month before the report date; null without their data. */
  participants: RenewalReport | null;
  /** The year's findings from tax data and their checks, and the compulsory participants against plan; null without any. */
  taxFindings: TaxFindingsReport | null;
}

interface Acc extends Figures {
  collectedThisYear: Vnd;
  trend: { receivable: Vnd; arrears: Vnd }[];
}

const ratio = (arrears: Vnd, receivable: Vnd) => (receivable === 0 ? 0 : Math.round((arrears * 10_000) / receivable) / 100);

function newAcc(): Acc {
  return {
    units: 0, receivable: 0, collected: 0, arrears: 0, interest: 0, debtRatioPercent: 0,
    byMonthsOverdue: { '1': 0, '2': 0, '3-5': 0, '6+': 0 }, evading: 0,
    casesByStage: { 'urging-notice': 0, 'officer-visit': 0, inspection: 0 }, onHold: 0,
    collectedThisYear: 0,
    trend: Array.from({ length: TREND_CYCLES }, () => ({ receivable: 0, arrears: 0 })),
  };
}

/** The report dates of the trend, oldest first, ending with the report's own date. */
export function trendDates(asOf: IsoDate): IsoDate[] {
  return Array.from({ length: TREND_CYCLES }, (_, i) => addMonthsToDate(asOf, i - (TREND_CYCLES - 1)));
}

/** Streams units in; `finish` adds officers and targets and returns the report. */
export class CollectionReportBuilder {
  private readonly office = newAcc();
  private readonly districts = new Map<string, Acc>();
  private readonly communes = new Map<string, Acc & { district: string; commune: string }>();
  private readonly dates: IsoDate[];
  private readonly yearStart: IsoDate;

  constructor(private readonly asOf: IsoDate, private readonly policy: Policy) {
    this.dates = trendDates(asOf);
    this.yearStart = `${asOf.slice(0, 4)}-01-01`;
  }

  add(unit: ReportUnit): void {
    const district = this.districts.get(unit.district) ?? this.districts.set(unit.district, newAcc()).get(unit.district)!;
    const communeKey = `${unit.district}/${unit.commune}`;
    const commune = this.communes.get(communeKey) ?? this.communes.set(communeKey, { ...newAcc(), district: unit.district, commune: unit.commune }).get(communeKey)!;
    const accs = [this.office, district, commune];

    const status = ledgerStatus(unit.periods, unit.payments, this.asOf, this.policy);
    const from = addMonthsToDate(this.asOf, -this.policy.report.receivableMonths);
    const receivable = sumDue(unit.periods, from, this.asOf);
    const collected = sumPaid(unit.payments, from, this.asOf);
    const collectedThisYear = sumPaid(unit.payments, this.yearStart, addDays(this.asOf, 1));
    const arrears = classifyArrears(status, this.policy, unit.hold);
    const onHold = unit.hold !== undefined && this.asOf <= unit.hold.until && status.monthsOverdue > 0;
    for (const acc of accs) {
      acc.units++;
      acc.receivable += receivable;
      acc.collected += collected;
      acc.collectedThisYear += collectedThisYear;
      acc.arrears += status.overduePrincipal;
      acc.interest += status.interestOutstanding;
      if (status.monthsOverdue > 0) acc.byMonthsOverdue[monthsOverdueBucket(status.monthsOverdue)]++;
      if (arrears.class === 'evading') acc.evading++;
      if (unit.caseStage) acc.casesByStage[unit.caseStage]++;
      if (onHold) acc.onHold++;
    }
    // The trend: the same ledger as it stood on each earlier report date.
    this.dates.forEach((date, i) => {
      const past = i === this.dates.length - 1 ? status : ledgerStatus(unit.periods, unit.payments, date, this.policy);
      const due = sumDue(unit.periods, addMonthsToDate(date, -this.policy.report.receivableMonths), date);
      for (const acc of accs) {
        acc.trend[i]!.receivable += due;
        acc.trend[i]!.arrears += past.overduePrincipal;
      }
    });
  }

  finish(officers: readonly OfficerInput[], targets: readonly Target[], participants: RenewalReport | null = null, taxFindings: TaxFindingsReport | null = null): CollectionReport {
    const year = Number(this.asOf.slice(0, 4));
    const targetOf = (scope: TargetScope, key: string) => targets.find((t) => t.scope === scope && t.key === key && t.year === year);
    const group = (acc: Acc, level: GroupReport['level'], district: string | null, commune: string | null, target?: Target): GroupReport => {
      const { trend, ...figures } = acc;
      const debtRatioPercent = ratio(acc.arrears, acc.receivable);
      return {
        ...figures, debtRatioPercent, level, district, commune,
        trend: trend.map((t, i) => ({ cycle: periodOf(this.dates[i]!), asOf: this.dates[i]!, receivable: t.receivable, arrears: t.arrears, debtRatioPercent: ratio(t.arrears, t.receivable) })),
        target: against(acc.collectedThisYear, debtRatioPercent, target),
      };
    };
    const byName = <T extends { district: string | null; commune: string | null }>(a: T, b: T) =>
      (a.district ?? '').localeCompare(b.district ?? '', 'vi') || (a.commune ?? '').localeCompare(b.commune ?? '', 'vi');
    const communes = [...this.communes.values()].map((c) => group(c, 'commune', c.district, c.commune, targetOf('commune', `${c.district}/${c.commune}`))).sort(byName);
    return {
      asOf: this.asOf,
      policyVersion: this.policy.version,
      receivableFrom: addMonthsToDate(this.asOf, -this.policy.report.receivableMonths),
      office: group(this.office, 'office', null, null),
      districts: [...this.districts.entries()].map(([d, acc]) => group(acc, 'district', d, null, targetOf('district', d))).sort(byName),
      communes,
      officers: officers.map((o) => {
        const mine = communes.filter((c) => c.district === o.district && o.communes.includes(c.commune ?? ''));
        const sum = (f: (c: GroupReport) => number) => mine.reduce((s, c) => s + f(c), 0);
        const arrearsOf = sum((c) => c.arrears);
        const receivableOf = sum((c) => c.receivable);
        const debtRatioPercent = ratio(arrearsOf, receivableOf);
        const collectedThisYear = sum((c) => c.collectedThisYear);
        return {
          officerId: o.officerId, role: o.role, district: o.district, communes: [...o.communes],
          openTasks: o.openTasks, overdueTasks: o.overdueTasks,
          units: sum((c) => c.units), collectedThisYear, arrears: arrearsOf, receivable: receivableOf, debtRatioPercent,
          target: against(collectedThisYear, debtRatioPercent, targetOf('officer', o.officerId)),
        };
      }).sort((a, b) => a.district.localeCompare(b.district, 'vi') || a.officerId.localeCompare(b.officerId)),
      participants,
      taxFindings,
    };
  }
}

export interface OfficerInput {
  officerId: string;
  role: string;
  district: string;
  communes: readonly string[];
  openTasks: number;
  overdueTasks: number;
}

function against(collectedThisYear: Vnd, debtRatioPercent: number, target: Target | undefined): Against {
  const collectedTarget = target?.collected ?? null;
  const maxDebtRatioPercent = target?.maxDebtRatioPercent ?? null;
  return {
    collectedTarget,
    collectedPercentOfPlan: collectedTarget ? Math.round((collectedThisYear * 1000) / collectedTarget) / 10 : null,
    maxDebtRatioPercent,
    debtRatioMet: maxDebtRatioPercent === null ? null : debtRatioPercent <= maxDebtRatioPercent,
  };
}

/** Amount due of the periods whose deadline falls in [from, to). */
function sumDue(periods: readonly ContributionPeriod[], from: IsoDate, to: IsoDate): Vnd {
  let total = 0;
  for (const p of periods) if (p.dueDate >= from && p.dueDate < to) total += p.amountDue;
  return total;
}

/** Payments made in [from, to). */
function sumPaid(payments: readonly Payment[], from: IsoDate, to: IsoDate): Vnd {
  let total = 0;
  for (const p of payments) if (p.paidOn >= from && p.paidOn < to) total += p.amount;
  return total;
}

/** The report's headline: what the managers' email and the top of the page state. */
export interface ReportHeadline {
  asOf: IsoDate;
  debtRatioPercent: number;
  arrears: Vnd;
  receivable: Vnd;
  collectedThisYear: Vnd;
  /** The year's plan: the office's districts' targets added up (null when none is set). */
  collectedTarget: Vnd | null;
  collectedPercentOfPlan: number | null;
  evading: number;
}

export function reportHeadline(report: CollectionReport): ReportHeadline {
  const o = report.office;
  const targets = report.districts.map((d) => d.target.collectedTarget).filter((t): t is Vnd => t !== null);
  const collectedTarget = targets.length ? targets.reduce((s, t) => s + t, 0) : null;
  return {
    asOf: report.asOf, debtRatioPercent: o.debtRatioPercent, arrears: o.arrears, receivable: o.receivable, collectedThisYear: o.collectedThisYear,
    collectedTarget, collectedPercentOfPlan: collectedTarget ? Math.round((o.collectedThisYear * 1000) / collectedTarget) / 10 : null, evading: o.evading,
  };
}
