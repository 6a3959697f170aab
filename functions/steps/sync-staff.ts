import pLimit from 'p-limit';
import { z } from 'zod';
import { handOverTasks, type TaskToHandOver } from '../core/assignment.ts';
import { planDirectorySync, type ChangeKind, type RosterOfficer, type SyncPlan } from '../core/roster-sync.ts';
import type { Ports } from '../commons/deps.ts';
import { logger } from '../commons/logger.ts';
import { officerIdSchema, type Officer, type TaskRecord } from '../commons/records.ts';
import { assignmentOf, tellOfficerAssigned } from './tell-officer-assigned.ts';
import { standingOf } from '../api/standing.ts';

/**
 * The staff accounts from the roster, after officers.csv is imported: the directory (Cognito) made
 * to match the file (core/roster-sync.ts decides), officers who left marked inactive in the store,
 * and the open tasks of inactive officers and leavers handed to active colleagues through the
 * assignment rule, each move on the case history. Officers are named by id only (the file's rows
 * are in the store by then): no email or name travels in the input, a log or the report.
 */

/** What the import says about the officers file: the ids it loaded, and the rows it refused. */
export const rosterSyncInputSchema = z.object({
  officerIds: z.array(officerIdSchema).max(20_000),
  /** Officer ids of refused rows: their users are left as they are. */
  refused: z.array(officerIdSchema).max(20_000).default([]),
  /** Refused rows whose officer id could not be read: then nobody is disabled as a leaver. */
  unidentified: z.number().int().min(0).default(0),
});
export type RosterSyncInput = z.input<typeof rosterSyncInputSchema>;

export interface StaffSyncReport {
  /** Users the directory had before. */
  users: number;
  /** Changes made, by kind (none on a second import of the same file). */
  changes: Record<ChangeKind, number>;
  /** Officers and users not synced, changes the directory refused, tasks nobody could take: key and reason. */
  problems: { key: string; reason: string }[];
  /** Officers who left the roster, marked inactive in the store now. */
  markedInactive: number;
  /** Open tasks moved to active officers, and those left where they were (no active officer of the role). */
  tasksMoved: number;
  tasksUnassigned: number;
}

/** The store is read a few officers at a time. */
const READS = 8;
export const SYNC_ACTOR = 'roster-sync';

/** The ports of telling an officer of a task handed to them (the assignment email). */
type Telling = 'claims' | 'mailer' | 'office' | 'inbox' | 'policyFor';

export async function syncStaff(
  deps: Ports<'directory' | 'officers' | 'tasks' | 'casework' | 'ledgers' | 'clock' | Telling>,
  raw: RosterSyncInput,
): Promise<StaffSyncReport> {
  const input = rosterSyncInputSchema.parse(raw);
  const problems: StaffSyncReport['problems'] = [];
  const limit = pLimit(READS);
  const officers = (await Promise.all(input.officerIds.map((id) => limit(async () => {
    try {
      const o = await deps.officers.getOfficer(id);
      if (!o) problems.push({ key: id, reason: 'not in the store (the import did not write it); not synced' });
      return o;
    } catch (error) {
      problems.push({ key: id, reason: `stored officer does not validate (${(error as Error).name}); not synced` });
      return undefined;
    }
  })))).filter((o): o is Officer => o !== undefined);
  const roster: RosterOfficer[] = officers.map(({ officerId, email, role, active }) => ({ officerId, email, role, active }));
  const users = await deps.directory.users();
  const plan = planDirectorySync({ officers: roster, refused: input.refused, unidentified: input.unidentified }, users);
  problems.push(...plan.skipped);

  const changes = Object.fromEntries(['create', 'set-email', 'resend-invitation', 'add-to-group', 'remove-from-group', 'enable', 'disable'].map((k) => [k, 0])) as Record<ChangeKind, number>;
  // One at a time: Cognito's admin calls are rate-limited per account, and a refusal is one user's only.
  for (const change of plan.changes) {
    try {
      await deps.directory.apply(change);
      changes[change.kind]++;
    } catch (error) {
      // The error's name only: Cognito's messages can quote the address.
      problems.push({ key: change.username, reason: `${change.kind} refused by the directory (${(error as Error).name})` });
    }
  }

  const markedInactive = await markLeaversInactive(deps, plan, problems);
  const { moved, unassigned } = await handOver(deps, plan, problems);
  const report: StaffSyncReport = { users: users.length, changes, problems, markedInactive, tasksMoved: moved, tasksUnassigned: unassigned };
  logger.info('staff directory synced with the roster', { users: users.length, changes, problems: problems.length, markedInactive, tasksMoved: moved, tasksUnassigned: unassigned });
  return report;
}

/** An officer no longer in the file is no longer assignable: their stored record goes inactive. */
async function markLeaversInactive(deps: Ports<'officers'>, plan: SyncPlan, problems: StaffSyncReport['problems']): Promise<number> {
  let marked = 0;
  for (const { officerId } of plan.handOver.filter((h) => h.because === 'left')) {
    const officer = await deps.officers.getOfficer(officerId).catch(() => undefined);
    if (!officer) {
      problems.push({ key: officerId, reason: 'left the roster; no officer record in the store to mark inactive' });
      continue;
    }
    if (!officer.active) continue;
    await deps.officers.putOfficers([{ ...officer, active: false }]);
    marked++;
  }
  return marked;
}

/** Each inactive or departed officer's open case tasks to an active officer of the district, by the assignment rule. */
async function handOver(
  deps: Ports<'officers' | 'tasks' | 'casework' | 'ledgers' | 'clock' | Telling>,
  plan: SyncPlan,
  problems: StaffSyncReport['problems'],
): Promise<{ moved: number; unassigned: number }> {
  const why = new Map(plan.handOver.map((h) => [h.officerId, h.because === 'left' ? 'officer-left' as const : 'officer-inactive' as const]));
  // Renewal visits are the collection agents' (collection-agents.csv), not this roster's.
  const open = (await Promise.all([...why.keys()].map((id) => deps.tasks.openTasksOf(id)))).flat().filter((t) => t.type !== 'renewal-visit');
  let moved = 0;
  let unassigned = 0;
  const byDistrict = new Map<string, TaskRecord[]>();
  for (const t of open) byDistrict.set(t.district, [...(byDistrict.get(t.district) ?? []), t]);
  for (const [district, tasks] of byDistrict) {
    const candidates = await deps.officers.officersInDistrict(district);
    // Each unit's commune and priority (the worklist's standing): the most pressing unit is placed first.
    const units = new Map<string, { commune: string; priority: number }>();
    for (const unit of new Set(tasks.map((t) => t.unitCode))) units.set(unit, await placing(deps, unit));
    const toPlace: TaskToHandOver[] = tasks.map((t) => ({ taskId: t.taskId, role: t.role, district, ...(units.get(t.unitCode) ?? { commune: '', priority: 0 }) }));
    const byId = new Map(tasks.map((t) => [t.taskId, t]));
    for (const move of handOverTasks(toPlace, candidates)) {
      const task = byId.get(move.taskId)!;
      if (move.to === null) {
        unassigned++;
        problems.push({ key: task.taskId, reason: `no active ${task.role} in ${district} to take it; left with ${task.officerId}` });
        continue;
      }
      if (await moveTask(deps, task, move.to, why.get(task.officerId)!)) moved++;
    }
  }
  return { moved, unassigned };
}

/** A unit's commune and priority for the hand-over; a unit that cannot be read goes last, by the district's load. */
async function placing(deps: Ports<'ledgers' | 'casework' | 'clock' | 'policyFor'>, unitCode: string): Promise<{ commune: string; priority: number }> {
  try {
    const [ledger, history] = await Promise.all([deps.ledgers.getLedger(unitCode), deps.casework.caseHistory(unitCode)]);
    return { commune: ledger.employer?.commune ?? '', priority: standingOf(deps, ledger, history).priority.total };
  } catch {
    return { commune: '', priority: 0 };
  }
}

/**
 * The task store's reassignment, then its case event, the new officer told (the assignment email,
 * once per assignment: a failed send is the redrive's) and the unit's officer for next month (as a
 * team lead's move does).
 */
async function moveTask(deps: Ports<'officers' | 'tasks' | 'casework' | 'ledgers' | 'clock' | Telling>, task: TaskRecord, to: string, because: 'officer-left' | 'officer-inactive'): Promise<boolean> {
  const moved = await deps.tasks.reassignTask(task.taskId, to);
  // Closed meanwhile (answered, paid): nothing to move.
  if (!moved) return false;
  const at = deps.clock.now().toISOString();
  await tellOfficerAssigned(deps, task.taskId, assignmentOf(moved), deps.policyFor(deps.clock.today()));
  if ((moved.reassignments ?? 0) > 0) {
    await deps.casework.appendEvent({
      unitCode: task.unitCode, cycle: task.cycle, at, kind: 'task-reassigned', actor: SYNC_ACTOR,
      detail: { taskId: task.taskId, taskType: task.type, escalated: task.escalated, from: moved.reassignedFrom ?? task.officerId, to, reassignment: moved.reassignments ?? 0, because },
    });
  }
  if (task.escalated) return true;
  const ledger = await deps.ledgers.getLedger(task.unitCode);
  const kase = ledger.case;
  if (kase && task.type === 'visit' && kase.officerId === task.officerId) await deps.casework.putCase({ ...kase, officerId: to, updatedAt: at });
  if (kase && task.type === 'inspection' && kase.inspectorId === task.officerId) await deps.casework.putCase({ ...kase, inspectorId: to, updatedAt: at });
  return true;
}

/** A short human summary: the changes made, the tasks handed over, then each problem as `key — reason`. */
export function formatStaffSync(r: StaffSyncReport, invitations?: string, show = 10): string {
  const c = r.changes;
  const lines = [
    `staff accounts: ${c.create} created (invitation sent${invitations ? `; locally in ${invitations}` : ''}), `
      + `${c['set-email']} email(s) updated (${c['resend-invitation']} invitation(s) sent again), `
      + `${c['add-to-group'] + c['remove-from-group']} group change(s), ${c.enable} enabled, ${c.disable} disabled; `
      + `${r.markedInactive} leaver(s) marked inactive; ${r.tasksMoved} open task(s) handed over, ${r.tasksUnassigned} left unassigned; ${r.problems.length} problem(s)`,
  ];
  for (const p of r.problems.slice(0, show)) lines.push(`  ${p.key} — ${p.reason}`);
  if (r.problems.length > show) lines.push(`  ... and ${r.problems.length - show} more`);
  return lines.join('\n');
}
