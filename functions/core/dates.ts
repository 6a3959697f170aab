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
  const [y, m, d] = value.split('-').map(Number) as [number, number, number];
  return d <= daysInMonth(y, m);
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Days since 1970-01-01 for a calendar date. */
export function toDayNumber(date: IsoDate): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d) / DAY_MS;
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
