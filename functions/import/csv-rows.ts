import { createReadStream } from 'node:fs';
import { CsvError, parse } from 'csv-parse';

/**
 * Reads one CSV file row by row, by column name, for every import (the agency's exports and the
 * collection files): numbers each row by the editor line it starts on, checks the header once,
 * refuses rows with the wrong number of fields, and stops at the point where the file stops being
 * CSV. Problems are reported with line and key; no cell value is ever repeated (values can be
 * personal data). The file is streamed, so memory does not grow with its size.
 */

/** A row by column name: cells trimmed, a blank cell is undefined. */
export type Row = Readonly<Record<string, string | undefined>>;

export type Fail = (line: number, key: string, reason: string) => void;

export interface RowReader {
  /** Checks the header (lower-cased, trimmed names); a problem stops the file (`; file not imported` is added). */
  header(names: readonly string[]): string | undefined;
  /** Identifies a row in an error report; only values that pass their own format are shown. */
  reportKey(row: Row): string;
  row(row: Row, line: number): Promise<void>;
}

/** A longer record is an unclosed quote swallowing the file: stop there rather than buffer it all. */
const MAX_RECORD_CHARS = 64 * 1024;

export async function readRows(path: string, fail: Fail, reader: RowReader): Promise<void> {
  const source = createReadStream(path);
  // Empty lines are kept (and skipped below) so that every line is seen and counted here: the
  // parser's own count is slower to get and counts a CR LF inside a quoted value as two lines.
  const parser = parse({ bom: true, relax_column_count: true, relax_quotes: true, max_record_size: MAX_RECORD_CHARS });
  source.on('error', (error) => parser.destroy(error));
  source.pipe(parser);
  let columns: string[] | undefined;
  let unreadable = false;
  let line = 1;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      const at = line;
      line += 1 + lineBreaksIn(record);
      if (record.length === 1 && record[0]!.trim() === '') continue;
      if (!columns) {
        const names = record.map(columnName);
        const problem = reader.header(names);
        if (problem) {
          fail(at, '(header)', `${problem}; file not imported`);
          return;
        }
        columns = names;
        continue;
      }
      const row: Record<string, string | undefined> = {};
      columns.forEach((column, i) => {
        const cell = record[i]?.trim();
        row[column] = cell === '' ? undefined : cell;
      });
      if (record.length !== columns.length) {
        fail(at, reader.reportKey(row), `row has ${record.length} fields but the header has ${columns.length} (a comma in an unquoted value?)`);
        continue;
      }
      await reader.row(row, at);
    }
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    // `line` is where the record the parser choked on starts. Its message quotes the text it
    // choked on; the code alone carries no personal data.
    unreadable = true;
    fail(line, '(file)', `not valid CSV here (${error.code}); the rest of the file was not read`);
  } finally {
    source.destroy();
  }
  if (!columns && !unreadable) fail(1, '(header)', 'header row missing (the file is empty); file not imported');
}

function lineBreaksIn(record: readonly string[]): number {
  let breaks = 0;
  for (const field of record) if (/[\r\n]/.test(field)) breaks += field.match(/\r\n|\r|\n/g)!.length;
  return breaks;
}

const columnName = (header: string) => header.trim().toLowerCase();

/** What is wrong with a header for a file of these columns, or undefined when nothing is. */
export function headerProblem(required: readonly string[], optional: readonly string[], names: readonly string[]): string | undefined {
  const known = [...required, ...optional];
  // No known column at all: the first line is data, and data may be personal: do not repeat it.
  if (!names.some((n) => known.includes(n))) return `first line is not a header row (expected columns ${required.join(', ')})`;
  const missing = required.filter((c) => !names.includes(c));
  const unknown = names.filter((n) => !known.includes(n));
  const repeated = names.filter((n, i) => known.includes(n) && names.indexOf(n) !== i);
  const problems = [
    missing.length > 0 ? `missing column(s) ${missing.join(', ')}` : '',
    unknown.length > 0 ? `unknown column(s) ${listedColumns(unknown)}` : '',
    repeated.length > 0 ? `repeated column(s) ${repeated.join(', ')}` : '',
  ].filter(Boolean);
  return problems.length > 0 ? problems.join('; ') : undefined;
}

/** Column names as they may be shown: a name that does not look like one could be data. */
export const listedColumns = (cols: readonly string[]) =>
  cols.map((c) => (c === '' ? '(blank)' : /^[a-z0-9_ -]{1,40}$/.test(c) ? c : '(unreadable name)')).join(', ');
