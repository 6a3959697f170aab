import type { Ports } from '../commons/deps.ts';
import type { Delivery } from '../core/delivery-tally.ts';
import type { Policy } from '../core/policy.ts';
import { renderOfficerTaskAssigned } from '../core/notice.ts';
import { deliverOnce } from './deliver-once.ts';

/** Which assignment of a task this is: 0 when it opened, n after its nth reassignment (the task's counter). */
export const assignmentOf = (task: { reassignments?: number | undefined }): number => task.reassignments ?? 0;

/**
 * The officer a task was given to (opened for them, or reassigned to them) is told once, with the
 * link that opens it in the inbox. Each assignment has its own claim, so a rerun of the step or a
 * retried reassignment sends nothing more, and a second reassignment tells its new officer. The
 * task is read again while the claim is ours: one closed or moved on since is no longer news
 * (`notNeeded`). The email names the task, the unit's code and the due date: no employer's data.
 */
export async function tellOfficerAssigned(
  deps: Ports<'tasks' | 'officers' | 'claims' | 'mailer' | 'clock' | 'office' | 'inbox'>, taskId: string, assignment: number, policy: Policy,
): Promise<Delivery> {
  const { delivery } = await deliverOnce(deps, policy, { message: 'officer-email', taskId, purpose: 'task-assigned', assignment }, policy.notice.claimStaleAfterMinutes, async () => {
    const task = await deps.tasks.getTask(taskId);
    if (!task || task.status !== 'open' || assignmentOf(task) !== assignment) return { skip: 'notNeeded' };
    const officer = await deps.officers.getOfficer(task.officerId);
    if (!officer?.email) return { skip: 'badRecord' };
    const told = renderOfficerTaskAssigned({ unitCode: task.unitCode, taskId, dueDate: task.dueDate, link: deps.inbox.taskUrl(taskId) }, 'vi', policy);
    return { send: (claim) => deps.mailer.send({ from: deps.office.email.notices, to: officer.email, ...told, claim }) };
  });
  return delivery;
}
