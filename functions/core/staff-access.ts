/**
 * Who among the staff may see and do what. Officers and inspectors work their own tasks; a team
 * lead also their team's, reassigns within the team and sets or lifts holds on the team's cases;
 * collection staff record payments and renewals; a manager reads everything and changes nothing.
 * Pure: the API gathers the facts (task, team, the units of a person's tasks) and asks; every
 * decision says why it refuses, and the HTTP edge maps the reason to a status (api/http.ts).
 */

export const STAFF_GROUPS = ['officer', 'team-lead', 'inspector', 'manager'] as const;
export type StaffGroup = (typeof STAFF_GROUPS)[number];

export interface Staff {
  /** The officer ID the person signs in as. */
  staffId: string;
  groups: readonly StaffGroup[];
}

export type Access = 'act' | 'read' | 'none';

const isLead = (staff: Staff) => staff.groups.includes('team-lead');
const isManager = (staff: Staff) => staff.groups.includes('manager');

/** Access to one task: `team` holds the officers whose team lead this person is. */
export function taskAccess(staff: Staff, task: { officerId: string }, team: ReadonlySet<string>): Access {
  if (task.officerId === staff.staffId) return 'act';
  if (isLead(staff) && team.has(task.officerId)) return 'act';
  return isManager(staff) ? 'read' : 'none';
}

/**
 * Access to a unit's case: its collector or inspector (or their team lead), or whoever holds a
 * task on the unit (`taskUnits`: the units of the person's and their team's tasks). Read only:
 * staff act on tasks, not on the case record.
 */
export function caseAccess(
  staff: Staff,
  unit: { unitCode: string; officerId?: string | undefined; inspectorId?: string | undefined },
  team: ReadonlySet<string>,
  taskUnits: ReadonlySet<string>,
): Exclude<Access, 'act'> {
  if (isManager(staff)) return 'read';
  const assigned = [unit.officerId, unit.inspectorId].filter((id): id is string => id !== undefined);
  if (assigned.includes(staff.staffId) || taskUnits.has(unit.unitCode)) return 'read';
  if (isLead(staff) && assigned.some((id) => team.has(id))) return 'read';
  return 'none';
}

/** Everything staff may ask to do, through the JSON API or the inbox. */
export const PERMISSIONS = [
  'list-tasks', 'read-task', 'record-outcome', 'record-contact', 'acknowledge-task', 'reassign-task',
  'read-case', 'record-payment', 'set-hold', 'lift-hold', 'record-renewal', 'read-collection-report',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** Why a request is refused. */
export type Refusal =
  /** None of the person's groups may do this at all. */
  | 'role-not-allowed'
  /** The task is neither the person's nor (for a team lead) their team's. */
  | 'not-your-task'
  /** The person may see the task but not act on it (a manager). */
  | 'read-only'
  /** Only the officer the task is assigned to acknowledges it. */
  | 'not-assigned-officer'
  /** The unit is not among the person's or their team's cases. */
  | 'not-your-case'
  /** A manager with no team has no tasks of their own: whose to list must be named. */
  | 'officer-required'
  /** Reassignment: the task is not in the team lead's team. */
  | 'task-not-in-team'
  /** Reassignment: the officer to give the task to is unknown, outside the team, inactive or of another role. */
  | 'officer-unknown' | 'officer-not-in-team' | 'officer-inactive' | 'officer-wrong-role';

export type Decision<R extends Refusal = Refusal> = { allowed: true } | { allowed: false; reason: R };

/** The reasons a decision function may give: `RefusalOf<ReturnType<typeof reassignDecision>>`. */
export type RefusalOf<D extends Decision> = Extract<D, { allowed: false }>['reason'];

const ALLOWED = { allowed: true } as const;
const refuse = <R extends Refusal>(reason: R): Decision<R> => ({ allowed: false, reason });

const COLLECTION_STAFF: readonly StaffGroup[] = ['officer', 'team-lead', 'inspector'];

/** The groups that may ask for each permission at all (what it is asked on decides the rest). */
export const PERMITTED_GROUPS: Readonly<Record<Permission, readonly StaffGroup[]>> = {
  'list-tasks': STAFF_GROUPS,
  'read-task': STAFF_GROUPS,
  'record-outcome': STAFF_GROUPS,
  // An attempt to reach the unit, logged on the task by whoever may act on it (a manager only reads).
  'record-contact': STAFF_GROUPS,
  'acknowledge-task': STAFF_GROUPS,
  'reassign-task': ['team-lead'],
  'read-case': STAFF_GROUPS,
  // Managers read; collection staff record payments and renewals.
  'record-payment': COLLECTION_STAFF,
  'record-renewal': COLLECTION_STAFF,
  // Holds are a team lead's decision.
  'set-hold': ['team-lead'],
  'lift-hold': ['team-lead'],
  // The office's collection report (functions/steps/collection-report.ts) is the managers': it sets
  // every district, commune and officer of the office against the plan, other teams' officers'
  // open and overdue tasks and arrears among them. A team lead sees their own team in the worklist
  // (grouped by officer, with counts and debt) and is not given the office's ranking of colleagues.
  'read-collection-report': ['manager'],
};

/** Whether the person's groups allow the permission at all, before looking at what it is on. */
export function roleDecision(staff: Staff, permission: Permission): Decision<'role-not-allowed'> {
  return staff.groups.some((g) => PERMITTED_GROUPS[permission].includes(g)) ? ALLOWED : refuse('role-not-allowed');
}

/** Listing open tasks: `officerId` names whose (the caller's own and team's when absent). */
export function listTasksDecision(staff: Staff, officerId: string | undefined, team: ReadonlySet<string>): Decision<'role-not-allowed' | 'not-your-task' | 'officer-required'> {
  const role = roleDecision(staff, 'list-tasks');
  if (!role.allowed) return role;
  if (officerId !== undefined) return taskAccess(staff, { officerId }, team) === 'none' ? refuse('not-your-task') : ALLOWED;
  return staff.groups.every((g) => g === 'manager') && team.size === 0 ? refuse('officer-required') : ALLOWED;
}

/** Reading a task, recording its outcome or an attempt to reach the unit, or acknowledging it. */
export function taskDecision(
  staff: Staff,
  permission: Extract<Permission, 'read-task' | 'record-outcome' | 'record-contact' | 'acknowledge-task'>,
  task: { officerId: string },
  team: ReadonlySet<string>,
): Decision<'role-not-allowed' | 'not-your-task' | 'read-only' | 'not-assigned-officer'> {
  const role = roleDecision(staff, permission);
  if (!role.allowed) return role;
  const access = taskAccess(staff, task, team);
  if (access === 'none') return refuse('not-your-task');
  if (permission === 'read-task') return ALLOWED;
  if (access !== 'act') return refuse('read-only');
  if (permission === 'acknowledge-task' && task.officerId !== staff.staffId) return refuse('not-assigned-officer');
  return ALLOWED;
}

/** Reading a unit's case, or recording a payment, setting or lifting a hold on it (see caseAccess). */
export function caseDecision(
  staff: Staff,
  permission: Extract<Permission, 'read-case' | 'record-payment' | 'set-hold' | 'lift-hold'>,
  unit: { unitCode: string; officerId?: string | undefined; inspectorId?: string | undefined },
  team: ReadonlySet<string>,
  taskUnits: ReadonlySet<string>,
): Decision<'role-not-allowed' | 'not-your-case'> {
  const role = roleDecision(staff, permission);
  if (!role.allowed) return role;
  return caseAccess(staff, unit, team, taskUnits) === 'none' ? refuse('not-your-case') : ALLOWED;
}

/** Recording a participant's renewal: collection staff, for any participant. */
export function renewalDecision(staff: Staff): Decision<'role-not-allowed'> {
  return roleDecision(staff, 'record-renewal');
}

/** Reading the collection report in the inbox (any date's): managers only (see PERMITTED_GROUPS). */
export function collectionReportDecision(staff: Staff): Decision<'role-not-allowed'> {
  return roleDecision(staff, 'read-collection-report');
}

/** Moving a task to `target` (undefined: no such officer). */
export function reassignDecision(
  staff: Staff,
  task: { officerId: string; role: string },
  target: { officerId: string; role: string; active: boolean } | undefined,
  team: ReadonlySet<string>,
): Decision<'role-not-allowed' | 'task-not-in-team' | 'officer-unknown' | 'officer-not-in-team' | 'officer-inactive' | 'officer-wrong-role'> {
  const role = roleDecision(staff, 'reassign-task');
  if (!role.allowed) return role;
  const mine = (officerId: string) => officerId === staff.staffId || team.has(officerId);
  if (!mine(task.officerId)) return refuse('task-not-in-team');
  if (!target) return refuse('officer-unknown');
  if (!mine(target.officerId)) return refuse('officer-not-in-team');
  if (!target.active) return refuse('officer-inactive');
  // A visit goes to a collector, an inspection to an inspector; the team lead may take either.
  if (target.role !== task.role && target.officerId !== staff.staffId) return refuse('officer-wrong-role');
  return ALLOWED;
}
