import type { Ports } from '../commons/deps.ts';
import { todayFor } from '../commons/deps.ts';
import { renderOfficerTaskOverdue } from '../core/notice.ts';
import type { EscalationInput } from './payloads.ts';

/**
 * The officer recorded nothing by the due date: the task is closed as timed out, on the record.
 * When it goes on to the team lead, the officer is told; the officer's id is returned for that step.
 */
export async function recordTaskTimeout(
  deps: Ports<'casework' | 'tasks' | 'officers' | 'mailer' | 'clock' | 'policyFor'>,
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
  const officer = task ? await deps.officers.getOfficer(task.officerId) : undefined;
  if (closed && input.escalating && officer) {
    const policy = deps.policyFor(todayFor(deps, input.asOf));
    const teamLeadId = officer.teamLeadId ?? policy.taskEscalation.role;
    const told = renderOfficerTaskOverdue({ unitCode: input.unitCode, taskId: input.taskId, dueDate: task!.dueDate, teamLeadId }, 'vi', policy);
    await deps.mailer.send({ from: policy.notice.sender, to: officer.email, ...told });
  }
  return { timedOut: closed !== undefined, officerId };
}
