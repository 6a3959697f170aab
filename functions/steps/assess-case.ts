import { assessLedger, stageInCycle } from '../core/escalation.ts';
import { EmployerNotFoundError } from '../commons/errors.ts';
import { logger } from '../commons/logger.ts';
import { ids } from '../commons/ids.ts';
import { todayFor, type Ports } from '../commons/deps.ts';
import type { TaskOutcome } from '../commons/records.ts';
import type { Assessment, EscalationInput } from './payloads.ts';

/**
 * Re-reads the employer's ledger and decides where the escalation stands today. Runs first in
 * every execution and again after an officer's outcome, so a payment ends the escalation at once,
 * a promise or plan pauses it, and a referral to inspection opens the inspector's task.
 */
export async function assessCase(
  deps: Ports<'ledgers' | 'casework' | 'tasks' | 'clock' | 'policyFor'>,
  input: EscalationInput & { phase: 'start' | 'after-outcome'; outcome?: TaskOutcome | undefined },
): Promise<Assessment> {
  const today = todayFor(deps, input.asOf);
  const policy = deps.policyFor(today);
  const ledger = await deps.ledgers.getLedger(input.unitCode, (m) => logger.warn('Malformed ledger item', { ...m }));
  if (!ledger.employer) throw new EmployerNotFoundError(input.unitCode);
  const { status, decision } = assessLedger(ledger, today, policy, true);
  const openCase = ledger.case?.status === 'open' ? ledger.case : undefined;
  const at = deps.clock.now().toISOString();
  if (decision.action === 'hold' || decision.action === 'arrangement') {
    const pausedBy = decision.action === 'hold' ? 'hold' : decision.kind;
    await deps.casework.appendEvent({
      unitCode: input.unitCode, cycle: input.cycle, at, kind: 'paused', actor: 'system',
      detail: decision.action === 'hold'
        ? { phase: input.phase, by: 'hold', reason: decision.reason, until: decision.until, nextDueDate: null, monthsOverdue: decision.monthsOverdue, debt: decision.debt }
        : { phase: input.phase, by: decision.kind, reason: null, until: null, nextDueDate: decision.nextDueDate, monthsOverdue: decision.monthsOverdue, debt: decision.debt },
    });
    return { cleared: false, onHold: true, pausedBy, stage: null, monthsOverdue: decision.monthsOverdue, debt: decision.debt, anchorPeriod: status.oldestUnpaidPeriod, needsTask: false, task: null };
  }
  if (decision.action !== 'escalate') {
    return { cleared: true, onHold: false, pausedBy: null, stage: null, monthsOverdue: 0, debt: status.debt, anchorPeriod: null, needsTask: false, task: null };
  }
  // After an outcome the cycle's task is done; only a referral opens another one: the inspector's.
  const referral = input.phase === 'after-outcome' && input.outcome === 'refer-to-inspection'
    ? policy.stages.find((s) => s.task?.type === 'inspection')
    : undefined;
  const referredNow = referral?.task !== undefined
    && !(await deps.tasks.getTask(ids.caseTask({ unitCode: input.unitCode, cycle: input.cycle, type: referral.task.type, escalated: false })));
  const stage = stageInCycle(decision.stage, policy, {
    phase: input.phase, stageBefore: openCase?.cycle === input.cycle ? openCase.stage : undefined, referral: referredNow ? referral : undefined,
  });
  await deps.casework.putCase({
    unitCode: input.unitCode,
    status: 'open',
    stage: stage.stage,
    anchorPeriod: decision.anchorPeriod,
    monthsOverdue: decision.monthsOverdue,
    debt: decision.debt,
    officerId: openCase?.officerId,
    inspectorId: openCase?.inspectorId,
    cycle: input.cycle,
    openedOn: openCase?.openedOn ?? today,
    updatedAt: at,
  });
  const assessed = {
    stage: stage.stage, anchorPeriod: decision.anchorPeriod, monthsOverdue: decision.monthsOverdue, debt: decision.debt, asOf: today, policy: policy.version,
    missedInstalment: decision.missed ?? null,
  };
  await deps.casework.appendEvent(referredNow
    ? { unitCode: input.unitCode, cycle: input.cycle, at, kind: 'referred-to-inspection', actor: 'system', detail: assessed }
    : { unitCode: input.unitCode, cycle: input.cycle, at, kind: 'assessed', actor: 'system', detail: { phase: input.phase, ...assessed } });
  const task = input.phase === 'start' || referredNow ? stage.task ?? null : null;
  return {
    cleared: false,
    onHold: false,
    pausedBy: null,
    stage: stage.stage,
    monthsOverdue: decision.monthsOverdue,
    debt: decision.debt,
    anchorPeriod: decision.anchorPeriod,
    needsTask: task !== null,
    task,
  };
}
