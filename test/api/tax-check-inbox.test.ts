import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { LocalStack } from '../../local/embedded/stack.ts';
import { csrfTokenOf } from '../../functions/api/edge.ts';
import type { TaskRecord } from '../../functions/commons/records.ts';
import type { ReconciliationRunSummary } from '../../functions/steps/reconciliation-run.ts';
import { staffEvent } from '../support/staff-event.ts';
import { startStaffWorld } from '../support/staff-world.ts';

/**
 * A tax-data check in the inbox, through the staff API's handler on the local stack: the quarterly
 * reconciliation run opens the checks from the tax data seeded here; the task page shows the
 * finding (a personal ID masked, no names), only the check's outcomes, the count and the policy's
 * reasons; an organisation with no SI unit (no case) is shown from the tax data; the form and the
 * JSON API record each outcome, and a bad count comes back marked.
 */
let stack: LocalStack;
const B = { staffId: 'cb.tran.thi.b', groups: ['officer'] };

/** The organisation that pays wages and has no SI unit (its name to be escaped). */
const ORG = { taxCode: '2799000001', name: 'Công ty <Chưa Đăng Ký> & Con', address: 'Số 1 đường Quang Trung, Bắc Sơn', district: 'Tam Điệp' };
const ORG_EMPLOYEES = ['037085009901', '037085009902', '037085009903', '037085009904', '037085009905'];
/** Paid by UNIT0001 (tax code 2700123456, the world's units') and on no roster. */
const UNIT_EMPLOYEE = '037085009999';

const SESSION = 'session-tax';
async function get(who: { staffId: string; groups: string[] }, path: string, query?: Record<string, string>) {
  const r = (await stack.lambdas.staffApi(staffEvent({ method: 'GET', path, ...who, query }))) as APIGatewayProxyStructuredResultV2;
  return { status: r.statusCode, headers: (r.headers ?? {}) as Record<string, string>, body: r.body ?? '' };
}
/** A form post as the inbox sends it: urlencoded, with the session's CSRF token. */
async function post(who: { staffId: string; groups: string[] }, path: string, fields: Record<string, string>) {
  const e = staffEvent({ method: 'POST', path, ...who, body: new URLSearchParams({ ...fields, csrf: csrfTokenOf(SESSION) }).toString() });
  e.headers = { ...e.headers, 'content-type': 'application/x-www-form-urlencoded' };
  e.requestContext.authorizer.jwt.claims.jti = SESSION;
  const r = (await stack.lambdas.staffApi(e)) as APIGatewayProxyStructuredResultV2;
  return { status: r.statusCode, headers: (r.headers ?? {}) as Record<string, string>, body: r.body ?? '' };
}
async function json(who: { staffId: string; groups: string[] }, method: string, path: string, body?: unknown) {
  const r = (await stack.lambdas.staffApi(staffEvent({ method, path, ...who, body }))) as APIGatewayProxyStructuredResultV2;
  return { status: r.statusCode, body: JSON.parse(r.body ?? 'null') as Record<string, unknown> };
}

let checks: { task: TaskRecord; kind: string }[];
let leadOf: (task: TaskRecord) => { staffId: string; groups: string[] };

beforeAll(async () => {
  stack = await startStaffWorld([{ unitCode: 'UNIT0001', name: 'Công ty UNIT0001', commune: 'Bắc Sơn' }]);
  await stack.store.putTaxOrganisations([
    { ...ORG, year: 2025, employeesPaid: 5, wageFund: 600_000_000 },
    { taxCode: '2700123456', name: 'Công ty UNIT0001', district: 'Tam Điệp', year: 2025, employeesPaid: 1, wageFund: 120_000_000 },
  ]);
  await stack.store.putTaxEmployees([
    ...ORG_EMPLOYEES.map((personalId) => ({ personalId, payerTaxCode: ORG.taxCode, year: 2025, monthsPaid: 12, taxableIncome: 120_000_000 })),
    { personalId: UNIT_EMPLOYEE, payerTaxCode: '2700123456', year: 2025, monthsPaid: 12, taxableIncome: 120_000_000 },
  ]);
  const summary = (await stack.lambdas.reconciliationRun({})) as ReconciliationRunSummary;
  expect(summary.tasksOpened).toBeGreaterThanOrEqual(2);
  const open = (await Promise.all(['cb.tran.thi.b', 'tl.vo.van.d', 'tl.dinh.van.h'].map((id) => stack.store.openTasksOf(id)))).flat().filter((t) => t.type === 'tax-data-check');
  checks = await Promise.all(open.map(async (task) => ({ task, kind: (await stack.store.getTaxCheck(task.taskId))!.finding.kind })));
  leadOf = (task) => ({ staffId: task.officerId, groups: ['team-lead'] });
}, 120_000);
afterAll(() => stack?.close());

const checkOf = (kind: string) => checks.find((c) => c.kind === kind)!.task;

describe('a tax-data check in the inbox', () => {
  it('opens a check for the organisation with no SI unit (the district\'s team lead) and one for the unit\'s employee (its collector)', () => {
    expect(checkOf('unregistered-organisation').role).toBe('team-lead');
    expect(checkOf('unregistered-organisation').unitCode).toMatch(/^TX[0-9A-F]{10}$/);
    expect(checkOf('unregistered-employee')).toMatchObject({ unitCode: 'UNIT0001', officerId: 'cb.tran.thi.b' });
  });

  it('shows the team lead the organisation from the tax data (no case), the finding and only the check\'s outcomes', async () => {
    const task = checkOf('unregistered-organisation');
    const page = await get(leadOf(task), `/inbox/tasks/${task.taskId}`);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    const body = page.body;
    expect(body).toContain(ORG.taxCode);
    expect(body).toContain('Công ty &lt;Chưa Đăng Ký&gt; &amp; Con');
    expect(body).not.toContain('<Chưa Đăng Ký>');
    expect(body).toContain(ORG.address);
    expect(body).toContain('<dt>Quận, huyện</dt><dd>Tam Điệp</dd>');
    expect(body).toContain('Tổ chức trả lương nhưng chưa đăng ký tham gia BHXH');
    expect(body).toContain('<dt>Năm dữ liệu thuế</dt><dd>2025</dd>');
    expect(body).toContain('Quý 4/2026');
    expect(body).toMatch(/<dt>Số phải đóng ước tính chưa đóng<\/dt><dd><strong>\d{1,3}(\.\d{3})+ ₫<\/strong>/);
    expect(body).toContain('<dt>Số lao động chưa tham gia</dt><dd>5</dd>');
    expect(body).toMatch(/<dt>Tính là trốn đóng từ ngày<\/dt><dd><time datetime="\d{4}-\d{2}-\d{2}">\d{2}\/\d{2}\/\d{4}<\/time><\/dd>/);
    // No case: no case link, no ledger, no referral pack, no contact log to write to.
    expect(body).not.toContain('/inbox/cases/');
    expect(body).not.toContain('id="debt-title"');
    expect(body).not.toContain('id="contact-title"');
    // The outcomes of a tax-data check only, the count and the policy's reasons in Vietnamese.
    const select = body.slice(body.indexOf('id="f-outcome"'), body.indexOf('</select>', body.indexOf('id="f-outcome"')));
    expect([...select.matchAll(/<option value="([^"]+)"/g)].map((m) => m[1])).toEqual(['registered', 'wage-corrected', 'explained', 'refer-to-inspection']);
    expect(body).toMatch(/<input id="f-registered" name="registered" type="number"/);
    expect(body).toContain('<option value="tax-data-error">Dữ liệu thuế sai, đã đối chiếu</option>');
    expect(body).not.toContain('name="promise.payBy"');
    // No personal ID whole, not even the organisation's employees'.
    for (const id of ORG_EMPLOYEES) expect(body).not.toContain(id);
  });

  it('lists the organisation\'s check in the team lead\'s worklist by its name, found by its tax code', async () => {
    const task = checkOf('unregistered-organisation');
    const list = await get(leadOf(task), '/inbox', { q: ORG.taxCode });
    expect(list.status).toBe(200);
    expect(list.body).toContain(`data-task="${task.taskId}"`);
    expect(list.body).toContain('Công ty &lt;Chưa Đăng Ký&gt; &amp; Con');
  });

  it('shows the unit\'s check with the employee\'s ID masked, above the unit\'s case', async () => {
    const task = checkOf('unregistered-employee');
    const page = await get(B, `/inbox/tasks/${task.taskId}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('Người lao động chưa được đăng ký tham gia BHXH');
    expect(page.body).toContain('********9999');
    expect(page.body).not.toContain(UNIT_EMPLOYEE);
    expect(page.body).toContain('<dt>Số lao động chưa tham gia</dt><dd>1</dd>');
    expect(page.body).toContain('id="debt-title"');
    expect(page.body).toContain('href="/inbox/cases/UNIT0001"');
  });

  it('refuses a bad count with the field marked, the summary focused and the typed value kept; nothing recorded', async () => {
    const task = checkOf('unregistered-organisation');
    const path = `/inbox/tasks/${task.taskId}/outcome`;
    for (const [registered, says] of [['0', 'phải từ 1 người trở lên'], ['ba', 'phải là một số nguyên'], ['', 'hãy nhập số lao động'], ['20000', 'không được quá 10.000 người']] as const) {
      const r = await post(leadOf(task), path, { outcome: 'registered', registered, note: 'đã đến' });
      expect(r.status).toBe(400);
      expect(r.body).toMatch(/<input id="f-registered" name="registered" type="number"[^>]* aria-describedby="f-registered-hint f-registered-error" aria-invalid="true">/);
      expect(r.body).toContain(says);
      expect(r.body).toMatch(/<div class="error-summary" role="alert" tabindex="-1" id="error-summary" autofocus>/);
      expect(r.body).toContain('<a href="#f-registered">Số lao động đã đăng ký thêm</a>');
      expect(r.body).toContain(`value="${registered}"`);
      expect(r.body).toContain(ORG.taxCode);
    }
    // "Explained" with no reason: the reason's select is marked.
    const noReason = await post(leadOf(task), path, { outcome: 'explained' });
    expect(noReason.status).toBe(400);
    expect(noReason.body).toMatch(/<select id="f-reason" name="reason" aria-describedby="f-reason-error" aria-invalid="true">/);
    expect(noReason.body).toContain('hãy chọn lý do giải trình');
    // An outcome of another task type is refused.
    expect((await post(leadOf(task), path, { outcome: 'paid' })).status).toBe(400);
    expect(await stack.store.getTask(task.taskId)).toMatchObject({ status: 'open' });
    expect((await stack.store.getTaxCheck(task.taskId))!.result).toBeUndefined();
  });

  it('records "registered" with its count through the form (303 to the inbox)', async () => {
    const task = checkOf('unregistered-organisation');
    const r = await post(leadOf(task), `/inbox/tasks/${task.taskId}/outcome`, { outcome: 'registered', registered: '3', reason: 'tax-data-error', note: 'Đã hướng dẫn đăng ký' });
    expect(r.status).toBe(303);
    expect(r.headers.location).toBe(`/inbox?done=${encodeURIComponent(task.taskId)}&resumed=0`);
    expect(await stack.store.getTask(task.taskId)).toMatchObject({ status: 'done', outcome: 'registered' });
    // The reason typed with another outcome is not sent (as a promise is not with "contacted").
    expect((await stack.store.getTaxCheck(task.taskId))!.result).toMatchObject({ outcome: 'registered', registered: 3, recordedBy: task.officerId });
    expect((await stack.store.getTaxCheck(task.taskId))!.result!.reason).toBeUndefined();
    expect(await stack.store.caseHistory(task.unitCode)).toEqual([]);
    // The closed check still shows, from the tax data, with what was recorded.
    const page = await get(leadOf(task), `/inbox/tasks/${task.taskId}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('<dt>Kết quả đã ghi</dt><dd>Đơn vị đã đăng ký thêm lao động: 3 lao động</dd>');
    expect(page.body).not.toContain('id="outcome-title"');
  });

  it('records each other outcome through the form, and through the JSON API', async () => {
    // Each outcome on a fresh check of the organisation (the same finding, reopened as the run opens it).
    const base = checkOf('unregistered-organisation');
    const check = (await stack.store.getTaxCheck(base.taskId))!;
    const reopen = async (suffix: string) => {
      const taskId = `${base.taskId}-${suffix}`;
      const { result: _result, ...finding } = check;
      await stack.store.putTaxCheck({ ...finding, taskId });
      const { outcome: _o, closedAt: _c, closedBy: _b, note: _n, ...open } = base as TaskRecord & Record<string, unknown>;
      await stack.store.createTask({ ...(open as TaskRecord), taskId, status: 'open' });
      return taskId;
    };
    for (const [outcome, fields] of [['wage-corrected', {}], ['explained', { reason: 'insured-elsewhere' }], ['refer-to-inspection', {}]] as const) {
      const taskId = await reopen(outcome);
      const r = await post(leadOf(base), `/inbox/tasks/${taskId}/outcome`, { outcome, ...fields, registered: '7' });
      expect(r.status).toBe(303);
      expect(await stack.store.getTask(taskId)).toMatchObject({ status: 'done', outcome });
      const result = (await stack.store.getTaxCheck(taskId))!.result!;
      expect(result).toMatchObject({ outcome, ...fields });
      expect(result.registered).toBeUndefined();
    }
    // The JSON API: the task reads, a bad count is a 400 naming the field, a good one is recorded.
    const taskId = await reopen('json');
    expect(await json(leadOf(base), 'GET', `/tasks/${taskId}`)).toMatchObject({ status: 200, body: { task: { taskId, type: 'tax-data-check', role: 'team-lead' } } });
    expect(await json(leadOf(base), 'POST', `/tasks/${taskId}/outcome`, { outcome: 'registered', registered: 0 })).toMatchObject({ status: 400, body: { issues: [{ field: 'registered' }] } });
    expect(await json(leadOf(base), 'POST', `/tasks/${taskId}/outcome`, { outcome: 'explained', reason: 'made-up' })).toMatchObject({ status: 400, body: { issues: [{ field: 'reason' }] } });
    expect(await json(leadOf(base), 'POST', `/tasks/${taskId}/outcome`, { outcome: 'registered', registered: 2 })).toMatchObject({ status: 200 });
    expect((await stack.store.getTaxCheck(taskId))!.result).toMatchObject({ outcome: 'registered', registered: 2 });
  });

  it('records the unit\'s check by its collector through the form, with the reason\'s code', async () => {
    const task = checkOf('unregistered-employee');
    const r = await post(B, `/inbox/tasks/${task.taskId}/outcome`, { outcome: 'explained', reason: 'not-an-employee' });
    expect(r.status).toBe(303);
    expect((await stack.store.getTaxCheck(task.taskId))!.result).toMatchObject({ outcome: 'explained', reason: 'not-an-employee' });
  });
});
