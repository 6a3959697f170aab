import type { Ports } from '../commons/deps.ts';
import { NoticeDeliveryError } from '../commons/errors.ts';
import { deliverOnce } from './deliver-once.ts';
import { todayFor } from '../commons/deps.ts';
import { renderOfficerTaskOverdue } from '../core/notice.ts';
import type { EscalationInput } from './payloads.ts';

/**
 * The officer recorded nothing by the due date: the task is closed as timed out, on the record.
 * When it goes on to the team lead, the officer is told; the officer's id is returned for that step.
 */
export async function recordTaskTimeout(
  deps: Ports<'casework' | 'tasks' | 'officers' | 'claims' | 'mailer' | 'clock' | 'policyFor'>,
  input: EscalationInput & { taskId: string; escalating: boolean },
): Promise<{ timedOut: boolean; officerId: string }> {
  const at = deps.clock.now().toISOString();
  const task = await deps.tasks.getTask(input.taskId);
  const closed = await deps.tasks.closeTask(input.taskId, { status: 'timed-out', closedAt: at, closedBy: 'system' });
  const officerId = task?.officerId ?? 'unknown';
  // A task that was never opened has nothing to time out (and no type to record).
  if (task) {
    await deps.casework.appendEvent({
      unitCode: input.unitCode, cycle: input.cycle, at, kind: 'task-timed-out', actor: 'system',
      detail: { taskId: task.taskId, taskType: task.type, escalated: task.escalated, officerId, escalating: input.escalating },
    });
  }
  // Timed out now, or by this step's earlier attempt that died before telling the officer.
  const timedOut = closed ?? (task?.status === 'timed-out' ? task : undefined);
  const officer = timedOut ? await deps.officers.getOfficer(timedOut.officerId) : undefined;
  if (timedOut && input.escalating && officer) {
    const policy = deps.policyFor(todayFor(deps, input.asOf));
    const teamLeadId = officer.teamLeadId ?? policy.taskEscalation.role;
    const told = renderOfficerTaskOverdue({ unitCode: input.unitCode, taskId: input.taskId, dueDate: timedOut.dueDate, teamLeadId }, 'vi', policy);
    const { delivery, providerError } = await deliverOnce(deps, policy, { message: 'officer-email', taskId: input.taskId, purpose: 'task-overdue' }, policy.notice.claimStaleAfterMinutes,
      async () => ({ send: (claim) => deps.mailer.send({ from: policy.notice.sender, to: officer.email, ...told, claim }) }));
    // Not sent: the workflow's retry of this step sends it (the task stays timed out).
    if (delivery === 'failed' || delivery === 'pending') throw new NoticeDeliveryError(providerError ?? delivery);
  }
  return { timedOut: closed !== undefined, officerId };
}
