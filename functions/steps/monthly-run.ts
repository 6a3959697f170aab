import { assessLedger, cycleOf } from '../core/escalation.ts';
import { addMonthsToDate, type IsoDate } from '../core/dates.ts';
import { newRunTally, tallyEmployer, finishTally, type RunSummary } from '../core/run-summary.ts';
import { monthlyRunMetrics } from '../core/metric-points.ts';
import { logger } from '../commons/logger.ts';
import { forEachLedger, scanPart } from './scan-ledgers.ts';
import { emitMetrics } from '../commons/metrics.ts';
import type { Ports } from '../commons/deps.ts';
import type { MalformedItem } from '../commons/store.ts';
import { closeCase } from './close-case.ts';
import type { EscalationInput } from './payloads.ts';
import { operations } from '../commons/operations.ts';
import { partLockKind, withRunLease, type RunLeaseOptions } from '../commons/run-lease.ts';

export interface MonthlyRunInput {
  asOf?: IsoDate | undefined;
  /** Which scan segments this invocation reads (all by default), so the run can fan out. */
  segments?: number[] | undefined;
  totalSegments?: number | undefined;
}

export interface MonthlyRunHooks {
  onEmployer?(): void;
}

/** Executions being started at once per segment: enough to hide latency, bounded so memory is too. */
const STARTS_IN_FLIGHT = 16;
const MALFORMED_SAMPLES = 20;

/**
 * The monthly notice run: reads every employer's ledger in one parallel scan, works out months
 * overdue and debt as of the run date, starts one escalation per delinquent employer (named unit +
 * cycle, so a repeated run starts nothing twice) and closes cases whose debt is cleared.
 */
export function runMonthlyCycle(deps: Ports<'ledgers' | 'casework' | 'runs' | 'workflow' | 'clock' | 'policyFor'>, input: MonthlyRunInput, hooks: MonthlyRunHooks = {}, lease: RunLeaseOptions = {}): Promise<RunSummary> {
  const asOf = input.asOf ?? deps.clock.today();
  // One run of a cycle (and part) at a time: a second firing is refused before it reads anything.
  return withRunLease(deps, { name: 'monthly', scope: cycleOf(asOf), kind: partLockKind('SUMMARY', scanPart(input)) }, lease, () => monthlyCycle(deps, asOf, input, hooks));
}

async function monthlyCycle(deps: Ports<'ledgers' | 'casework' | 'runs' | 'workflow' | 'clock' | 'policyFor'>, asOf: IsoDate, input: MonthlyRunInput, hooks: MonthlyRunHooks): Promise<RunSummary> {
  const startedAt = deps.clock.now().toISOString();
  const policy = deps.policyFor(asOf);
  const cycle = cycleOf(asOf);
  const part = scanPart(input);
  // Receivable: what fell due in the last N months (policy), up to the run date.
  const receivableFrom = addMonthsToDate(asOf, -policy.report.receivableMonths);
  const tally = newRunTally();
  const malformed: MalformedItem[] = [];
  const onMalformed = (m: MalformedItem) => {
    tally.malformed++;
    if (malformed.length < MALFORMED_SAMPLES) malformed.push(m);
    logger.warn('Malformed item skipped', { ...m });
  };

  const start = async (unitCode: string) => {
    const execution: EscalationInput = { unitCode, cycle, asOf };
    if ((await deps.workflow.startEscalation(execution)) === 'started') tally.executionsStarted++;
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
  const summary = finishTally(tally, { cycle, asOf, policyVersion: policy.version, startedAt, finishedAt: deps.clock.now().toISOString(), malformedSamples: malformed });
  await deps.runs.putRunSummary(cycle, { ...summary });
  emitMetrics(monthlyRunMetrics(summary));
  logger.info('Monthly run finished', { cycle, unitsScanned: summary.unitsScanned, delinquent: summary.delinquent, started: summary.executionsStarted });
  return summary;
}
