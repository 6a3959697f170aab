import type { Hold } from './escalation.ts';
import type { LedgerStatus, Vnd } from './ledger.ts';
import type { HoldReason, Policy } from './policy.ts';
import { addMonths, lastDayOfPeriod, type IsoDate, type Period } from './dates.ts';
import { renderCsv, type ReportColumn } from './report-csv.ts';

/**
 * The quarterly list of late and evading employers for the state management and inspection
 * bodies (Decree 274/2025: sent before the 15th of the first month of each quarter).
 * - late (chậm đóng): contributions still unpaid after their deadline;
 * - evading (trốn đóng): late payment not put right `policy.evasionAfterDays` days after the
 *   deadline, i.e. from the next day on. Force majeure is not evasion: under a force-majeure hold
 *   the unit is listed as late, with the hold.
 */

export type Quarter = string; // YYYY-Qn
export const QUARTER = /^\d{4}-Q[1-4]$/;

export type ArrearsClass = 'late' | 'evading' | 'neither';

export interface ArrearsClassification {
  class: ArrearsClass;
  monthsOverdue: number;
  latePrincipal: Vnd;
  /** The part of the late principal overdue for more than evasionAfterDays. */
  evadedPrincipal: Vnd;
  interest: Vnd;
  debt: Vnd;
  oldestUnpaidPeriod: Period | null;
  /** Days past the deadline of the longest-overdue unpaid period. */
  daysPastDeadline: number;
  /** A hold in force on the as-of date, shown beside the unit. */
  hold: Hold | null;
}

export function classifyArrears(status: LedgerStatus, policy: Policy, hold?: Hold): ArrearsClassification {
  let evadedPrincipal = 0;
  let daysPastDeadline = 0;
  for (const p of status.periods) {
    if (!p.overdue) continue;
    if (p.daysLate > daysPastDeadline) daysPastDeadline = p.daysLate;
    if (p.daysLate > policy.evasionAfterDays) evadedPrincipal += p.balance;
  }
  const holdInForce = hold && status.asOf <= hold.until ? hold : null;
  const late = status.overduePrincipal > 0;
  const evading = late && evadedPrincipal > 0 && holdInForce?.reason !== 'force-majeure';
  return {
    class: evading ? 'evading' : late ? 'late' : 'neither',
    monthsOverdue: status.monthsOverdue,
    latePrincipal: status.overduePrincipal,
    evadedPrincipal,
    interest: status.interestOutstanding,
    debt: status.debt,
    oldestUnpaidPeriod: status.oldestUnpaidPeriod,
    daysPastDeadline,
    hold: holdInForce,
  };
}

/** The unit's identity as the list shows it: this document goes to the authorities. */
export interface UnitIdentity {
  unitCode: string;
  name: string;
  taxCode: string;
  district: string;
}

export type QuarterlyEntry = UnitIdentity & ArrearsClassification & { class: 'late' | 'evading' };

const COLUMNS = [
  { key: 'unitCode', vi: 'Mã đơn vị', en: 'Unit code' },
  { key: 'name', vi: 'Tên đơn vị', en: 'Unit name' },
  { key: 'taxCode', vi: 'Mã số thuế', en: 'Tax code' },
  { key: 'district', vi: 'Quận/huyện', en: 'District' },
  { key: 'status', vi: 'Tình trạng', en: 'Status' },
  { key: 'monthsOverdue', vi: 'Số tháng chậm đóng', en: 'Months overdue' },
  { key: 'latePrincipal', vi: 'Tiền gốc chậm đóng (đồng)', en: 'Late principal (VND)' },
  { key: 'evadedPrincipal', vi: 'Trong đó trốn đóng (đồng)', en: 'Of which evaded (VND)' },
  { key: 'interest', vi: 'Tiền lãi chậm đóng (đồng)', en: 'Late-payment interest (VND)' },
  { key: 'debt', vi: 'Tổng số phải nộp (đồng)', en: 'Total debt (VND)' },
  { key: 'oldestUnpaidPeriod', vi: 'Kỳ chưa đóng sớm nhất', en: 'Oldest unpaid period' },
  { key: 'daysPastDeadline', vi: 'Số ngày quá hạn', en: 'Days past deadline' },
  { key: 'hold', vi: 'Tạm hoãn', en: 'Hold' },
] as const satisfies readonly ReportColumn<string>[];
export type QuarterlyColumn = (typeof COLUMNS)[number]['key'];
export const QUARTERLY_COLUMNS: readonly ReportColumn<QuarterlyColumn>[] = COLUMNS;

const STATUS_LABEL = { vi: { late: 'chậm đóng', evading: 'trốn đóng' }, en: { late: 'late', evading: 'evading' } } as const;
const HOLD_LABEL: Record<'vi' | 'en', Record<HoldReason, string>> = {
  vi: { 'force-majeure': 'bất khả kháng', dispute: 'tranh chấp', insolvency: 'mất khả năng thanh toán', other: 'lý do khác' },
  en: { 'force-majeure': 'force majeure', dispute: 'dispute', insolvency: 'insolvency', other: 'other' },
};

/** Evading units first, then by district and unit code: the same data gives the same file. */
export function sortEntries<T extends { class: string; district: string; unitCode: string }>(entries: readonly T[]): T[] {
  const rank = (c: string) => (c === 'evading' ? 0 : 1);
  return [...entries].sort((a, b) => rank(a.class) - rank(b.class) || compare(a.district, b.district) || compare(a.unitCode, b.unitCode));
}

export function renderQuarterlyCsv(entries: readonly QuarterlyEntry[], policy: Policy): string {
  const locale = policy.locale;
  const rows = sortEntries(entries).map((e) => ({
    unitCode: e.unitCode,
    name: e.name,
    taxCode: e.taxCode,
    district: e.district,
    status: STATUS_LABEL[locale][e.class],
    monthsOverdue: e.monthsOverdue,
    latePrincipal: e.latePrincipal,
    evadedPrincipal: e.evadedPrincipal,
    interest: e.interest,
    debt: e.debt,
    oldestUnpaidPeriod: e.oldestUnpaidPeriod ?? '',
    daysPastDeadline: e.daysPastDeadline,
    hold: e.hold ? `${HOLD_LABEL[locale][e.hold.reason]} (${locale === 'vi' ? 'đến' : 'until'} ${e.hold.until})` : '',
  }));
  return renderCsv(QUARTERLY_COLUMNS, rows, locale);
}

/** The calendar quarter of a date: 2026-11-02 → 2026-Q4. */
export function quarterOf(date: IsoDate): Quarter {
  return `${date.slice(0, 4)}-Q${Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1}`;
}

/** The quarter before the one a date falls in: the list made in January covers Q4. */
export function previousQuarter(date: IsoDate): Quarter {
  return quarterOf(`${addMonths(date.slice(0, 7), -3)}-01`);
}

/** The list's as-of date: the last day of the quarter, so a rerun reports the same position. */
export function quarterEnd(quarter: Quarter): IsoDate {
  const year = quarter.slice(0, 4);
  const q = Number(quarter.slice(6));
  return lastDayOfPeriod(`${year}-${String(q * 3).padStart(2, '0')}`);
}

/** The months in which the list is made: the first month of each quarter. */
export const QUARTER_FIRST_MONTHS = [1, 4, 7, 10] as const;

export function quarterlyListKey(quarter: Quarter): string {
  return `quarterly/${quarter}/late-and-evading.csv`;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
