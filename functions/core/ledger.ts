import {
  daysInMonth, periodIndex, periodOf, toDayNumber, periodFromIndex, type IsoDate, type Period,
} from './dates.ts';
import { spansOf } from './effective-date.ts';
import type { Policy } from './policy.ts';

/** Money is integer VND throughout. */
export type Vnd = number;

export interface ContributionPeriod {
  period: Period;
  amountDue: Vnd;
  /** Last day to pay without being late (from the policy's deadline rule when imported). */
  dueDate: IsoDate;
}

export interface Payment {
  reference: string;
  paidOn: IsoDate;
  amount: Vnd;
}

export interface Allocation {
  reference: string;
  /** A period's principal, the accrued interest, or credit left on the account. */
  to: Period | 'interest' | 'credit';
  amount: Vnd;
}

export interface PeriodStatus {
  period: Period;
  dueDate: IsoDate;
  amountDue: Vnd;
  amountPaid: Vnd;
  balance: Vnd;
  overdue: boolean;
  /** Days past the deadline while a balance remains, as of the status date. */
  daysLate: number;
  /** Interest accrued on this period's late balance, truncated to whole dong. */
  interest: Vnd;
}

export interface LedgerStatus {
  asOf: IsoDate;
  periods: PeriodStatus[];
  totalDue: Vnd;
  totalPaid: Vnd;
  /** Unpaid principal of periods past their deadline: the arrears. */
  overduePrincipal: Vnd;
  /** Unpaid principal not yet due. */
  notYetDue: Vnd;
  interestAccrued: Vnd;
  interestPaid: Vnd;
  interestOutstanding: Vnd;
  /** What the employer must pay now: late principal plus outstanding interest. */
  debt: Vnd;
  /** Money paid beyond everything owed, carried to future periods. */
  credit: Vnd;
  /** The oldest period with a balance past its deadline: escalation is anchored here. */
  oldestUnpaidPeriod: Period | null;
  monthsOverdue: number;
  allocations: Allocation[];
}

const PPM = 1_000_000n;

/**
 * Works out an employer's position as of a date from its contribution periods and payments.
 *
 * Rules (see README "Arrears rules"):
 * - payments (only those made on or before `asOf`) are applied in date order: first to late
 *   periods, oldest first; then to the interest accrued; then to periods not yet due, oldest
 *   first; the rest is credit;
 * - a partly paid period is unpaid; interest accrues per period, each day after its deadline, on
 *   the balance still unpaid that day, at the daily rate in effect that day;
 * - interest is truncated to whole dong once per period (policy: floor-per-period).
 */
export function ledgerStatus(
  periods: readonly ContributionPeriod[],
  payments: readonly Payment[],
  asOf: IsoDate,
  policy: Policy,
): LedgerStatus {
  const rows = [...periods]
    .sort((a, b) => (a.period < b.period ? -1 : a.period > b.period ? 1 : 0))
    .map((p) => {
      const dueDay = toDayNumber(p.dueDate);
      return { period: p.period, amountDue: p.amountDue, dueDate: p.dueDate, paid: 0, dueDay, accruedTo: dueDay, interestMicro: 0n };
    });
  const paid = [...payments]
    .filter((p) => p.paidOn <= asOf)
    .sort((a, b) => (a.paidOn < b.paidOn ? -1 : a.paidOn > b.paidOn ? 1 : a.reference < b.reference ? -1 : 1));
  const rates = rateSpans(policy.interest.rates);

  // Σ over the rows of their interest truncated to whole dong, kept as it changes (not summed again per payment).
  let accruedDong = 0;
  // Interest for the days (accruedTo, day] on the balance still unpaid.
  const accrueTo = (day: number) => {
    for (const row of rows) {
      const balance = row.amountDue - row.paid;
      if (balance > 0 && day > row.accruedTo) {
        const before = Number(row.interestMicro / PPM);
        row.interestMicro += BigInt(balance) * lateDayRateSum(rates, row.accruedTo, day);
        accruedDong += Number(row.interestMicro / PPM) - before;
      }
      if (day > row.accruedTo) row.accruedTo = day;
    }
  };
  const interestAccrued = () => accruedDong;

  const allocations: Allocation[] = [];
  let interestPaid = 0;
  let credit = 0;
  for (const payment of paid) {
    const payDay = toDayNumber(payment.paidOn);
    accrueTo(payDay);
    let left = payment.amount;
    const settle = (dueBefore: number, dueFrom: number) => {
      for (const row of rows) {
        if (left === 0) break;
        if (row.dueDay >= dueBefore || row.dueDay < dueFrom) continue;
        const take = Math.min(left, row.amountDue - row.paid);
        if (take > 0) {
          row.paid += take;
          left -= take;
          allocations.push({ reference: payment.reference, to: row.period, amount: take });
        }
      }
    };
    // Late principal, oldest first; then the interest it has earned; then periods not yet due.
    settle(payDay, -Infinity);
    // Interest is totalled only when money is left after late principal, not on every payment.
    const interestTake = left > 0 ? Math.min(left, interestAccrued() - interestPaid) : 0;
    if (interestTake > 0) {
      interestPaid += interestTake;
      left -= interestTake;
      allocations.push({ reference: payment.reference, to: 'interest', amount: interestTake });
    }
    settle(Infinity, payDay);
    if (left > 0) {
      credit += left;
      allocations.push({ reference: payment.reference, to: 'credit', amount: left });
    }
  }
  accrueTo(toDayNumber(asOf));

  const asOfDay = toDayNumber(asOf);
  const statuses: PeriodStatus[] = rows.map((r) => {
    const balance = r.amountDue - r.paid;
    const overdue = balance > 0 && r.dueDay < asOfDay;
    return {
      period: r.period,
      dueDate: r.dueDate,
      amountDue: r.amountDue,
      amountPaid: r.paid,
      balance,
      overdue,
      daysLate: overdue ? asOfDay - r.dueDay : 0,
      interest: Number(r.interestMicro / PPM),
    };
  });

  const anchor = statuses.find((s) => s.overdue) ?? null;
  const overduePrincipal = sum(statuses.filter((s) => s.overdue).map((s) => s.balance));
  const accrued = interestAccrued();
  const interestOutstanding = accrued - interestPaid;
  return {
    asOf,
    periods: statuses,
    totalDue: sum(statuses.map((s) => s.amountDue)),
    totalPaid: sum(paid.map((p) => p.amount)),
    overduePrincipal,
    notYetDue: sum(statuses.filter((s) => !s.overdue).map((s) => s.balance)),
    interestAccrued: accrued,
    interestPaid,
    interestOutstanding,
    debt: overduePrincipal + interestOutstanding,
    credit,
    oldestUnpaidPeriod: anchor?.period ?? null,
    monthsOverdue: anchor ? monthlyDeadlinesPassed(anchor.dueDate, asOf) : 0,
    allocations,
  };
}

/**
 * Months overdue: the monthly deadlines passed since the oldest unpaid period's deadline, that one
 * included. Counting calendar months (not period records) means a level is never skipped or
 * repeated when a period record is missing. A deadline on a month's last day stays on the last day.
 */
export function monthlyDeadlinesPassed(firstDeadline: IsoDate, asOf: IsoDate): number {
  if (asOf <= firstDeadline) return 0;
  const [fy, fm, fd] = firstDeadline.split('-').map(Number) as [number, number, number];
  const endAligned = fd === daysInMonth(fy, fm);
  const k = periodIndex(periodOf(asOf)) - periodIndex(periodOf(firstDeadline));
  const [ay, am] = periodOf(asOf).split('-').map(Number) as [number, number];
  const dayInAsOfMonth = endAligned ? daysInMonth(ay, am) : Math.min(fd, daysInMonth(ay, am));
  const deadlineThisMonth = `${periodFromIndex(periodIndex(periodOf(asOf)))}-${String(dayInAsOfMonth).padStart(2, '0')}`;
  return deadlineThisMonth < asOf ? k + 1 : k;
}

type RateSpan = { from: number; until: number; ppm: bigint };
const RATE_SPANS = new WeakMap<readonly unknown[], readonly RateSpan[]>();

/**
 * Each rate's days (the first rate also covers days before it: older arrears are charged at the
 * earliest configured rate), made once per policy's list of rates: the monthly run asks for every unit.
 */
function rateSpans(rates: Policy['interest']['rates']): readonly RateSpan[] {
  let spans = RATE_SPANS.get(rates);
  if (!spans) {
    spans = spansOf(rates).map((s) => ({ from: s.from, until: s.until, ppm: BigInt(s.entry.dailyRatePpm) }));
    RATE_SPANS.set(rates, spans);
  }
  return spans;
}

/** Σ over the days in (fromDay, toDay] of the daily rate in ppm in effect that day. */
function lateDayRateSum(rates: readonly { from: number; until: number; ppm: bigint }[], fromDay: number, toDay: number): bigint {
  let total = 0n;
  for (const rate of rates) {
    const lo = Math.max(fromDay + 1, rate.from);
    const hi = Math.min(toDay + 1, rate.until); // until is exclusive
    if (hi > lo) total += BigInt(hi - lo) * rate.ppm;
  }
  return total;
}

function sum(values: readonly number[]): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}
