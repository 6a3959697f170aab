import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ZodError } from 'zod';
import type { ArrearsStore } from '../commons/store.ts';
import { BatchWriter } from './batch-writer.ts';
import { IMPORT_FILES, type ImportFile } from './import-files.ts';
import { reasonOf } from './row-reasons.ts';
import { headerProblem, KeptRows, readRows, repeatedKey } from './csv-rows.ts';
import { rosterOfImport } from './roster-hook.ts';
import type { RosterSyncInput } from '../steps/sync-staff.ts';
import type { ReconciliationCount } from './reconciliation-files.ts';

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
  /** Rows written to the store (counted as the writes complete), per file. */
  loaded: { employers: number; periods: number; payments: number; officers: number; targets: number } & Partial<Record<ReconciliationCount, number>>;
  /** Periods and payments refused because their unit has no employer row here nor in the store. */
  unknownUnits: { units: number; rows: number };
  errors: ImportError[];
}

export interface ImportOptions {
  /** Called after each batch is written, with the rows written so far (all files). */
  onProgress?(rows: number): void;
  /** Called once officers.csv is loaded (not when the folder has none): the staff accounts' sync (steps/sync-staff.ts). */
  afterOfficers?(roster: RosterSyncInput): Promise<unknown>;
}

export async function importFolder(dir: string, store: ArrearsStore, options: ImportOptions = {}): Promise<ImportReport> {
  const report: ImportReport = { loaded: { employers: 0, periods: 0, payments: 0, officers: 0, targets: 0 }, unknownUnits: { units: 0, rows: 0 }, errors: [] };
  const units = new KnownUnits(store);
  // A misspelt file name would otherwise be skipped without a word (and a missing folder throws here).
  const expected = IMPORT_FILES.map((f) => f.file);
  for (const name of (await readdir(dir)).filter((n) => /\.csv$/i.test(n) && !expected.includes(n)).sort()) {
    report.errors.push({ file: name, line: 1, key: '(file)', reason: `not an import file (expected ${expected.join(', ')}); not read` });
  }
  let written = 0;
  for (const spec of IMPORT_FILES) {
    const onWritten = (rows: number) => {
      // Reconciliation's counts appear once one of its files is read.
      report.loaded[spec.count] = (report.loaded[spec.count] ?? 0) + rows;
      written += rows;
      options.onProgress?.(written);
    };
    const roster = spec.count === 'officers' && options.afterOfficers ? rosterOfImport(dir, spec) : undefined;
    try {
      await importFile(dir, roster?.spec ?? spec, store, report, onWritten, units);
    } catch (error) {
      throw new Error(`import stopped in ${spec.file} after ${report.loaded[spec.count] ?? 0} rows were written`, { cause: error });
    }
    if (roster?.present) await options.afterOfficers!(roster.input(report.errors));
  }
  return report;
}

async function importFile<T>(
  dir: string, spec: ImportFile<T>, store: ArrearsStore, report: ImportReport, onWritten: (rows: number) => void, units: KnownUnits,
) {
  const path = join(dir, spec.file);
  if (!existsSync(path)) return;
  const fail = (line: number, key: string, reason: string) => report.errors.push({ file: spec.file, line, key, reason });
  const writer = new BatchWriter<T>((rows) => spec.write(store, rows), onWritten);
  const kept = new KeptRows();
  await readRows(path, fail, {
    header: (names) => headerProblem(spec.required, spec.optional, names),
    reportKey: spec.reportKey,
    row: async (row, line) => {
      const parsed = spec.schema.safeParse(spec.toRecord(row));
      if (!parsed.success) {
        fail(line, spec.reportKey(row), reasonOf(parsed.error.issues, row, spec.optional));
        return;
      }
      const unit = spec.unitOf?.(parsed.data);
      // A ledger row of a unit the agency does not know would be followed up by nobody: refused.
      if (unit !== undefined && !(await units.has(unit))) {
        report.unknownUnits.rows++;
        units.refused.add(unit);
        fail(line, spec.reportKey(row), 'unit_code is not a known unit (no employer row in this import or the store); not loaded');
        return;
      }
      const first = kept.keep(spec.storageKey(parsed.data), line);
      if (first !== undefined) {
        fail(line, spec.reportKey(row), repeatedKey(spec.keyColumns, first));
        return;
      }
      if (spec.count === 'employers') units.add((parsed.data as { unitCode: string }).unitCode);
      await writer.add(spec.storageKey(parsed.data), parsed.data);
    },
  });
  await writer.end();
  report.unknownUnits.units = units.refused.size;
}

/** Whether a unit has an employer profile: accepted in this import, or found in the store (read once per unit). */
class KnownUnits {
  private readonly known = new Map<string, boolean>();
  /** The unknown units rows were refused for, counted once however many files name them. */
  readonly refused = new Set<string>();
  constructor(private readonly store: ArrearsStore) {}

  add(unitCode: string) {
    this.known.set(unitCode, true);
  }

  async has(unitCode: string): Promise<boolean> {
    let known = this.known.get(unitCode);
    if (known === undefined) {
      known = await profileExists(this.store, unitCode);
      this.known.set(unitCode, known);
    }
    return known;
  }
}

async function profileExists(store: ArrearsStore, unitCode: string): Promise<boolean> {
  try {
    return (await store.getEmployer(unitCode)) !== undefined;
  } catch (error) {
    // A stored profile that does not validate is still the unit's: the unit is known.
    if (error instanceof ZodError) return true;
    throw error;
  }
}

/** A short human summary: counts, then the first errors as `file:line key — reason`. */
export function formatImportReport(report: ImportReport, show = 20): string {
  const { employers, periods, payments, officers, targets } = report.loaded;
  const n = report.errors.length;
  const { units, rows } = report.unknownUnits;
  const unknown = rows > 0 ? `; ${rows} row${rows === 1 ? '' : 's'} of ${units} unknown unit${units === 1 ? '' : 's'} refused` : '';
  const { roster, taxOrganisations, taxEmployees, register } = report.loaded;
  const tax = [roster, taxOrganisations, taxEmployees, register].some((c) => c !== undefined)
    ? `, ${roster ?? 0} roster rows, ${taxOrganisations ?? 0} tax organisations, ${taxEmployees ?? 0} tax employee rows, ${register ?? 0} business register rows`
    : '';
  const lines = [`loaded ${employers} employers, ${periods} contribution periods, ${payments} payments, ${officers} officers, ${targets} plan targets${tax}${unknown}; ${n} error${n === 1 ? '' : 's'}`];
  for (const e of report.errors.slice(0, show)) lines.push(`  ${e.file}:${e.line} ${e.key} — ${e.reason}`);
  if (n > show) lines.push(`  ... and ${n - show} more`);
  return lines.join('\n');
}
