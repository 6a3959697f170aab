import '../local/embedded/quiet.ts';
import { spawn } from 'node:child_process';
import { startDynaliteProcess } from './dynalite-process.ts';
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { documentClient, LOCAL_CREDENTIALS, LOCAL_REGION } from '../local/embedded/dynalite.ts';
import { DynamoArrearsStore } from '../functions/commons/dynamo-store.ts';
import { generateDataset } from '../local/generate.ts';
import { importFolder } from '../functions/import/csv-import.ts';

/**
 * Benchmark of the monthly run (issue: 100,000 employers × 24 months of ledger).
 *
 * dynalite runs in its own process on an on-disk store, so the store's memory is not counted.
 * For each size, a fresh process does a raw parallel scan of the table (the floor), then a fresh
 * process runs the monthly classification over the same table; each prints its time and peak RSS.
 * Targets: classification ≤ 1.5 × the raw scan; peak RSS at 100k within 50 MB of that at 10k.
 * Generated data is kept under .local/bench and reused by later runs.
 */
const { values } = parseArgs({ options: { sizes: { type: 'string', default: '10000,100000' }, fresh: { type: 'boolean', default: false } } });
const SIZES = values.sizes.split(',').map(Number);
const AS_OF = '2026-11-02';
const MONTHS = 24;
const ROOT = resolve('.local/bench');
const TABLE = 'arrears-bench';
const TARGET_RATIO = 1.5;
const TARGET_RSS_SPREAD_MB = 50;

interface Measurement { mode: string; seconds: number; items?: number; units?: number; delinquent?: number; debtRatioPercent?: number; peakRssMb: number }

async function ensureData(units: number): Promise<string> {
  const dir = join(ROOT, `${units}`);
  const ready = join(dir, 'loaded');
  if (values.fresh) await rm(dir, { recursive: true, force: true });
  if (existsSync(ready)) return dir;
  await rm(dir, { recursive: true, force: true });
  await mkdir(join(dir, 'db'), { recursive: true });
  const t0 = Date.now();
  process.stdout.write(`  generating ${units} employers × ${MONTHS} months ... `);
  await generateDataset({ units, seed: 1, asOf: AS_OF, months: MONTHS, districts: Math.max(1, Math.round(units / 5000)) }, join(dir, 'csv'));
  process.stdout.write(`${((Date.now() - t0) / 1000).toFixed(0)} s; loading into dynalite ... `);
  const { endpoint, child } = await startDynaliteProcess(TABLE, join(dir, 'db'));
  const client = new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, maxAttempts: 10 });
  const t1 = Date.now();
  const report = await importFolder(join(dir, 'csv'), new DynamoArrearsStore(documentClient(client), TABLE));
  client.destroy();
  child.kill();
  const rows = Object.values(report.loaded).reduce((a, b) => a + b, 0);
  console.log(`${rows} items in ${((Date.now() - t1) / 1000).toFixed(0)} s (${report.errors.length} row errors)`);
  await rm(join(dir, 'csv'), { recursive: true, force: true });
  await writeFile(ready, new Date().toISOString());
  return dir;
}

function measure(endpoint: string, mode: 'raw' | 'classify'): Promise<Measurement> {
  return new Promise((ok, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', resolve('bench/measure.ts'), '--endpoint', endpoint, '--table', TABLE, '--mode', mode, '--as-of', AS_OF], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.on('exit', (code) => (code === 0 ? ok(JSON.parse(out.trim().split('\n').at(-1)!) as Measurement) : fail(new Error(`${mode} exited ${code}`))));
  });
}

async function main() {
  console.log(`Monthly run benchmark: dynalite in its own process, on disk; as of ${AS_OF}\n`);
  const rows: { units: number; raw: Measurement; run: Measurement }[] = [];
  for (const units of SIZES) {
    const dir = await ensureData(units);
    const { endpoint, child } = await startDynaliteProcess(TABLE, join(dir, 'db'));
    try {
      await measure(endpoint, 'raw'); // warm the store's file cache so neither side pays for it
      const raw = await measure(endpoint, 'raw');
      const run = await measure(endpoint, 'classify');
      rows.push({ units, raw, run });
      console.log(`  ${units} units: raw scan ${raw.seconds.toFixed(1)} s, user CPU ${(raw as any).userCpuSeconds.toFixed(1)} s (${raw.items} items), monthly classification ${run.seconds.toFixed(1)} s, user CPU ${(run as any).userCpuSeconds.toFixed(1)} s`);
    } finally {
      child.kill();
    }
  }
  console.log('\n  units    items  raw scan s  items/s  classify s  units/s  ratio  peak RSS MB  delinquent  debt ratio');
  for (const { units, raw, run } of rows) {
    console.log(`  ${String(units).padStart(6)} ${String(raw.items).padStart(8)} ${raw.seconds.toFixed(1).padStart(11)} ${Math.round(raw.items! / raw.seconds).toString().padStart(8)}`
      + ` ${run.seconds.toFixed(1).padStart(11)} ${Math.round(run.units! / run.seconds).toString().padStart(8)} ${(run.seconds / raw.seconds).toFixed(2).padStart(6)}`
      + ` ${run.peakRssMb.toFixed(0).padStart(12)} ${String(run.delinquent).padStart(11)} ${run.debtRatioPercent!.toFixed(2).padStart(9)}%`);
  }
  const largest = rows.at(-1)!;
  const ratio = largest.run.seconds / largest.raw.seconds;
  console.log(`\n  classification / raw scan at ${largest.units}: ${ratio.toFixed(2)} (target ≤ ${TARGET_RATIO}) ${ratio <= TARGET_RATIO ? 'MET' : 'NOT MET'}`);
  if (rows.length > 1) {
    const spread = largest.run.peakRssMb - rows[0]!.run.peakRssMb;
    console.log(`  peak RSS ${rows[0]!.units} → ${largest.units}: ${rows[0]!.run.peakRssMb.toFixed(0)} → ${largest.run.peakRssMb.toFixed(0)} MB, +${spread.toFixed(0)} MB (target ≤ ${TARGET_RSS_SPREAD_MB}) ${spread <= TARGET_RSS_SPREAD_MB ? 'MET' : 'NOT MET'}`);
  }
}

await main();
