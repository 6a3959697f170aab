import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { WORKLIST_SORTS, foldText, groupByOfficer, matchesSearch, selectWorklist, type WorkItem } from '../../functions/core/worklist.ts';

const TODAY = '2026-11-10';
const item = (over: Partial<WorkItem>): WorkItem => ({
  taskId: 'T', unitCode: 'UNIT0001', type: 'visit', escalated: false, status: 'open', dueDate: TODAY, overdue: false, officerId: 'cb.a',
  officerName: 'Trần Thị A', unitName: 'Công ty Đá Bắc Sơn', taxCode: '2700123456', commune: 'Bắc Sơn', stage: 'officer-visit',
  debt: 40_000_000, monthsOverdue: 2, priority: { total: 30, parts: [] }, ...over,
});

const ITEMS: WorkItem[] = [
  item({ taskId: 'A', unitCode: 'TD000001', unitName: 'Hợp tác xã Hưng Thịnh', commune: 'Bắc Sơn', debt: 10_000_000, monthsOverdue: 2, dueDate: '2026-11-05', overdue: true, priority: { total: 20, parts: [] } }),
  item({ taskId: 'B', unitCode: 'TD000002', unitName: 'Công ty Đá Yên Sơn', commune: 'Yên Sơn', debt: 300_000_000, monthsOverdue: 7, dueDate: '2026-11-20', stage: 'inspection', officerId: 'tt.c', officerName: 'Lê Văn C', priority: { total: 95, parts: [] } }),
  item({ taskId: 'C', unitCode: 'TD000003', unitName: 'Doanh nghiệp Hoà Bình', taxCode: '2799999999-001', commune: 'Nam Sơn', debt: 60_000_000, monthsOverdue: 3, dueDate: '2026-11-12', priority: { total: 50, parts: [] } }),
];
const ids = (list: WorkItem[]) => list.map((i) => i.taskId);

describe('worklist', () => {
  it('searches unit codes (any case), names without accents, and tax codes', () => {
    expect(foldText('Công ty Đá Bắc Sơn')).toBe('cong ty da bac son');
    expect(ids(selectWorklist(ITEMS, { sort: 'priority', q: 'td000003' }, TODAY))).toEqual(['C']);
    expect(ids(selectWorklist(ITEMS, { sort: 'priority', q: 'da yen' }, TODAY))).toEqual(['B']);
    // "Hòa" and "Hoà" (the two placements of the tone mark people write) find the same unit.
    expect(ids(selectWorklist(ITEMS, { sort: 'priority', q: 'Hòa Bình' }, TODAY))).toEqual(['C']);
    expect(ids(selectWorklist(ITEMS, { sort: 'priority', q: 'hung thinh xyz' }, TODAY))).toEqual([]);
    expect(ids(selectWorklist(ITEMS, { sort: 'priority', q: '2799999999001' }, TODAY))).toEqual(['C']);
    expect(matchesSearch(ITEMS[0]!, '')).toBe(true);
  });

  it('filters by commune, stage, officer, due date, debt and months', () => {
    expect(ids(selectWorklist(ITEMS, { sort: 'priority', commune: 'Nam Sơn' }, TODAY))).toEqual(['C']);
    expect(ids(selectWorklist(ITEMS, { sort: 'priority', stage: 'inspection' }, TODAY))).toEqual(['B']);
    expect(ids(selectWorklist(ITEMS, { sort: 'priority', officerId: 'tt.c' }, TODAY))).toEqual(['B']);
    expect(ids(selectWorklist(ITEMS, { sort: 'priority', due: 'overdue' }, TODAY))).toEqual(['A']);
    expect(ids(selectWorklist(ITEMS, { sort: 'due', due: 'week' }, TODAY))).toEqual(['A', 'C']);
    expect(ids(selectWorklist(ITEMS, { sort: 'priority', minDebt: 50_000_000 }, TODAY))).toEqual(['B', 'C']);
    expect(ids(selectWorklist(ITEMS, { sort: 'priority', minMonths: 3 }, TODAY))).toEqual(['B', 'C']);
  });

  it('sorts the most pressing first, names A to Z', () => {
    expect(ids(selectWorklist(ITEMS, { sort: 'priority' }, TODAY))).toEqual(['B', 'C', 'A']);
    expect(ids(selectWorklist(ITEMS, { sort: 'due' }, TODAY))).toEqual(['A', 'C', 'B']);
    expect(ids(selectWorklist(ITEMS, { sort: 'debt' }, TODAY))).toEqual(['B', 'C', 'A']);
    expect(ids(selectWorklist(ITEMS, { sort: 'commune' }, TODAY))).toEqual(['A', 'C', 'B']);
    expect(ids(selectWorklist(ITEMS, { sort: 'stage' }, TODAY))).toEqual(['B', 'C', 'A']);
    expect(ids(selectWorklist(ITEMS, { sort: 'officer' }, TODAY))).toEqual(['B', 'C', 'A']);
  });

  it('every sort is a total order: the same items in any order come out the same, none lost (property)', () => {
    fc.assert(fc.property(fc.shuffledSubarray(ITEMS), fc.constantFrom(...WORKLIST_SORTS), (subset, sort) => {
      const once = selectWorklist(subset, { sort }, TODAY);
      expect(ids(selectWorklist([...subset].reverse(), { sort }, TODAY))).toEqual(ids(once));
      expect(once.length).toBe(subset.length);
    }));
  });

  it('groups a team by officer with counts of tasks, overdue ones and debt', () => {
    const groups = groupByOfficer(selectWorklist(ITEMS, { sort: 'priority' }, TODAY));
    expect(groups.map((g) => [g.officerName, g.items.length, g.overdue, g.debt])).toEqual([
      ['Lê Văn C', 1, 0, 300_000_000], ['Trần Thị A', 2, 1, 70_000_000],
    ]);
  });
});
