/**
 * Who among the staff may see and do what. Officers and inspectors work their own tasks; a team
 * lead also their team's, and reassigns within the team; a manager reads everything and changes
 * nothing. Pure: the API gathers the facts (task, team, the units of a person's tasks) and asks.
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

/** Why this person may not move the task to `target`, or null when they may. */
export function reassignProblem(
  staff: Staff,
  task: { officerId: string; role: string },
  target: { officerId: string; role: string; active: boolean } | undefined,
  team: ReadonlySet<string>,
): { status: 403 | 400; field?: string; reason: string } | null {
  if (!isLead(staff)) return { status: 403, reason: 'only a team lead reassigns tasks' };
  if (task.officerId !== staff.staffId && !team.has(task.officerId)) return { status: 403, reason: 'the task is not in your team' };
  if (!target) return { status: 400, field: 'officerId', reason: 'is not a known officer' };
  if (target.officerId !== staff.staffId && !team.has(target.officerId)) return { status: 400, field: 'officerId', reason: 'is not in your team' };
  if (!target.active) return { status: 400, field: 'officerId', reason: 'is not active (inactive or on leave)' };
  // A visit goes to a collector, an inspection to an inspector; the team lead may take either.
  if (target.role !== task.role && target.officerId !== staff.staffId) return { status: 400, field: 'officerId', reason: `must have the task's role (${task.role})` };
  return null;
}
