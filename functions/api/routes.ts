import { z } from 'zod';
import { caseDecision, listTasksDecision, reassignDecision, renewalDecision, roleDecision, taskDecision, type Permission, type RefusalOf, type Staff } from '../core/staff-access.ts';
import { ledgerStatus } from '../core/ledger.ts';
import type { Deps } from '../commons/deps.ts';
import { ArrearsError, InvalidInputError, type ErrorCategory, NotFoundError, TaskNotOpenError } from '../commons/errors.ts';
import { assertAllowed } from './http.ts';
import { holdSchema, officerIdSchema, paymentSchema, type TaskRecord } from '../commons/records.ts';
import { outcomeInputSchema } from '../steps/payloads.ts';
import { recordOutcome } from '../steps/record-outcome.ts';
import { recordPayment } from '../steps/record-payment.ts';
import { clearHold, setHold } from '../steps/set-hold.ts';
import { recordRenewal } from '../steps/record-renewal.ts';
import { recordContact, type ContactInput } from '../steps/record-contact.ts';
import { assignmentOf, tellOfficerAssigned } from '../steps/tell-officer-assigned.ts';
import { standingOf } from './standing.ts';
import { loadReferralPack } from '../steps/referral-pack.ts';
import { renewalSchema, type RenewalRecord } from '../commons/reminder-records.ts';

/**
 * What staff do through the API, each as a function of the caller and the request. Every write
 * goes through the same step the CLI and the workflow use, and lands on the case history with the
 * caller as actor.
 */

/** The officers whose team lead this person is (empty for anyone else). */
export async function teamOf(deps: Deps, staff: Staff): Promise<Set<string>> {
  if (!staff.groups.includes('team-lead')) return new Set();
  const me = await deps.officers.getOfficer(staff.staffId);
  if (!me) return new Set();
  const colleagues = await deps.officers.officersInDistrict(me.district);
  return new Set(colleagues.filter((o) => o.teamLeadId === staff.staffId).map((o) => o.officerId));
}

/** A task as staff see it: never its callback token. */
export function taskView(task: TaskRecord, today: string) {
  const { token: _token, ...visible } = task;
  return { ...visible, overdue: task.status === 'open' && task.dueDate < today };
}


/** Open tasks: the caller's own and, for a team lead, the team's; by due date. */
export async function listTasks(deps: Deps, staff: Staff, query: { officerId?: string | undefined }) {
  const team = await teamOf(deps, staff);
  assertAllowed(listTasksDecision(staff, query.officerId || undefined, team), (reason) => (reason === 'officer-required'
    ? 'is required for a manager (whose tasks to list)'
    : 'You may list only your own or your team\'s tasks'));
  const officers = query.officerId ? [query.officerId] : [staff.staffId, ...team];
  const tasks = (await Promise.all(officers.map((id) => deps.tasks.openTasksOf(id)))).flat();
  tasks.sort((a, b) => (a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : a.taskId < b.taskId ? -1 : 1));
  return { tasks: tasks.map((t) => taskView(t, deps.clock.today())) };
}

async function taskFor(deps: Deps, staff: Staff, taskId: string, permission: Extract<Permission, 'read-task' | 'record-outcome' | 'record-contact' | 'acknowledge-task'>) {
  const task = await deps.tasks.getTask(taskId);
  if (!task) throw new NotFoundError(`No task ${taskId}`);
  const team = await teamOf(deps, staff);
  assertAllowed(taskDecision(staff, permission, task, team), (reason) => (reason === 'not-assigned-officer'
    ? 'Only the assigned officer acknowledges a task'
    : `Task ${taskId} is not yours or your team's`));
  return { task, team };
}

export async function getTask(deps: Deps, staff: Staff, taskId: string) {
  const { task } = await taskFor(deps, staff, taskId, 'read-task');
  return { task: taskView(task, deps.clock.today()) };
}

/** A unit's case with the debt by period, its hold or arrangement, and the full history. */
export async function getCase(deps: Deps, staff: Staff, unitCode: string) {
  const ledger = await deps.ledgers.getLedger(unitCode);
  if (!ledger.employer) throw new NotFoundError(`No unit ${unitCode}`);
  await assertCaseAccess(deps, staff, 'read-case', unitCode, ledger.case);
  const asOf = deps.clock.today();
  const status = ledgerStatus(ledger.periods, ledger.payments, asOf, deps.policyFor(asOf));
  const [history, contacts, tasks] = await Promise.all([
    deps.casework.caseHistory(unitCode), deps.casework.contactAttempts(unitCode), deps.tasks.tasksOfCase(unitCode),
  ]);
  return {
    unit: ledger.employer,
    case: ledger.case ?? null,
    hold: ledger.hold ?? null,
    arrangement: ledger.arrangement ?? null,
    ledger: status,
    payments: ledger.payments,
    history,
    /** What comes first, and why (core/priority.ts). */
    priority: standingOf(deps, ledger, history).priority,
    /** The contact log, with the people met and the officers' notes. */
    contacts,
    /** Every task on the unit, the latest first, with its outcome and note (never its callback token). */
    tasks: tasks.map((t) => taskView(t, asOf)).sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0)),
  };
}

type CasePermission = Extract<Permission, 'read-case' | 'record-payment' | 'set-hold' | 'lift-hold'>;

/** What a refusal on a case says, by permission, when the person's role may not do it at all. */
const CASE_ROLE_REFUSAL: Record<CasePermission, string> = {
  'read-case': 'You may not read cases',
  'record-payment': 'Managers read; collection staff record payments',
  'set-hold': 'Only a team lead sets or lifts a hold',
  'lift-hold': 'Only a team lead sets or lifts a hold',
};

/** Refuses early, before anything is read, when the person's role may not do this at all. */
function assertRole(staff: Staff, permission: CasePermission) {
  assertAllowed(roleDecision(staff, permission), CASE_ROLE_REFUSAL[permission]);
}

/**
 * A unit's referral pack as of today, for whoever may read its case (the same rule as the case:
 * `read-case`): the pack, its JSON exactly as hashed, and the hash.
 */
export async function getReferralPack(deps: Deps, staff: Staff, unitCode: string) {
  const ledger = await deps.ledgers.getLedger(unitCode);
  if (!ledger.employer) throw new NotFoundError(`No unit ${unitCode}`);
  await assertCaseAccess(deps, staff, 'read-case', unitCode, ledger.case);
  return loadReferralPack(deps, { unitCode, asOf: deps.clock.today() });
}

async function assertCaseAccess(deps: Deps, staff: Staff, permission: CasePermission, unitCode: string, current: { officerId?: string | undefined; inspectorId?: string | undefined } | undefined) {
  const team = await teamOf(deps, staff);
  const tasks = (await Promise.all([staff.staffId, ...team].map((id) => deps.tasks.openTasksOf(id)))).flat();
  const decision = caseDecision(staff, permission, { unitCode, officerId: current?.officerId, inspectorId: current?.inspectorId }, team, new Set(tasks.map((t) => t.unitCode)));
  assertAllowed(decision, (reason) => (reason === 'role-not-allowed' ? CASE_ROLE_REFUSAL[permission] : `Unit ${unitCode} is not among your or your team's cases`));
}

export async function postOutcome(deps: Deps, staff: Staff, taskId: string, body: unknown) {
  await taskFor(deps, staff, taskId, 'record-outcome');
  const input = outcomeInputSchema.safeParse({ ...(body as object), taskId });
  if (!input.success) throw new InvalidInputError(input.error.issues.map((i) => ({ field: i.path.join('.') || '(body)', reason: i.message })));
  return recordOutcome(deps, { ...input.data, actor: staff.staffId });
}

/** POST /tasks/{taskId}/contacts: an attempt to reach the unit, logged on the open task without closing it. */
export async function postContact(deps: Deps, staff: Staff, taskId: string, body: ContactInput) {
  const { task } = await taskFor(deps, staff, taskId, 'record-contact');
  return recordContact(deps, task, { ...body, actor: staff.staffId });
}

export const reassignBodySchema = z.object({ officerId: officerIdSchema });

/** What each refusal of a reassignment says (400s name the officerId field). */
const REASSIGN_REFUSAL: Record<RefusalOf<ReturnType<typeof reassignDecision>>, (role: string) => string> = {
  'role-not-allowed': () => 'only a team lead reassigns tasks',
  'task-not-in-team': () => 'the task is not in your team',
  'officer-unknown': () => 'is not a known officer',
  'officer-not-in-team': () => 'is not in your team',
  'officer-inactive': () => 'is not active (inactive or on leave)',
  'officer-wrong-role': (role) => `must have the task's role (${role})`,
};

export async function postReassign(deps: Deps, staff: Staff, taskId: string, body: z.infer<typeof reassignBodySchema>) {
  const task = await deps.tasks.getTask(taskId);
  if (!task) throw new NotFoundError(`No task ${taskId}`);
  if (task.status !== 'open') throw new TaskNotOpenError(taskId);
  const team = await teamOf(deps, staff);
  const target = await deps.officers.getOfficer(body.officerId);
  assertAllowed(reassignDecision(staff, task, target, team), (reason) => REASSIGN_REFUSAL[reason](task.role));
  const moved = await deps.tasks.reassignTask(taskId, body.officerId);
  if (!moved) throw new TaskNotOpenError(taskId);
  const at = deps.clock.now().toISOString();
  // Once per move: a retried request finds the task already moved, with the same count, and records nothing new.
  if ((moved.reassignments ?? 0) > 0) {
    await deps.casework.appendEvent({
      unitCode: task.unitCode, cycle: task.cycle, at, kind: 'task-reassigned', actor: staff.staffId,
      detail: { taskId, taskType: task.type, escalated: task.escalated, from: moved.reassignedFrom ?? task.officerId, to: body.officerId, reassignment: moved.reassignments ?? 0 },
    });
    // The new officer is told, once per move (a retried request finds this move's email claimed).
    await tellOfficerAssigned(deps, taskId, assignmentOf(moved), deps.policyFor(deps.clock.today()));
  }
  // The unit keeps the officer it was given (continuity next month too).
  const ledger = await deps.ledgers.getLedger(task.unitCode);
  if (ledger.case && task.type === 'visit' && task.role === target!.role) await deps.casework.putCase({ ...ledger.case, officerId: body.officerId, updatedAt: at });
  return { task: taskView(moved, deps.clock.today()) };
}

/** What stops one task of a bulk reassignment and not the others; anything else (an outage) stops them all. */
const REFUSED_ALONE: readonly ErrorCategory[] = ['invalid-input', 'forbidden', 'not-found', 'conflict'];

export const bulkReassignBodySchema = z.object({ officerId: officerIdSchema, taskIds: z.array(z.string().min(1).max(80)).min(1, 'choose at least one task').max(100) });

/**
 * POST /reassignments: a team lead gives several tasks to one officer, each through the one
 * reassignment (its rules, its conditional move, its case event). Each task answers for itself:
 * one refused (closed meanwhile, outside the team) does not stop the others.
 */
export async function postBulkReassign(deps: Deps, staff: Staff, body: z.infer<typeof bulkReassignBodySchema>) {
  assertAllowed(roleDecision(staff, 'reassign-task'), 'only a team lead reassigns tasks');
  const results: { taskId: string; moved: boolean; reason?: string }[] = [];
  // One at a time: each move re-reads the task and the officer's case, and the events keep their order.
  for (const taskId of new Set(body.taskIds)) {
    try {
      await postReassign(deps, staff, taskId, { officerId: body.officerId });
      results.push({ taskId, moved: true });
    } catch (error) {
      if (!(error instanceof ArrearsError) || !REFUSED_ALONE.includes(error.category)) throw error;
      results.push({ taskId, moved: false, reason: error instanceof InvalidInputError ? error.issues.map((i) => i.reason).join('; ') : error.message });
    }
  }
  return { officerId: body.officerId, moved: results.filter((r) => r.moved).length, results };
}

export async function postAcknowledge(deps: Deps, staff: Staff, taskId: string) {
  const { task } = await taskFor(deps, staff, taskId, 'acknowledge-task');
  if (task.acknowledgedAt) return { task: taskView(task, deps.clock.today()) };
  const at = deps.clock.now().toISOString();
  const updated = await deps.tasks.acknowledgeTask(taskId, at);
  if (!updated) throw new TaskNotOpenError(taskId);
  await deps.casework.appendEvent({ unitCode: task.unitCode, cycle: task.cycle, at, kind: 'task-acknowledged', actor: staff.staffId, detail: { taskId, taskType: task.type, escalated: task.escalated } });
  return { task: taskView(updated, deps.clock.today()) };
}

export const paymentBodySchema = paymentSchema;

export async function postPayment(deps: Deps, staff: Staff, body: z.infer<typeof paymentBodySchema>) {
  assertRole(staff, 'record-payment');
  const ledger = await deps.ledgers.getLedger(body.unitCode);
  if (!ledger.employer) throw new NotFoundError(`No unit ${body.unitCode}`);
  await assertCaseAccess(deps, staff, 'record-payment', body.unitCode, ledger.case);
  return recordPayment(deps, { ...body, actor: staff.staffId });
}

export const holdBodySchema = holdSchema.pick({ unitCode: true, reason: true, until: true, note: true });

/** Holds are a team lead's decision, on a case of their team. */
export async function postHold(deps: Deps, staff: Staff, body: z.infer<typeof holdBodySchema>) {
  assertRole(staff, 'set-hold');
  const ledger = await deps.ledgers.getLedger(body.unitCode);
  if (!ledger.employer) throw new NotFoundError(`No unit ${body.unitCode}`);
  await assertCaseAccess(deps, staff, 'set-hold', body.unitCode, ledger.case);
  return setHold(deps, { ...body, setBy: staff.staffId });
}

export async function deleteHold(deps: Deps, staff: Staff, unitCode: string) {
  assertRole(staff, 'lift-hold');
  const ledger = await deps.ledgers.getLedger(unitCode);
  if (!ledger.employer) throw new NotFoundError(`No unit ${unitCode}`);
  await assertCaseAccess(deps, staff, 'lift-hold', unitCode, ledger.case);
  return clearHold(deps, { unitCode, actor: staff.staffId });
}

export const renewalBodySchema = renewalSchema;

/** A renewal taken by collection staff (a collection agent at the door, an officer at the counter). */
export async function postRenewal(deps: Deps, staff: Staff, body: RenewalRecord) {
  assertAllowed(renewalDecision(staff), 'Managers read; collection staff record renewals');
  return recordRenewal(deps, { ...body, actor: staff.staffId });
}
