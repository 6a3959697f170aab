import { addDays, type IsoDate } from './dates.ts';
import type { Vnd } from './ledger.ts';
import type { AnyTaskType, StageName } from './policy.ts';
import type { Priority } from './priority.ts';
import type { TaskOutcome } from './task-outcomes.ts';

/**
 * The staff's worklist: each task with what decides which to take first (debt, months overdue,
 * commune, stage, priority), and the pure rules to search, filter, sort and group it. The staff
 * API gathers the items (api/worklist.ts); the inbox shows them.
 */

export interface WorkItem {
  taskId: string;
  unitCode: string;
  type: AnyTaskType;
  escalated: boolean;
  status: 'open' | 'done' | 'timed-out' | 'cancelled';
  dueDate: IsoDate;
  overdue: boolean;
  officerId: string;
  officerName?: string | undefined;
  unitName?: string | undefined;
  taxCode?: string | undefined;
  commune?: string | undefined;
  /** The case's stage (null when the case has none: closed, or a participant's renewal visit). */
  stage: StageName | null;
  debt: Vnd;
  monthsOverdue: number;
  priority: Priority;
  outcome?: TaskOutcome | undefined;
  closedAt?: string | undefined;
}

export const WORKLIST_SORTS = ['priority', 'due', 'debt', 'months', 'commune', 'stage', 'officer'] as const;
export type WorklistSort = (typeof WORKLIST_SORTS)[number];
export const DUE_FILTERS = ['overdue', 'week'] as const;
export type DueFilter = (typeof DUE_FILTERS)[number];

export interface WorklistQuery {
  sort: WorklistSort;
  /** A unit code, part of a unit's name (accents and case aside) or a tax code. */
  q?: string | undefined;
  commune?: string | undefined;
  stage?: StageName | undefined;
  officerId?: string | undefined;
  /** Past due, or due within a week. */
  due?: DueFilter | undefined;
  minDebt?: Vnd | undefined;
  minMonths?: number | undefined;
}

/** Lower case, without Vietnamese accents: "Công ty Bắc Sơn" and "cong ty bac son" match. */
export function foldText(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase().trim();
}

/** Whether an item answers a search: its unit code or tax code (from the start), or its name (anywhere). */
export function matchesSearch(item: Pick<WorkItem, 'unitCode' | 'unitName' | 'taxCode'>, q: string): boolean {
  const folded = foldText(q);
  if (folded === '') return true;
  const digits = q.replace(/[\s.-]/g, '');
  return item.unitCode.toLowerCase().startsWith(folded)
    || (/^\d+$/.test(digits) && (item.taxCode ?? '').replace(/-/g, '').startsWith(digits))
    || foldText(item.unitName ?? '').includes(folded);
}

const STAGE_ORDER: Record<string, number> = { 'urging-notice': 1, 'officer-visit': 2, inspection: 3 };
const text = (a: string | undefined, b: string | undefined) => (a ?? '').localeCompare(b ?? '', 'vi');

/** Each sort's order: the most pressing first (highest priority, debt, months, stage; earliest due date); names A to Z. */
const COMPARE: Record<WorklistSort, (a: WorkItem, b: WorkItem) => number> = {
  priority: (a, b) => b.priority.total - a.priority.total,
  due: (a, b) => (a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : 0),
  debt: (a, b) => b.debt - a.debt,
  months: (a, b) => b.monthsOverdue - a.monthsOverdue,
  commune: (a, b) => text(a.commune, b.commune),
  stage: (a, b) => (STAGE_ORDER[b.stage ?? ''] ?? 0) - (STAGE_ORDER[a.stage ?? ''] ?? 0),
  officer: (a, b) => text(a.officerName ?? a.officerId, b.officerName ?? b.officerId),
};

/** Ties: priority, then due date, then the task id, so the order is total and stable across requests. */
function compare(sort: WorklistSort) {
  return (a: WorkItem, b: WorkItem) => COMPARE[sort](a, b) || COMPARE.priority(a, b) || COMPARE.due(a, b) || (a.taskId < b.taskId ? -1 : a.taskId > b.taskId ? 1 : 0);
}

/** The items that answer the query, in its order. */
export function selectWorklist(items: readonly WorkItem[], query: WorklistQuery, today: IsoDate): WorkItem[] {
  const weekEnd = addDays(today, 7);
  return items
    .filter((i) => !query.q || matchesSearch(i, query.q))
    .filter((i) => !query.commune || i.commune === query.commune)
    .filter((i) => !query.stage || i.stage === query.stage)
    .filter((i) => !query.officerId || i.officerId === query.officerId)
    .filter((i) => query.due !== 'overdue' || i.dueDate < today)
    .filter((i) => query.due !== 'week' || i.dueDate <= weekEnd)
    .filter((i) => query.minDebt === undefined || i.debt >= query.minDebt)
    .filter((i) => query.minMonths === undefined || i.monthsOverdue >= query.minMonths)
    .sort(compare(query.sort));
}

export interface OfficerGroup {
  officerId: string;
  officerName?: string | undefined;
  items: WorkItem[];
  overdue: number;
  debt: Vnd;
}

/** A team lead's view: the items by officer (officers A to Z), each group in the items' order, with its counts. */
export function groupByOfficer(items: readonly WorkItem[]): OfficerGroup[] {
  const groups = new Map<string, OfficerGroup>();
  for (const item of items) {
    const g = groups.get(item.officerId) ?? { officerId: item.officerId, officerName: item.officerName, items: [], overdue: 0, debt: 0 };
    g.items.push(item);
    if (item.overdue) g.overdue += 1;
    g.debt += item.debt;
    groups.set(item.officerId, g);
  }
  return [...groups.values()].sort((a, b) => text(a.officerName ?? a.officerId, b.officerName ?? b.officerId));
}

/** The values a filter can take among these items (communes, officers), for the filter form. */
export function filterOptions(items: readonly WorkItem[]): { communes: string[]; officers: { officerId: string; name: string }[] } {
  const communes = [...new Set(items.flatMap((i) => (i.commune ? [i.commune] : [])))].sort((a, b) => a.localeCompare(b, 'vi'));
  const officers = new Map<string, string>();
  for (const i of items) officers.set(i.officerId, i.officerName ?? i.officerId);
  return { communes, officers: [...officers].map(([officerId, name]) => ({ officerId, name })).sort((a, b) => a.name.localeCompare(b.name, 'vi')) };
}
