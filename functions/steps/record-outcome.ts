import { isCaseTaskType } from '../core/policy.ts';
import { arrangementProblems, type Arrangement } from '../core/arrangement.ts';
import { addDays } from '../core/dates.ts';
import { ledgerStatus } from '../core/ledger.ts';
import { InvalidInputError, NotFoundError, TaskNotOpenError } from '../commons/errors.ts';
import { taxCheckProblems, type TaxCheckOutcome } from '../core/tax-check.ts';
import type { Policy } from '../core/policy.ts';
import { todayFor, type Ports } from '../commons/deps.ts';
import { TASK_OUTCOMES_BY_TYPE, type TaskRecord } from '../commons/records.ts';
import type { OutcomeInput, TaskResult } from './payloads.ts';

/**
 * An officer records the outcome of a task: the task closes (once), the outcome goes on the case
 * (a promise or plan is recorded and pauses escalation while kept; a dispute puts the unit on a
 * dispute hold), and the waiting workflow is resumed with it.
 */
export async function recordOutcome(deps: Ports<'ledgers' | 'casework' | 'tasks' | 'workflow' | 'clock' | 'policyFor' | 'reconciliation'>, input: OutcomeInput & { actor: string }): Promise<{ resumed: boolean }> {
  const open = await deps.tasks.getTask(input.taskId);
  if (!open || open.status !== 'open') throw new TaskNotOpenError(input.taskId);
  const at = deps.clock.now().toISOString();
  // Refused before anything changes: an inspector's task cannot end in "contacted", nor a visit in a penalty.
  if (!TASK_OUTCOMES_BY_TYPE[open.type].includes(input.outcome)) {
    throw new InvalidInputError([{ field: 'outcome', reason: `must be one of ${TASK_OUTCOMES_BY_TYPE[open.type].join(', ')} (${open.type} task)` }]);
  }
  const today = todayFor(deps, `${open.cycle}-01`);
  const policy = deps.policyFor(today);
  const arrangement = await arrangementOf(deps, open, input, today);
  // A tax-data check's result goes beside its finding (and a registration is counted) before the task closes: a retry writes the same again.
  const check = open.type === 'tax-data-check' ? await recordTaxCheck(deps, open, input, { at, today, policy }) : undefined;
  if (open.type !== 'tax-data-check' && (input.registered !== undefined || input.reason !== undefined)) {
    throw new InvalidInputError([{ field: input.registered !== undefined ? 'registered' : 'reason', reason: 'is only for a tax-data check' }]);
  }

  const task = await deps.tasks.closeTask(input.taskId, { status: 'done', outcome: input.outcome, note: input.note, closedAt: at, closedBy: input.actor });
  if (!task) throw new TaskNotOpenError(input.taskId);
  // An organisation with no SI unit has no case history to write to.
  if (check && check.finding.unitCode === undefined) return { resumed: false };
  await deps.casework.appendEvent({
    unitCode: task.unitCode, cycle: task.cycle, at, kind: 'outcome-recorded', actor: input.actor,
    detail: { taskId: task.taskId, taskType: task.type, escalated: task.escalated, outcome: input.outcome, hasNote: Boolean(input.note) },
  });
  if (arrangement) {
    await deps.casework.putArrangement({ unitCode: task.unitCode, ...arrangement, agreedBy: input.actor, agreedAt: at, taskId: task.taskId });
    const last = arrangement.instalments.at(-1)!;
    await deps.casework.appendEvent({
      unitCode: task.unitCode, cycle: task.cycle, at, kind: 'arrangement-agreed', actor: input.actor,
      detail: { taskId: task.taskId, taskType: task.type, escalated: task.escalated, arrangement: arrangement.kind, agreedOn: arrangement.agreedOn, instalments: arrangement.instalments.length, total: arrangement.instalments.reduce((s, i) => s + i.amount, 0), firstDue: arrangement.instalments[0]!.dueDate, lastDue: last.dueDate },
    });
  }
  if (input.outcome === 'disputed') {
    // The dispute is reviewed before collection goes on; a longer hold already set is kept.
    const until = addDays(today, policy.holds.disputedOutcomeDays);
    const current = (await deps.ledgers.getLedger(task.unitCode)).hold;
    if (!current || current.until < until) {
      await deps.casework.putHold({ unitCode: task.unitCode, reason: 'dispute', note: `disputed at task ${task.taskId}`, until, setBy: input.actor, setAt: at });
      await deps.casework.appendEvent({ unitCode: task.unitCode, cycle: task.cycle, at, kind: 'hold-set', actor: input.actor, detail: { reason: 'dispute', until, hasNote: true, taskId: task.taskId } });
    }
  }

  // A plain task (a renewal visit, a tax-data check): no workflow waits on it.
  if (!isCaseTaskType(task.type)) return { resumed: false };
  const output: TaskResult = { taskId: task.taskId, outcome: input.outcome, officerId: task.officerId };
  // A workflow that already moved on (timed out or stopped) is gone: the outcome is still on the record.
  return { resumed: (await deps.workflow.resumeTask(task.token, output)) === 'resumed' };
}

/**
 * A tax-data check's outcome: checked against the policy (core/tax-check.ts), kept with its
 * finding, and the employees registered counted in the unit's roster collection.
 */
async function recordTaxCheck(
  deps: Ports<'reconciliation'>, task: TaskRecord, input: OutcomeInput & { actor: string }, ctx: { at: string; today: string; policy: Policy },
) {
  const problems = taxCheckProblems(input, ctx.policy.reconciliation);
  if (problems.length > 0) throw new InvalidInputError(problems);
  const check = await deps.reconciliation.getTaxCheck(task.taskId);
  if (!check) throw new NotFoundError(`No finding kept for task ${task.taskId}`);
  const outcome = input.outcome as TaxCheckOutcome;
  await deps.reconciliation.setTaxCheckResult(task.taskId, {
    outcome, ...(input.registered !== undefined && { registered: input.registered }), ...(input.reason !== undefined && { reason: input.reason }),
    recordedAt: ctx.at, recordedBy: input.actor,
  });
  if (outcome === 'registered' && input.registered !== undefined) {
    await deps.reconciliation.putRegisteredByCheck({ unitCode: check.subjectCode, quarter: check.quarter, taskId: task.taskId, registered: input.registered, recordedOn: ctx.today });
  }
  return check;
}

/** The promise or plan an outcome carries, checked against the policy and today's debt. */
async function arrangementOf(deps: Ports<'ledgers' | 'casework' | 'tasks' | 'workflow' | 'clock' | 'policyFor'>, task: TaskRecord, input: OutcomeInput, today: string): Promise<Arrangement | undefined> {
  const arrangement: Arrangement | undefined = input.promise
    ? { kind: 'promise', agreedOn: today, instalments: [{ dueDate: input.promise.payBy, amount: input.promise.amount }] }
    : input.instalments ? { kind: 'plan', agreedOn: today, instalments: input.instalments } : undefined;
  if (!arrangement) return undefined;
  const policy = deps.policyFor(today);
  const ledger = await deps.ledgers.getLedger(task.unitCode);
  const { debt } = ledgerStatus(ledger.periods, ledger.payments, today, policy);
  const problems = arrangementProblems(arrangement, today, debt, policy);
  if (problems.length > 0) {
    throw new InvalidInputError(problems.map((p) => ({
      // A promise is told back in the fields the officer filled in.
      field: input.promise ? p.field.replace('instalments.0.dueDate', 'promise.payBy').replace('instalments.0.amount', 'promise.amount').replace(/^instalments$/, 'promise') : p.field,
      reason: p.reason,
    })));
  }
  return arrangement;
}
