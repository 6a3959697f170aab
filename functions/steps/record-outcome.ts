import { SendTaskSuccessCommand, TaskTimedOut, InvalidToken } from '@aws-sdk/client-sfn';
import { InvalidInputError, TaskNotOpenError } from '../commons/errors.ts';
import type { Deps } from '../commons/deps.ts';
import { TASK_OUTCOMES_BY_TYPE, type TaskOutcome } from '../commons/records.ts';
import type { TaskResult } from './payloads.ts';

/**
 * An officer records the outcome of a task: the task closes (once), the outcome goes on the case,
 * and the waiting workflow is resumed with it.
 */
export async function recordOutcome(
  deps: Deps,
  input: { taskId: string; outcome: TaskOutcome; note?: string | undefined; actor: string },
): Promise<{ resumed: boolean }> {
  const at = deps.now().toISOString();
  // Refused before anything changes: an inspector's task cannot end in "contacted", nor a visit in a penalty.
  const open = await deps.store.getTask(input.taskId);
  if (open?.status === 'open' && !TASK_OUTCOMES_BY_TYPE[open.type].includes(input.outcome)) {
    throw new InvalidInputError([{ field: 'outcome', reason: `must be one of ${TASK_OUTCOMES_BY_TYPE[open.type].join(', ')} (${open.type} task)` }]);
  }
  const task = await deps.store.closeTask(input.taskId, { status: 'done', outcome: input.outcome, note: input.note, closedAt: at, closedBy: input.actor });
  if (!task) throw new TaskNotOpenError(input.taskId);
  await deps.store.appendEvent({
    unitCode: task.unitCode, cycle: task.cycle, at, kind: `outcome-${task.type}`, actor: input.actor,
    detail: { taskId: task.taskId, outcome: input.outcome, hasNote: Boolean(input.note) },
  });
  const output: TaskResult = { taskId: task.taskId, outcome: input.outcome, officerId: task.officerId };
  try {
    await deps.sfn.send(new SendTaskSuccessCommand({ taskToken: task.token, output: JSON.stringify(output) }));
    return { resumed: true };
  } catch (error) {
    // The workflow already moved on (timed out or stopped): the outcome is still on the record.
    if (error instanceof TaskTimedOut || error instanceof InvalidToken) return { resumed: false };
    throw error;
  }
}
