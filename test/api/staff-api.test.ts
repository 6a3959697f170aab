import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { logger } from '../../functions/commons/logger.ts';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { LocalStack } from '../../local/embedded/stack.ts';
import { STATE } from '../../workflows/state-names.ts';
import { staffEvent } from '../support/staff-event.ts';
import { AS_OF, CYCLE, executionOf, startStaffWorld } from '../support/staff-world.ts';
import { csrfTokenOf } from '../../functions/api/edge.ts';

/**
 * The staff API's handler on the local stack: real tasks opened by real executions of the
 * synthesized workflow, waiting for an outcome; requests as API Gateway passes them on after the
 * JWT authorizer. Checks who may see and do what, the 400s, and that an outcome moves the workflow.
 */
let stack: LocalStack;

const officer = (staffId: string) => ({ staffId, groups: ['officer'] });
const lead = { staffId: 'tl.vo.van.d', groups: ['team-lead'] };
const manager = { staffId: 'gd.manager', groups: ['manager'] };

async function call(who: { staffId?: string; groups?: string[] }, method: string, path: string, body?: unknown, query?: Record<string, string>) {
  const r = (await stack.lambdas.staffApi(staffEvent({ method, path, ...who, body, query }))) as APIGatewayProxyStructuredResultV2;
  return { status: r.statusCode, body: JSON.parse(r.body ?? 'null') as Record<string, unknown> & { tasks?: { taskId: string }[] } };
}

const execution = (unitCode: string) => executionOf(stack, unitCode);

beforeAll(async () => {
  stack = await startStaffWorld([
    { unitCode: 'UNIT0001', name: 'Công ty UNIT0001', commune: 'Bắc Sơn' }, // cb.tran.thi.b's commune
    { unitCode: 'UNIT0002', name: 'Công ty UNIT0002', commune: 'Trung Sơn' }, // cb.le.thi.g's, another team
    { unitCode: 'UNIT0003', name: 'Công ty UNIT0003', commune: 'Bắc Sơn' },
  ], [{ officerId: 'cb.on.leave', name: 'Vắng Mặt', email: 'x@bhxh.example.vn', district: 'Tam Điệp', communes: [], role: 'collector', active: false, teamLeadId: 'tl.vo.van.d' }]);
}, 120_000);
afterAll(() => stack?.close());

describe('staff API', () => {
  it('lists an officer\'s own open tasks, by due date, without their callback tokens', async () => {
    const r = await call(officer('cb.tran.thi.b'), 'GET', '/tasks');
    expect(r.status).toBe(200);
    expect(r.body.tasks!.map((t) => t.taskId)).toEqual([`UNIT0001-${CYCLE}-visit`, `UNIT0003-${CYCLE}-visit`]);
    expect(JSON.stringify(r.body)).not.toContain('token');
    expect(r.body.tasks![0]).toMatchObject({ unitCode: 'UNIT0001', type: 'visit', dueDate: '2026-11-12', overdue: false });
  });

  it('refuses every request of an officer the roster marks inactive, though their token is still valid, and serves them again once active', async () => {
    const leaver = officer('cb.on.leave');
    const r = await call(leaver, 'GET', '/tasks');
    expect(r).toMatchObject({ status: 403, body: { error: 'Forbidden', message: expect.stringContaining('no longer active') } });
    expect((await call(leaver, 'POST', '/holds', { unitCode: 'UNIT0001', reason: 'x', until: '2026-12-01' })).status).toBe(403);
    const page = (await stack.lambdas.staffApi(staffEvent({ method: 'GET', path: '/inbox', ...leaver }))) as APIGatewayProxyStructuredResultV2;
    expect(page.statusCode).toBe(403);
    expect(String(page.headers?.['content-type'])).toContain('text/html');
    const record = (await stack.store.getOfficer('cb.on.leave'))!;
    await stack.store.putOfficers([{ ...record, active: true }]);
    try {
      expect((await call(leaver, 'GET', '/tasks')).status).toBe(200);
    } finally {
      await stack.store.putOfficers([record]);
    }
  });

  it("refuses an officer another officer's task and case: not to read, not to act", async () => {
    const other = `UNIT0002-${CYCLE}-visit`;
    expect((await call(officer('cb.tran.thi.b'), 'GET', `/tasks/${other}`)).status).toBe(403);
    expect((await call(officer('cb.tran.thi.b'), 'GET', '/cases/UNIT0002')).status).toBe(403);
    expect((await call(officer('cb.tran.thi.b'), 'POST', `/tasks/${other}/outcome`, { outcome: 'contacted' })).status).toBe(403);
    expect((await call(officer('cb.tran.thi.b'), 'GET', '/tasks', undefined, { officerId: 'cb.le.thi.g' })).status).toBe(403);
    expect(await stack.store.getTask(other)).toMatchObject({ status: 'open' });
  });

  it('shows an officer their case: unit, debt by period and the full history', async () => {
    const r = await call(officer('cb.tran.thi.b'), 'GET', '/cases/UNIT0001');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ unit: { unitCode: 'UNIT0001' }, case: { status: 'open', stage: 'officer-visit', officerId: 'cb.tran.thi.b' }, ledger: { monthsOverdue: 2 } });
    expect(r.body.history).toEqual(expect.arrayContaining([
      expect.objectContaining({ kind: 'assessed', detail: expect.objectContaining({ phase: 'start' }) }),
      expect.objectContaining({ kind: 'notice-sent' }),
      expect.objectContaining({ kind: 'officer-assigned', detail: expect.objectContaining({ role: 'collector', taskType: 'visit', escalated: false }) }),
      expect.objectContaining({ kind: 'task-opened', detail: expect.objectContaining({ taskId: `UNIT0001-${CYCLE}-visit`, taskType: 'visit', escalated: false }) }),
    ]));
  });

  it('answers bad input with 400, naming each field and the reason', async () => {
    const task = `UNIT0001-${CYCLE}-visit`;
    const who = officer('cb.tran.thi.b');
    expect(await call(who, 'POST', `/tasks/${task}/outcome`, { outcome: 'maybe' })).toMatchObject({
      status: 400, body: { error: 'InvalidInput', issues: [{ field: 'outcome', reason: expect.stringContaining('expected one of') }] },
    });
    expect(await call(who, 'POST', `/tasks/${task}/outcome`, { outcome: 'promised-to-pay' })).toMatchObject({
      status: 400, body: { issues: [{ field: 'promise', reason: 'is required for a promise to pay (payBy and amount)' }] },
    });
    expect(await call(who, 'POST', `/tasks/${task}/outcome`, { outcome: 'promised-to-pay', promise: { payBy: '2026-13-01', amount: -5 } })).toMatchObject({
      status: 400, body: { issues: expect.arrayContaining([{ field: 'promise.payBy', reason: 'must be a calendar date YYYY-MM-DD' }, { field: 'promise.amount', reason: 'must not be negative' }]) },
    });
    expect(await call(who, 'POST', `/tasks/${task}/outcome`, '{not json')).toMatchObject({ status: 400, body: { issues: [{ field: '(body)', reason: 'must be a JSON object' }] } });
    expect(await call(who, 'POST', '/payments', { unitCode: 'unit 1', reference: 'X', paidOn: '2026-11-02', amount: 1.5 })).toMatchObject({
      status: 400, body: { issues: expect.arrayContaining([{ field: 'unitCode', reason: 'must be 4–12 capital letters or digits' }, { field: 'amount', reason: 'must be whole dong' }]) },
    });
    expect(await stack.store.getTask(task)).toMatchObject({ status: 'open' });
  });

  it('refuses a request whose token names no staff group, and an unknown route', async () => {
    expect((await call({ staffId: 'cb.tran.thi.b', groups: ['citizens'] }, 'GET', '/tasks')).status).toBe(403);
    expect((await call({ groups: ['officer'] }, 'GET', '/tasks')).status).toBe(403);
    expect((await call(officer('cb.tran.thi.b'), 'GET', '/reports/secret')).status).toBe(404);
  });

  it("a team lead sees the team's tasks and reassigns within the team only, to an active officer", async () => {
    const listed = await call(lead, 'GET', '/tasks');
    expect(listed.body.tasks!.map((t) => t.taskId).sort()).toEqual([`UNIT0001-${CYCLE}-visit`, `UNIT0003-${CYCLE}-visit`]);
    const task = `UNIT0003-${CYCLE}-visit`;
    expect(await call(lead, 'POST', `/tasks/${task}/reassign`, { officerId: 'cb.le.thi.g' })).toMatchObject({ status: 400, body: { issues: [{ field: 'officerId', reason: 'is not in your team' }] } });
    expect(await call(lead, 'POST', `/tasks/${task}/reassign`, { officerId: 'cb.on.leave' })).toMatchObject({ status: 400, body: { issues: [{ field: 'officerId', reason: 'is not active (inactive or on leave)' }] } });
    expect((await call(officer('cb.tran.thi.b'), 'POST', `/tasks/${task}/reassign`, { officerId: 'cb.ngo.van.e' })).status).toBe(403);
    expect((await call({ staffId: 'tl.dinh.van.h', groups: ['team-lead'] }, 'POST', `/tasks/${task}/reassign`, { officerId: 'cb.le.thi.g' })).status).toBe(403);

    const moved = await call(lead, 'POST', `/tasks/${task}/reassign`, { officerId: 'cb.ngo.van.e' });
    expect(moved).toMatchObject({ status: 200, body: { task: { officerId: 'cb.ngo.van.e', reassignedFrom: 'cb.tran.thi.b' } } });
    expect((await call(officer('cb.ngo.van.e'), 'GET', '/tasks')).body.tasks!.map((t) => t.taskId)).toEqual([task]);
    expect((await call(officer('cb.tran.thi.b'), 'GET', '/tasks')).body.tasks!.map((t) => t.taskId)).toEqual([`UNIT0001-${CYCLE}-visit`]);
    expect(await stack.store.openTaskCount('cb.ngo.van.e')).toBe(1);
    expect(await stack.store.openTaskCount('cb.tran.thi.b')).toBe(1);
    const audit = (await stack.store.caseHistory('UNIT0003')).find((e) => e.kind === 'task-reassigned');
    expect(audit).toMatchObject({ actor: 'tl.vo.van.d', detail: { taskId: task, taskType: 'visit', escalated: false, from: 'cb.tran.thi.b', to: 'cb.ngo.van.e', reassignment: 1 } });
  });

  it('a task moved back and forth keeps every move on the record; a retried move records nothing new', async () => {
    const task = `UNIT0003-${CYCLE}-visit`;
    const [a, b] = ['cb.tran.thi.b', 'cb.ngo.van.e'];
    const moves = async () => (await stack.store.caseHistory('UNIT0003')).flatMap((e) => (e.kind === 'task-reassigned' ? [e.detail] : []));
    // With B after the first move: B→A→B→A→B, four more moves in the same cycle.
    for (const to of [a, b, a, b]) expect((await call(lead, 'POST', `/tasks/${task}/reassign`, { officerId: to })).status).toBe(200);
    const recorded = await moves();
    expect(recorded.map((d) => [d.reassignment, d.from, d.to])).toEqual([[1, a, b], [2, b, a], [3, a, b], [4, b, a], [5, a, b]]);
    // The same request again (a client's retry) finds the task with B: it moves nothing and records nothing.
    expect(await call(lead, 'POST', `/tasks/${task}/reassign`, { officerId: b })).toMatchObject({ status: 200, body: { task: { officerId: b } } });
    expect(await moves()).toEqual(recorded);
    expect(await stack.store.getTask(task)).toMatchObject({ officerId: b, reassignments: 5 });
    expect(await stack.store.openTaskCount(b)).toBe(1);
    expect(await stack.store.openTaskCount(a)).toBe(1);
  });

  it('the new officer acknowledges and records a promise to pay: audited, and the waiting workflow moves on', async () => {
    const task = `UNIT0003-${CYCLE}-visit`;
    const who = officer('cb.ngo.van.e');
    expect((await call(officer('cb.tran.thi.b'), 'POST', `/tasks/${task}/acknowledge`)).status).toBe(403);
    expect(await call(who, 'POST', `/tasks/${task}/acknowledge`)).toMatchObject({ status: 200, body: { task: { acknowledgedAt: expect.any(String) } } });
    const r = await call(who, 'POST', `/tasks/${task}/outcome`, { outcome: 'promised-to-pay', promise: { payBy: '2026-11-20', amount: 45_000_000 }, note: 'Giám đốc hứa chuyển khoản' });
    expect(r).toMatchObject({ status: 200, body: { resumed: true } });
    await execution('UNIT0003').done;
    expect(execution('UNIT0003').path.slice(-3)).toEqual([STATE.reassessAfterOutcome, STATE.afterOutcome, STATE.cycleDone]);
    const history = await stack.store.caseHistory('UNIT0003');
    expect(history.filter((e) => e.actor === 'cb.ngo.van.e')).toEqual(expect.arrayContaining([
      expect.objectContaining({ kind: 'task-acknowledged', detail: { taskId: task, taskType: 'visit', escalated: false } }),
      expect.objectContaining({ kind: 'outcome-recorded', detail: expect.objectContaining({ taskId: task, taskType: 'visit', outcome: 'promised-to-pay', hasNote: true }) }),
      expect.objectContaining({ kind: 'arrangement-agreed', detail: expect.objectContaining({ taskId: task, arrangement: 'promise', agreedOn: '2026-11-02', total: 45_000_000 }) }),
    ]));
    // Done is done: a second outcome is a conflict.
    expect((await call(who, 'POST', `/tasks/${task}/outcome`, { outcome: 'contacted' })).status).toBe(409);
  });

  it('a manager reads any case but changes nothing', async () => {
    expect((await call(manager, 'GET', '/cases/UNIT0002')).status).toBe(200);
    expect((await call(manager, 'GET', `/tasks/UNIT0002-${CYCLE}-visit`)).status).toBe(200);
    expect((await call(manager, 'POST', `/tasks/UNIT0002-${CYCLE}-visit/outcome`, { outcome: 'contacted' })).status).toBe(403);
    expect((await call(manager, 'POST', '/payments', { unitCode: 'UNIT0002', reference: 'MGR-1', paidOn: AS_OF, amount: 1 })).status).toBe(403);
    expect((await call(manager, 'GET', '/tasks')).status).toBe(400);
  });

  it('holds are for team leads, on their team\'s cases', async () => {
    const hold = { unitCode: 'UNIT0001', reason: 'force-majeure', until: '2026-12-31', note: 'Lũ quét' };
    expect((await call(officer('cb.tran.thi.b'), 'POST', '/holds', hold)).status).toBe(403);
    expect((await call({ staffId: 'tl.dinh.van.h', groups: ['team-lead'] }, 'POST', '/holds', hold)).status).toBe(403);
    expect(await call(lead, 'POST', '/holds', { ...hold, until: '2028-01-01' })).toMatchObject({ status: 400, body: { issues: [{ field: 'until' }] } });
    expect(await call(lead, 'POST', '/holds', hold)).toMatchObject({ status: 201, body: { until: '2026-12-31' } });
    expect(await call(lead, 'DELETE', '/holds/UNIT0001')).toMatchObject({ status: 200, body: { cleared: true } });
    expect((await stack.store.caseHistory('UNIT0001')).filter((e) => e.actor === 'tl.vo.van.d')).toMatchObject([
      { kind: 'hold-set', detail: { reason: 'force-majeure', until: '2026-12-31', hasNote: true, taskId: null } }, { kind: 'hold-cleared', detail: {} },
    ]);
  });

  it('a payment recorded by the officer while the task waits ends the escalation at once', async () => {
    const r = await call(officer('cb.le.thi.g'), 'POST', '/payments', { unitCode: 'UNIT0002', reference: 'UNC-2026-11-0002', paidOn: AS_OF, amount: 60_000_000 });
    expect(r).toMatchObject({ status: 201, body: { outcome: 'recorded', escalation: 'ended', debt: 0 } });
    await execution('UNIT0002').done;
    expect(execution('UNIT0002').path.slice(-2)).toEqual([STATE.closeCase, STATE.caseClosed]);
    expect(await stack.store.getTask(`UNIT0002-${CYCLE}-visit`)).toMatchObject({ status: 'cancelled', closedBy: 'cb.le.thi.g' });
    // Recording it again through the API changes nothing; another amount under the same reference is refused.
    expect((await call(officer('cb.le.thi.g'), 'POST', '/payments', { unitCode: 'UNIT0002', reference: 'UNC-2026-11-0002', paidOn: AS_OF, amount: 60_000_000 })).body).toMatchObject({ outcome: 'duplicate' });
    expect((await call(officer('cb.le.thi.g'), 'POST', '/payments', { unitCode: 'UNIT0002', reference: 'UNC-2026-11-0002', paidOn: AS_OF, amount: 1 })).status).toBe(409);
  });

  it('logs the action and its target, never the people or what they wrote', async () => {
    const lines: string[] = [];
    const spies = (['debug', 'info', 'warn', 'error'] as const).map((m) => vi.spyOn(logger, m).mockImplementation((...args: unknown[]) => { lines.push(JSON.stringify(args)); }));
    try {
      await call(lead, 'POST', '/holds', { unitCode: 'UNIT0001', reason: 'other', until: '2026-11-20', note: 'Bà Nguyễn Thị Lan, 0912345678, xin lùi hạn' });
      await call(officer('cb.tran.thi.b'), 'GET', '/cases/UNIT0001');
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
    const written = lines.join('\n');
    expect(written).toContain('Staff action');
    for (const value of ['Nguyễn Thị Lan', '0912345678', 'tl.vo.van.d', 'Công ty UNIT0001', 'unit0001@example.vn', '2700123456']) expect(written).not.toContain(value);
  });
});

describe('staff API edge: malformed and oversized requests, forged form posts', () => {
  const raw = async (event: ReturnType<typeof staffEvent>) => (await stack.lambdas.staffApi(event)) as APIGatewayProxyStructuredResultV2;
  const who = officer('cb.tran.thi.b');
  const task = `UNIT0001-${CYCLE}-visit`;

  it('answers malformed percent-encoding in the path or query with 400, never 500', async () => {
    const path = staffEvent({ method: 'GET', path: '/tasks/%E0%A4%A', ...who });
    expect((await raw(path)).statusCode).toBe(400);
    const query = staffEvent({ method: 'GET', path: '/tasks', ...who });
    query.rawQueryString = 'officerId=%zz';
    expect((await raw(query)).statusCode).toBe(400);
    const inbox = staffEvent({ method: 'GET', path: '/inbox/tasks/%zz', ...who });
    const r = await raw(inbox);
    expect([r.statusCode, r.headers?.['content-type']]).toEqual([400, 'text/html; charset=utf-8']);
  });

  it('answers an over-long task id or unit code with 400 naming it', async () => {
    expect(await call(who, 'GET', `/tasks/${'T'.repeat(81)}`)).toMatchObject({ status: 400, body: { issues: [{ field: 'taskId' }] } });
    expect(await call(who, 'POST', `/tasks/${'T'.repeat(2000)}/outcome`, { outcome: 'contacted' })).toMatchObject({ status: 400, body: { issues: [{ field: 'taskId' }] } });
    expect(await call(lead, 'DELETE', `/holds/${'U'.repeat(500)}`)).toMatchObject({ status: 400, body: { issues: [{ field: 'unitCode' }] } });
    expect(await call(who, 'GET', `/cases/${'U'.repeat(500)}`)).toMatchObject({ status: 400, body: { issues: [{ field: 'unitCode' }] } });
    expect(await call(who, 'GET', '/tasks', undefined, { officerId: 'x'.repeat(500) })).toMatchObject({ status: 400, body: { issues: [{ field: 'officerId' }] } });
  });

  it('answers a body over 64 KB with 413', async () => {
    expect(await call(who, 'POST', `/tasks/${task}/outcome`, { outcome: 'contacted', note: 'x'.repeat(70_000) })).toMatchObject({ status: 413, body: { error: 'PayloadTooLarge' } });
    expect(await stack.store.getTask(task)).toMatchObject({ status: 'open' });
  });

  it('refuses a cookie-carrying form post from another origin (403) and one without the session\'s CSRF token (403)', async () => {
    process.env.INBOX_ORIGIN = 'http://127.0.0.1:8080';
    try {
      const form = (headers: Record<string, string>, body: string) => {
        const e = staffEvent({ method: 'POST', path: `/inbox/tasks/${task}/outcome`, ...who, body });
        e.headers = { 'content-type': 'application/x-www-form-urlencoded', ...headers };
        e.cookies = ['inbox_session=x'];
        e.requestContext.authorizer.jwt.claims.jti = 'session-a';
        return e;
      };
      expect((await raw(form({ origin: 'https://evil.example' }, 'outcome=contacted'))).statusCode).toBe(403);
      expect((await raw(form({}, 'outcome=contacted'))).statusCode).toBe(403);
      expect((await raw(form({ origin: 'http://127.0.0.1:8080' }, 'outcome=contacted'))).statusCode).toBe(403);
      expect((await raw(form({ origin: 'http://127.0.0.1:8080' }, `outcome=contacted&csrf=${csrfTokenOf('session-b')}`))).statusCode).toBe(403);
      // The right token from the right origin gets as far as the form's own checks.
      expect((await raw(form({ referer: 'http://127.0.0.1:8080/inbox/tasks/x' }, `outcome=maybe&csrf=${csrfTokenOf('session-a')}`))).statusCode).toBe(400);
      expect(await stack.store.getTask(task)).toMatchObject({ status: 'open' });
    } finally {
      delete process.env.INBOX_ORIGIN;
    }
  });
});
