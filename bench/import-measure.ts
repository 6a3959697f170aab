import '../local/embedded/quiet.ts';
import { parseArgs } from 'node:util';
import { mkdtempSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { documentClient, LOCAL_CREDENTIALS, LOCAL_REGION } from '../local/embedded/dynalite.ts';
import { DynamoArrearsStore } from '../functions/commons/dynamo-store.ts';
import { batchPut } from '../functions/commons/dynamo-writes.ts';
import { keys } from '../functions/commons/table.ts';
import { clock } from '../functions/commons/clock.ts';
import { folderImportDeps, importWholeFile } from '../functions/import/csv-import.ts';
import { IMPORT_FILES } from '../functions/import/import-files.ts';
import type { ArrearsStore } from '../functions/commons/store.ts';

/**
 * One measurement of `npm run bench:import` in a fresh process, so its peak RSS is its own. Prints JSON.
 * - `import`: the folder's file imported into the table (dynalite) by the import code, to its end.
 * - `raw`: the same items (read and built before the clock starts) put with BatchWriteItem, 25 an
 *   call, 8 batches of 500 in flight: the import's write shape, with nothing else: the floor.
 * - `rss`: the import code over a large file with the store's writes discarded (dynalite cannot take
 *   tens of millions of items here): what the import itself holds, in chunks of `--chunk-rows` with
 *   the checkpoint's state saved and loaded between them, as in Lambda.
 */
const { values } = parseArgs({
  options: { mode: { type: 'string' }, endpoint: { type: 'string' }, table: { type: 'string' }, dir: { type: 'string' }, file: { type: 'string' }, 'chunk-rows': { type: 'string' } },
});
const dir = values.dir!;
const file = values.file!;
clock.setNow(new Date('2026-11-02T06:00:00+07:00'));
process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
const client = values.endpoint ? new DynamoDBClient({ endpoint: values.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, maxAttempts: 10 }) : undefined;
const store = client ? new DynamoArrearsStore(documentClient(client), values.table!) : undefined;
const reportsDir = mkdtempSync(join(tmpdir(), 'bench-import-'));

async function viaImport(into: ArrearsStore, options: { maxRows?: number } = {}) {
  const report = await importWholeFile(folderImportDeps(dir, into, reportsDir), `bench:${values.table ?? 'rss'}/`, { key: file, name: file }, options);
  return { rows: Object.values(report.loaded).reduce((a, b) => a + b, 0), errors: report.errorCount, chunks: report.chunks };
}

/** The items the import writes for the periods file (its provenance included), built before timing. */
async function itemsOf(): Promise<Record<string, unknown>[]> {
  const spec = IMPORT_FILES.find((f) => f.file === file)!;
  const [header, ...lines] = (await readFile(join(dir, file), 'utf8')).trim().split('\n');
  const columns = header!.split(',');
  return lines.map((l, i) => {
    const cells = l.split(',');
    const row = Object.fromEntries(columns.map((c, j) => [c, cells[j] === '' ? undefined : cells[j]]));
    const p = spec.schema.parse(spec.toRecord(row)) as { unitCode: string; period: string };
    return { ...keys.period(p.unitCode, p.period), ...p, importSource: `${file}@x`, importLine: i + 2 };
  });
}

async function raw(items: Record<string, unknown>[]) {
  const slices: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 500) slices.push(items.slice(i, i + 500));
  const t0 = process.hrtime.bigint();
  await Promise.all(Array.from({ length: 8 }, async () => {
    for (let s = slices.shift(); s; s = slices.shift()) await batchPut(documentClient(client!), values.table!, s);
  }));
  return { rows: items.length, seconds: Number(process.hrtime.bigint() - t0) / 1e9 };
}

/** A store that keeps nothing: every unit is known, no item has a provenance, run records in memory. */
function discardingStore(): ArrearsStore {
  const runs = new Map<string, Record<string, unknown>>();
  const sink = async () => {};
  return {
    putEmployers: sink, putPeriods: sink, putPayments: sink, putOfficers: sink, putTargets: sink,
    getEmployer: async () => ({}), importedFrom: async () => undefined,
    getRunRecord: async (scope: string, kind: string) => runs.get(`${scope} ${kind}`),
    putRunSummary: async (scope: string, summary: Record<string, unknown>, kind: string) => { runs.set(`${scope} ${kind}`, structuredClone(summary)); },
    takeLease: async () => true, renewLease: async () => true, releaseLease: async () => true,
  } as unknown as ArrearsStore;
}

let result: Record<string, unknown>;
if (values.mode === 'setup') result = await viaImport(store!);
else if (values.mode === 'raw') result = await raw(await itemsOf());
else {
  const t0 = process.hrtime.bigint();
  const r = values.mode === 'import' ? await viaImport(store!) : await viaImport(discardingStore(), { maxRows: Number(values['chunk-rows'] ?? 2_000_000) });
  result = { ...r, seconds: Number(process.hrtime.bigint() - t0) / 1e9 };
}
// maxRSS is in kilobytes: the process's peak resident set.
console.log(JSON.stringify({ mode: values.mode, ...result, peakRssMb: process.resourceUsage().maxRSS / 1024 }));
client?.destroy();
