import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { clock } from '../commons/clock.ts';
import { storePorts } from '../commons/deps.ts';
import { FolderImportBucket, type ImportBucket } from '../commons/documents.ts';
import type { ArrearsStore } from '../commons/store.ts';
import { policyFor } from '../core/policy.ts';
import { getFileRun, importChunk, readReport, type BatchFile, type ChunkOptions, type FileReport, type ImportDeps } from './file-import.ts';
import { IMPORT_FILES } from './import-files.ts';
import { rosterFromFile } from './roster-hook.ts';
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
  /** Contribution periods after their unit's closing month: kept on record, not charged (listed in the file's report as `after-closing`). */
  afterClosing: number;
  errors: ImportError[];
}

export interface ImportOptions {
  /** Called after each batch is written, with the rows written so far (all files). */
  onProgress?(rows: number): void;
  /** Called once officers.csv is loaded (not when the folder has none): the staff accounts' sync (steps/sync-staff.ts). */
  afterOfficers?(roster: RosterSyncInput): Promise<unknown>;
  /** Where the files' reports and checkpoints' state go; a folder under the system's temporary one by default. */
  reportsDir?: string;
}

export async function importFolder(dir: string, store: ArrearsStore, options: ImportOptions = {}): Promise<ImportReport> {
  const report: ImportReport = { loaded: { employers: 0, periods: 0, payments: 0, officers: 0, targets: 0 }, unknownUnits: { units: 0, rows: 0 }, afterClosing: 0, errors: [] };
  // A misspelt file name would otherwise be skipped without a word (and a missing folder throws here).
  const expected = IMPORT_FILES.map((f) => f.file);
  for (const name of (await readdir(dir)).filter((n) => /\.csv$/i.test(n) && !expected.includes(n)).sort()) {
    report.errors.push({ file: name, line: 1, key: '(file)', reason: `not an import file (expected ${expected.join(', ')}); not read` });
  }
  const deps = folderImportDeps(dir, store, options.reportsDir);
  // Each folder is a batch of its own: its files' run records are under its path.
  const prefix = `folder:${resolve(dir)}/`;
  let written = 0;
  for (const spec of IMPORT_FILES) {
    if (!existsSync(join(dir, spec.file))) continue;
    let inFile = 0;
    let fileReport: FileReport | undefined;
    try {
      fileReport = await importWholeFile(deps, prefix, { key: spec.file, name: spec.file }, {
        onWritten: (rows) => {
          inFile += rows;
          written += rows;
          options.onProgress?.(written);
        },
      });
    } catch (error) {
      throw new Error(`import stopped in ${spec.file} after ${inFile} rows were written`, { cause: error });
    }
    // Reconciliation's counts appear once one of its files is read.
    report.loaded[spec.count] = (report.loaded[spec.count] ?? 0) + (fileReport.loaded[spec.count] ?? 0);
    report.unknownUnits.rows += fileReport.unknownUnits.rows;
    report.unknownUnits.units = Math.max(report.unknownUnits.units, fileReport.unknownUnits.units);
    report.afterClosing += fileReport.loaded.afterClosing ?? 0;
    report.errors.push(...fileReport.errors);
    if (spec.count === 'officers' && options.afterOfficers) await options.afterOfficers(await rosterFromFile(join(dir, spec.file), spec.file, fileReport.errors));
  }
  return report;
}

/**
 * A file imported to its end, chunk after chunk (each from the last one's checkpoint), as the
 * state machine does in AWS; its report. A file already imported at this version is not read again.
 */
export async function importWholeFile(deps: ImportDeps, prefix: string, file: BatchFile, options: ChunkOptions = {}): Promise<FileReport> {
  for (;;) {
    const r = await importChunk(deps, prefix, file, options);
    if (r.status === 'more') continue;
    const run = await getFileRun(deps, prefix, file.name);
    const report = r.report ? await readReport(deps, r.report) : undefined;
    if (report) return report;
    // The report is gone (a temporary folder cleaned): the run record still has the counts.
    return {
      file: file.name, key: file.key, version: r.version, loaded: run?.loaded ?? {}, unknownUnits: run?.unknownUnits ?? { units: 0, rows: 0 },
      errorCount: run?.errorCount ?? 0, errors: run?.firstErrors ?? [], corrections: run?.corrections ?? [], chunks: run?.chunks ?? 0, startedAt: run?.startedAt ?? '', finishedAt: run?.finishedAt ?? '',
    };
  }
}

/**
 * The ports of a folder's import: the folder read as the import bucket (its files at the top),
 * reports and checkpoints' state written elsewhere (never into the data folder), the store's
 * ports. A folder of the employer files needs nothing else.
 */
export function folderImportDeps(dir: string, store: ArrearsStore, reportsDir?: string): ImportDeps {
  const out = reportsDir ?? join(tmpdir(), 'arrears-import-reports', createHash('sha1').update(resolve(dir)).digest('hex').slice(0, 16));
  const reads = new FolderImportBucket(dir);
  const writes = new FolderImportBucket(out);
  const imports: ImportBucket = {
    list: (prefix) => reads.list(prefix),
    stat: (key) => reads.stat(key),
    read: (key, version, from) => reads.read(key, version, from),
    put: (key, body) => writes.put(key, body),
    putNew: (key, body) => writes.putNew(key, body),
    get: (key) => writes.get(key),
    locate: (key) => writes.locate(key),
    putBytes: (key, bytes) => writes.putBytes(key, bytes),
    getBytes: (key) => writes.getBytes(key),
  };
  const notHere = (what: string) => new Proxy({}, { get: () => () => { throw new Error(`A folder of the employer files needs no ${what}`); } });
  return {
    ...storePorts(store), imports, clock, policyFor,
    reminders: notHere('reminder store') as never, workflow: notHere('workflow') as never, mailer: notHere('mailer') as never,
  };
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
  const closed = report.afterClosing > 0 ? ` (${report.afterClosing} after their unit's closing month: kept, not charged)` : '';
  const lines = [`loaded ${employers} employers, ${periods} contribution periods${closed}, ${payments} payments, ${officers} officers, ${targets} plan targets${tax}${unknown}; ${n} error${n === 1 ? '' : 's'}`];
  for (const e of report.errors.slice(0, show)) lines.push(`  ${e.file}:${e.line} ${e.key} — ${e.reason}`);
  if (n > show) lines.push(`  ... and ${n - show} more`);
  return lines.join('\n');
}
