import { firstDayOfPeriod, type IsoDate, type Period } from './dates.ts';
import { displayDate, displayPeriod } from './display-dates.ts';
import { inForceOn } from './effective-date.ts';
import type { LedgerStatus, Vnd } from './ledger.ts';
import { formatVnd } from './money.ts';
import type { OfficeSettings } from './office.ts';
import { toE164 } from './phone.ts';
import type { EmployeeNoticePolicy, Policy } from './policy.ts';
import { monthlyContributions } from './reconciliation.ts';
import { smsSegments, toGsm7 } from './sms.ts';
import { fill } from './template.ts';

/**
 * Employees' right to know (issue 14), pure: which employees of a unit in arrears are told, by
 * which channel, of which unpaid months and how much by insurance type, and the texts.
 *
 * - A unit is notified about when its oldest unpaid period is at least `minDaysLate` days past its
 *   deadline (the ledger's own `daysLate`: nothing re-derived here). The months told are every
 *   period the ledger has overdue with a balance.
 * - An employee is told when they were on the roster in at least one of those months, consented
 *   to be contacted, and have a channel not opted out of (a STOP reply, a bounce or complaint:
 *   `isOptedOut`). SMS first (it reaches more people), email when there is no SMS to use. One notice
 *   per employee (by SI code: a person employed twice is one person) per cycle.
 * - The amounts: what the unit owes for that employee for those months, by insurance type, the
 *   employer's and the employee's shares together (the employee's share was withheld from their
 *   wage, the employer's is what their benefits also rest on). Each month at the reconciliation
 *   section's rates in force on its first day, on the roster's salary capped at the wage cap
 *   (`monthlyContributions`, floored per type and month as the policy says). A month the unit paid
 *   in part is counted whole: the ledger does not say whose contributions a part payment covered.
 */

export type NoticeChannel = 'sms' | 'email';

/** Per insurance type, whole dong; `total` = si + hi + ui. */
export interface ByType {
  si: Vnd;
  hi: Vnd;
  ui: Vnd;
  total: Vnd;
}

/** One roster row as the plan reads it (commons/reconciliation-records.ts `RosterMemberRecord`). */
export interface RosterRow {
  siCode: string;
  name: string;
  startMonth: Period;
  endMonth?: Period | undefined;
  salary: Vnd;
  phone?: string | undefined;
  email?: string | undefined;
  contactConsent: boolean;
  /** The language the employee reads (a foreign employee: English); the policy's by default. */
  locale?: 'vi' | 'en' | undefined;
}

export interface PlannedEmployeeNotice {
  /** The employee's SI code: the claim's key part (never logged). */
  siCode: string;
  channel: NoticeChannel;
  /** E.164 phone for SMS, the address for email. */
  to: string;
  months: { period: Period; byType: ByType }[];
  byType: ByType;
  /** The SMS (GSM-7, one segment) or the email, in the employee's locale (the roster's), else the policy's. */
  sms?: { text: string; segments: number };
  email?: { subject: string; body: string };
}

export interface EmployeeNoticePlan {
  /** Whether the unit is late enough for its employees to be told. */
  late: boolean;
  daysLate: number;
  unpaidMonths: Period[];
  notices: PlannedEmployeeNotice[];
  /** Employees not told, by why (counts only). */
  skipped: { notInUnpaidMonths: number; noConsent: number; noContact: number; optedOut: number };
}

export interface EmployeeNoticeInput {
  unit: { unitCode: string; name: string };
  status: Pick<LedgerStatus, 'periods' | 'asOf'>;
  roster: readonly RosterRow[];
  policy: Pick<Policy, 'employeeNotice' | 'reconciliation'>;
  office: Pick<OfficeSettings, 'hotline' | 'name'>;
  /** Whether this address has opted out of this channel (STOP reply, bounce, complaint). */
  isOptedOut: (channel: NoticeChannel, address: string) => boolean;
}

const ZERO: ByType = { si: 0, hi: 0, ui: 0, total: 0 };
const plus = (a: ByType, b: ByType): ByType => ({ si: a.si + b.si, hi: a.hi + b.hi, ui: a.ui + b.ui, total: a.total + b.total });

/** How many days the unit's oldest unpaid period is past its deadline (0 when nothing is late). */
export function daysLateOf(status: Pick<LedgerStatus, 'periods'>): number {
  return status.periods.reduce((most, p) => (p.overdue && p.balance > 0 && p.daysLate > most ? p.daysLate : most), 0);
}

/** The periods the ledger has past their deadline with a balance, oldest first. */
export function unpaidMonthsOf(status: Pick<LedgerStatus, 'periods'>): Period[] {
  return status.periods.filter((p) => p.overdue && p.balance > 0).map((p) => p.period).sort();
}

export function isLateEnough(status: Pick<LedgerStatus, 'periods'>, policy: Pick<EmployeeNoticePolicy, 'minDaysLate'>): boolean {
  return daysLateOf(status) >= policy.minDaysLate;
}

/** One month's contributions for an employee on a salary, by insurance type (both shares). */
export function owedFor(period: Period, salary: Vnd, policy: Pick<Policy, 'reconciliation'>): ByType {
  const c = monthlyContributions(salary, inForceOn(policy.reconciliation.rates, firstDayOfPeriod(period)));
  return { si: c.si, hi: c.hi, ui: c.ui, total: c.si + c.hi + c.ui };
}

const activeIn = (row: RosterRow, period: Period) => row.startMonth <= period && (row.endMonth === undefined || row.endMonth >= period);

export function planEmployeeNotices(input: EmployeeNoticeInput): EmployeeNoticePlan {
  const { status, policy } = input;
  const daysLate = daysLateOf(status);
  const unpaidMonths = unpaidMonthsOf(status);
  const skipped = { notInUnpaidMonths: 0, noConsent: 0, noContact: 0, optedOut: 0 };
  const late = daysLate >= policy.employeeNotice.minDaysLate;
  if (!late) return { late, daysLate, unpaidMonths, notices: [], skipped };

  // One person, however many rows (employed again later): the rows by SI code, latest start last.
  const people = new Map<string, RosterRow[]>();
  for (const row of [...input.roster].sort((a, b) => (a.startMonth < b.startMonth ? -1 : a.startMonth > b.startMonth ? 1 : 0))) {
    const rows = people.get(row.siCode) ?? [];
    rows.push(row);
    people.set(row.siCode, rows);
  }

  const notices: PlannedEmployeeNotice[] = [];
  for (const [siCode, rows] of [...people].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const months = unpaidMonths.flatMap((period) => {
      // The latest row that covers the month (rows do not overlap on a valid roster).
      const row = rows.filter((r) => activeIn(r, period)).at(-1);
      return row ? [{ period, byType: owedFor(period, row.salary, policy) }] : [];
    });
    if (months.length === 0) {
      skipped.notInUnpaidMonths++;
      continue;
    }
    const latest = rows.at(-1)!;
    if (!latest.contactConsent) {
      skipped.noConsent++;
      continue;
    }
    const phone = latest.phone === undefined ? undefined : toE164(latest.phone);
    const channels: { channel: NoticeChannel; to: string }[] = [
      ...(phone ? [{ channel: 'sms' as const, to: phone }] : []),
      ...(latest.email ? [{ channel: 'email' as const, to: latest.email }] : []),
    ];
    if (channels.length === 0) {
      skipped.noContact++;
      continue;
    }
    const reach = channels.find((c) => !input.isOptedOut(c.channel, c.to));
    if (!reach) {
      skipped.optedOut++;
      continue;
    }
    const byType = months.reduce((sum, m) => plus(sum, m.byType), ZERO);
    const notice: PlannedEmployeeNotice = { siCode, channel: reach.channel, to: reach.to, months, byType };
    // In the employee's own language when the roster gives one, else the policy's.
    const texts = { ...input.policy.employeeNotice, locale: latest.locale ?? input.policy.employeeNotice.locale };
    if (reach.channel === 'sms') notice.sms = renderEmployeeSms(input.unit, months.map((m) => m.period), byType, texts, input.office);
    else notice.email = renderEmployeeEmail(input.unit, latest, months, byType, status.asOf, texts, input.office);
    notices.push(notice);
  }
  return { late, daysLate, unpaidMonths, notices, skipped };
}

/** English counts with their noun ("1 month", "2 months"); Vietnamese nouns have no plural. */
const count = (n: number, locale: 'vi' | 'en', vi: string, one: string, many: string) => `${n} ${locale === 'vi' ? vi : n === 1 ? one : many}`;

/** `08/2026`, or the first and last `08/2026-10/2026` (the count says how many). */
export function monthsSpan(months: readonly Period[]): string {
  if (months.length === 0) return '';
  const first = months[0]!;
  const last = months.at(-1)!;
  return first === last ? displayPeriod(first) : `${displayPeriod(first)}-${displayPeriod(last)}`;
}

/** Whole dong in an SMS: `1.250.000d`. */
const smsVnd = (amount: Vnd) => toGsm7(formatVnd(amount)).replace(/\s*d$/, 'd');

/**
 * The employee's SMS: unaccented GSM-7, one segment. A long unit name is shortened (then left
 * out, the unit code always stays), then the months' span; the amounts and the hotline always stay.
 */
export function renderEmployeeSms(
  unit: { unitCode: string; name: string }, months: readonly Period[], byType: ByType, policy: Pick<EmployeeNoticePolicy, 'templates' | 'locale'>, office: Pick<OfficeSettings, 'hotline'>,
): { text: string; segments: number } {
  const locale = policy.locale;
  const name = toGsm7(unit.name).replace(/\s+/g, ' ').trim();
  const names = [name, shorten(name, 40), shorten(name, 24), shorten(name, 12), ''];
  const spans = [` (${monthsSpan(months)})`, ''];
  let last = { text: '', segments: Number.POSITIVE_INFINITY };
  for (const monthsPart of spans) {
    for (const n of names) {
      const text = toGsm7(fill(policy.templates.sms[locale], {
        unit: n ? `${n} (${unit.unitCode})` : unit.unitCode,
        monthsText: count(months.length, locale, 'thang', 'month', 'months'),
        months: monthsPart,
        si: smsVnd(byType.si), hi: smsVnd(byType.hi), ui: smsVnd(byType.ui),
        hotline: office.hotline,
      })).replace(/ {2,}/g, ' ');
      last = { text, segments: smsSegments(text).segments };
      if (last.segments <= 1) return last;
    }
  }
  return last;
}

function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max - 3).trimEnd()}...`;
}

/** The SI code masked as the reminders mask it: the last four characters. */
export const maskSiCode = (code: string) => `***${code.slice(-4)}`;

export function renderEmployeeEmail(
  unit: { unitCode: string; name: string }, member: Pick<RosterRow, 'name' | 'siCode'>, months: readonly { period: Period; byType: ByType }[], byType: ByType, asOf: IsoDate,
  policy: Pick<EmployeeNoticePolicy, 'templates' | 'locale'>, office: Pick<OfficeSettings, 'hotline' | 'name'>,
): { subject: string; body: string } {
  const locale = policy.locale;
  const t = policy.templates.email[locale];
  const [si, hi, ui] = locale === 'vi' ? ['BHXH', 'BHYT', 'BHTN'] : ['SI', 'HI', 'UI'];
  const values: Record<string, string> = {
    name: member.name, maskedCode: maskSiCode(member.siCode), unitName: unit.name, unitCode: unit.unitCode, asOf: displayDate(asOf),
    monthsText: count(months.length, locale, 'tháng', 'month', 'months'),
    monthLines: months.map((m) => `- ${displayPeriod(m.period)}: ${si} ${formatVnd(m.byType.si)}, ${hi} ${formatVnd(m.byType.hi)}, ${ui} ${formatVnd(m.byType.ui)}`).join('\n'),
    si: formatVnd(byType.si), hi: formatVnd(byType.hi), ui: formatVnd(byType.ui), total: formatVnd(byType.total),
    hotline: office.hotline, officeName: office.name[locale],
  };
  return { subject: fill(t.subject, values), body: fill(t.body, values) };
}

/** The unit's email: how many of its employees were told, and of which months (never who). */
export function renderEmployerInformed(
  unit: { unitCode: string; name: string; locale: 'vi' | 'en' }, informed: number, unpaidMonths: readonly Period[], asOf: IsoDate,
  policy: Pick<EmployeeNoticePolicy, 'templates'>, office: Pick<OfficeSettings, 'name' | 'phone'>,
): { subject: string; body: string } {
  const locale = unit.locale;
  const t = policy.templates.employer[locale];
  const values: Record<string, string> = {
    unitName: unit.name, unitCode: unit.unitCode, asOf: displayDate(asOf),
    informedText: count(informed, locale, 'người lao động', 'employee', 'employees'),
    months: unpaidMonths.map(displayPeriod).join(', '),
    officeName: office.name[locale], officePhone: office.phone,
  };
  return { subject: fill(t.subject, values), body: fill(t.body, values) };
}
