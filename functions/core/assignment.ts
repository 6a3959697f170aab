import type { OfficerRole } from './policy.ts';

export interface OfficerCandidate {
  officerId: string;
  district: string;
  /** Communes/wards this officer owns within the district; empty means the whole district. */
  communes: readonly string[];
  role: OfficerRole;
  active: boolean;
  openTasks: number;
}

export interface AssignmentRequest {
  role: OfficerRole;
  district: string;
  commune: string;
  /** The officer who had the unit before: kept when still eligible (continuity). */
  currentOfficerId?: string | undefined;
}

/**
 * Picks the officer for a unit: only active officers of the role in the unit's district; the
 * current officer if still eligible; otherwise owners of the unit's commune before the rest of the
 * district, then the lightest open-task load, then officer id so the choice is stable.
 */
export function pickOfficer(request: AssignmentRequest, officers: readonly OfficerCandidate[]): OfficerCandidate | null {
  const eligible = officers.filter((o) => o.active && o.role === request.role && o.district === request.district);
  const current = eligible.find((o) => o.officerId === request.currentOfficerId);
  if (current) return current;
  const owns = (o: OfficerCandidate) => (o.communes.includes(request.commune) ? 0 : 1);
  const ranked = [...eligible].sort(
    (a, b) => owns(a) - owns(b) || a.openTasks - b.openTasks || (a.officerId < b.officerId ? -1 : a.officerId > b.officerId ? 1 : 0),
  );
  return ranked[0] ?? null;
}

/** An open task whose officer is inactive or gone, with what the assignment rule needs to place it. */
export interface TaskToHandOver {
  taskId: string;
  role: OfficerRole;
  district: string;
  /** The unit's commune ('' when unknown: the district's lightest load then decides). */
  commune: string;
  /** The unit's priority (core/priority.ts): the highest is placed first. */
  priority?: number | undefined;
}

/**
 * Where the open tasks of officers who left (or went inactive) go: each through the assignment rule
 * (`pickOfficer`, no continuity: the old officer is not eligible), counting each move in the chosen
 * officer's load so the tasks spread instead of all landing on whoever was lightest first. Tasks go
 * by priority, highest first (the most pressing unit gets the commune's owner or the lightest load),
 * then in id order, so the same tasks and roster give the same moves. `to` is null when the district
 * has no active officer of the role.
 */
export function handOverTasks(tasks: readonly TaskToHandOver[], officers: readonly OfficerCandidate[]): { taskId: string; to: string | null }[] {
  const load = new Map(officers.map((o) => [o.officerId, o.openTasks]));
  const ordered = [...tasks].sort((a, b) => (b.priority ?? 0) - (a.priority ?? 0) || (a.taskId < b.taskId ? -1 : a.taskId > b.taskId ? 1 : 0));
  return ordered.map((task) => {
    const candidates = officers.map((o) => ({ ...o, openTasks: load.get(o.officerId) ?? 0 }));
    const picked = pickOfficer({ role: task.role, district: task.district, commune: task.commune }, candidates);
    if (picked) load.set(picked.officerId, (load.get(picked.officerId) ?? 0) + 1);
    return { taskId: task.taskId, to: picked?.officerId ?? null };
  });
}
