import { stringify } from 'csv-stringify/sync';
import { parse } from 'csv-parse/sync';

/** A column of a report: the field it shows and its header in each language. */
export interface ReportColumn<K extends string> {
  key: K;
  vi: string;
  en: string;
}

/**
 * Renders rows as CSV for people and spreadsheets alike: a header row in the office's language,
 * the columns in the given order, RFC 4180 (CRLF, quoted only where needed), a UTF-8 byte order
 * mark so spreadsheet software reads the Vietnamese, and cells starting with = + - @ neutralised
 * (names are free text; the file is opened by other bodies). The same rows give the same bytes.
 */
export function renderCsv<K extends string>(
  columns: readonly ReportColumn<K>[],
  rows: readonly Record<K, string | number>[],
  locale: 'vi' | 'en',
): string {
  return stringify(rows as Record<string, unknown>[], {
    bom: true,
    header: true,
    columns: columns.map((c) => ({ key: c.key, header: c[locale] })),
    record_delimiter: 'windows',
    quote_record_delimiter: true,
    escape_formulas: true,
  });
}

/** Reads back a CSV written by renderCsv: one record per row, by column key, the header checked. */
export function parseCsv<K extends string>(columns: readonly ReportColumn<K>[], text: string): Record<K, string>[] {
  const records = parse(text, { bom: true, relax_column_count: false }) as string[][];
  const [header, ...rows] = records;
  const known = new Set([columns.map((c) => c.vi).join('\u0000'), columns.map((c) => c.en).join('\u0000')]);
  if (!header || !known.has(header.join('\u0000'))) throw new Error('CSV header does not match the report columns');
  return rows.map((cells) => Object.fromEntries(columns.map((c, i) => [c.key, cells[i] ?? ''])) as Record<K, string>);
}

/** The place columns every per-office, district and commune table of the collection report starts with. */
export const PLACE_COLUMNS = [
  { key: 'level', vi: 'Cấp', en: 'Level' },
  { key: 'district', vi: 'Quận/huyện', en: 'District' },
  { key: 'commune', vi: 'Xã/phường', en: 'Commune' },
] as const satisfies readonly ReportColumn<string>[];
