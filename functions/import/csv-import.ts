import { createReadStream, existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { CsvError, parse } from 'csv-parse';
import type { ArrearsStore } from '../commons/store.ts';
import { BatchWriter } from './batch-writer.ts';
import { IMPORT_FILES, type ImportFile } from './import-files.ts';
import { reasonOf } from './row-reasons.ts';

/**
 * Import of the agency's CSV exports (format: data/sample/README.md). Every row is validated with
 * the record schemas the store uses; a bad row is reported with file, line, key and reason (the
 * column and the rule, never the value: values can be personal data) and every good row loads.
 * Files are streamed and written in batches, so memory does not grow with their size.
 */

export interface ImportError {
  file: string;
  /** 1-based line in the file where the row starts (the header is line 1). */
  line: number;
  key: string;
  reason: string;
}

export interface ImportReport {
  loaded: { employers: number; periods: number; payments: number; officers: number };
  errors: ImportError[];
}

export interface ImportOptions {
  /** Called after each batch is written, with the rows written so far (all files). */
  onProgress?(rows: number): void;
}

/** A longer record is an unclosed quote swallowing the file: stop there rather than buffer it all. */
const MAX_RECORD_CHARS = 64 * 1024;

export async function importFolder(dir: string, store: ArrearsStore, options: ImportOptions = {}): Promise<ImportReport> {
  const report: ImportReport = { loaded: { employers: 0, periods: 0, payments: 0, officers: 0 }, errors: [] };
  // A misspelt file name would otherwise be skipped without a word (and a missing folder throws here).
  const expected = IMPORT_FILES.map((f) => f.file);
  for (const name of (await readdir(dir)).filter((n) => /\.csv$/i.test(n) && !expected.includes(n)).sort()) {
    report.errors.push({ file: name, line: 1, key: '(file)', reason: `not an import file (expected ${expected.join(', ')}); not read` });
  }
  let written = 0;
  for (const spec of IMPORT_FILES) {
    const onWritten = (rows: number) => {
      report.loaded[spec.count] += rows;
      written += rows;
      options.onProgress?.(written);
    };
    try {
      await importFile(dir, spec, store, report, onWritten);
    } catch (error) {
      throw new Error(`import stopped in ${spec.file} after ${report.loaded[spec.count]} rows were written`, { cause: error });
    }
  }
  return report;
}

async function importFile<T>(dir: string, spec: ImportFile<T>, store: ArrearsStore, report: ImportReport, onWritten: (rows: number) => void) {
  const path = join(dir, spec.file);
  if (!existsSync(path)) return;
  const fail = (line: number, key: string, reason: string) => report.errors.push({ file: spec.file, line, key, reason });
  const source = createReadStream(path);
  // Empty lines are kept (and skipped below) so that every line is seen and counted here: the
  // parser's own count is slower to get and counts a CR LF inside a quoted value as two lines.
  const parser = parse({ bom: true, relax_column_count: true, relax_quotes: true, max_record_size: MAX_RECORD_CHARS });
  source.on('error', (error) => parser.destroy(error));
  source.pipe(parser);
  const writer = new BatchWriter<T>((rows) => spec.write(store, rows), onWritten);
  let columns: string[] | undefined;
  let unreadable = false;
  let line = 1;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      const at = line;
      line += 1 + lineBreaksIn(record);
      if (record.length === 1 && record[0]!.trim() === '') continue;
      if (!columns) {
        const problem = headerProblem(spec, record);
        if (problem) {
          fail(at, '(header)', `${problem}; file not imported`);
          return;
        }
        columns = record.map(columnName);
        continue;
      }
      const row: Record<string, string | undefined> = {};
      columns.forEach((column, i) => {
        const cell = record[i]?.trim();
        row[column] = cell === '' ? undefined : cell;
      });
      if (record.length !== columns.length) {
        fail(at, spec.reportKey(row), `row has ${record.length} fields but the header has ${columns.length} (a comma in an unquoted value?)`);
        continue;
      }
      const parsed = spec.schema.safeParse(spec.toRecord(row));
      if (parsed.success) await writer.add(spec.storageKey(parsed.data), parsed.data);
      else fail(at, spec.reportKey(row), reasonOf(parsed.error.issues, row, spec.optional));
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
  await writer.end();
}

function lineBreaksIn(record: readonly string[]): number {
  let breaks = 0;
  for (const field of record) if (/[\r\n]/.test(field)) breaks += field.match(/\r\n|\r|\n/g)!.length;
  return breaks;
}

const columnName = (header: string) => header.trim().toLowerCase();

function headerProblem(spec: ImportFile<unknown>, header: readonly string[]): string | undefined {
  const names = header.map(columnName);
  const known = [...spec.required, ...spec.optional];
  // No known column at all: the first line is data, and data may be personal: do not repeat it.
  if (!names.some((n) => known.includes(n))) return `first line is not a header row (expected columns ${spec.required.join(', ')})`;
  const listed = (cols: readonly string[]) => cols.map((c) => (c === '' ? '(blank)' : /^[a-z0-9_ -]{1,40}$/.test(c) ? c : '(unreadable name)')).join(', ');
  const missing = spec.required.filter((c) => !names.includes(c));
  const unknown = names.filter((n) => !known.includes(n));
  const repeated = names.filter((n, i) => known.includes(n) && names.indexOf(n) !== i);
  const problems = [
    missing.length > 0 ? `missing column(s) ${missing.join(', ')}` : '',
    unknown.length > 0 ? `unknown column(s) ${listed(unknown)}` : '',
    repeated.length > 0 ? `repeated column(s) ${repeated.join(', ')}` : '',
  ].filter(Boolean);
  return problems.length > 0 ? problems.join('; ') : undefined;
}

/** A short human summary: counts, then the first errors as `file:line key — reason`. */
export function formatImportReport(report: ImportReport, show = 20): string {
  const { employers, periods, payments, officers } = report.loaded;
  const n = report.errors.length;
  const lines = [`loaded ${employers} employers, ${periods} contribution periods, ${payments} payments, ${officers} officers; ${n} error${n === 1 ? '' : 's'}`];
  for (const e of report.errors.slice(0, show)) lines.push(`  ${e.file}:${e.line} ${e.key} — ${e.reason}`);
  if (n > show) lines.push(`  ... and ${n - show} more`);
  return lines.join('\n');
}
