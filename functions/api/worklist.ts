import { z } from 'zod';
import pLimit from 'p-limit';
import { STAGES } from '../core/policy.ts';
import { listTasksDecision, type Staff } from '../core/staff-access.ts';
import { DUE_FILTERS, WORKLIST_SORTS, filterOptions, selectWorklist, type WorkItem } from '../core/worklist.ts';
import type { Deps } from '../commons/deps.ts';
import { officerIdSchema, type TaskRecord } from '../commons/records.ts';
import { assertAllowed } from './http.ts';
import { teamOf } from './routes.ts';
import { standingOf } from './standing.ts';

/**
 * The worklist (GET /worklist, the inbox's home page): the caller's tasks, and a team lead's
 * team's, each with the unit's debt, months overdue, commune, stage and priority; searched,
 * filtered and sorted by the core's rules (core/worklist.ts). Closed tasks (`view=done`) are the
 * latest of each officer's, not their whole past.
 */

/** Closed tasks shown per officer and status. */
export const DONE_TASKS_PER_OFFICER = 50;
/** Units read at once while the worklist is gathered (two queries each: ledger, history). */
const UNIT_READS_IN_FLIGHT = 8;

/** A blank field of the filter form is no filter. */
const blank = <T extends z.ZodTypeAny>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

export const worklistQuerySchema = z.object({
  view: blank(z.enum(['open', 'done'])),
  sort: blank(z.enum(WORKLIST_SORTS)),
  q: blank(z.string().trim().max(80)),
  commune: blank(z.string().trim().max(80)),
  stage: blank(z.enum(STAGES)),
  officer: blank(officerIdSchema),
  due: blank(z.enum(DUE_FILTERS)),
  minDebt: blank(z.coerce.number().int().min(0).max(1e13)),
  minMonths: blank(z.coerce.number().int().min(0).max(600)),
});
export type WorklistRequest = z.infer<typeof worklistQuerySchema>;

export async function worklist(deps: Deps, staff: Staff, query: WorklistRequest) {
  const team = await teamOf(deps, staff);
  assertAllowed(listTasksDecision(staff, query.officer, team), (reason) => (reason === 'officer-required'
    ? 'is required for a manager (whose tasks to list)'
    : 'You may list only your own or your team\'s tasks'));
  // Collection staff see their own and their team's, the officer being a filter among them; a manager names whose.
  const officers = listTasksDecision(staff, undefined, team).allowed ? [staff.staffId, ...team] : [query.officer!];
  const view = query.view ?? 'open';
  const tasks = (await Promise.all(officers.map((id) => (view === 'open' ? deps.tasks.openTasksOf(id) : deps.tasks.closedTasksOf(id, DONE_TASKS_PER_OFFICER))))).flat();
  const items = await workItems(deps, tasks);
  const selected = selectWorklist(items, {
    sort: query.sort ?? (view === 'open' ? 'priority' : 'due'), q: query.q, commune: query.commune, stage: query.stage, officerId: query.officer,
    due: query.due, minDebt: query.minDebt, minMonths: query.minMonths,
  }, deps.clock.today());
  // Closed tasks, the most recently closed first whatever the sort's ties.
  if (view === 'done' && !query.sort) selected.sort((a, b) => ((b.closedAt ?? '') < (a.closedAt ?? '') ? -1 : (b.closedAt ?? '') > (a.closedAt ?? '') ? 1 : 0));
  return { view, total: items.length, items: selected, options: filterOptions(items), team: team.size > 0 };
}

/** Each task with its unit's standing; every unit and officer read once, a few at a time. */
async function workItems(deps: Deps, tasks: readonly TaskRecord[]): Promise<WorkItem[]> {
  const today = deps.clock.today();
  const limit = pLimit(UNIT_READS_IN_FLIGHT);
  const units = new Map(await Promise.all([...new Set(tasks.map((t) => t.unitCode))].map((unitCode) => limit(async () => {
    const [ledger, history] = await Promise.all([deps.ledgers.getLedger(unitCode), deps.casework.caseHistory(unitCode)]);
    return [unitCode, { ledger, standing: standingOf(deps, ledger, history) }] as const;
  }))));
  const names = new Map(await Promise.all([...new Set(tasks.map((t) => t.officerId))].map(async (id) => [id, (await deps.officers.getOfficer(id))?.name] as const)));
  // An organisation with no SI unit (a tax-data check's stand-in code) goes by its name in the tax data.
  const organisations = new Map(await Promise.all(tasks.filter((t) => t.type === 'tax-data-check' && !units.get(t.unitCode)!.ledger.employer)
    .map((t) => limit(async () => [t.taskId, await deps.reconciliation.getTaxCheck(t.taskId)] as const))));
  return tasks.map((task) => {
    const unit = units.get(task.unitCode)!;
    return {
      taskId: task.taskId, unitCode: task.unitCode, type: task.type, escalated: task.escalated, status: task.status, dueDate: task.dueDate,
      overdue: task.status === 'open' && task.dueDate < today, officerId: task.officerId, officerName: names.get(task.officerId),
      unitName: unit.ledger.employer?.name ?? organisations.get(task.taskId)?.organisationName,
      taxCode: unit.ledger.employer?.taxCode ?? organisations.get(task.taskId)?.finding.taxCode, commune: unit.ledger.employer?.commune,
      stage: unit.standing.stage, debt: unit.standing.debt, monthsOverdue: unit.standing.monthsOverdue, priority: unit.standing.priority,
      outcome: task.outcome, closedAt: task.closedAt,
    };
  });
}
