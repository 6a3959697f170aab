import type { Deps } from '../commons/deps.ts';
import type { EscalationInput } from './payloads.ts';

/** The officer recorded nothing by the due date: the task is closed as timed out, on the record. */
export async function recordTaskTimeout(deps: Deps, input: EscalationInput & { taskId: string }): Promise<{ timedOut: boolean }> {
  const at = deps.now().toISOString();
  const closed = await deps.store.closeTask(input.taskId, { status: 'timed-out', closedAt: at, closedBy: 'system' });
  await deps.store.appendEvent({
    unitCode: input.unitCode, cycle: input.cycle, at, kind: 'task-timed-out', actor: 'system',
    detail: { taskId: input.taskId, officerId: closed?.officerId ?? null },
  });
  return { timedOut: closed !== undefined };
}
