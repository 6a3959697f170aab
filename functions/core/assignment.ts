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
