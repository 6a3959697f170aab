/**
 * The fault-injection harness (`npm run faults`): runs `npm start` (tsx local/start.ts) on a fresh
 * on-disk store as a child process, with the SES wire stand-in (local/faults/ses-wire.ts) in its own
 * process, kills it (SIGKILL) at seeded moments, injects SES outages, reruns, then counts at the wire
 * per message kind: sent, duplicates, missing (local/faults/count.ts).
 *
 * Scenarios: `clean` (one run; measures the run's duration), `reruns` (three plain reruns of that
 * completed store: each finds every step done and runs nothing again), `kills` (SIGKILL at N seeded
 * points spread over the timeline, each run continuing where the last was cut off, then one run to
 * completion), `ses-outage` (SES answers 503 then Throttling for a window from the first
 * statement), `segment-timeout` (one statement's SES call hangs past the local task timeout of 60 s:
 * its statement-run segment times out and is retried, as a Lambda timeout would be).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdtempSync, mkdirSync, cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { chance } from '../random.ts';
import { addMonths } from '../../functions/core/dates.ts';
import { countKinds, readSms, readStore, readWire, readZns, type KindCount } from './count.ts';
import type { FaultPlan } from './ses-wire.ts';
import { PROGRESS_FILE } from '../embedded/progress.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const AS_OF = '2026-11-02';

export const SCENARIOS = ['clean', 'reruns', 'kills', 'ses-outage', 'segment-timeout'] as const;
export type Scenario = (typeof SCENARIOS)[number];

export interface FaultOptions {
  seed: number;
  months: number;
  kills: number;
  outageSeconds: number;
  reruns: number;
  scenarios: Scenario[];
  /** A clean run's duration in seconds; measured by the `clean` scenario when absent. */
  durationSeconds?: number | undefined;
  workDir: string;
  /** The reduced form: the SES outage is injected into the kill scenario's final run (no separate scenario). */
  outageOnFinalRun?: boolean;
  log?: (line: string) => void;
}

export interface Row extends KindCount { scenario: string; kills: number }

interface Wire { endpoint: string; logFile: string; arm(plan: FaultPlan): Promise<void>; stop(): Promise<void> }

async function startWire(dir: string): Promise<Wire> {
  const logFile = join(dir, 'ses-wire.jsonl');
  const child = spawn(TSX, [join(ROOT, 'local/faults/ses-wire.ts'), '--log', logFile], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((res, rej) => {
    createInterface({ input: child.stdout! }).once('line', res);
    child.once('exit', (code) => rej(new Error(`ses-wire exited (${code})`)));
  });
  const endpoint = `http://127.0.0.1:${(JSON.parse(line) as { port: number }).port}`;
  return {
    endpoint, logFile,
    async arm(plan) { await fetch(`${endpoint}/_faults`, { method: 'POST', body: JSON.stringify(plan) }); },
    stop: () => stopChild(child),
  };
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((res) => { child.once('exit', () => res()); child.kill('SIGTERM'); });
}

interface Attempt { ms: number; killed: boolean; code: number | null }

/**
 * When to kill a run: once the store's timeline (local/embedded/progress.ts) has at least `minDone`
 * steps done and this run has finished one of its own (so each attempt gets further than the last),
 * after `extraMs` more: the kill lands inside a step or between two.
 */
interface KillPlan { minDone: number; extraMs: number }

/** The longest a kill waits after its step mark. */
const KILL_DELAY_MS = 2_000;
/** The share of the timeline's steps the kills are spread over. */
const KILLED_SHARE = 0.9;

function stepsDone(store: string): number {
  try {
    return (JSON.parse(readFileSync(join(store, PROGRESS_FILE), 'utf8')) as { done: unknown[] }).done.length;
  } catch {
    return 0;
  }
}

/**
 * One `npx tsx local/start.ts --store S --out O --months M --seed N`, its own process group (npx and
 * tsx start children), SIGKILLed as a group after `killAfterMs` when given. Its SMS and ZNS files are
 * copied out after it ends (the next run clears its outbox).
 */
async function runStart(s: { store: string; out: string; months: number; seed: number; wire: Wire; smsCopies: string; znsCopies: string; n: number; kill?: KillPlan; logDir: string }): Promise<Attempt> {
  const started = Date.now();
  const out = createWriteStream(join(s.logDir, `run-${s.n}.log`));
  const child = spawn('npx', ['tsx', 'local/start.ts', '--store', s.store, '--out', s.out, '--months', String(s.months), '--seed', String(s.seed)], {
    cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOCAL_SES_ENDPOINT: s.wire.endpoint, LOCAL_SES_EVENTS_LOG: s.wire.logFile },
  });
  child.stdout!.pipe(out);
  child.stderr!.pipe(out);
  let killed = false;
  let timer: NodeJS.Timeout | undefined;
  let poll: NodeJS.Timeout | undefined;
  if (s.kill) {
    const plan = s.kill;
    const atStart = stepsDone(s.store);
    poll = setInterval(() => {
      const done = stepsDone(s.store);
      if (done < plan.minDone || done <= atStart) return;
      clearInterval(poll);
      timer = setTimeout(() => {
        killed = true;
        try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* already gone */ }
      }, plan.extraMs);
    }, 100);
  }
  const code = await new Promise<number | null>((res) => child.once('exit', (c) => res(c)));
  if (timer) clearTimeout(timer);
  if (poll) clearInterval(poll);
  // npx may exit before tsx's own child: make sure nothing of this group is left.
  try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* none left */ }
  // A continued run keeps its outbox: copies of the same file (one per SMS) land on the same name.
  const sms = join(s.out, 'outbox', 'sms');
  if (existsSync(sms)) cpSync(sms, s.smsCopies, { recursive: true });
  const zns = join(s.out, 'outbox', 'zns');
  if (existsSync(zns)) cpSync(zns, s.znsCopies, { recursive: true });
  return { ms: Date.now() - started, killed, code };
}

function cyclesOf(months: number): string[] {
  return Array.from({ length: months }, (_, i) => addMonths(AS_OF.slice(0, 7), i));
}

/** Runs the chosen scenarios; returns the table's rows (one per scenario and kind). */
export async function runFaults(o: FaultOptions): Promise<{ rows: Row[]; notes: string[] }> {
  const log = o.log ?? ((l: string) => console.log(l));
  const rows: Row[] = [];
  const notes: string[] = [];
  const cycles = cyclesOf(o.months);
  let duration = o.durationSeconds;
  /** The steps of the whole timeline, counted on the clean run's store. */
  let steps: number | undefined;

  const fresh = async (name: string) => {
    const dir = join(o.workDir, name);
    mkdirSync(dir, { recursive: true });
    const wire = await startWire(dir);
    let n = 0;
    const ctx = {
      dir, wire, store: join(dir, 'store'), out: join(dir, 'out'), smsCopies: join(dir, 'sms'), znsCopies: join(dir, 'zns'),
      run: (kill?: KillPlan) => runStart({ store: ctx.store, out: ctx.out, months: o.months, seed: o.seed, wire, smsCopies: ctx.smsCopies, znsCopies: ctx.znsCopies, n: n++, logDir: dir, ...(kill === undefined ? {} : { kill }) }),
      count: async (scenario: string, kills: number) => {
        const counts = countKinds([...readWire(wire.logFile), ...readSms(ctx.smsCopies), ...readZns(ctx.znsCopies)], await readStore(ctx.store), cycles);
        rows.push(...counts.map((c) => ({ scenario, kills, ...c })));
      },
    };
    return ctx;
  };
  const want = (s: Scenario) => o.scenarios.includes(s);

  if (want('clean') || want('reruns') || duration === undefined) {
    const c = await fresh('clean');
    const a = await c.run();
    duration = a.ms / 1000;
    steps = stepsDone(c.store);
    log(`clean run: ${duration.toFixed(1)} s, ${steps} steps (exit ${a.code})`);
    if (a.code !== 0) notes.push(`the clean run exited with ${a.code} (see ${c.dir}/run-0.log)`);
    await c.count('clean', 0);
    if (want('reruns')) {
      for (let i = 0; i < o.reruns; i++) {
        const r = await c.run();
        log(`rerun ${i + 1} on the completed store: ${(r.ms / 1000).toFixed(1)} s (exit ${r.code})`);
      }
      await c.count(`reruns (${o.reruns})`, 0);
    }
    await c.wire.stop();
  }

  if (want('kills')) {
    const c = await fresh('kills');
    let kills = 0;
    // Each run continues the store's timeline where the last was cut off. Spread over the timeline's
    // steps (the clean run's count when it ran): the i-th kill after a seeded step in the i-th of
    // `kills` equal slices, a seeded moment of up to 2 s later (most steps take less: a kill lands
    // in the step after its mark, or the one after that, a long step often).
    for (let i = 0; i < o.kills; i++) {
      // Over the first 90 % of the steps: the last kill still finds a step left to cut.
      const minDone = steps === undefined ? 0 : Math.floor((steps * KILLED_SHARE * (i + chance(`${o.seed}|kill-step|${i}`))) / o.kills);
      const extraMs = Math.round(KILL_DELAY_MS * chance(`${o.seed}|kill|${i}`));
      const a = await c.run({ minDone, extraMs });
      if (a.killed) kills++;
      log(`kill ${i + 1}/${o.kills} (after step ${minDone}${steps === undefined ? '' : ` of ${steps}`}, +${(extraMs / 1000).toFixed(1)} s): ${a.killed ? `killed at step ${stepsDone(c.store)}` : `ended first (exit ${a.code})`}`);
    }
    const half = (o.outageSeconds * 1000) / 2;
    if (o.outageOnFinalRun) await c.wire.arm({ on: 'SendRawEmail', phases: [{ error: '503', ms: half }, { error: 'throttle', ms: half }] });
    const last = await c.run();
    log(`run to completion after the kills${o.outageOnFinalRun ? ` (SES outage of ${o.outageSeconds} s from its first statement)` : ''}: ${(last.ms / 1000).toFixed(1)} s (exit ${last.code})`);
    if (last.code !== 0) notes.push(`kills: the final run exited with ${last.code} (see ${c.dir})`);
    await c.count(o.outageOnFinalRun ? `kills + outage ${o.outageSeconds}s` : 'kills', kills);
    await c.wire.stop();
  }

  if (want('ses-outage')) {
    const c = await fresh('ses-outage');
    const half = (o.outageSeconds * 1000) / 2;
    await c.wire.arm({ on: 'SendRawEmail', phases: [{ error: '503', ms: half }, { error: 'throttle', ms: half }] });
    const a = await c.run();
    log(`SES outage of ${o.outageSeconds} s (503, then Throttling) from the first statement: ${(a.ms / 1000).toFixed(1)} s (exit ${a.code})`);
    if (a.code !== 0) notes.push(`ses-outage: the run exited with ${a.code} (see ${c.dir})`);
    await c.count(`ses-outage ${o.outageSeconds}s`, 0);
    await c.wire.stop();
  }

  if (want('segment-timeout')) {
    const c = await fresh('segment-timeout');
    // The first statement's SES call is accepted but answered after 70 s: past the local 60 s task
    // timeout, so its segment fails as a Lambda timeout would, and the Map's retry (1 min) runs it again.
    await c.wire.arm({ on: 'SendRawEmail', phases: [{ error: 'hang', ms: 1, holdMs: 70_000 }] });
    const a = await c.run();
    log(`segment timeout (one SES call held 70 s): ${(a.ms / 1000).toFixed(1)} s (exit ${a.code})`);
    if (a.code !== 0) notes.push(`segment-timeout: the run exited with ${a.code} (see ${c.dir})`);
    await c.count('segment-timeout', 0);
    await c.wire.stop();
  } else {
    notes.push('segment-timeout: skipped in this run (it costs two minutes or more: one SES call held past the 60 s local task timeout, then the Map retry after 1 min)');
  }
  return { rows, notes };
}

export function formatTable(rows: Row[]): string {
  const head = ['scenario', 'kind', 'kills', 'sent', 'duplicates', 'missing', 'expected'];
  const body = rows.map((r) => [r.scenario, r.kind, String(r.kills), String(r.sent), String(r.duplicates), String(r.missing), String(r.expected)]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

const USAGE = `Usage: npm run faults -- [--seed N] [--months N] [--kills N] [--outage S] [--reruns N] [--scenarios a,b] [--duration S] [--work DIR] [--ci] [--report-only]
  scenarios: ${SCENARIOS.join(', ')} (default all)
  --ci           the reduced form: --months 1 --kills 2 --scenarios kills --duration 40, an SES outage of 8 s in the final run
  --report-only  print the table, exit 0 even when a target (duplicates 0, missing 0) is missed`;

async function main() {
  const { values } = parseArgs({
    options: {
      seed: { type: 'string', default: '1' }, months: { type: 'string' }, kills: { type: 'string' }, outage: { type: 'string' },
      reruns: { type: 'string', default: '3' }, scenarios: { type: 'string' }, duration: { type: 'string' }, work: { type: 'string' },
      ci: { type: 'boolean', default: false }, 'report-only': { type: 'boolean', default: false }, help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return console.log(USAGE);
  const ci = values.ci;
  const scenarios = (values.scenarios ?? (ci ? 'kills' : SCENARIOS.join(','))).split(',') as Scenario[];
  for (const s of scenarios) if (!SCENARIOS.includes(s)) throw new Error(`unknown scenario ${s}\n${USAGE}`);
  const workDir = values.work ? resolve(values.work) : mkdtempSync(join(tmpdir(), 'arrears-faults-'));
  const options: FaultOptions = {
    seed: Number(values.seed), months: Number(values.months ?? (ci ? 1 : 2)), kills: Number(values.kills ?? (ci ? 2 : 10)),
    outageSeconds: Number(values.outage ?? (ci ? 8 : 20)), reruns: Number(values.reruns), scenarios, workDir,
    durationSeconds: values.duration ? Number(values.duration) : ci ? 40 : undefined, outageOnFinalRun: ci,
  };
  console.log(`Fault injection: seed ${options.seed}, ${options.months} month(s), scenarios ${scenarios.join(', ')}; work in ${workDir}`);
  const { rows, notes } = await runFaults(options);
  console.log('\n' + formatTable(rows));
  for (const n of notes) console.log(`note: ${n}`);
  writeFileSync(join(workDir, 'faults.json'), JSON.stringify({ options, rows, notes }, null, 2));
  const missed = rows.filter((r) => r.duplicates > 0 || r.missing > 0);
  console.log(missed.length === 0 ? '\nTargets met: duplicates 0, missing 0.' : `\nTargets missed in ${missed.length} row(s) (duplicates 0, missing 0).`);
  if (missed.length > 0 && !values['report-only']) process.exitCode = 1;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: unknown) => { console.error(error); process.exitCode = 2; });
}
