import '../local/embedded/quiet.ts';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startDynaliteProcess } from './dynalite-process.ts';
import { documentClient, LOCAL_CREDENTIALS, LOCAL_REGION } from '../local/embedded/dynalite.ts';
import { DynamoArrearsStore } from '../functions/commons/dynamo-store.ts';
import { generateDataset } from '../local/generate.ts';
import { importFolder } from '../functions/import/csv-import.ts';
import { ASSUMED, NATIONAL, PRICES, nationalCapacity, refillNeeded, type Measured } from './capacity.ts';
import { DEFAULT_DEPLOYMENT } from '../infra/deployment-config.ts';

/**
 * Benchmark of the monthly run (npm run bench), all in one run, side by side with its floor:
 * - classification over 10,000 and 100,000 employers × 24 months of ledger against a raw parallel
 *   scan of the same table (the low-level client, nothing decoded): user CPU per unit (target
 *   ≤ 1.3 × the floor's) and wall time at the largest size (target ≤ 1.1 ×), each in a fresh process
 *   running the code bundled as a Lambda function is (esbuild, ESM, minified), against dynalite in
 *   its own process on disk (its CPU is not counted);
 * - the CPU a StartExecution costs the caller (against the local Step Functions endpoint);
 * - the transitions and Lambda tasks of an escalation (the sample district's cycle on the local stack);
 * - from those and the AWS quotas, the national cycle's capacity (bench/capacity.ts) and its cost.
 * The machine may be shared: CPU-time ratios are what count; the load average is printed beside the walls.
 * Generated data is kept under .local/bench and reused by later runs (`--fresh` to rebuild).
 */
const { values } = parseArgs({ options: { sizes: { type: 'string', default: '10000,100000' }, fresh: { type: 'boolean', default: false }, 'skip-escalations': { type: 'boolean', default: false } } });
const SIZES = values.sizes.split(',').map(Number);
const AS_OF = '2026-11-02';
const MONTHS = 24;
const ROOT = resolve('.local/bench');
const TABLE = 'arrears-bench';
const TARGET_CPU_RATIO = 1.3;
const TARGET_WALL_RATIO = 1.1;
const TARGET_MINUTES = 10;
const STARTS = 3000;

interface Measurement { mode: string; seconds: number; userCpuSeconds: number; systemCpuSeconds: number; items?: number; readUnits?: number; units?: number; delinquent?: number; debtRatioPercent?: number; starts?: number; peakRssMb: number }

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

/** bench/measure.ts bundled as the stack bundles a function (infra/constructs/arrears-function.ts), for this machine's Node. */
async function bundleMeasure(): Promise<string> {
  const outfile = join(ROOT, 'measure.mjs');
  await mkdir(ROOT, { recursive: true });
  await build({
    entryPoints: [resolve('bench/measure.ts')], outfile, bundle: true, platform: 'node', format: 'esm', target: 'node20', minify: true,
    mainFields: ['module', 'main'], logLevel: 'warning',
    banner: { js: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);" },
  });
  return outfile;
}

function measure(bundle: string, args: string[]): Promise<Measurement> {
  return new Promise((ok, fail) => {
    const child = spawn(process.execPath, [bundle, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.on('exit', (code) => (code === 0 ? ok(JSON.parse(out.trim().split('\n').at(-1)!) as Measurement) : fail(new Error(`${args.join(' ')} exited ${code}`))));
  });
}

const cpu = (m: Measurement) => m.userCpuSeconds;
const pad = (v: string | number, n: number) => String(v).padStart(n);

/** The escalation's transitions and tasks: the sample district's first cycle on the local stack (tasks time out at once: nobody answers). */
async function escalationPaths(): Promise<{ transitions: number; tasks: number; executions: number }> {
  const { startLocalStack } = await import('../local/embedded/stack.ts');
  const { runMonthlyMachine } = await import('../local/embedded/monthly-run.ts');
  const { TASK_STATE_FUNCTION } = await import('../workflows/state-names.ts');
  const { clock } = await import('../functions/commons/clock.ts');
  clock.setNow(new Date(`${AS_OF}T06:00:00+07:00`));
  const stack = await startLocalStack({ taskTimeoutSeconds: 1 });
  try {
    await importFolder('data/sample', stack.store);
    await runMonthlyMachine(stack.lambdas, { asOf: AS_OF }, { beforeRedrive: () => stack.sfn.idle() });
    await stack.sfn.idle();
    const executions = stack.sfn.list();
    const transitions = executions.reduce((n, e) => n + e.path.length, 0);
    const tasks = executions.reduce((n, e) => n + e.path.filter((s) => s in TASK_STATE_FUNCTION).length, 0);
    return { transitions: transitions / executions.length, tasks: tasks / executions.length, executions: executions.length };
  } finally {
    await stack.close();
  }
}

async function startsCost(bundle: string): Promise<Measurement> {
  const { LocalStepFunctions } = await import('../local/embedded/step-functions.ts');
  const sfn = new LocalStepFunctions({ definition: { StartAt: 'Done', States: { Done: { Type: 'Succeed' } } }, taskHandlers: {} });
  const endpoint = await sfn.listen();
  try {
    await measure(bundle, ['--mode', 'starts', '--sfn-endpoint', endpoint, '--starts', '200', '--prefix', 'WARM']); // warm the endpoint
    return await measure(bundle, ['--mode', 'starts', '--sfn-endpoint', endpoint, '--starts', String(STARTS), '--prefix', 'BENCH']);
  } finally {
    await sfn.close();
  }
}

async function main() {
  console.log(`Monthly run benchmark: dynalite in its own process, on disk; as of ${AS_OF}; the measured code bundled as a Lambda function is\n`);
  const bundle = await bundleMeasure();
  const rows: { units: number; raw: Measurement; filtered: Measurement; run: Measurement; load: [number, number] }[] = [];
  for (const units of SIZES) {
    const dir = await ensureData(units);
    const { endpoint, child } = await startDynaliteProcess(TABLE, join(dir, 'db'));
    try {
      const args = ['--endpoint', endpoint, '--table', TABLE, '--as-of', AS_OF];
      await measure(bundle, [...args, '--mode', 'raw']); // warm the store's file cache so neither side pays for it
      const before = loadavg()[0]!;
      const raw = await measure(bundle, [...args, '--mode', 'raw']);
      const filtered = await measure(bundle, [...args, '--mode', 'raw', '--filtered']);
      const run = await measure(bundle, [...args, '--mode', 'classify']);
      rows.push({ units, raw, filtered, run, load: [before, loadavg()[0]!] });
      console.log(`  ${units} units: raw scan ${raw.seconds.toFixed(1)} s wall, ${cpu(raw).toFixed(1)} s user CPU (${raw.items} items); with the run's filter and projection ${filtered.seconds.toFixed(1)} s, ${cpu(filtered).toFixed(1)} s; classification ${run.seconds.toFixed(1)} s wall, ${cpu(run).toFixed(1)} s user CPU`);
    } finally {
      child.kill();
    }
  }

  console.log('\n  side by side, each in a fresh process (user CPU; µs per unit). Floor A: raw scan of every item and attribute (as the issue measured);');
  console.log('  floor B: raw scan with the run\'s own filter and projection (what the run reads, nothing decoded)');
  console.log('   units     items | floor A                 | floor B         | monthly classification               | vs A         | vs B         | load avg');
  console.log('                   |  wall s  user s  µs/unit | wall s  user s  |  wall s  user s  µs/unit  RSS MB  del. | CPU   wall   | CPU   wall   | 1-min');
  for (const { units, raw, filtered, run, load } of rows) {
    console.log(`  ${pad(units, 6)} ${pad(raw.items!, 9)} | ${pad(raw.seconds.toFixed(1), 7)} ${pad(cpu(raw).toFixed(2), 7)} ${pad(((cpu(raw) / units) * 1e6).toFixed(0), 8)}`
      + ` | ${pad(filtered.seconds.toFixed(1), 6)} ${pad(cpu(filtered).toFixed(2), 7)} `
      + ` | ${pad(run.seconds.toFixed(1), 7)} ${pad(cpu(run).toFixed(2), 7)} ${pad(((cpu(run) / units) * 1e6).toFixed(0), 8)} ${pad(run.peakRssMb.toFixed(0), 7)} ${pad(run.delinquent!, 5)}`
      + ` | ${pad((cpu(run) / cpu(raw)).toFixed(2), 4)} ${pad((run.seconds / raw.seconds).toFixed(2), 5)}  | ${pad((cpu(run) / cpu(filtered)).toFixed(2), 4)} ${pad((run.seconds / filtered.seconds).toFixed(2), 5)}  | ${load[0].toFixed(1)}→${load[1].toFixed(1)}`);
  }
  const largest = rows.at(-1)!;
  const busy = largest.load[0] > 1.5 ? ` (the machine was busy: load ${largest.load[0].toFixed(1)} on 2 cores; walls are disturbed)` : '';
  for (const [name, floor] of [['A', largest.raw], ['B', largest.filtered]] as const) {
    const cpuRatio = cpu(largest.run) / cpu(floor);
    const wallRatio = largest.run.seconds / floor.seconds;
    console.log(`\n  classification / floor ${name}, user CPU per unit at ${largest.units}: ${cpuRatio.toFixed(2)} (target ≤ ${TARGET_CPU_RATIO}) ${cpuRatio <= TARGET_CPU_RATIO ? 'MET' : 'NOT MET'}`);
    console.log(`  classification / floor ${name}, wall at ${largest.units}: ${wallRatio.toFixed(2)} (target ≤ ${TARGET_WALL_RATIO}) ${wallRatio <= TARGET_WALL_RATIO ? 'MET' : 'NOT MET'}${busy}`);
  }

  const starts = await startsCost(bundle);
  const startCpuMs = ((starts.userCpuSeconds + starts.systemCpuSeconds) / starts.starts!) * 1000;
  console.log(`\n  StartExecution through the adapter (local endpoint, unthrottled): ${starts.starts} starts, ${startCpuMs.toFixed(3)} ms CPU each`);
  const paths = values['skip-escalations'] ? { transitions: 12, tasks: 5, executions: 0 } : await escalationPaths();
  console.log(`  escalations of the sample's cycle (local stack, nobody answering): ${paths.executions} executions, ${paths.transitions.toFixed(1)} states entered and ${paths.tasks.toFixed(1)} Lambda tasks each${values['skip-escalations'] ? ' (skipped: assumed)' : ''}`);

  const measured: Measured = {
    classifyCpuMsPerUnit: ((largest.run.userCpuSeconds + largest.run.systemCpuSeconds) / largest.units) * 1000,
    startCpuMs,
    readUnitsPerUnit: (largest.raw.readUnits ?? 0) / largest.units,
    transitionsPerEscalation: paths.transitions,
    tasksPerEscalation: paths.tasks,
  };
  const national = nationalCapacity(measured);
  console.log(`\n  national cycle: ${NATIONAL.units.toLocaleString('en')} units, ${NATIONAL.delinquent.toLocaleString('en')} delinquent, ${NATIONAL.voluntary.toLocaleString('en')} voluntary participants, ${NATIONAL.householdCards.toLocaleString('en')} household cards`);
  console.log(`  quotas: StartExecution ${DEFAULT_DEPLOYMENT.stepFunctions.startExecution.bucket} bucket, ${DEFAULT_DEPLOYMENT.stepFunctions.startExecution.perSecond}/s (ap-southeast-1); monthly run ${DEFAULT_DEPLOYMENT.monthlyRun.segments} segments, ${DEFAULT_DEPLOYMENT.monthlyRun.concurrency} at once`);
  console.log(`  measured: ${measured.classifyCpuMsPerUnit.toFixed(3)} ms CPU a unit, ${measured.startCpuMs.toFixed(3)} ms a start, ${measured.readUnitsPerUnit.toFixed(2)} read units a unit a scan\n`);
  console.log('  phase                                               wall min  Lambda-s  transitions  messages');
  for (const p of national.phases) {
    console.log(`  ${p.phase.padEnd(50)} ${pad(p.wallMinutes.toFixed(1), 8)} ${pad(Math.round(p.lambdaSeconds).toLocaleString('en'), 9)} ${pad(Math.round(p.transitions).toLocaleString('en'), 12)}  ${p.messages}`);
    console.log(`    ${p.note}`);
  }
  const met = national.monthlyRunMinutes < TARGET_MINUTES;
  console.log(`\n  national monthly run (classify every unit, start every escalation): ${national.monthlyRunMinutes.toFixed(1)} min (target < ${TARGET_MINUTES}) ${met ? 'MET' : 'NOT MET'}`);
  if (!met) {
    const needed = refillNeeded(TARGET_MINUTES - 0.5);
    const raised = nationalCapacity(measured, DEFAULT_DEPLOYMENT, { bucket: DEFAULT_DEPLOYMENT.stepFunctions.startExecution.bucket, perSecond: needed });
    console.log(`    the start quota bounds it: ${NATIONAL.delinquent.toLocaleString('en')} starts at ${DEFAULT_DEPLOYMENT.stepFunctions.startExecution.perSecond}/s take ${((NATIONAL.delinquent - 800) / 150 / 60).toFixed(1)} min whatever the code does.`);
    console.log(`    with StartExecution raised to ${needed}/s (Service Quotas; deployment stepFunctions.startExecution.perSecond): ${raised.monthlyRunMinutes.toFixed(1)} min ${raised.monthlyRunMinutes < TARGET_MINUTES ? 'MET' : 'NOT MET'}`);
  }
  console.log('\n  cost per month (USD)');
  for (const [k, v] of Object.entries(national.cost)) console.log(`    ${k.padEnd(14)} ${pad(v.toFixed(2), 12)}`);
  console.log(`    ${'total'.padEnd(14)} ${pad(national.totalCost.toFixed(2), 12)}`);
  console.log(`  prices used: ${Object.entries(PRICES).map(([k, v]) => `${k} $${v.toPrecision(3)}`).join(', ')}`);
  console.log(`  assumed (not measured): ${Object.entries(ASSUMED).map(([k, v]) => `${k} ${typeof v === 'number' ? +v.toFixed(3) : v}`).join(', ')}`);
}

await main();
