import { cp, mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { FolderImportBucket } from '../functions/commons/documents.ts';
import { planBatch, readReport, reportKeyOf, type FileReport } from '../functions/import/file-import.ts';
import { runImportMachine } from './embedded/import-run.ts';
import type { FunctionKey, LocalLambda } from './embedded/lambda.ts';
import type { StaffSyncReport } from '../functions/steps/sync-staff.ts';
import { existsSync } from 'node:fs';
import { withProgress } from './phase-progress.ts';

/**
 * A folder imported on the local stack as an upload is in AWS: copied into the folder standing in
 * for the import bucket under `imports/<batch>/` (the sample folder's layout: the employers' files
 * at the top, `participants/`, `collections/`), then the synthesized import machine run on it.
 * The files' reports are read back from beside them (`reports/<batch>/<file>.json`); the roster
 * sync's, when officers.csv was imported, go to `onStaffSync`.
 */
export async function importThroughBucket(
  local: { importsDir: string; lambdas: Record<FunctionKey, LocalLambda> }, dir: string, batch: string,
  options: { leaveOut?: readonly string[]; onStaffSync?: (report: StaffSyncReport) => void } = {},
): Promise<FileReport[]> {
  const prefix = `imports/${batch}/`;
  const target = join(local.importsDir, prefix);
  await mkdir(target, { recursive: true });
  for (const entry of await readdir(dir)) {
    if (options.leaveOut?.includes(entry)) continue;
    await cp(join(dir, entry), join(target, entry), { recursive: true });
  }
  const bucket = new FolderImportBucket(local.importsDir);
  const files = planBatch(prefix, await bucket.list(prefix));
  if (files.length === 0) return [];
  // One upload event starts the batch; the machine takes every file of it.
  // officers.csv in: the machine has synced the staff accounts (SyncStaffAccounts), as in AWS.
  // Progress: the files whose report the import has written beside them.
  const reported = () => files.filter((f) => existsSync(join(local.importsDir, reportKeyOf(f.key)))).length;
  const { staff } = await withProgress({ label: `import ${batch}`, unit: 'files', total: files.length, read: reported }, () => runImportMachine(local.lambdas, files[0]!.key));
  for (const report of staff) options.onStaffSync?.(report);
  const reports: FileReport[] = [];
  for (const f of files) {
    const report = await readReport({ imports: bucket }, reportKeyOf(f.key));
    if (report) reports.push(report);
  }
  return reports;
}

/** Per file its counts and errors, then the first errors as `file:line key — reason`. */
export function formatFileReports(reports: readonly FileReport[], show = 20): string {
  const lines = reports.map((r) => {
    const counts = Object.entries(r.loaded).map(([k, v]) => `${v} ${k}`).join(', ') || 'nothing loaded';
    const unknown = r.unknownUnits.rows > 0 ? `; ${r.unknownUnits.rows} rows of ${r.unknownUnits.units} unknown units refused` : '';
    return `${r.file}: ${counts}${unknown}; ${r.errorCount} error${r.errorCount === 1 ? '' : 's'}`;
  });
  const errors = reports.flatMap((r) => r.errors);
  const total = reports.reduce((n, r) => n + r.errorCount, 0);
  for (const e of errors.slice(0, show)) lines.push(`  ${e.file}:${e.line} ${e.key} — ${e.reason}`);
  if (total > Math.min(show, errors.length)) lines.push(`  ... and ${total - Math.min(show, errors.length)} more (see each file's report)`);
  return lines.join('\n');
}

/** The counts of every file added up by name (employers, periods, participants, scheduled...). */
export function loadedOf(reports: readonly FileReport[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of reports) for (const [k, v] of Object.entries(r.loaded)) out[k] = (out[k] ?? 0) + v;
  return out;
}
