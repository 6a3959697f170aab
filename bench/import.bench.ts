import { execFile } from 'node:child_process';
import { createWriteStream, existsSync, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { once } from 'node:events';
import { promisify } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createTable, LOCAL_CREDENTIALS, LOCAL_REGION } from '../local/embedded/dynalite.ts';
import { startDynaliteProcess } from './dynalite-process.ts';

/**
 * Benchmark of the import (npm run bench:import), each measurement in a fresh process:
 * - throughput: a contribution-periods file imported by the import code (read from a byte offset,
 *   parsed, validated, each unit checked, repeats settled, written in batches) against a raw
 *   BatchWriteItem of the same items, into the same dynalite process in the same run. Target: the
 *   import at least 0.8 × the raw write's rows per second.
 * - memory: the peak RSS of the import over a generated 100 MB and 1 GB employers file (the
 *   store's writes discarded; chunks of 2 M rows, the checkpoint's state saved and loaded between
 *   them). Target: within 50 MB of each other (memory does not grow with the file).
 * Generated files are kept under .local/bench-import.
 */
const TARGET_THROUGHPUT = 0.8;
const TARGET_RSS_DELTA_MB = 50;
const UNITS = 5_000;
const MONTHS = 40;
const WORK = resolve('.local/bench-import');
const run = promisify(execFile);

async function measure(args: string[]): Promise<Record<string, number>> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'bench/import-measure.ts', ...args], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, number>;
}

const unit = (u: number) => `TD${String(u).padStart(6, '0')}`;
async function writeLines(path: string, header: string, count: number, line: (i: number) => string) {
  const out = createWriteStream(path);
  out.write(`${header}\n`);
  for (let i = 0; i < count; i++) if (!out.write(`${line(i)}\n`)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
}

async function throughputFiles(): Promise<string> {
  const dir = join(WORK, 'throughput');
  if (existsSync(join(dir, 'contribution-periods.csv'))) return dir;
  await mkdir(dir, { recursive: true });
  await writeLines(join(dir, 'employers.csv'), 'unit_code,name,tax_code,district,commune,email,phone,locale', UNITS,
    (i) => `${unit(i + 1)},Công ty ${i + 1},27${String(i + 1).padStart(8, '0')},Tam Điệp,Bắc Sơn,u${i + 1}@example.vn,09${String(i + 1).padStart(8, '0')},vi`);
  const months = Array.from({ length: MONTHS }, (_, m) => `${2023 + Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}`);
  await writeLines(join(dir, 'contribution-periods.csv'), 'unit_code,period,amount_due,due_date', UNITS * MONTHS, (i) => `${unit(Math.floor(i / MONTHS) + 1)},${months[i % MONTHS]},${20_000_000 + i},`);
  return dir;
}

/** An employers file of about `bytes` (each row ~130 bytes, every unit code distinct). */
async function bigFile(bytes: number): Promise<string> {
  const dir = join(WORK, `rss-${bytes / 1e6}MB`);
  const path = join(dir, 'employers.csv');
  if (existsSync(path) && statSync(path).size >= bytes) return dir;
  await mkdir(dir, { recursive: true });
  const rows = Math.ceil(bytes / 130);
  await writeLines(path, 'unit_code,name,tax_code,district,commune,email,phone,locale', rows, (i) => {
    const code = `E${i.toString(36).toUpperCase().padStart(9, '0')}`;
    return `${code},Công ty Trách nhiệm hữu hạn Thương mại số ${i},${String(2_700_000_000 + i).slice(0, 10)},Tam Điệp,Bắc Sơn,ketoan.${code.toLowerCase()}@example.vn,09${String(i % 1e8).padStart(8, '0')},vi`;
  });
  return dir;
}

// `-- --only throughput` or `-- --only memory` runs one half.
const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
let failed = false;
if (only !== 'memory') await throughput();

async function throughput() {
const dir = await throughputFiles();
const table = 'bench-import';
const { endpoint, child } = await startDynaliteProcess(table);
try {
  const client = new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  await createTable(client, `${table}-raw`);
  client.destroy();
  await measure(['--mode', 'setup', '--endpoint', endpoint, '--table', table, '--dir', dir, '--file', 'employers.csv']);
  const raw = await measure(['--mode', 'raw', '--endpoint', endpoint, '--table', `${table}-raw`, '--dir', dir, '--file', 'contribution-periods.csv']);
  const imported = await measure(['--mode', 'import', '--endpoint', endpoint, '--table', table, '--dir', dir, '--file', 'contribution-periods.csv']);
  const rawRate = raw.rows! / raw.seconds!;
  const importRate = imported.rows! / imported.seconds!;
  const ratio = importRate / rawRate;
  console.log(`throughput, ${imported.rows!.toLocaleString('en')} contribution periods into dynalite (its own process):`);
  console.log(`  raw BatchWriteItem (floor)   ${raw.seconds!.toFixed(1)} s   ${Math.round(rawRate).toLocaleString('en')} rows/s`);
  console.log(`  import                       ${imported.seconds!.toFixed(1)} s   ${Math.round(importRate).toLocaleString('en')} rows/s   ${ratio.toFixed(2)} × floor (target ≥ ${TARGET_THROUGHPUT})`);
  if (ratio < TARGET_THROUGHPUT) failed = true;
} finally {
  child.kill();
}
}

if (only !== 'throughput') await memory();

async function memory() {
const sizes = [100e6, 1e9];
const rss: Record<string, number>[] = [];
for (const bytes of sizes) {
  const d = await bigFile(bytes);
  rss.push({ bytes: statSync(join(d, 'employers.csv')).size, ...(await measure(['--mode', 'rss', '--dir', d, '--file', 'employers.csv', '--chunk-rows', '2000000'])) });
}
console.log('memory, employers file, the store\'s writes discarded, chunks of 2 M rows:');
for (const r of rss) {
  console.log(`  ${(r.bytes! / 1e6).toFixed(0).padStart(5)} MB  ${r.rows!.toLocaleString('en').padStart(11)} rows  ${r.chunks} chunk(s)  ${r.seconds!.toFixed(0)} s  ${Math.round(r.rows! / r.seconds!).toLocaleString('en')} rows/s  peak RSS ${r.peakRssMb!.toFixed(0)} MB`);
}
const delta = rss[1]!.peakRssMb! - rss[0]!.peakRssMb!;
console.log(`  1 GB − 100 MB: ${delta >= 0 ? '+' : ''}${delta.toFixed(0)} MB (target ≤ ${TARGET_RSS_DELTA_MB} MB)`);
if (Math.abs(delta) > TARGET_RSS_DELTA_MB) failed = true;
await writeFile(join(WORK, 'last-run.json'), JSON.stringify({ rss }, null, 2));
}
if (failed) {
  console.log('TARGET MISSED');
  process.exitCode = 1;
}
