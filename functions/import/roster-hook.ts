import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { officerIdSchema } from '../commons/records.ts';
import type { RosterSyncInput } from '../steps/sync-staff.ts';
import type { ImportError } from './csv-import.ts';

/**
 * What the roster sync is told once officers.csv is loaded (steps/sync-staff.ts): the ids of the
 * officers written (the file's rows less its refused ones), and the refused rows by officer id (or
 * counted, when the id is unreadable), so a typo never disables anyone. Only when the folder has the
 * file: an increment of payments alone says nothing about who left. A roster is hundreds of rows:
 * its ids are read whole.
 */
export async function rosterFromFile(path: string, file: string, errors: readonly ImportError[]): Promise<RosterSyncInput> {
  return rosterFromText(await readFile(path), file, errors);
}

/** The same from the file's bytes (the import bucket's object, read whole once its import is done). */
export function rosterFromText(text: string | Buffer, file: string, errors: readonly ImportError[]): RosterSyncInput {
  const mine = errors.filter((e) => e.file === file);
  const refusedLines = new Set(mine.map((e) => e.line));
  const records = parse(text, { columns: true, bom: true, skip_empty_lines: true, relax_column_count: true, info: true }) as { record: Record<string, string>; info: { lines: number } }[];
  const loaded = records
    .filter(({ info }) => !refusedLines.has(info.lines))
    .map(({ record }) => officerIdSchema.safeParse(record.officer_id))
    .flatMap((r) => (r.success ? [r.data] : []));
  const keys = mine.map((e) => e.key);
  const refused = [...new Set(keys.filter((k) => officerIdSchema.safeParse(k).success))];
  return { officerIds: [...new Set(loaded)].filter((id) => !refused.includes(id)), refused, unidentified: keys.filter((k) => !officerIdSchema.safeParse(k).success).length };
}
