/**
 * Calendar dates ("2026-10-31") and contribution periods ("2026-10") as plain strings.
 * Arithmetic is done on days since the epoch, so no instant or time zone leaks in; the only
 * place a time zone matters is turning an instant into the office's calendar date.
 */

export type IsoDate = string; // YYYY-MM-DD, a calendar date in the office's time zone
export type Period = string; // YYYY-MM, a contribution period (one month)

const DAY_MS = 86_400_000;

export const ISO_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
export const PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/;

export function isValidDate(value: string): boolean {
  if (!ISO_DATE.test(value)) return false;
  return digits(value, 8, 10) <= daysInMonth(digits(value, 0, 4), digits(value, 5, 7));
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : MONTH_DAYS[month - 1]!;
}

/**
 * Days since 1970-01-01 for a calendar date. Arithmetic on the digits (days-from-civil), with no
 * Date objects: the monthly run does this for every period and payment of every employer.
 */
export function toDayNumber(date: IsoDate): number {
  const m = digits(date, 5, 7);
  const d = digits(date, 8, 10);
  const y = digits(date, 0, 4) - (m <= 2 ? 1 : 0);
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** The number written by the ASCII digits of `text` from `start` to `end`. */
function digits(text: string, start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i++) n = n * 10 + (text.charCodeAt(i) - 48);
  return n;
}

export function fromDayNumber(day: number): IsoDate {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return fromDayNumber(toDayNumber(date) + days);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return toDayNumber(to) - toDayNumber(from);
}

export function periodOf(date: IsoDate): Period {
  return date.slice(0, 7);
}

/** Months since year 0, so periods can be subtracted. */
export function periodIndex(period: Period): number {
  const [y, m] = period.split('-').map(Number) as [number, number];
  return y * 12 + (m - 1);
}

export function periodFromIndex(index: number): Period {
  const y = Math.floor(index / 12);
  const m = index - y * 12 + 1;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}`;
}

export function addMonths(period: Period, months: number): Period {
  return periodFromIndex(periodIndex(period) + months);
}

/** The same day `months` months later (or earlier), clamped to the end of a shorter month. */
export function addMonthsToDate(date: IsoDate, months: number): IsoDate {
  const period = addMonths(periodOf(date), months);
  const [y, m] = period.split('-').map(Number) as [number, number];
  const day = Math.min(Number(date.slice(8)), daysInMonth(y, m));
  return `${period}-${String(day).padStart(2, '0')}`;
}

export function lastDayOfPeriod(period: Period): IsoDate {
  const [y, m] = period.split('-').map(Number) as [number, number];
  return `${period}-${String(daysInMonth(y, m)).padStart(2, '0')}`;
}

export function firstDayOfPeriod(period: Period): IsoDate {
  return `${period}-01`;
}

/** The calendar date of an instant in the given IANA time zone (e.g. Asia/Ho_Chi_Minh). */
export function localDate(instant: Date, timeZone: string): IsoDate {
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);
}

/** The instant at which a local calendar date ends (start of the next day) in a fixed-offset zone. */
export function endOfLocalDay(date: IsoDate, timeZone: string): Date {
  const next = addDays(date, 1);
  const utcMidnight = new Date(`${next}T00:00:00Z`);
  return new Date(utcMidnight.getTime() - zoneOffsetMs(utcMidnight, timeZone));
}

function zoneOffsetMs(instant: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(instant);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - instant.getTime();
}
