import type { IsoDate, Period } from './dates.ts';

/**
 * Dates and months as people write them, in every text an employer, a participant or an officer
 * reads: `02/11/2026`, `tháng 11/2026`, never `2026-11-02` or `2026-11` (the stored form).
 */

type Locale = 'vi' | 'en';

/** dd/mm/yyyy, as dates are written in Vietnam (and in the English text too, to avoid month/day confusion). */
export const displayDate = (date: IsoDate): string => `${date.slice(8, 10)}/${date.slice(5, 7)}/${date.slice(0, 4)}`;

/** A contribution period as a table cell or after a word naming it ("Kỳ 11/2026"): mm/yyyy. */
export const displayPeriod = (period: Period): string => `${period.slice(5, 7)}/${period.slice(0, 4)}`;

const EN_MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** A month in running text: `tháng 11/2026`, `November 2026`. */
export function displayMonth(period: Period, locale: Locale): string {
  return locale === 'vi' ? `tháng ${displayPeriod(period)}` : `${EN_MONTHS[Number(period.slice(5, 7)) - 1]} ${period.slice(0, 4)}`;
}

/** The date line of an official letter: `ngày 02 tháng 11 năm 2026` (Decree 30/2020), `2 November 2026`. */
export function letterDate(date: IsoDate, locale: Locale): string {
  return locale === 'vi'
    ? `ngày ${date.slice(8, 10)} tháng ${date.slice(5, 7)} năm ${date.slice(0, 4)}`
    : `${Number(date.slice(8, 10))} ${EN_MONTHS[Number(date.slice(5, 7)) - 1]} ${date.slice(0, 4)}`;
}

/** Written the stored way: a calendar date or a period (what no text for people may contain). */
export const STORED_DATE = /\b\d{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?\b/;
