import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { LocalStack } from '../../local/embedded/stack.ts';
import type { WorkItem } from '../../functions/core/worklist.ts';
import { deadlineOf, POLICY_VERSIONS } from '../../functions/core/policy.ts';
import { staffEvent } from '../support/staff-event.ts';
import { CYCLE, startStaffWorld } from '../support/staff-world.ts';

/**
 * The worklist, the contact log and bulk reassignment through the staff API's handler, on the
 * local stack with real waiting executions: what each person sees, how it is searched, filtered
 * and sorted, and what each write leaves on the case.
 */
let stack: LocalStack;
const policy = POLICY_VERSIONS.at(-1)!;

const B = { staffId: 'cb.tran.thi.b', groups: ['officer'] };
const G = { staffId: 'cb.le.thi.g', groups: ['officer'] };
const lead = { staffId: 'tl.vo.van.d', groups: ['team-lead'] };
const task = (unit: string) => `${unit}-${CYCLE}-visit`;

async function call(who: { staffId: string; groups: string[] }, method: string, path: string, body?: unknown, query?: Record<string, string>) {
  const r = (await stack.lambdas.staffApi(staffEvent({ method, path, ...who, body, query }))) as APIGatewayProxyStructuredResultV2;
  return { status: r.statusCode, body: JSON.parse(r.body ?? 'null') as Record<string, unknown> };
}
const items = async (who: typeof B, query: Record<string, string> = {}) => {
  const r = await call(who, 'GET', '/worklist', undefined, query);
  expect(r.status).toBe(200);
  return r.body.items as WorkItem[];
};
const units = (list: WorkItem[]) => list.map((i) => i.unitCode);

beforeAll(async () => {
  stack = await startStaffWorld([
    { unitCode: 'UNIT0001', name: 'Công ty Bắc Sơn', commune: 'Bắc Sơn' }, // B's
    { unitCode: 'UNIT0002', name: 'Công ty Trung Sơn', commune: 'Trung Sơn' }, // G's, another team
    { unitCode: 'UNIT0003', name: 'Công ty Nam Sơn', commune: 'Nam Sơn' }, // E's, B's team
    { unitCode: 'UNIT0004', name: 'Xưởng Đá Bắc Sơn', commune: 'Bắc Sơn' }, // B's, and far behind (below)
  ]);
  // UNIT0004 also owes an old period of 300 M ₫: over 200 M, seven months, past the evasion threshold.
  await stack.store.putPeriods([{ unitCode: 'UNIT0004', period: '2026-03', amountDue: 300_000_000, dueDate: deadlineOf('2026-03', policy) }]);
}, 120_000);
afterAll(() => stack?.close());

describe('worklist', () => {
  it("gives each task its debt, months, commune, stage and priority, the highest priority first; an officer sees only their own", async () => {
    const mine = await items(B);
    expect(units(mine)).toEqual(['UNIT0004', 'UNIT0001']);
    const [big, small] = mine as [WorkItem, WorkItem];
    expect(big).toMatchObject({ commune: 'Bắc Sơn', stage: 'officer-visit', monthsOverdue: 7, unitName: 'Xưởng Đá Bắc Sơn', overdue: false });
    expect(big.debt).toBeGreaterThan(300_000_000);
    expect(big.priority.parts.map((p) => p.factor)).toEqual(expect.arrayContaining(['debt', 'months', 'evading']));
    expect(big.priority.parts.reduce((s, p) => s + p.points, 0)).toBe(big.priority.total);
    expect(small).toMatchObject({ monthsOverdue: 2, stage: 'officer-visit' });
    expect(small.priority.total).toBeLessThan(big.priority.total);
    expect(JSON.stringify(mine)).not.toContain('token');
  });

  it("shows a team lead the team's tasks (not another team's), searched, filtered and sorted", async () => {
    expect(units(await items(lead)).sort()).toEqual(['UNIT0001', 'UNIT0003', 'UNIT0004']);
    expect(units(await items(lead, { commune: 'Nam Sơn' }))).toEqual(['UNIT0003']);
    expect(units(await items(lead, { q: 'xuong da' }))).toEqual(['UNIT0004']);
    expect(units(await items(lead, { q: 'unit0003' }))).toEqual(['UNIT0003']);
    expect(units(await items(lead, { q: '2700123' })).length).toBe(3);
    expect(units(await items(lead, { minDebt: '200000000' }))).toEqual(['UNIT0004']);
    expect(units(await items(lead, { minMonths: '3' }))).toEqual(['UNIT0004']);
    expect(units(await items(lead, { officer: 'cb.ngo.van.e' }))).toEqual(['UNIT0003']);
    expect(units(await items(lead, { stage: 'inspection' }))).toEqual([]);
    expect(units(await items(lead, { sort: 'commune' }))).toEqual(['UNIT0004', 'UNIT0001', 'UNIT0003']);
    expect((await call(lead, 'GET', '/worklist', undefined, { sort: 'sideways' })).status).toBe(400);
    expect((await call(lead, 'GET', '/worklist', undefined, { officer: 'cb.le.thi.g' })).status).toBe(403);
  });
});

describe('contact log', () => {
  const attempt = { attemptId: 'attempt-0001', on: '2026-11-02', channel: 'phone', result: 'asked-to-call-back', personMet: 'Chị Hoa, kế toán', note: 'Hẹn gọi lại chiều thứ Sáu.' };

  it('records an attempt on an open task without closing it, once per attempt id; the case shows the person and the note', async () => {
    const first = await call(B, 'POST', `/tasks/${task('UNIT0001')}/contacts`, attempt);
    expect(first).toMatchObject({ status: 201, body: { recorded: true } });
    expect((await call(B, 'POST', `/tasks/${task('UNIT0001')}/contacts`, attempt)).body).toEqual({ recorded: false });
    expect((await stack.store.getTask(task('UNIT0001')))?.status).toBe('open');
    const kase = await call(B, 'GET', '/cases/UNIT0001');
    expect(kase.body.contacts).toEqual([expect.objectContaining({ on: '2026-11-02', channel: 'phone', result: 'asked-to-call-back', personMet: 'Chị Hoa, kế toán', note: 'Hẹn gọi lại chiều thứ Sáu.', recordedBy: 'cb.tran.thi.b' })]);
    const events = (kase.body.history as { kind: string; detail: Record<string, unknown> }[]).filter((e) => e.kind === 'contact-attempted');
    expect(events).toEqual([expect.objectContaining({ detail: expect.objectContaining({ channel: 'phone', hasPersonMet: true, hasNote: true }) })]);
    // The history never holds the person or the note.
    expect(JSON.stringify(kase.body.history)).not.toContain('Chị Hoa');
    // The team lead logs one on the team's task; the case page shows both.
    expect((await call(lead, 'POST', `/tasks/${task('UNIT0001')}/contacts`, { ...attempt, attemptId: 'attempt-0002', channel: 'visit', result: 'nobody-there', personMet: undefined, note: undefined })).status).toBe(201);
    expect(((await call(lead, 'GET', '/cases/UNIT0001')).body.contacts as unknown[]).length).toBe(2);
  });

  it("refuses someone else's task, and a bad attempt field by field", async () => {
    expect((await call(G, 'POST', `/tasks/${task('UNIT0001')}/contacts`, { ...attempt, attemptId: 'attempt-0003' })).status).toBe(403);
    const bad = await call(B, 'POST', `/tasks/${task('UNIT0001')}/contacts`, { ...attempt, attemptId: 'attempt-0004', on: '2026-11-09' });
    expect(bad).toMatchObject({ status: 400, body: { issues: [{ field: 'on', reason: 'must not be after today' }] } });
    const worse = await call(B, 'POST', `/tasks/${task('UNIT0001')}/contacts`, { ...attempt, attemptId: 'x', channel: 'pigeon' });
    expect((worse.body.issues as { field: string }[]).map((i) => i.field).sort()).toEqual(['attemptId', 'channel']);
  });
});

describe('bulk reassignment', () => {
  it("moves the ticked tasks to one officer, each through the reassignment and its case event; one refused does not stop the others", async () => {
    expect((await call(B, 'POST', '/reassignments', { officerId: 'cb.ngo.van.e', taskIds: [task('UNIT0001')] })).status).toBe(403);
    const r = await call(lead, 'POST', '/reassignments', { officerId: 'cb.ngo.van.e', taskIds: [task('UNIT0001'), task('UNIT0002'), task('UNIT0004')] });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ moved: 2, results: [
      { taskId: task('UNIT0001'), moved: true },
      { taskId: task('UNIT0002'), moved: false, reason: 'the task is not in your team' },
      { taskId: task('UNIT0004'), moved: true },
    ] });
    expect((await stack.store.getTask(task('UNIT0001')))?.officerId).toBe('cb.ngo.van.e');
    expect((await stack.store.getTask(task('UNIT0002')))?.officerId).toBe('cb.le.thi.g');
    const history = await stack.store.caseHistory('UNIT0004');
    expect(history.filter((e) => e.kind === 'task-reassigned')).toEqual([expect.objectContaining({ actor: 'tl.vo.van.d', detail: expect.objectContaining({ from: 'cb.tran.thi.b', to: 'cb.ngo.van.e', reassignment: 1 }) })]);
    expect(units(await items(lead, { officer: 'cb.ngo.van.e' })).sort()).toEqual(['UNIT0001', 'UNIT0003', 'UNIT0004']);
    expect(await items(B)).toEqual([]);
  });

  it("lists closed tasks under view=done", async () => {
    expect((await call({ staffId: 'cb.ngo.van.e', groups: ['officer'] }, 'POST', `/tasks/${task('UNIT0003')}/outcome`, { outcome: 'contacted', note: 'Đã làm việc với giám đốc.' })).status).toBe(200);
    const done = await items({ staffId: 'cb.ngo.van.e', groups: ['officer'] }, { view: 'done' });
    expect(done).toEqual([expect.objectContaining({ unitCode: 'UNIT0003', status: 'done', outcome: 'contacted' })]);
    // The outcome's note, stored on the task, is shown with the case.
    const kase = await call(lead, 'GET', '/cases/UNIT0003');
    expect(kase.body.tasks).toEqual([expect.objectContaining({ taskId: task('UNIT0003'), note: 'Đã làm việc với giám đốc.' })]);
  });
});
