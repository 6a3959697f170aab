import type { Ports } from '../commons/deps.ts';
import type { Officer, TaskOutcome, TaskRecord } from '../commons/records.ts';
import type { Policy } from '../core/policy.ts';
import type { Delivery } from '../core/delivery-tally.ts';
import { deliverOnce } from './deliver-once.ts';
import { todayFor } from '../commons/deps.ts';
import { renderOfficerTaskOverdue } from '../core/notice.ts';
import type { EscalationInput } from './payloads.ts';

/**
 * The officer recorded nothing by the due date: the task is closed as timed out, on the record.
 * When it goes on to the team lead, the officer is told; the officer's id is returned for that step.
 */
export async function recordTaskTimeout(
  deps: Ports<'casework' | 'tasks' | 'officers' | 'claims' | 'mailer' | 'clock' | 'office' | 'policyFor'>,
  input: EscalationInput & { taskId: string; escalating: boolean },
): Promise<{ timedOut: boolean; officerId: string; answered?: { taskId: string; outcome: TaskOutcome; officerId: string } }> {
  const at = deps.clock.now().toISOString();
  const task = await deps.tasks.getTask(input.taskId);
  const closed = await deps.tasks.closeTask(input.taskId, { status: 'timed-out', closedAt: at, closedBy: 'system' });
  const officerId = task?.officerId ?? 'unknown';
  // Timed out now, or by this step's earlier attempt that died before telling the officer.
  const timedOut = closed ?? (task?.status === 'timed-out' ? task : undefined);
  // A task never opened has nothing to time out; one its officer answered as the due date passed is done, not timed out.
  if (timedOut) {
    await deps.casework.appendEvent({
      unitCode: input.unitCode, cycle: input.cycle, at, kind: 'task-timed-out', actor: 'system',
      detail: { taskId: timedOut.taskId, taskType: timedOut.type, escalated: timedOut.escalated, officerId, escalating: input.escalating },
    });
  }
  const officer = timedOut ? await deps.officers.getOfficer(timedOut.officerId) : undefined;
  // Not sent now (SES down), the email waits for the redrive; the task goes on to the team lead regardless.
  if (timedOut && input.escalating && officer) await tellOfficerOverdue(deps, timedOut, officer, deps.policyFor(todayFor(deps, input.asOf)));
  // Answered as the due date passed: the wait ended before the answer's resume; the workflow takes it up.
  if (!timedOut && task?.status === 'done' && task.outcome) return { timedOut: false, officerId, answered: { taskId: task.taskId, outcome: task.outcome, officerId } };
  return { timedOut: closed !== undefined, officerId };
}

/** The officer whose task ran past its due date is told it went to their team lead, once. */
export async function tellOfficerOverdue(deps: Ports<'claims' | 'mailer' | 'clock' | 'office'>, task: TaskRecord, officer: Officer, policy: Policy): Promise<Delivery> {
  const teamLeadId = officer.teamLeadId ?? policy.taskEscalation.role;
  const told = renderOfficerTaskOverdue({ unitCode: task.unitCode, taskId: task.taskId, dueDate: task.dueDate, teamLeadId }, 'vi', policy);
  const { delivery } = await deliverOnce(deps, policy, { message: 'officer-email', taskId: task.taskId, purpose: 'task-overdue' }, policy.notice.claimStaleAfterMinutes,
    async () => ({ send: (claim) => deps.mailer.send({ from: deps.office.email.notices, to: officer.email, ...told, claim }) }));
  return delivery;
}
