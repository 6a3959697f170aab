import { isValidDate, type IsoDate } from '../functions/core/dates.ts';
import { officerIdSchema, unitCodeSchema } from '../functions/commons/records.ts';

/**
 * The CLI's arguments, checked before anything is opened: a date or a unit code that is not one
 * stops the command with a message saying what to write, rather than a ledger computed on a
 * nonsense date (`new Date('05/11/2026')` is read as May 11 by some parsers and Invalid by others).
 */

export class CliArgumentError extends Error {
  override readonly name = 'CliArgumentError';
}

/** A date argument: YYYY-MM-DD, a real calendar day. dd/mm/yyyy (as dates are written here) is refused with its ISO form. */
export function cliDate(text: string, what: string): IsoDate {
  const value = text.trim();
  if (isValidDate(value)) return value as IsoDate;
  const written = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(value);
  if (written) {
    const iso = `${written[3]}-${written[2]!.padStart(2, '0')}-${written[1]!.padStart(2, '0')}`;
    const hint = isValidDate(iso) ? ` (for ${written[1]}/${written[2]}/${written[3]}: ${iso})` : '';
    throw new CliArgumentError(`${what} ${value}: write dates as YYYY-MM-DD${hint}`);
  }
  throw new CliArgumentError(`${what} ${value} is not a calendar date: write YYYY-MM-DD, e.g. 2026-11-05`);
}

/** A unit code as typed (td000006 too): upper case, 4–12 letters or digits. */
export function cliUnit(text: string | undefined): string {
  if (!text) throw new CliArgumentError('UNIT is required');
  const code = text.trim().toUpperCase();
  if (!unitCodeSchema.safeParse(code).success) throw new CliArgumentError(`UNIT ${text} is not a unit code: 4–12 letters or digits, e.g. TD000006`);
  return code;
}

/** A staff id as typed (OFFICER, --as): 2–40 letters, digits, dot, dash or underscore. Whether the roster knows it is the store's to say. */
export function cliOfficer(text: string | undefined, what: string): string {
  if (!text) throw new CliArgumentError(`${what} is required`);
  const id = text.trim();
  if (!officerIdSchema.safeParse(id).success) throw new CliArgumentError(`${what} ${text} is not a staff id: 2–40 letters, digits, dot, dash or underscore, e.g. cb.pham.long.101`);
  return id;
}

/** An amount in đồng: a whole number above zero, written without separators (1500000). */
export function cliAmount(text: string | undefined, what: string): number {
  if (!text) throw new CliArgumentError(`${what} is required`);
  const value = text.trim();
  if (!/^\d+$/.test(value) || Number(value) <= 0 || !Number.isSafeInteger(Number(value))) {
    throw new CliArgumentError(`${what} ${text} is not an amount: a whole number of đồng above zero, without separators, e.g. 1500000`);
  }
  return Number(value);
}

/** An instalment as --instalment DATE:VND (2026-12-15:5000000). */
export function cliInstalment(text: string): { dueDate: IsoDate; amount: number } {
  const [date, amount, ...rest] = text.split(':');
  if (date === undefined || amount === undefined || rest.length > 0) throw new CliArgumentError(`--instalment ${text}: write DATE:VND, e.g. 2026-12-15:5000000`);
  return { dueDate: cliDate(date, '--instalment'), amount: cliAmount(amount, '--instalment') };
}
