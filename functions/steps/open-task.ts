import { todayFor, type Ports } from '../commons/deps.ts';
import { assignmentOf, tellOfficerAssigned } from './tell-officer-assigned.ts';
import type { EscalationInput } from './payloads.ts';
import type { Assignment } from './payloads.ts';

type Assigned = Extract<Assignment, { assigned: true }>;

/**
 * Opens the officer's task with the workflow's callback token; the workflow then waits until the
 * officer records an outcome (record-outcome sends the token back) or the due date passes. The
 * officer is emailed the link to it, once (a rerun finds the email's claim settled); an email not
 * sent now (SES down) waits for the redrive, and the task stays open regardless.
 */
export async function openTask(deps: Ports<'casework' | 'tasks' | 'officers' | 'claims' | 'mailer' | 'clock' | 'office' | 'inbox' | 'policyFor'>, input: EscalationInput & { assignment: Assigned; token: string }): Promise<{ taskId: string }> {
  const at = deps.clock.now().toISOString();
  const officer = await deps.officers.getOfficer(input.assignment.officerId);
  const task = await deps.tasks.createTask({
    taskId: input.assignment.taskId,
    unitCode: input.unitCode,
    cycle: input.cycle,
    type: input.assignment.taskType,
    escalated: input.assignment.escalated,
    role: input.assignment.role,
    officerId: input.assignment.officerId,
    district: officer?.district ?? '',
    status: 'open',
    dueDate: input.assignment.dueDate,
    createdAt: at,
    token: input.token,
  });
  await deps.casework.appendEvent({
    unitCode: input.unitCode, cycle: input.cycle, at, kind: 'task-opened', actor: 'system',
    detail: { taskId: task.taskId, taskType: task.type, escalated: task.escalated, officerId: task.officerId, dueDate: task.dueDate },
  });
  // A retry finds the task already there (perhaps reassigned since): that assignment is the one to tell.
  await tellOfficerAssigned(deps, task.taskId, assignmentOf(task), deps.policyFor(todayFor(deps, input.asOf)));
  return { taskId: task.taskId };
}
