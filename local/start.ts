import './embedded/polyfills.ts';
import './embedded/quiet.ts';
import { parseArgs } from 'node:util';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { SingleBar, Presets } from 'cli-progress';
import { startLocalStack } from './embedded/stack.ts';
import { Simulation } from './simulation.ts';
import { clock } from '../functions/commons/clock.ts';
import { logger } from '../functions/commons/logger.ts';
import { addDays, addMonths, isValidDate, localDate, periodOf } from '../functions/core/dates.ts';
import { OFFICE_TIME_ZONE, policyFor } from '../functions/core/policy.ts';
import { previousQuarter } from '../functions/core/quarterly-list.ts';
import type { QuarterlyListSummary } from '../functions/steps/quarterly-list.ts';
import { escalationInputSchema, type EscalationInput } from '../functions/steps/payloads.ts';
import type { DisclosureSummary } from '../functions/steps/disclosure-run.ts';
import type { RedriveSummary } from '../functions/steps/redrive-run.ts';
import { runStatementMachine } from './embedded/statement-run.ts';
import { runMonthlyMachine } from './embedded/monthly-run.ts';
import { importFolder, formatImportReport } from '../functions/import/csv-import.ts';
import { formatCycleTable, type CycleReport } from './summary.ts';
import { rosterDistricts, startInboxServer } from './inbox-server.ts';
import { formatReminderTable, importParticipantFolder, newReminderMonth, runReminderDay, runRenewalReport, type ReminderMonth, type ReminderMonthRuns } from './reminders.ts';
import { closingFirings, cycleFirings, monthlyRunSchedule, officeTime, reportedMonth, type LocalFiring } from './embedded/timeline.ts';
import { FolderLockedError, lockFolders, releaseAll } from './run-lock.ts';
import type { ScheduleId } from '../infra/registry/schedules.ts';

/** The date the committed sample was generated for: its ledger ends just before this run. */
export const SAMPLE_AS_OF = '2026-11-02';
const SAMPLE_DIR = 'data/sample';
/** Time compression: an officer task left unanswered this long has run past its due date. */
const TASK_TIMEOUT_SECONDS = 5;
/** With --serve, the last cycle's tasks wait this long for people in the inbox. */
const SERVE_TASK_TIMEOUT_SECONDS = 24 * 3600;
const SERVE_PORT = 8080;

const USAGE = `Usage: npm start -- [--data DIR] [--as-of YYYY-MM-DD] [--months N] [--out DIR] [--store DIR] [--seed N] [--serve [--port N]] [--verbose]
  --data     folder of CSV files to import (default ${SAMPLE_DIR}; format in data/sample/README.md)
  --as-of    date of the first monthly run (default ${SAMPLE_AS_OF} for the sample, else today in the office's time zone)
  --months   consecutive monthly cycles to run (default 3)
  --out      where the outbox, the reports (quarterly/, disclosure/) and summary.json go (default out/local-run)
  --store    keep the embedded DynamoDB on disk here, so a run can be repeated or resumed
  --seed     seed of the simulated officers and payments (default 1)
  --serve    keep the stack running after the cycles, with the last cycle's tasks waiting for people,
             and serve the staff inbox on localhost (sign in as a sample officer; stop with Ctrl+C)
  --port     the inbox's port with --serve (default ${SERVE_PORT}; 0 for any free port)
  --verbose  show the functions' logs (Powertools, JSON)`;

async function main() {
  const { values } = parseArgs({
    options: {
      data: { type: 'string' }, 'as-of': { type: 'string' }, months: { type: 'string', default: '3' },
      out: { type: 'string', default: 'out/local-run' }, store: { type: 'string' }, seed: { type: 'string', default: '1' },
      verbose: { type: 'boolean', default: false }, help: { type: 'boolean', default: false },
      serve: { type: 'boolean', default: false }, port: { type: 'string', default: String(SERVE_PORT) },
    },
  });
  if (values.help) return console.log(USAGE);
  const dataDir = resolve(values.data ?? SAMPLE_DIR);
  const asOf = values['as-of'] ?? (values.data ? localDate(new Date(), OFFICE_TIME_ZONE) : SAMPLE_AS_OF);
  const months = Number(values.months);
  const seed = Number(values.seed);
  if (!isValidDate(asOf)) throw new UsageError(`--as-of must be a calendar date YYYY-MM-DD, got ${asOf}`);
  if (!Number.isInteger(months) || months < 1 || months > 24) throw new UsageError('--months must be a whole number from 1 to 24');
  if (!Number.isInteger(seed)) throw new UsageError('--seed must be a whole number');
  const serve = values.serve;
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port must be a port number from 0 to 65535');
  if (values.verbose) process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
  // The functions' logger was made at import, before the level was known; steps called directly use it too.
  logger.setLogLevel(values.verbose ? 'INFO' : 'ERROR');
  const outDir = resolve(values.out);
  const storeDir = values.store ? resolve(values.store) : undefined;
  // One run per store and per out folder, locked before anything is touched: a second run is
  // refused here and deletes nothing (local/run-lock.ts). A lock left by a killed run is taken over.
  const locks = await lockFolders([...(storeDir ? [{ dir: storeDir, role: '--store' }] : []), { dir: outDir, role: '--out' }]);
  try {
    await runLocked(values, { dataDir, asOf, months, seed, serve, port, outDir, storeDir });
  } finally {
    await releaseAll(locks);
  }
}

interface RunSettings { dataDir: string; asOf: string; months: number; seed: number; serve: boolean; port: number; outDir: string; storeDir: string | undefined }

async function runLocked(values: { store?: string | undefined }, { dataDir, asOf, months, seed, serve, port, outDir, storeDir }: RunSettings) {
  // This process alone uses the store now: the run leases it finds there (a killed run's) are its own.
  process.env.RUN_LEASE_OWNER = `local:${storeDir ?? 'memory'}`;
  await rm(join(outDir, 'outbox'), { recursive: true, force: true });
  // The reports folder stands in for the bucket of this store: a fresh store starts it afresh.
  if (!values.store) {
    for (const dir of ['quarterly', 'disclosure', 'reports', 'renewals']) await rm(join(outDir, dir), { recursive: true, force: true });
  }
  await mkdir(outDir, { recursive: true });

  console.log('Arrears follow-up: local monthly cycle');
  console.log('  embedded: DynamoDB (dynalite), Step Functions (the definition cdk synth produces, run by aws-local-stepfunctions), SES stand-in');
  console.log('  no AWS account, no Docker, no network\n');

  let today = asOf;
  let simulation: Simulation | undefined;
  let barRunning = false;
  const bar = new SingleBar({ format: '  {cycle} escalations [{bar}] {value}/{total}', hideCursor: true, clearOnComplete: false, stream: process.stderr }, Presets.shades_classic);
  const stack = await startLocalStack({
    storePath: storeDir,
    taskTimeoutSeconds: TASK_TIMEOUT_SECONDS,
    documentsDir: outDir,
    smsOutboxDir: join(outDir, 'outbox', 'sms'),
    onTaskOpened: (task) => simulation?.officerResponds(task, today),
    onExecutionEnd: () => { if (barRunning) bar.increment(); },
  });
  simulation = new Simulation(seed, stack.store, stack.lambdas.recordOutcome);
  try {
    const report = await importFolder(dataDir, stack.store);
    console.log(`Imported ${dataDir}`);
    console.log(indent(formatImportReport(report)), '\n');
    // The participants are scheduled as of the first run date.
    clock.setNow(officeTime(asOf, 6));
    const participants = await importParticipantFolder(stack, dataDir);
    const reminderMonths: ReminderMonth[] = [];

    const cycles: CycleReport[] = [];
    // Each cycle: its monthly run on the run date, then every other schedule's firings up to the next
    // cycle's run, in the order the stack's schedules fire them (infra/registry/schedules.ts).
    const runs: Record<Exclude<ScheduleId, 'monthly-run'>, (f: LocalFiring, cycle: CycleReport) => Promise<void>> = {
      // Every unit's statement, after the run (its urging notices point to it): HTML email with the PDF attached,
      // through the synthesized state machine, one invocation per scan segment, as in AWS.
      'statement-run': async (_f, c) => { c.statements = await runStatementMachine(stack.lambdas.statementRun); },
      // What did not go out is sent again, daily through the deadline.
      'redrive-run': async (_f, c) => { c.redrives = [...(c.redrives ?? []), (await stack.lambdas.redriveRun({})) as RedriveSummary]; },
      // The managers' collection report, the same day once the run's escalations have gone out.
      'collection-report': async (_f, c) => { c.reportKeys = ((await stack.lambdas.collectionReport({ asOf: c.summary.asOf })) as { keys: string[] }).keys; },
      // The quarterly list, in the first month of a quarter (for the quarter just ended).
      'quarterly-list': async (_f, c) => { c.quarterly = (await stack.lambdas.quarterlyList({})) as QuarterlyListSummary; },
      // The disclosure run, days after the monthly run: payments simulated up to its date count.
      'disclosure-run': async (_f, c) => { c.disclosure = (await stack.lambdas.disclosureRun({})) as DisclosureSummary; },
      // Participant reminders: the daily run (with the day's simulated renewals).
      'reminder-run': async (f) => {
        if (!participants) return;
        if (reminderRuns?.month !== periodOf(today)) reminderRuns = newReminderMonth(periodOf(today));
        await runReminderDay(stack, reminderRuns, f.at, f.date, seed);
      },
      // The renewal report of the month before: it closes that month's reminders column.
      'renewal-report': async (f) => {
        const month = pendingReminders.get(reportedMonth(f));
        if (!month) return;
        pendingReminders.delete(month.month);
        reminderMonths.push(await runRenewalReport(stack, month, f.at));
      },
    };
    let reminderRuns: ReminderMonthRuns | undefined;
    const pendingReminders = new Map<string, ReminderMonthRuns>();
    for (let i = 0; i < months; i++) {
      const policy = policyFor(asOf);
      today = runDate(asOf, i);
      const last = i === months - 1;
      // Served: the last cycle's tasks are left to people, and wait for them.
      const leftToStaff = serve && last;
      if (leftToStaff) {
        stack.setTaskTimeoutSeconds(SERVE_TASK_TIMEOUT_SECONDS);
        simulation.leaveTasksToStaff = true;
      }
      const settle = () => (leftToStaff ? stack.sfn.quiescent() : stack.sfn.idle());
      const monthly = monthlyRunSchedule().when(policy);
      clock.setNow(officeTime(today, Number(monthly.hour), Number(monthly.minute ?? 0)));
      const before = stack.sfn.list().length;
      const outcomesBefore = { ...simulation.counts.outcomes };
      const paymentsBefore = { full: simulation.counts.paymentsInFull, part: simulation.counts.paymentsInPart, onTime: simulation.counts.paymentsOnTime };

      // The monthly run through its synthesized state machine, as the schedule starts it in AWS: plan, one invocation per scan segment, summary.
      const summary = await runMonthlyMachine(stack.lambdas.monthlyRun, { asOf: today });
      if (!summary.complete) console.warn(`  monthly run ${summary.cycle} incomplete: segments ${summary.unfinishedSegments.map((u) => `${u.segment} (${u.error})`).join(', ')} did not finish`);
      bar.start(summary.executionsStarted, 0, { cycle: summary.cycle });
      barRunning = true;
      await settle();
      await simulation.settled();
      await settle();
      barRunning = false;
      bar.stop();

      const executions = stack.sfn.list().slice(before);
      const cycle: CycleReport = {
        summary,
        notices: executions.filter((e) => (e.output as { notice?: { outcome?: string } } | undefined)?.notice?.outcome === 'sent').length,
        tasks: await countTasks(stack, executions.map((e) => escalationInputSchema.parse(JSON.parse(e.input)))),
        simulatedOutcomes: diffCounts(simulation.counts.outcomes, outcomesBefore),
        executionsFailed: executions.filter((e) => e.status === 'FAILED').length,
        closedByWorkflow: executions.filter((e) => (e.output as { closed?: unknown } | undefined)?.closed !== undefined).length,
        simulatedPayments: { full: 0, part: 0, onTime: 0 },
      };
      const end = last ? `${addMonths(summary.cycle, 1)}-01` : runDate(asOf, i + 1);
      // [simulation] The month's payments (dated from three days after the run) are posted that evening.
      const payments = last ? [] : [{ at: officeTime(addDays(today, 3), 23), run: () => simulation!.monthBetweenRuns(summary.cycle, today, end) }];
      const steps = [
        ...cycleFirings(policyFor, today, end).map((f) => ({ at: f.at, run: async () => { clock.setNow(f.at); await runs[f.schedule.id as keyof typeof runs](f, cycle); } })),
        ...payments,
      ].sort((a, b) => a.at.getTime() - b.at.getTime());
      for (const step of steps) {
        // What SES said of the messages sent so far reaches their claims, as its events do in AWS.
        await stack.publishSesEvents();
        await step.run();
      }
      if (reminderRuns) pendingReminders.set(reminderRuns.month, reminderRuns);
      reminderRuns = undefined;
      if (last) {
        // The reports on the month before that fall after the last cycle (its renewal report).
        for (const f of closingFirings(policyFor, end)) { clock.setNow(f.at); await runs[f.schedule.id as keyof typeof runs](f, cycle); }
      }
      await stack.ses.drainTo(join(outDir, 'outbox', summary.cycle), clock.now());
      if (!last) {
        cycle.simulatedPayments = {
          full: simulation.counts.paymentsInFull - paymentsBefore.full,
          part: simulation.counts.paymentsInPart - paymentsBefore.part,
          onTime: simulation.counts.paymentsOnTime - paymentsBefore.onTime,
        };
      }
      cycles.push(cycle);
    }

    // No quarter began in these cycles: the list of the last quarter ended, so it is seen anyway.
    if (!cycles.some((c) => c.quarterly)) {
      const last = cycles.at(-1)!;
      last.quarterly = (await stack.lambdas.quarterlyList({ quarter: previousQuarter(last.summary.asOf) })) as QuarterlyListSummary;
    }
    console.log('\n' + formatCycleTable(cycles));
    if (reminderMonths.length > 0) console.log('\n' + formatReminderTable(reminderMonths));
    const refused = simulation.counts.errors.filter((e) => e.endsWith('TaskNotOpen')).length;
    const failures = simulation.counts.errors.filter((e) => !e.endsWith('TaskNotOpen'));
    if (refused > 0) console.log(`\n[simulation] ${refused} officer answer(s) refused: the task was already closed (past its due date, or answered in an earlier run on this --store)`);
    if (failures.length > 0) console.log(`\n[simulation] errors: ${failures.slice(0, 10).join(', ')}`);
    const summaryPath = join(outDir, 'summary.json');
    await writeFile(summaryPath, JSON.stringify({
      data: dataDir, firstAsOf: asOf, months, seed, import: { loaded: report.loaded, errors: report.errors.length }, cycles,
      reminders: participants ? { import: { loaded: participants.loaded, scheduled: participants.scheduled, errors: participants.errors.length }, months: reminderMonths } : undefined,
    }, null, 2));
    console.log(`\nOutbox: ${join(outDir, 'outbox')} (one .eml per email: notices, statements (with their PDF, also beside them as .pdf) and pre-disclosure notices to units, messages to officers, reminders to participants;`);
    console.log(`  SMS under ${join(outDir, 'outbox', 'sms')}, a folder per day, one .sms.txt each)`);
    if (reminderMonths.length > 0) console.log(`Renewal reports: ${join(outDir, 'renewals')} (CSV and JSON per month)`);
    const reports = cycles.flatMap((c) => [c.quarterly?.location, c.disclosure && c.disclosure.published > 0 ? c.disclosure.location : undefined]).filter(Boolean);
    console.log(`Reports (the S3 bucket in AWS): ${join(outDir, 'quarterly')}, ${join(outDir, 'disclosure')}, ${join(outDir, 'reports')}`);
    for (const r of reports) console.log(`  ${r}`);
    const lastReport = cycles.at(-1)?.reportKeys?.find((k) => k.endsWith('index.html'));
    if (lastReport) console.log(`Collection report (managers): ${join(outDir, lastReport)} (and its CSV and JSON beside it, one per cycle)`);
    console.log(`Summary: ${summaryPath}`);
    if (serve) {
      await serveInbox(stack, port, cycles.at(-1)!.summary.cycle, await rosterDistricts(dataDir));
      // Executions still waiting on their tasks hold timers: nothing else is left to finish.
      exitWhenDone = true;
    }
  } finally {
    await stack.close();
  }
}

/** Keeps the stack up and serves the staff inbox until Ctrl+C (SIGINT) or SIGTERM. */
async function serveInbox(stack: Awaited<ReturnType<typeof startLocalStack>>, port: number, cycle: string, districts: readonly string[]) {
  const server = await startInboxServer({ handler: stack.lambdas.staffApi, doc: stack.dynamo.doc, tableName: stack.tableName, districts, port });
  const waiting = stack.sfn.list().filter((e) => e.status === 'RUNNING').length;
  console.log(`\nStaff inbox: ${server.url}/inbox`);
  console.log(`  ${waiting} escalation(s) of ${cycle} wait on an officer's or inspector's task; recording an outcome resumes them.`);
  console.log('  Local sign-in (in AWS: Cognito). Sample staff with open tasks:');
  const roster = await server.roster();
  const load = await Promise.all(roster.map(async (o) => ({ o, open: (await stack.store.openTasksOf(o.officerId)).length })));
  const order = { 'team-lead': 0, inspector: 1, collector: 2, 'collection-agent': 3 } as const;
  const shown = load.filter((x) => x.open > 0 || x.o.role === 'team-lead').sort((a, b) => order[a.o.role] - order[b.o.role]).slice(0, 10);
  for (const { o, open } of shown) {
    console.log(`    ${o.officerId.padEnd(22)} ${o.name.padEnd(22)} ${o.role.padEnd(10)} ${open} open task(s)`);
  }
  console.log('  Stop with Ctrl+C.');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  console.log('\nStopping the inbox and the local stack.');
  await server.close();
}

/** The i-th monthly run: the first on --as-of, then on the monthly-run schedule's day of each following month. */
function runDate(first: string, i: number): string {
  if (i === 0) return first;
  return `${addMonths(periodOf(first), i)}-${monthlyRunSchedule().when(policyFor(first)).day!.padStart(2, '0')}`;
}

/** The officers' and inspectors' tasks the cycle's escalations opened (a team lead's cover of an overdue one aside). */
async function countTasks(stack: Awaited<ReturnType<typeof startLocalStack>>, escalations: EscalationInput[]) {
  const counts = { opened: 0, visit: 0, inspection: 0, done: 0, timedOut: 0 };
  for (const { unitCode, cycle } of escalations) {
    for (const task of await stack.store.tasksOfCase(unitCode, cycle)) {
      if (task.escalated || task.type === 'renewal-visit') continue;
      counts.opened++;
      counts[task.type]++;
      if (task.status === 'done') counts.done++;
      if (task.status === 'timed-out') counts.timedOut++;
    }
  }
  return counts;
}

function diffCounts(now: Record<string, number>, before: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(now).map(([k, v]) => [k, v - (before[k] ?? 0)]).filter(([, v]) => (v as number) > 0));
}

function indent(text: string): string {
  return text.split('\n').map((l) => `  ${l}`).join('\n');
}

class UsageError extends Error {}

let exitWhenDone = false;

main().then(() => { if (exitWhenDone) process.exit(process.exitCode ?? 0); }, (error: unknown) => {
  if (error instanceof UsageError) {
    console.error(`${error.message}\n\n${USAGE}`);
  } else if (error instanceof FolderLockedError) {
    console.error(error.message);
  } else {
    console.error(error);
  }
  process.exitCode = 1;
});
