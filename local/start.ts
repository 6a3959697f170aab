import './embedded/polyfills.ts';
import './embedded/quiet.ts';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startPhase, withProgress } from './phase-progress.ts';
import { startLocalStack } from './embedded/stack.ts';
import { localNoZalo } from './zns-no-zalo.ts';
import { Simulation } from './simulation.ts';
import { clock } from '../functions/commons/clock.ts';
import { logger } from '../functions/commons/logger.ts';
import { addDays, addMonths, localDate, periodOf } from '../functions/core/dates.ts';
import { isCaseTaskType, OFFICE_TIME_ZONE, policyFor } from '../functions/core/policy.ts';
import { previousQuarter } from '../functions/core/quarterly-list.ts';
import { displayDate } from '../functions/core/reminder-notice.ts';
import type { QuarterlyListSummary } from '../functions/steps/quarterly-list.ts';
import { escalationInputSchema, type EscalationInput } from '../functions/steps/payloads.ts';
import type { DisclosureSummary } from '../functions/steps/disclosure-run.ts';
import type { RedriveSummary } from '../functions/steps/redrive-run.ts';
import { runStatementMachine } from './embedded/statement-run.ts';
import { formatStaffSync, type StaffSyncReport } from '../functions/steps/sync-staff.ts';
import { reconciliationLines } from '../functions/steps/reconciliation.ts';
import { checksLine, type ReconciliationRunSummary } from '../functions/steps/reconciliation-run.ts';
import type { EmployeeNoticeRunSummary } from '../functions/steps/employee-notice-run.ts';
import { formatVnd } from '../functions/core/money.ts';
import { formatFileReports, importThroughBucket, loadedOf } from './import-batch.ts';
import { runMonthlyMachine } from './embedded/monthly-run.ts';
import { debtRatioNote, formatCycleTable, type CycleReport } from './summary.ts';
import { rosterDistricts, startInboxServer } from './inbox-server.ts';
import { formatReminderTable, newReminderMonth, runReminderDay, runRenewalReport, type ReminderMonth, type ReminderMonthRuns } from './reminders.ts';
import { closingFirings, cycleEnd, cycleFirings, monthlyRunSchedule, officeTime, reportedMonth, type LocalFiring } from './embedded/timeline.ts';
import { FolderLockedError, lockFolders, releaseAll } from './run-lock.ts';
import { openTimeline, stepKey, TimelineMismatchError } from './embedded/progress.ts';
import type { SimulationCounts } from './simulation.ts';
import type { ScheduleId } from '../infra/registry/schedules.ts';
import { DEFAULT_OFFICE, loadOffice } from '../infra/office-config.ts';
import { parseStartArgs, SAMPLE_AS_OF, SERVE_PORT, START_USAGE as USAGE, UsageError } from './start-args.ts';

export { SAMPLE_AS_OF };
/** Time compression: an officer task left unanswered this long has run past its due date. */
const TASK_TIMEOUT_SECONDS = 5;
/** With --serve, the last cycle's tasks wait this long for people in the inbox. */
const SERVE_TASK_TIMEOUT_SECONDS = 24 * 3600;
/** How often a running step saves the clock's instant to the store's timeline. */
const CLOCK_SAVE_MS = 2_000;

/** What the runner carries from step to step (saved with each, read back when a run continues). */
interface RunnerState {
  import: { loaded: Record<string, number>; errors: number } | undefined;
  participants: { loaded: unknown; scheduled: unknown; errors: number } | undefined;
  cycles: CycleReport[];
  reminderMonths: ReminderMonth[];
  reminderRuns: ReminderMonthRuns | undefined;
  pendingReminders: ReminderMonthRuns[];
  /** The latest quarterly reconciliation run (its findings without them: counts only, and the checks opened). */
  reconciliation?: Omit<ReconciliationRunSummary, 'findings'> | undefined;
}

async function main() {
  const args = parseStartArgs(process.argv.slice(2), DEFAULT_OFFICE);
  if (args.help) return console.log(USAGE);
  const { dataDir, asOf, months, seed, serve, port, outDir, storeDir, simulation } = args;
  // Read and validated before anything is locked or deleted: a bad file stops here, naming the field.
  const office = args.office;
  loadOffice(office);
  if (args.verbose) process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
  // The functions' logger was made at import, before the level was known; steps called directly use it too.
  logger.setLogLevel(args.verbose ? 'INFO' : 'ERROR');
  // One run per store and per out folder, locked before anything is touched: a second run is
  // refused here and deletes nothing (local/run-lock.ts). A lock left by a killed run is taken over.
  const locks = await lockFolders([...(storeDir ? [{ dir: storeDir, role: '--store' }] : []), { dir: outDir, role: '--out' }]);
  try {
    await runLocked({ dataDir, asOf, months, seed, serve, port, outDir, storeDir, office, simulation });
  } finally {
    await releaseAll(locks);
  }
}

interface RunSettings {
  dataDir: string; asOf: string; months: number; seed: number; serve: boolean; port: number; outDir: string; storeDir: string | undefined; office: string;
  /** False: --no-simulation; undefined: not said (the store's mode when continued, else on). */
  simulation: false | undefined;
}

async function runLocked({ dataDir, asOf, months, seed, serve, port, outDir, storeDir, office, simulation: askedSimulation }: RunSettings) {
  // This process alone uses the store now: the run leases it finds there (a killed run's) are its own.
  process.env.RUN_LEASE_OWNER = `local:${storeDir ?? 'memory'}`;
  // How far an earlier run on this store got: its done steps are not run again (local/embedded/progress.ts).
  // It keeps whether the run simulates people too: a continued run keeps its store's mode.
  const timeline = openTimeline(storeDir, { asOf, seed, data: dataDir, simulation: askedSimulation });
  const simulating = timeline.simulation;
  if (!timeline.resumed) {
    await rm(join(outDir, 'outbox'), { recursive: true, force: true });
    // The reports folder stands in for the bucket of this store: a fresh store starts it afresh.
    if (!storeDir) {
      for (const dir of ['quarterly', 'disclosure', 'reports', 'renewals']) await rm(join(outDir, dir), { recursive: true, force: true });
    }
  }
  await mkdir(outDir, { recursive: true });

  console.log('Arrears follow-up: local monthly cycle');
  console.log('  embedded: DynamoDB (dynalite), Step Functions (the definition cdk synth produces, run by aws-local-stepfunctions), SES stand-in');
  console.log('  no AWS account, no Docker, no network');
  console.log(simulating
    ? `  [simulation] on (seed ${seed}): officers' answers, payments between cycles, renewals, STOP replies and a bounce are made up (SIM-…)\n`
    : `  simulation off (--no-simulation${timeline.resumed && askedSimulation === undefined ? ', as this store was started' : ''}): the imported data alone; no payment, answer, renewal, STOP reply or bounce is made up, unanswered tasks run past their due date\n`);
  // A continued run starts no earlier than the store's last instant plus the claims' takeover age:
  // in AWS the step a crash cut off runs again later (a retry, the next hourly rerun, the next
  // day's redrive), when the claims it left are stale and taken over, on evidence.
  const startPolicy = policyFor(asOf);
  const floor = timeline.resumed
    ? new Date(timeline.floor.getTime() + (Math.max(startPolicy.notice.claimStaleAfterMinutes, startPolicy.reminders.claimStaleAfterMinutes) + 1) * 60_000)
    : timeline.floor;
  if (timeline.resumed) {
    console.log(`Continuing the run on ${storeDir}: ${timeline.doneBefore} step(s) done there earlier are not run again;`);
    console.log(`  the clock continues from ${formatLocalTime(floor)} (the store's last instant, ${formatLocalTime(timeline.floor)}, and the claims' takeover age).\n`);
  }
  // While a long step runs, the store keeps the clock's instant, so a kill does not lose it. It
  // starts with the first step: until then the clock reads the machine's time, not the run's.
  let ticker: NodeJS.Timeout | undefined;
  // The clock of a continued run never reads earlier than the store's last instant.
  const setClock = (at: Date) => {
    clock.setNow(at.getTime() < floor.getTime() ? floor : at);
    ticker ??= setInterval(() => { void timeline.touch(clock.now()); }, CLOCK_SAVE_MS).unref();
  };

  let today = asOf;
  let simulation: Simulation | undefined;
  const stack = await startLocalStack({
    storePath: storeDir,
    office,
    taskTimeoutSeconds: TASK_TIMEOUT_SECONDS,
    documentsDir: outDir,
    importsDir: join(outDir, 'import-bucket'),
    smsOutboxDir: join(outDir, 'outbox', 'sms'),
    znsOutboxDir: join(outDir, 'outbox', 'zns'),
    // The data's phones without Zalo (the sample's list, and LOCAL_ZNS_NO_ZALO): ZNS refuses them, so the SMS fallback is seen.
    znsNoZalo: localNoZalo(join(dataDir, 'participants')),
    staffInvitationsDir: join(outDir, 'outbox', 'staff'),
    // Officers' emails link to their task on the inbox this run serves (its port; any free port: the default's).
    inboxUrl: `http://127.0.0.1:${port || SERVE_PORT}/inbox`,
    onTaskOpened: (task) => simulation?.officerResponds(task, today),
  });
  simulation = new Simulation(seed, stack.store, stack.lambdas.recordOutcome, simulating);
  // The runner's own state between steps, saved with each one (and read back when continuing).
  const state: RunnerState = {
    import: undefined, participants: undefined, cycles: [], reminderMonths: [], reminderRuns: undefined, pendingReminders: [],
    ...timeline.state<RunnerState>('runner'),
  };
  if (timeline.resumed) restoreCounts(simulation.counts, timeline.state<SimulationCounts>('simulation'));
  let stepsRun = 0;
  /** Runs a step of the timeline unless an earlier run on this store did; then records it done. */
  const step = async (kind: string, at: Date, run: () => Promise<void>, key = stepKey(kind, at)) => {
    if (timeline.isDone(key)) return;
    stepsRun++;
    setClock(at);
    await run();
    await timeline.complete(key, { runner: state, simulation: simulation!.counts }, clock.now());
  };
  try {
    await step('import', officeTime(asOf, 6), async () => {
      // The data goes in as in AWS: uploaded to the import bucket (a folder here) and imported by the
      // synthesized import machine, every file with its report beside it. The collection files are
      // left out: the simulation pays between cycles (`npm run cli -- import-payments` records them).
      // The staff's sign-in accounts follow the roster inside the machine (SyncStaffAccounts, as in AWS).
      const staff: StaffSyncReport[] = [];
      const files = await importThroughBucket(stack, dataDir, periodOf(asOf), { leaveOut: ['collections'], onStaffSync: (r) => staff.push(r) });
      console.log(`Imported ${dataDir} (reports in ${join(stack.importsDir, 'reports', periodOf(asOf))})`);
      console.log(indent(formatFileReports(files)));
      for (const r of staff) console.log(indent(formatStaffSync(r, join(outDir, 'outbox', 'staff'))));
      console.log();
      const ledgerFiles = files.filter((f) => !f.file.startsWith('participants/'));
      const participantFiles = files.filter((f) => f.file.startsWith('participants/'));
      state.import = { loaded: loadedOf(ledgerFiles), errors: ledgerFiles.reduce((n, f) => n + f.errorCount, 0) };
      const participants = participantFiles.length > 0 ? { loaded: loadedOf(participantFiles), errors: participantFiles.reduce((n, f) => n + f.errorCount, 0) } : undefined;
      state.participants = participants ? { loaded: participants.loaded, scheduled: participants.loaded.scheduled ?? 0, errors: participants.errors } : undefined;
      if (participants) await simulation!.feedback(stack, join(dataDir, 'participants'));
    });
    if (timeline.isDone(stepKey('import', officeTime(asOf, 6))) && timeline.resumed) console.log(`Imported ${dataDir} (earlier, on this store)\n`);

    // Each cycle: its monthly run on the run date, then every other schedule's firings up to the next
    // cycle's run, in the order the stack's schedules fire them (infra/registry/schedules.ts).
    const runs: Record<Exclude<ScheduleId, 'monthly-run'>, (f: LocalFiring, cycle: CycleReport) => Promise<void>> = {
      // Every unit's statement, after the run (its urging notices point to it): HTML email with the PDF attached,
      // through the synthesized state machine, one invocation per scan segment, as in AWS.
      // What the segments left unsent (an outage, a dead segment) is caught up by the machine's redrive.
      'statement-run': async (_f, c) => {
        // Progress: the statements the SES stand-in accepted (each carries its PDF); none to count with an external one.
        const withPdf = () => stack.ses.peek().filter((e) => e.attachments.length > 0).length;
        const before = withPdf();
        const run = await (process.env.LOCAL_SES_ENDPOINT
          ? runStatementMachine(stack.lambdas)
          : withProgress({ label: `${c.summary.cycle} statements`, unit: 'sent', total: c.summary.unitsScanned, read: () => withPdf() - before }, () => runStatementMachine(stack.lambdas)));
        c.statements = run.statements;
        if (run.redrives.length > 0) c.redrives = [...(c.redrives ?? []), ...run.redrives];
      },
      // What did not go out is sent again, daily through the deadline.
      'redrive-run': async (_f, c) => { c.redrives = [...(c.redrives ?? []), (await stack.lambdas.redriveRun({})) as RedriveSummary]; },
      // The managers' collection report, the same day once the run's escalations have gone out.
      'collection-report': async (_f, c) => {
        const written = (await stack.lambdas.collectionReport({ asOf: c.summary.asOf })) as { keys: string[]; debtRatioPercent: number; arrears: number };
        c.reportKeys = written.keys;
        c.report = { at: clock.now().toISOString(), debtRatioPercent: written.debtRatioPercent, arrears: written.arrears };
      },
      // The quarterly list, in the first month of a quarter (for the quarter just ended).
      'quarterly-list': async (_f, c) => { c.quarterly = (await stack.lambdas.quarterlyList({})) as QuarterlyListSummary; },
      // The disclosure run, days after the monthly run: payments simulated up to its date count.
      'disclosure-run': async (_f, c) => { c.disclosure = (await stack.lambdas.disclosureRun({})) as DisclosureSummary; },
      // Participant reminders: the daily run (with the day's simulated renewals).
      'reminder-run': async (f) => {
        if (!state.participants) return;
        if (state.reminderRuns?.month !== periodOf(today)) state.reminderRuns = newReminderMonth(periodOf(today));
        await runReminderDay(stack, state.reminderRuns, f.at, f.date, simulation!, setClock);
      },
      // Reconciliation with the last full year's tax data, once a quarter: a tax-data check opened for each finding.
      'reconciliation-run': async () => {
        const { findings: _findings, ...summary } = (await stack.lambdas.reconciliationRun({})) as ReconciliationRunSummary;
        state.reconciliation = summary;
      },
      // Employees' right to know, on the 10th and its reruns that day (a rerun sends nothing twice).
      'employee-notice-run': async (_f, c) => {
        c.employeeNotices = [...(c.employeeNotices ?? []), (await stack.lambdas.employeeNoticeRun({})) as EmployeeNoticeRunSummary];
      },
      // The renewal report of the month before: it closes that month's reminders column.
      'renewal-report': async (f) => {
        const i = state.pendingReminders.findIndex((m) => m.month === reportedMonth(f));
        if (i < 0) return;
        const [month] = state.pendingReminders.splice(i, 1);
        state.reminderMonths.push(await runRenewalReport(stack, month!, f.at, setClock));
      },
    };
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
      // The cycle's monthly run, and its escalations to their end (the officers answering, simulated).
      await step('monthly-run', officeTime(today, Number(monthly.hour), Number(monthly.minute ?? 0)), async () => {
        const before = stack.sfn.list().length;
        const outcomesBefore = { ...simulation!.counts.outcomes };
        // The monthly run through its synthesized state machine, as the schedule starts it in AWS: plan, one
        // invocation per scan segment, summary, then the catch-up of its urging notices (the redrive, after
        // the escalations it started have sent theirs: in AWS the takeover age's wait lets them).
        const run = await runMonthlyMachine(stack.lambdas, { asOf: today }, { beforeRedrive: () => stack.sfn.quiescent() });
        const { summary } = run;
        if (!summary.complete) console.warn(`  monthly run ${summary.cycle} incomplete: segments ${summary.unfinishedSegments.map((u) => `${u.segment} (${u.error})`).join(', ')} did not finish`);
        if (run.failed === 'NoticesPastDeadline') console.warn(`  monthly run ${summary.cycle}: urging notices still not sent past their deadline (${run.redrives.at(-1)?.pastDeadline ?? 0}); the execution failed (NoticesPastDeadline)`);
        // Escalations that ended during the machine's catch-up count already.
        const escalations = startPhase({
          label: `${summary.cycle} escalations`, unit: 'ended', total: summary.executionsStarted,
          read: () => stack.sfn.list().slice(before).filter((e) => e.status !== 'RUNNING').length,
        });
        await settle();
        await simulation!.settled();
        await settle();
        await escalations.stop();
        const executions = stack.sfn.list().slice(before);
        state.cycles[i] = {
          summary,
          notices: executions.filter((e) => (e.output as { notice?: { outcome?: string } } | undefined)?.notice?.outcome === 'sent').length,
          tasks: await countTasks(stack, executions.map((e) => escalationInputSchema.parse(JSON.parse(e.input)))),
          simulatedOutcomes: diffCounts(simulation!.counts.outcomes, outcomesBefore),
          executionsFailed: executions.filter((e) => e.status === 'FAILED').length,
          closedByWorkflow: executions.filter((e) => (e.output as { closed?: unknown } | undefined)?.closed !== undefined).length,
          simulatedPayments: { full: 0, part: 0, onTime: 0 },
          // The run's catch-up: its urging notices sent again (none left unsent: one redrive that found nothing).
          ...(run.redrives.length > 0 ? { redrives: run.redrives } : {}),
        };
      });
      const cycle = state.cycles[i]!;
      const outbox = join(outDir, 'outbox', cycle.summary.cycle);
      const end = cycleEnd(today, last ? { last, served: serve } : { last, nextRunDate: runDate(asOf, i + 1) });
      const firings = [
        ...cycleFirings(policyFor, today, end).map((f) => ({ kind: f.schedule.id, at: f.at, run: () => runs[f.schedule.id as keyof typeof runs](f, cycle) })),
        // [simulation] The month's payments (dated from three days after the run) are posted that evening (none with --no-simulation).
        ...(last || !simulating ? [] : [{
          kind: 'simulated-payments', at: officeTime(addDays(today, 3), 23), run: async () => {
            const before = { full: simulation!.counts.paymentsInFull, part: simulation!.counts.paymentsInPart, onTime: simulation!.counts.paymentsOnTime };
            await simulation!.monthBetweenRuns(cycle.summary.cycle, today, end);
            cycle.simulatedPayments = {
              full: simulation!.counts.paymentsInFull - before.full,
              part: simulation!.counts.paymentsInPart - before.part,
              onTime: simulation!.counts.paymentsOnTime - before.onTime,
            };
          },
        }]),
      ].sort((a, b) => a.at.getTime() - b.at.getTime());
      const fire = (f: { kind: string; at: Date; run: () => Promise<void> }) => step(f.kind, f.at, async () => {
        // What SES said of the messages sent so far reaches their claims, as its events do in AWS.
        await stack.publishSesEvents();
        await stack.publishSmsEvents();
        await stack.publishZnsEvents();
        await f.run();
        // The outbox is written as the messages go, so a run cut off later keeps what it sent.
        await stack.ses.drainTo(outbox, clock.now());
      });
      // The month's schedule (statements, redrives, reminder days, reports...): one step per firing.
      let fired = 0;
      await withProgress({ label: `${cycle.summary.cycle} schedule`, unit: 'firings', total: firings.length, read: () => fired }, async () => {
        for (const f of firings) {
          await fire(f);
          fired++;
        }
      });
      // The month's reminder column waits for its renewal report (next month's, or the closing one).
      if (state.reminderRuns) state.pendingReminders.push(state.reminderRuns);
      state.reminderRuns = undefined;
      // The reports on the month before that fall after the last cycle (its renewal report).
      if (last && !serve) for (const f of closingFirings(policyFor, end)) await fire({ kind: f.schedule.id, at: f.at, run: () => runs[f.schedule.id as keyof typeof runs](f, cycle) });
    }
    if (timeline.resumed && stepsRun === 0) {
      console.log('Every step of this run had been done on this store: nothing was run or sent again (a larger --months continues it).');
    }
    const cycles = state.cycles;
    const reminderMonths = state.reminderMonths;
    const report = state.import!;
    const participants = state.participants;
    // No quarter began in these cycles: the list of the last quarter ended, so it is seen anyway.
    if (!cycles.some((c) => c.quarterly)) {
      const last = cycles.at(-1)!;
      await step('closing-quarterly-list', clock.now(), async () => {
        last.quarterly = (await stack.lambdas.quarterlyList({ quarter: previousQuarter(last.summary.asOf) })) as QuarterlyListSummary;
      }, `closing-quarterly-list@${last.summary.cycle}`);
    }
    console.log('\n' + formatCycleTable(cycles, { simulation: simulating }));
    for (const line of debtRatioNote(cycles)) console.log(line);
    if (reminderMonths.length > 0) console.log('\n' + formatReminderTable(reminderMonths, { simulation: simulating }));
    if (state.reconciliation) console.log('\n' + [...reconciliationLines({ ...state.reconciliation, findings: [] }, formatVnd), checksLine({ ...state.reconciliation, findings: [] })].join('\n'));
    const refused = simulation.counts.errors.filter((e) => e.endsWith('TaskNotOpen')).length;
    const failures = simulation.counts.errors.filter((e) => !e.endsWith('TaskNotOpen'));
    if (refused > 0) console.log(`\n[simulation] ${refused} officer answer(s) refused: the task was already closed (past its due date, or answered in an earlier run on this --store)`);
    if (failures.length > 0) console.log(`\n[simulation] errors: ${failures.slice(0, 10).join(', ')}`);
    // Simulated records go through the store's own validation: one it refuses is said, never dropped quietly.
    const { refused: bad } = simulation.counts;
    if (bad.payments + bad.periods > 0) {
      console.log(`\n[simulation] ${bad.payments} payment(s) and ${bad.periods} period(s) refused by the store's validation, not written:`);
      for (const sample of bad.samples) console.log(`  ${sample}`);
    }
    const summaryPath = join(outDir, 'summary.json');
    await writeFile(summaryPath, JSON.stringify({
      data: dataDir, firstAsOf: asOf, months, seed, simulation: simulating, import: report, cycles, reconciliation: state.reconciliation,
      reminders: participants ? { import: participants, months: reminderMonths } : undefined,
    }, null, 2));
    console.log(`\nOutbox: ${join(outDir, 'outbox')} (one .eml per email: notices, statements (with their PDF, also beside them as .pdf) and pre-disclosure notices to units, messages to officers, reminders to participants;`);
    console.log(`  SMS under ${join(outDir, 'outbox', 'sms')}, a folder per day, one .sms.txt each; Zalo ZNS under ${join(outDir, 'outbox', 'zns')}, one .zns.json each)`);
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
  console.log(`\nStaff inbox: ${server.url}/inbox, on ${formatLocalTime(clock.now())} (the last run's day; the rest of its month's schedule is not run)`);
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
      if (task.escalated || !isCaseTaskType(task.type)) continue;
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

/** The simulation's counters as saved with the last step (a continued run adds to them). */
function restoreCounts(counts: SimulationCounts, saved: SimulationCounts | undefined) {
  if (saved) Object.assign(counts, structuredClone(saved));
}

/** An instant as people read it in the office's zone: 02/11/2026 06:00. */
function formatLocalTime(at: Date): string {
  const time = at.toLocaleTimeString('en-GB', { timeZone: OFFICE_TIME_ZONE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  return `${displayDate(localDate(at, OFFICE_TIME_ZONE))} ${time}`;
}

function indent(text: string): string {
  return text.split('\n').map((l) => `  ${l}`).join('\n');
}

let exitWhenDone = false;

main().then(() => { if (exitWhenDone) process.exit(process.exitCode ?? 0); }, (error: unknown) => {
  if (error instanceof UsageError) {
    console.error(`${error.message}\n\n${USAGE}`);
  } else if (error instanceof FolderLockedError || error instanceof TimelineMismatchError) {
    console.error(error.message);
  } else {
    console.error(error);
  }
  // A stack that failed half-way can leave servers listening: the run is over, whatever holds it.
  process.exit(1);
});
