import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { APIGatewayProxyResultV2 } from 'aws-lambda';
import * as api from '../api/routes.ts';
import { pathParam, sessionIdOf, staffOf, type StaffEvent } from '../api/http.ts';
import { CSRF_FIELD, csrfMatches, csrfTokenOf } from '../api/edge.ts';
import { renderReferralPack } from '../report/referral-pack-markdown.ts';
import { collectionReportDecision, listTasksDecision, taskDecision, type Staff } from '../core/staff-access.ts';
import type { Deps } from '../commons/deps.ts';
import { ForbiddenError, InvalidInputError, NotFoundError } from '../commons/errors.ts';
import { isoDateSchema, officerIdSchema, unitCodeSchema } from '../commons/records.ts';
import { parseInput } from '../commons/handler.ts';
import { worklist, worklistQuerySchema } from '../api/worklist.ts';
import { bulkReassignBodySchema } from '../api/routes.ts';
import { contactInputSchema } from '../steps/record-contact.ts';
import { logger } from '../commons/logger.ts';
import { loadReferralPack } from '../steps/referral-pack.ts';
import { contactBodyOf, contactFormOf, fieldOfIssue, formOf, outcomeBodyOf, outcomeFormOf, reasonVi, type ContactForm, type OutcomeForm } from './forms.ts';
import { REPORT_DOWNLOADS, isReportDownload, loadReport, reportDates, reportKey, reportPage, type ReportDownload } from './report-page.ts';
import { taxCheckView } from './tax-check-view.ts';
import { INBOX_CSS, casePage, messagePage, taskPage, worklistPage, type CasePageData, type TaskPageData, type Viewer } from './pages.ts';

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

/** The active members of a team lead's team who may take a task of `role` (any role when none is named), the lead first. */
async function reassignTargets(deps: Deps, staff: Staff, team: ReadonlySet<string>, role?: string, keep?: string): Promise<{ officerId: string; name: string }[]> {
  if (team.size === 0) return [];
  const me = await deps.officers.getOfficer(staff.staffId);
  const colleagues = me ? await deps.officers.officersInDistrict(me.district) : [];
  return colleagues
    .filter((o) => (team.has(o.officerId) && o.active && (role === undefined || o.role === role)) || o.officerId === staff.staffId || o.officerId === keep)
    .sort((a, b) => (a.officerId === staff.staffId ? -1 : b.officerId === staff.staffId ? 1 : a.name.localeCompare(b.name, 'vi')))
    .map((o) => ({ officerId: o.officerId, name: o.name }));
}

/** A unit code typed in the search (lower case too): the case page to offer. */
function unitCodeIn(q: string | undefined): string | undefined {
  const code = (q ?? '').trim().toUpperCase();
  return unitCodeSchema.safeParse(code).success && /\d/.test(code) ? code : undefined;
}

async function worklistResponse(deps: Deps, staff: Staff, viewer: Viewer, event: StaffEvent, extra: { notice?: string; bulkErrors?: string[] } = {}, status = 200) {
  const team = await api.teamOf(deps, staff);
  if (!listTasksDecision(staff, undefined, team).allowed) {
    return htmlResponse(200, messagePage('Hộp việc', 'Lãnh đạo xem nhiệm vụ của từng cán bộ qua API (GET /worklist?officer=…). Managers read tasks by officer through the API.', viewer));
  }
  const query = parseInput(worklistQuerySchema, event.queryStringParameters ?? {});
  const list = await worklist(deps, staff, query);
  const policy = deps.policyFor(deps.clock.today());
  return htmlResponse(status, worklistPage(viewer, {
    ...list, query, debtBands: policy.priority.debt.map((b) => b.atLeast).sort((a, b) => a - b),
    reassignTo: await reassignTargets(deps, staff, team), unitLink: unitCodeIn(query.q), ...extra,
  }));
}

/** GET /inbox: the worklist (the caller's tasks and a team lead's team's), searched, filtered and sorted. */
export function inboxHome(deps: Deps, event: StaffEvent) {
  return page(deps, event, async (staff, viewer) => {
    const q = event.queryStringParameters ?? {};
    const notice = q.done
      ? `Đã ghi kết quả nhiệm vụ ${q.done}${q.resumed === '1' ? '; quy trình đã tiếp tục.' : '; quy trình đã kết thúc trước đó.'}`
      : q.reassigned ? `Đã giao ${q.reassigned} nhiệm vụ cho ${q.to ?? ''}.` : undefined;
    return worklistResponse(deps, staff, viewer, event, { ...(notice && { notice }) });
  });
}

const EMPTY_FORM: OutcomeForm = { outcome: '', payBy: '', amount: '', instalments: [], note: '', registered: '', reason: '' };
const emptyContact = (today: string): ContactForm => ({ attemptId: randomUUID(), on: today, channel: '', result: '', personMet: '', note: '' });

/** The case as the pages show it: the API's case, with the officers' names and the referral pack. */
async function caseData(deps: Deps, staff: Staff, unitCode: string): Promise<CasePageData> {
  const kase = await api.getCase(deps, staff, unitCode);
  const ids = new Set<string>([...kase.tasks.map((t) => t.officerId), ...kase.contacts.map((c) => c.recordedBy), ...kase.history.map((e) => e.actor)]);
  for (const e of kase.history) {
    if (e.kind === 'officer-assigned' || e.kind === 'task-opened' || e.kind === 'task-timed-out') ids.add(e.detail.officerId);
    if (e.kind === 'task-reassigned') { ids.add(e.detail.from); ids.add(e.detail.to); }
  }
  const names = new Map<string, string>();
  await Promise.all([...ids].filter((id) => officerIdSchema.safeParse(id).success && !id.startsWith('system')).map(async (id) => {
    const officer = await deps.officers.getOfficer(id);
    if (officer) names.set(id, officer.name);
  }));
  let referral: CasePageData['referral'] = null;
  try {
    const built = await loadReferralPack(deps, { unitCode, asOf: deps.clock.today() });
    referral = { pack: built.pack, sha256: built.sha256 };
  } catch (error) {
    logger.warn('Referral pack not built for the inbox', { errorName: (error as Error).name });
  }
  return {
    unit: kase.unit, ledger: kase.ledger, stage: kase.case?.status === 'open' ? kase.case.stage : null, priority: kase.priority,
    history: kase.history, contacts: kase.contacts, tasks: kase.tasks, referral, names,
  };
}

type TaskExtras = Partial<Pick<TaskPageData, 'form' | 'errors' | 'contactForm' | 'contactErrors' | 'reassignErrors' | 'notice'>>;

async function taskPageData(deps: Deps, staff: Staff, taskId: string, extra: TaskExtras): Promise<TaskPageData> {
  const { task } = await api.getTask(deps, staff, taskId);
  const taxCheck = task.type === 'tax-data-check' ? await taxCheckView(deps, task) : null;
  // An organisation with no SI unit has no case (its task goes by a stand-in code): the tax data stands in for it.
  const kase = taxCheck?.organisation ? null : await caseData(deps, staff, task.unitCode);
  const team = await api.teamOf(deps, staff);
  const canAct = taskDecision(staff, 'record-outcome', task, team).allowed;
  const reassignTo = canAct ? await reassignTargets(deps, staff, team, task.role, task.officerId) : [];
  const today = deps.clock.today();
  return {
    case: kase, taxCheck, task, canAct, reassignTo,
    form: extra.form ?? EMPTY_FORM, errors: extra.errors ?? {},
    contactForm: extra.contactForm ?? emptyContact(today), contactErrors: extra.contactErrors ?? {},
    reassignErrors: extra.reassignErrors ?? [], notice: extra.notice,
    officerName: kase?.names.get(task.officerId) ?? (await deps.officers.getOfficer(task.officerId))?.name,
    maxInstalments: deps.policyFor(today).arrangements.planMaxInstalments,
  };
}

const taskIdOf = (event: StaffEvent) => pathParam(event, 'taskId');

/** Each refused field's reasons, by the form's field. */
function errorsOf(error: InvalidInputError): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  for (const issue of error.issues) (errors[fieldOfIssue(issue.field)] ??= []).push(issue.reason);
  return errors;
}

/** GET /inbox/tasks/{taskId}: the forms (outcome, contact log, reassignment) above the case. */
export function inboxTask(deps: Deps, event: StaffEvent) {
  return page(deps, event, async (staff, viewer) => {
    const logged = event.queryStringParameters?.contact === 'logged';
    const data = await taskPageData(deps, staff, taskIdOf(event), logged ? { notice: 'Đã ghi lần liên hệ; nhiệm vụ vẫn mở. (Contact attempt logged.)' } : {});
    const r = taskPage(viewer, data);
    return htmlResponse(r.status, r.body);
  });
}

/** GET /inbox/cases/{unitCode}: a unit's case, for anyone allowed to read it. */
export function inboxCase(deps: Deps, event: StaffEvent) {
  return page(deps, event, async (staff, viewer) => {
    const unitCode = pathParam(event, 'unitCode', unitCodeSchema);
    return htmlResponse(200, casePage(viewer, await caseData(deps, staff, unitCode)));
  });
}

/** A file to save (never shown in the page): its type, its name, no caching, no sniffing. */
function download(body: string, contentType: string, filename: string): APIGatewayProxyResultV2 {
  return {
    statusCode: 200,
    headers: { ...SECURITY_HEADERS, 'content-type': `${contentType}; charset=utf-8`, 'content-disposition': `attachment; filename="${filename}"` },
    body,
  };
}

/**
 * GET /inbox/cases/{unitCode}/referral-pack.md and .json: the pack shown on the case page as a
 * file, for whoever may read the case. The JSON is the text its SHA-256 is of; the name says the
 * unit and the date (a unit code and an ISO date: nothing to escape in the header).
 */
export function inboxReferralPack(deps: Deps, event: StaffEvent, format: 'md' | 'json') {
  return page(deps, event, async (staff) => {
    const unitCode = pathParam(event, 'unitCode', unitCodeSchema);
    const built = await api.getReferralPack(deps, staff, unitCode);
    const name = `ho-so-thanh-tra-${unitCode}-${built.pack.asOf}.${format}`;
    return format === 'md'
      ? download(renderReferralPack(built.pack, built.sha256), 'text/markdown', name)
      : download(built.json, 'application/json', name);
  });
}

/** POST /inbox/tasks/{taskId}/outcome: records the outcome (the workflow resumes) or shows what to fix. */
export function inboxOutcome(deps: Deps, event: StaffEvent) {
  return page(deps, event, async (staff, viewer) => {
    const taskId = taskIdOf(event);
    const posted = formOf(event);
    assertCsrf(event, posted);
    const form = outcomeFormOf(posted, deps.policyFor(deps.clock.today()).arrangements.planMaxInstalments);
    try {
      const { resumed } = await api.postOutcome(deps, staff, taskId, outcomeBodyOf(form));
      return redirect(`/inbox?done=${encodeURIComponent(taskId)}&resumed=${resumed ? 1 : 0}`);
    } catch (error) {
      if (!(error instanceof InvalidInputError)) throw error;
      const r = taskPage(viewer, await taskPageData(deps, staff, taskId, { form, errors: errorsOf(error) }), 400);
      return htmlResponse(r.status, r.body);
    }
  });
}

/** POST /inbox/tasks/{taskId}/contact: logs an attempt to reach the unit; the task stays open. */
export function inboxContact(deps: Deps, event: StaffEvent) {
  return page(deps, event, async (staff, viewer) => {
    const taskId = taskIdOf(event);
    const posted = formOf(event);
    assertCsrf(event, posted);
    const form = contactFormOf(posted);
    try {
      await api.postContact(deps, staff, taskId, parseInput(contactInputSchema, contactBodyOf(form)));
      return redirect(`/inbox/tasks/${encodeURIComponent(taskId)}?contact=logged`);
    } catch (error) {
      if (!(error instanceof InvalidInputError)) throw error;
      const r = taskPage(viewer, await taskPageData(deps, staff, taskId, { contactForm: form, contactErrors: errorsOf(error) }), 400);
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
      return redirect(`/inbox?reassigned=1&to=${encodeURIComponent(officerId.data)}`);
    } catch (error) {
      if (!(error instanceof InvalidInputError)) throw error;
      const r = taskPage(viewer, await taskPageData(deps, staff, taskId, { reassignErrors: error.issues.map((i) => i.reason) }), 400);
      return htmlResponse(r.status, r.body);
    }
  });
}

/** POST /inbox/reassign: a team lead gives the tasks ticked in the worklist to one officer. */
export function inboxBulkReassign(deps: Deps, event: StaffEvent) {
  return page(deps, event, async (staff, viewer) => {
    const posted = formOf(event);
    assertCsrf(event, posted);
    const body = bulkReassignBodySchema.safeParse({ officerId: posted.get('officerId') ?? '', taskIds: posted.getAll('taskIds') });
    const refused = (reasons: string[]) => worklistResponse(deps, staff, viewer, { ...event, queryStringParameters: {} }, { bulkErrors: reasons }, 400);
    if (!body.success) return refused(body.error.issues.map((i) => reasonVi(i.message)));
    const result = await api.postBulkReassign(deps, staff, body.data);
    const failed = result.results.filter((r) => !r.moved);
    if (failed.length > 0) return refused(failed.map((r) => `${r.taskId}: ${reasonVi(r.reason ?? '')}`));
    return redirect(`/inbox?reassigned=${result.moved}&to=${encodeURIComponent(body.data.officerId)}`);
  });
}

/** The collection report is the managers' (core/staff-access.ts): anyone else is refused before anything is read. */
function assertReportReader(staff: Staff) {
  const decision = collectionReportDecision(staff);
  if (!decision.allowed) throw new ForbiddenError(`The collection report is for managers (${decision.reason})`);
}

/** The report files of a date that are there to download. */
async function reportFilesOn(deps: Deps, asOf: string): Promise<ReportDownload[]> {
  const present = new Set(await deps.documents.list(`reports/${asOf}/`));
  return (Object.keys(REPORT_DOWNLOADS) as ReportDownload[]).filter((f) => present.has(reportKey(asOf, f)));
}

/**
 * GET /inbox/report and /inbox/report/{date}: the latest collection report (or the one of the
 * date), with the earlier dates and the files to download; managers only, 404 for a date with none.
 */
export function inboxReport(deps: Deps, event: StaffEvent) {
  return page(deps, event, async (staff, viewer) => {
    assertReportReader(staff);
    const dates = await reportDates(deps.documents);
    const asked = event.pathParameters?.date === undefined ? undefined : pathParam(event, 'date', isoDateSchema);
    const asOf = asked ?? dates[0];
    if (asOf === undefined) return htmlResponse(200, reportPage(viewer, { report: undefined, dates, files: [] }));
    const report = await loadReport(deps.documents, asOf);
    if (!report) throw new NotFoundError(`No collection report for ${asOf}`);
    return htmlResponse(200, reportPage(viewer, { report, dates, files: await reportFilesOn(deps, asOf) }));
  });
}

/** GET /inbox/report/{date}/{file}: one of the report's files (CSV, JSON) to save; managers only. */
export function inboxReportFile(deps: Deps, event: StaffEvent) {
  return page(deps, event, async (staff) => {
    assertReportReader(staff);
    const asOf = pathParam(event, 'date', isoDateSchema);
    const file = pathParam(event, 'file', z.string().max(40));
    if (!isReportDownload(file)) throw new NotFoundError(`No such report file: ${file}`);
    const body = await deps.documents.get(reportKey(asOf, file));
    if (body === undefined) throw new NotFoundError(`No ${file} for ${asOf}`);
    const [base, ext] = file.split('.') as [string, string];
    return download(body, REPORT_DOWNLOADS[file].contentType, `bao-cao-thu-no-${asOf}-${base}.${ext}`);
  });
}
