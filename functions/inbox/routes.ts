import type { APIGatewayProxyResultV2 } from 'aws-lambda';
import * as api from '../api/routes.ts';
import { pathParam, sessionIdOf, staffOf, type StaffEvent } from '../api/http.ts';
import { CSRF_FIELD, csrfMatches, csrfTokenOf } from '../api/edge.ts';
import { renderReferralPack } from '../report/referral-pack-markdown.ts';
import { listTasksDecision, taskDecision, type Staff } from '../core/staff-access.ts';
import type { Deps } from '../commons/deps.ts';
import { ForbiddenError, InvalidInputError } from '../commons/errors.ts';
import { officerIdSchema } from '../commons/records.ts';
import { logger } from '../commons/logger.ts';
import { loadReferralPack } from '../steps/referral-pack.ts';
import { fieldOfIssue, formOf, outcomeBodyOf, outcomeFormOf, type OutcomeForm } from './forms.ts';
import { INBOX_CSS, messagePage, taskListPage, taskPage, type TaskPageData, type Viewer } from './pages.ts';

/**
 * The staff inbox: HTML pages and plain form posts served by the staff API's function, on the
 * same rules and steps as the JSON routes (`api/routes.ts`). Who is calling comes from the
 * authorizer's claims, as for the JSON routes; a form post answers with a redirect (303) or, when
 * the input is refused, the same page with each field's error next to it and what was typed.
 */

const SECURITY_HEADERS = {
  'cache-control': 'no-store',
  'content-security-policy': "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
};

export function htmlResponse(statusCode: number, body: string): APIGatewayProxyResultV2 {
  return { statusCode, headers: { 'content-type': 'text/html; charset=utf-8', ...SECURITY_HEADERS }, body };
}

export function redirect(location: string, cookies?: string[]): APIGatewayProxyResultV2 {
  return { statusCode: 303, headers: { location, 'cache-control': 'no-store' }, ...(cookies && { cookies }), body: '' };
}

export function styleResponse(): APIGatewayProxyResultV2 {
  return { statusCode: 200, headers: { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'public, max-age=300', 'x-content-type-options': 'nosniff' }, body: INBOX_CSS };
}


async function viewerOf(deps: Deps, staff: Staff, event: StaffEvent): Promise<Viewer> {
  const sessionId = sessionIdOf(event);
  return { staff, name: (await deps.officers.getOfficer(staff.staffId))?.name, csrf: sessionId ? csrfTokenOf(sessionId) : undefined };
}

/** A form post's CSRF token must be the session's (403 otherwise), before anything is read or changed. */
function assertCsrf(event: StaffEvent, form: URLSearchParams) {
  if (!csrfMatches(sessionIdOf(event), form.get(CSRF_FIELD))) throw new ForbiddenError('The form\'s CSRF token is missing or does not match the session');
}

/** Runs a page; refusals and failures become pages too (never a stack trace, never JSON). */
async function page(deps: Deps, event: StaffEvent, run: (staff: Staff, viewer: Viewer) => Promise<APIGatewayProxyResultV2>): Promise<APIGatewayProxyResultV2> {
  let viewer: Viewer | undefined;
  try {
    const staff = staffOf(event);
    viewer = await viewerOf(deps, staff, event);
    return await run(staff, viewer);
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    switch (e.name) {
      case 'Forbidden':
        return htmlResponse(403, messagePage('Không có quyền (forbidden)', `Bạn không được xem hoặc làm việc này. (${e.message})`, viewer, viewer ? undefined : { href: '/inbox/sign-in', text: 'Đăng nhập (sign in)' }));
      case 'NotFound':
        return htmlResponse(404, messagePage('Không tìm thấy (not found)', e.message, viewer));
      case 'TaskNotOpen':
        return htmlResponse(409, messagePage('Nhiệm vụ đã đóng (task closed)', `Nhiệm vụ này đã có kết quả, đã quá hạn hoặc đã được đóng. (${e.message})`, viewer));
      case 'InvalidInput':
        return htmlResponse(400, messagePage('Yêu cầu không hợp lệ (invalid request)', e.message, viewer));
      default:
        logger.error('Inbox page failed', { errorName: e.name });
        return htmlResponse(500, messagePage('Có lỗi xảy ra (something went wrong)', 'Yêu cầu chưa được thực hiện; hãy thử lại. (The request was not completed.)', viewer));
    }
  }
}

/** GET /inbox: the caller's open tasks (and a team lead's team's), by due date. */
export function inboxHome(deps: Deps, event: StaffEvent) {
  return page(deps, event, async (staff, viewer) => {
    const team = await api.teamOf(deps, staff);
    if (!listTasksDecision(staff, undefined, team).allowed) {
      return htmlResponse(200, messagePage('Hộp việc', 'Lãnh đạo xem nhiệm vụ của từng cán bộ qua API (GET /tasks?officerId=…). Managers read tasks by officer through the API.', viewer));
    }
    const { tasks } = await api.listTasks(deps, staff, {});
    const names = new Map<string, string>();
    for (const id of new Set(tasks.map((t) => t.officerId))) {
      const officer = await deps.officers.getOfficer(id);
      if (officer) names.set(id, officer.name);
    }
    const items = await Promise.all(tasks.map(async (task) => ({
      task, unitName: (await deps.ledgers.getEmployer(task.unitCode))?.name, officerName: names.get(task.officerId),
    })));
    const q = event.queryStringParameters ?? {};
    const notice = q.done
      ? `Đã ghi kết quả nhiệm vụ ${q.done}${q.resumed === '1' ? '; quy trình đã tiếp tục (the workflow moved on).' : '; quy trình đã kết thúc trước đó (the workflow had already ended).'}`
      : q.reassigned ? `Đã giao nhiệm vụ ${q.reassigned} cho ${q.to ?? ''} (reassigned).` : undefined;
    return htmlResponse(200, taskListPage(viewer, items, { team: team.size > 0, notice }));
  });
}

const EMPTY_FORM: OutcomeForm = { outcome: '', payBy: '', amount: '', instalments: [], note: '' };

async function taskPageData(deps: Deps, staff: Staff, taskId: string, extra: Partial<Pick<TaskPageData, 'form' | 'errors' | 'reassignErrors'>>): Promise<TaskPageData> {
  const { task } = await api.getTask(deps, staff, taskId);
  const kase = await api.getCase(deps, staff, task.unitCode);
  const team = await api.teamOf(deps, staff);
  const canAct = taskDecision(staff, 'record-outcome', task, team).allowed;
  let reassignTo: TaskPageData['reassignTo'] = [];
  if (team.size > 0 && canAct) {
    const me = await deps.officers.getOfficer(staff.staffId);
    const colleagues = me ? await deps.officers.officersInDistrict(me.district) : [];
    reassignTo = colleagues
      .filter((o) => (team.has(o.officerId) && o.active && o.role === task.role) || o.officerId === staff.staffId || o.officerId === task.officerId)
      .map((o) => ({ officerId: o.officerId, name: o.name }));
  }
  let referral: TaskPageData['referral'] = null;
  try {
    const built = await loadReferralPack(deps, { unitCode: task.unitCode, asOf: deps.clock.today() });
    referral = { markdown: renderReferralPack(built.pack, built.sha256), sha256: built.sha256 };
  } catch (error) {
    logger.warn('Referral pack not built for the inbox', { errorName: (error as Error).name });
  }
  return {
    task, unit: kase.unit, ledger: kase.ledger, history: kase.history, referral, canAct, reassignTo,
    form: extra.form ?? EMPTY_FORM, errors: extra.errors ?? {}, reassignErrors: extra.reassignErrors ?? [],
    officerName: (await deps.officers.getOfficer(task.officerId))?.name,
  };
}

const taskIdOf = (event: StaffEvent) => pathParam(event, 'taskId');

/** GET /inbox/tasks/{taskId}: the case (unit, debt by period, history, referral pack) and the forms. */
export function inboxTask(deps: Deps, event: StaffEvent) {
  return page(deps, event, async (staff, viewer) => {
    const data = await taskPageData(deps, staff, taskIdOf(event), {});
    const r = taskPage(viewer, data);
    return htmlResponse(r.status, r.body);
  });
}

/** POST /inbox/tasks/{taskId}/outcome: records the outcome (the workflow resumes) or shows what to fix. */
export function inboxOutcome(deps: Deps, event: StaffEvent) {
  return page(deps, event, async (staff, viewer) => {
    const taskId = taskIdOf(event);
    const posted = formOf(event);
    assertCsrf(event, posted);
    const form = outcomeFormOf(posted);
    try {
      const { resumed } = await api.postOutcome(deps, staff, taskId, outcomeBodyOf(form));
      return redirect(`/inbox?done=${encodeURIComponent(taskId)}&resumed=${resumed ? 1 : 0}`);
    } catch (error) {
      if (!(error instanceof InvalidInputError)) throw error;
      const errors: Record<string, string[]> = {};
      for (const issue of error.issues) (errors[fieldOfIssue(issue.field)] ??= []).push(issue.reason);
      const r = taskPage(viewer, await taskPageData(deps, staff, taskId, { form, errors }), 400);
      return htmlResponse(r.status, r.body);
    }
  });
}

/** POST /inbox/tasks/{taskId}/reassign: a team lead gives the task to someone in the team. */
export function inboxReassign(deps: Deps, event: StaffEvent) {
  return page(deps, event, async (staff, viewer) => {
    const taskId = taskIdOf(event);
    const posted = formOf(event);
    assertCsrf(event, posted);
    const officerId = officerIdSchema.safeParse(posted.get('officerId') ?? '');
    try {
      if (!officerId.success) throw new InvalidInputError([{ field: 'officerId', reason: 'is not a known officer' }]);
      await api.postReassign(deps, staff, taskId, { officerId: officerId.data });
      return redirect(`/inbox?reassigned=${encodeURIComponent(taskId)}&to=${encodeURIComponent(officerId.data)}`);
    } catch (error) {
      if (!(error instanceof InvalidInputError)) throw error;
      const r = taskPage(viewer, await taskPageData(deps, staff, taskId, { reassignErrors: error.issues.map((i) => i.reason) }), 400);
      return htmlResponse(r.status, r.body);
    }
  });
}

