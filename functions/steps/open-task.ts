import type { Deps } from '../commons/deps.ts';
import type { EscalationInput } from './payloads.ts';
import type { Assignment } from './payloads.ts';

type Assigned = Extract<Assignment, { assigned: true }>;

/**
 * Opens the officer's task with the workflow's callback token; the workflow then waits until the
 * officer records an outcome (record-outcome sends the token back) or the due date passes.
 */
export async function openTask(deps: Deps, input: EscalationInput & { assignment: Assigned; token: string }): Promise<{ taskId: string }> {
  const at = deps.now().toISOString();
  const officer = await deps.store.getOfficer(input.assignment.officerId);
  const task = await deps.store.createTask({
    taskId: input.assignment.taskId,
    unitCode: input.unitCode,
    cycle: input.cycle,
    type: input.assignment.taskType,
    role: input.assignment.role,
    officerId: input.assignment.officerId,
    district: officer?.district ?? '',
    status: 'open',
    dueDate: input.assignment.dueDate,
    createdAt: at,
    token: input.token,
  });
  await deps.store.appendEvent({
    unitCode: input.unitCode, cycle: input.cycle, at, kind: `task-opened-${task.type}${task.taskId.endsWith('-escalated') ? '-escalated' : ''}`, actor: 'system',
    detail: { taskId: task.taskId, officerId: task.officerId, dueDate: task.dueDate },
  });
  return { taskId: task.taskId };
}
