import { assessLedger, cycleOf } from '../core/escalation.ts';
import { addMonthsToDate, type IsoDate } from '../core/dates.ts';
import { addTallies, newRunTally, tallyEmployer, tallyOf, finishTally, type RunSummary, type RunTally } from '../core/run-summary.ts';
import { monthlyRunMetrics } from '../core/metric-points.ts';
import { logger } from '../commons/logger.ts';
import { forEachLedger, scanPart, type ScanPart } from './scan-ledgers.ts';
import { emitMetrics } from '../commons/metrics.ts';
import type { Ports } from '../commons/deps.ts';
import type { MalformedItem } from '../commons/store.ts';
import { closeCase } from './close-case.ts';
import type { EscalationInput } from './payloads.ts';
import { operations } from '../commons/operations.ts';
import { MONTHLY_RUN_TIMEOUT_MS } from '../../infra/deployment-config.ts';
import { holdRunLease, partLockKind, releaseRunLease, withRunLease, type RunLeaseOptions } from '../commons/run-lease.ts';

export interface MonthlyRunInput {
  asOf?: IsoDate | undefined;
  /** Which scan segments this invocation reads (all by default), so the run can fan out. */
  segments?: number[] | undefined;
  totalSegments?: number | undefined;
}

export interface MonthlyRunHooks {
  onEmployer?(): void;
}

/** What one invocation of the run did: a whole run, or one part (segments) of a fanned-out one. */
export interface MonthlyRunPart extends RunSummary {
  segments: number[];
  totalSegments: number;
  /** Start attempts Step Functions throttled (each tried again after a jittered wait). */
  startsThrottled: number;
}

/** A segment the state machine gave up on (its retries exhausted): the run is incomplete. */
export interface UnfinishedSegment {
  segment: number;
  /** The error name Step Functions caught, or `no-result`. */
  error: string;
}

/** The whole run as its summary step records it: the parts added up, and what did not finish. */
export interface MonthlyRunSummary extends MonthlyRunPart {
  unfinishedSegments: UnfinishedSegment[];
  /** Every segment finished: every unit was classified and every escalation started. */
  complete: boolean;
}

/** Executions being started at once per segment: enough to hide latency, bounded so memory is too. */
const STARTS_IN_FLIGHT = 16;
const MALFORMED_SAMPLES = 20;
/** A part's samples travel in the state machine's payload (256 KB for every segment together): a few each. */
const MALFORMED_SAMPLES_PER_PART = 5;

const monthlyLease = (asOf: IsoDate, part: ScanPart) => ({ name: 'monthly', scope: cycleOf(asOf), kind: partLockKind('SUMMARY', part) });

/**
 * The monthly notice run: reads every employer's ledger (the part's scan segments), works out months
 * overdue and debt as of the run date, starts one escalation per delinquent employer (named unit +
 * cycle, so a repeated run starts nothing twice) and closes cases whose debt is cleared. A whole run
 * records the cycle's summary; a part records its own (`SUMMARY#<part>`), and the state machine's
 * summary step (`summarizeMonthlyRun`) adds the parts up.
 */
export function runMonthlyCycle(deps: Ports<'ledgers' | 'casework' | 'runs' | 'workflow' | 'clock' | 'policyFor'>, input: MonthlyRunInput, hooks: MonthlyRunHooks = {}, lease: RunLeaseOptions = {}): Promise<MonthlyRunPart> {
  const asOf = input.asOf ?? deps.clock.today();
  const part = scanPart(input);
  // One run of a cycle (and part) at a time: a second firing is refused before it reads anything.
  return withRunLease(deps, monthlyLease(asOf, part), lease, () => monthlyCycle(deps, asOf, part, hooks));
}

async function monthlyCycle(deps: Ports<'ledgers' | 'casework' | 'runs' | 'workflow' | 'clock' | 'policyFor'>, asOf: IsoDate, part: ScanPart, hooks: MonthlyRunHooks): Promise<MonthlyRunPart> {
  const startedAt = deps.clock.now().toISOString();
  const policy = deps.policyFor(asOf);
  const cycle = cycleOf(asOf);
  const whole = part.segments.length === part.totalSegments;
  // Receivable: what fell due in the last N months (policy), up to the run date.
  const receivableFrom = addMonthsToDate(asOf, -policy.report.receivableMonths);
  const tally = newRunTally();
  let startsThrottled = 0;
  const malformed: MalformedItem[] = [];
  const samples = whole ? MALFORMED_SAMPLES : MALFORMED_SAMPLES_PER_PART;
  const onMalformed = (m: MalformedItem) => {
    tally.malformed++;
    if (malformed.length < samples) malformed.push(m);
    logger.warn('Malformed item skipped', { ...m });
  };
  const onThrottled = () => { startsThrottled++; };

  const start = async (unitCode: string) => {
    const execution: EscalationInput = { unitCode, cycle, asOf };
    if ((await deps.workflow.startEscalation(execution, { onThrottled })) === 'started') tally.executionsStarted++;
    else tally.executionsAlreadyStarted++;
  };

  await forEachLedger(deps, part, onMalformed, (ledger) => {
    hooks.onEmployer?.();
    if (!ledger.hasProfile) {
      onMalformed({ key: `EMP#${ledger.unitCode} PROFILE`, reason: 'employer profile missing; ledger not followed up' });
      return;
    }
    const { status, decision } = assessLedger(ledger, asOf, policy, ledger.case?.status === 'open');
    tallyEmployer(tally, status, decision, receivableFrom);
    if (decision.action === 'escalate') return start(ledger.unitCode);
    if (decision.action === 'close') {
      return closeCase(deps, { unitCode: ledger.unitCode, cycle, asOf, reason: 'debt-cleared', actor: 'system:monthly-run' }).then(() => { tally.casesClosed++; });
    }
  }, STARTS_IN_FLIGHT);
  const summary: MonthlyRunPart = {
    ...finishTally(tally, { cycle, asOf, policyVersion: policy.version, startedAt, finishedAt: deps.clock.now().toISOString(), malformedSamples: malformed }),
    segments: [...part.segments], totalSegments: part.totalSegments, startsThrottled,
  };
  // A part's record is named as its lease is (SUMMARY#3/32): the parts of a fanned-out run do not overwrite each other.
  await deps.runs.putRunSummary(cycle, { ...summary }, whole ? 'SUMMARY' : (partLockKind('SUMMARY', part) as `SUMMARY#${string}`));
  // A part's counts reach the metrics once, through the summary step.
  if (whole) emitMetrics(monthlyRunMetrics(summary));
  logger.info('Monthly run finished', { cycle, segments: whole ? 'all' : part.segments, unitsScanned: summary.unitsScanned, delinquent: summary.delinquent, started: summary.executionsStarted, startsThrottled });
  return summary;
}

/** What the state machine's first step fixes for every segment: the run date and the split. */
export interface MonthlyRunPlan {
  asOf: IsoDate;
  cycle: string;
  segments: number[];
  totalSegments: number;
}

/**
 * The fanned-out run's first step: the run date (today in the office's zone unless a rerun names
 * one), so every segment and the summary work on the same date; the split (the deployment's
 * segments); and the run's lease, held by the execution until the summary step, so a second
 * execution (a schedule delivered twice) or a whole run invoked meanwhile is refused before anything.
 */
export async function planMonthlyRun(deps: Ports<'runs' | 'clock'>, input: { asOf?: IsoDate | undefined; runId: string }, holdMs = MONTHLY_RUN_TIMEOUT_MS): Promise<MonthlyRunPlan> {
  const asOf = input.asOf ?? deps.clock.today();
  const part = scanPart({}, operations().MONTHLY_RUN_SEGMENTS);
  await holdRunLease(deps, monthlyLease(asOf, part), input.runId, holdMs);
  logger.info('Monthly run planned', { cycle: cycleOf(asOf), asOf, totalSegments: part.totalSegments });
  return { asOf, cycle: cycleOf(asOf), segments: [...part.segments], totalSegments: part.totalSegments };
}

/** What the Map gives the summary per segment: its part, or why the state machine gave it up. */
export type SegmentResult = MonthlyRunPart | { unfinished: { segments: number[]; error: string } };

/**
 * The fanned-out run's last step: the segments' parts added up into the cycle's summary (with what
 * did not finish: a segment whose retries were exhausted, or none reported), recorded, counted in
 * the metrics once, and the run's lease released.
 */
export async function summarizeMonthlyRun(
  deps: Ports<'runs' | 'clock' | 'policyFor'>, input: { asOf: IsoDate; totalSegments: number; runId: string; parts: readonly SegmentResult[] },
): Promise<MonthlyRunSummary> {
  const { asOf, totalSegments } = input;
  const cycle = cycleOf(asOf);
  const done = input.parts.filter((p): p is MonthlyRunPart => !('unfinished' in p));
  const failed = new Map<number, string>();
  for (const p of input.parts) if ('unfinished' in p) for (const s of p.unfinished.segments) failed.set(s, p.unfinished.error);
  const finished = new Set(done.flatMap((p) => p.segments));
  const unfinishedSegments = Array.from({ length: totalSegments }, (_, s) => s)
    .filter((s) => !finished.has(s))
    .map((segment) => ({ segment, error: failed.get(segment) ?? 'no-result' }));
  const tally: RunTally = done.reduce((t, p) => addTallies(t, tallyOf(p)), newRunTally());
  const startedAt = done.map((p) => p.startedAt).sort()[0] ?? deps.clock.now().toISOString();
  const summary: MonthlyRunSummary = {
    ...finishTally(tally, {
      cycle, asOf, policyVersion: deps.policyFor(asOf).version, startedAt, finishedAt: deps.clock.now().toISOString(),
      malformedSamples: done.flatMap((p) => p.malformedSamples).slice(0, MALFORMED_SAMPLES),
    }),
    segments: [...finished].sort((a, b) => a - b), totalSegments,
    startsThrottled: done.reduce((n, p) => n + p.startsThrottled, 0),
    unfinishedSegments, complete: unfinishedSegments.length === 0,
  };
  await deps.runs.putRunSummary(cycle, { ...summary });
  emitMetrics(monthlyRunMetrics(summary));
  await releaseRunLease(deps, monthlyLease(asOf, scanPart({}, totalSegments)), input.runId);
  if (summary.complete) logger.info('Monthly run finished', { cycle, totalSegments, unitsScanned: summary.unitsScanned, delinquent: summary.delinquent, started: summary.executionsStarted });
  else logger.error('Monthly run incomplete: segments not finished', { cycle, totalSegments, unfinished: unfinishedSegments });
  return summary;
}
