import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ArrearsStore } from '../commons/store.ts';
import { BatchWriter } from './batch-writer.ts';
import { IMPORT_FILES, type ImportFile } from './import-files.ts';
import { reasonOf } from './row-reasons.ts';
import { headerProblem, readRows } from './csv-rows.ts';

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
  loaded: { employers: number; periods: number; payments: number; officers: number; targets: number };
  errors: ImportError[];
}

export interface ImportOptions {
  /** Called after each batch is written, with the rows written so far (all files). */
  onProgress?(rows: number): void;
}

export async function importFolder(dir: string, store: ArrearsStore, options: ImportOptions = {}): Promise<ImportReport> {
  const report: ImportReport = { loaded: { employers: 0, periods: 0, payments: 0, officers: 0, targets: 0 }, errors: [] };
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
  const writer = new BatchWriter<T>((rows) => spec.write(store, rows), onWritten);
  await readRows(path, fail, {
    header: (names) => headerProblem(spec.required, spec.optional, names),
    reportKey: spec.reportKey,
    row: async (row, line) => {
      const parsed = spec.schema.safeParse(spec.toRecord(row));
      if (parsed.success) await writer.add(spec.storageKey(parsed.data), parsed.data);
      else fail(line, spec.reportKey(row), reasonOf(parsed.error.issues, row, spec.optional));
    },
  });
  await writer.end();
}

/** A short human summary: counts, then the first errors as `file:line key — reason`. */
export function formatImportReport(report: ImportReport, show = 20): string {
  const { employers, periods, payments, officers, targets } = report.loaded;
  const n = report.errors.length;
  const lines = [`loaded ${employers} employers, ${periods} contribution periods, ${payments} payments, ${officers} officers, ${targets} plan targets; ${n} error${n === 1 ? '' : 's'}`];
  for (const e of report.errors.slice(0, show)) lines.push(`  ${e.file}:${e.line} ${e.key} — ${e.reason}`);
  if (n > show) lines.push(`  ... and ${n - show} more`);
  return lines.join('\n');
}
