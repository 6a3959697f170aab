import { html, type Html } from '../commons/html.ts';
import { CSRF_FIELD } from '../api/edge.ts';
import { PLAN_ROWS, reasonVi, type ContactForm, type OutcomeForm } from './forms.ts';
import { formatVnd } from '../core/money.ts';
import { STAGES, type StageName } from '../core/policy.ts';
import { collectionReportDecision, type Staff } from '../core/staff-access.ts';
import type { LedgerStatus } from '../core/ledger.ts';
import { CONTACT_CHANNELS, CONTACT_RESULTS } from '../core/case-events.ts';
import { compactVnd, describePart, describePriority, type Priority } from '../core/priority.ts';
import { WORKLIST_SORTS, groupByOfficer, type WorkItem, type WorklistSort } from '../core/worklist.ts';
import type { WorklistRequest } from '../api/worklist.ts';
import { TASK_OUTCOMES_BY_TYPE, type CaseEvent, type ContactAttemptRecord, type Employer, type TaskOutcome, type TaskRecord } from '../commons/records.ts';
import {
  CHANNEL_VI, FINDING_BASIS_VI, FINDING_KIND_VI, OUTCOME_VI, RESULT_VI, STAGE_VI, TASK_STATUS_VI, TASK_TYPE_VI, actorVi, eventTextVi, eventTitleVi, viDate, viDateTime, viMonth,
} from './words.ts';
import { referralPackDownloads, referralPackHtml } from './referral-pack-html.ts';
import type { ReferralPack } from '../core/referral-pack.ts';
import { MAX_REGISTERED_PER_CHECK } from '../core/tax-check.ts';
import type { TaxCheckView } from './tax-check-view.ts';

/**
 * The staff inbox's pages: server-rendered, plain HTML forms (no script), Vietnamese first with
 * English after. Every value is escaped by the `html` template.
 */

export const OUTCOME_LABELS: Record<TaskOutcome, string> = {
  contacted: 'Đã liên hệ, làm việc với đơn vị (contacted)',
  'promised-to-pay': 'Hứa trả nợ (promised to pay)',
  'plan-agreed': 'Thỏa thuận trả góp (payment plan agreed)',
  disputed: 'Đơn vị không thừa nhận số nợ (disputed)',
  unreachable: 'Không liên hệ được (unreachable)',
  paid: 'Đã nộp đủ (paid)',
  'refer-to-inspection': 'Đề nghị thanh tra (refer to inspection)',
  'penalty-proposed': 'Đề xuất xử phạt (penalty proposed)',
  closed: 'Kết thúc thanh tra (inspection closed)',
  renewed: 'Người tham gia đã gia hạn (renewed)',
  declined: 'Người tham gia không tiếp tục (declined)',
  registered: 'Đơn vị đã đăng ký thêm lao động (employees registered)',
  'wage-corrected': 'Đơn vị đã điều chỉnh tiền lương đóng (wage corrected)',
  explained: 'Đã giải trình (explained)',
};

const GROUP_LABELS: Record<string, string> = { officer: 'cán bộ thu', 'team-lead': 'tổ trưởng', inspector: 'thanh tra viên', manager: 'lãnh đạo' };


export interface Viewer {
  staff: Staff;
  name?: string | undefined;
  /** The session's CSRF token (api/edge.ts), a hidden field of every form. */
  csrf?: string | undefined;
}

/** The hidden CSRF field every form posts (checked by the handler, or locally by the local server for sign-out). */
export const csrfField = (viewer: Viewer | undefined) => (viewer?.csrf ? html`<input type="hidden" name="${CSRF_FIELD}" value="${viewer.csrf}">` : '');

export function layout(title: string, viewer: Viewer | undefined, body: Html): string {
  const who = viewer
    ? html`<div class="who"><span>${viewer.name ?? viewer.staff.staffId} · <span class="id">${viewer.staff.staffId}</span> · ${viewer.staff.groups.map((g) => GROUP_LABELS[g] ?? g).join(', ')}</span>
      <form method="post" action="/inbox/sign-out">${csrfField(viewer)}<button type="submit" class="link">Đăng xuất (sign out)</button></form></div>`
    : '';
  // The manager's pages, in the header of every page (the report is refused to anyone else).
  const nav = viewer && collectionReportDecision(viewer.staff).allowed
    ? html`<nav aria-label="Trang của lãnh đạo (manager pages)" class="manager-nav"><a href="/inbox/report">Báo cáo thu nợ (collection report)</a></nav>`
    : '';
  return html`<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Hộp việc thu nợ BHXH</title>
<link rel="stylesheet" href="/inbox/inbox.css">
</head>
<body>
<a class="skip" href="#main">Đến nội dung chính (skip to content)</a>
<header><p class="brand"><a href="/inbox">Hộp việc thu nợ BHXH</a> <span lang="en">(arrears inbox)</span></p>${nav}${who}</header>
<main id="main" tabindex="-1">
${body}
</main>
</body>
</html>`.text;
}

export function messagePage(title: string, message: string, viewer?: Viewer, link: { href: string; text: string } = { href: '/inbox', text: 'Về hộp việc (back to the inbox)' }): string {
  return layout(title, viewer, html`<h1>${title}</h1><p>${message}</p><p><a href="${link.href}">${link.text}</a></p>`);
}

const dateCell = (date: string) => html`<time datetime="${date}">${viDate(date)}</time>`;
const instant = (at: string) => html`<time datetime="${at}">${viDateTime(at)}</time>`;
const overdueBadge = html`<strong class="badge">Quá hạn (overdue)</strong>`;

/** Who someone is, by name, from the names the page was given (their id when unknown). */
type NameOf = (officerId: string) => string;

function priorityLine(priority: Priority): Html {
  return html`<p class="priority"><strong>Ưu tiên ${priority.total}</strong>${priority.parts.length ? html`: ${describePriority(priority, 'vi')}` : ' (không có yếu tố nào)'}</p>`;
}

// ---------------------------------------------------------------------------------------------
// The worklist

export interface WorklistPageData {
  view: 'open' | 'done';
  items: WorkItem[];
  /** How many tasks before search and filters. */
  total: number;
  options: { communes: string[]; officers: { officerId: string; name: string }[] };
  /** The viewer leads a team: the list is grouped by officer, with bulk reassignment. */
  team: boolean;
  query: WorklistRequest;
  /** The policy's debt bands (lowest first), offered as "debt at least" filters. */
  debtBands: number[];
  /** Whom a team lead may give tasks to (active members of the team). */
  reassignTo: { officerId: string; name: string }[];
  notice?: string | undefined;
  bulkErrors?: string[] | undefined;
  /** A unit code typed in the search: its case page. */
  unitLink?: string | undefined;
}

const SORT_LABELS: Record<WorklistSort, string> = {
  priority: 'Ưu tiên cao trước', due: 'Hạn sớm trước', debt: 'Nợ nhiều trước', months: 'Chậm đóng lâu trước',
  commune: 'Xã, phường (A–Z)', stage: 'Giai đoạn (thanh tra trước)', officer: 'Cán bộ (A–Z)',
};

function select(id: string, name: string, label: string, value: string | undefined, options: readonly { value: string; text: string }[], any = 'Tất cả'): Html {
  return html`<div class="field"><label for="${id}">${label}</label><select id="${id}" name="${name}">
    ${any ? html`<option value=""${!value ? ' selected' : ''}>${any}</option>` : ''}
    ${options.map((o) => html`<option value="${o.value}"${o.value === value ? html` selected` : ''}>${o.text}</option>`)}
  </select></div>`;
}

function filterForm(data: WorklistPageData): Html {
  const q = data.query;
  return html`<form method="get" action="/inbox" role="search" aria-label="Tìm và lọc nhiệm vụ" class="filters">
  <input type="hidden" name="view" value="${data.view}">
  <div class="field"><label for="w-q">Tìm theo mã đơn vị, tên hoặc mã số thuế (search)</label><input id="w-q" name="q" type="search" value="${q.q ?? ''}" autocomplete="off"></div>
  <div class="row">
  ${select('w-commune', 'commune', 'Xã, phường (commune)', q.commune, data.options.communes.map((c) => ({ value: c, text: c })))}
  ${select('w-stage', 'stage', 'Giai đoạn (stage)', q.stage, STAGES.map((st) => ({ value: st, text: STAGE_VI[st] })))}
  ${data.team ? select('w-officer', 'officer', 'Cán bộ (officer)', q.officer, data.options.officers.map((o) => ({ value: o.officerId, text: o.name })), 'Tất cả cán bộ') : ''}
  ${select('w-due', 'due', 'Hạn (due date)', q.due, [{ value: 'overdue', text: 'Đã quá hạn' }, { value: 'week', text: 'Đến hạn trong 7 ngày' }])}
  ${select('w-minDebt', 'minDebt', 'Nợ từ (debt at least)', q.minDebt === undefined ? undefined : String(q.minDebt), data.debtBands.map((b) => ({ value: String(b), text: `từ ${compactVnd(b, 'vi')}` })), 'Mọi mức nợ')}
  ${select('w-minMonths', 'minMonths', 'Chậm đóng từ (months overdue)', q.minMonths === undefined ? undefined : String(q.minMonths), [1, 2, 3, 6, 12].map((m) => ({ value: String(m), text: `từ ${m} tháng` })), 'Mọi số tháng')}
  ${select('w-sort', 'sort', 'Sắp xếp (sort)', q.sort ?? (data.view === 'open' ? 'priority' : ''), WORKLIST_SORTS.map((o) => ({ value: o, text: SORT_LABELS[o] })), data.view === 'open' ? '' : 'Mới xong trước')}
  </div>
  <button type="submit">Lọc (filter)</button> <a href="/inbox?view=${data.view}">Bỏ lọc (clear)</a>
</form>`;
}

function workCard(viewer: Viewer, item: WorkItem, heading: 'h2' | 'h3', selectable: boolean): Html {
  const name = item.unitName ?? item.unitCode;
  const title = html`<a href="/inbox/tasks/${encodeURIComponent(item.taskId)}">${name} <span class="id">${item.unitCode}</span></a>`;
  const selectId = `sel-${item.taskId}`;
  return html`<li class="task${item.overdue ? ' overdue' : ''}" data-task="${item.taskId}">
  ${heading === 'h2' ? html`<h2>${title}</h2>` : html`<h3>${title}</h3>`}
  ${selectable ? html`<p class="select"><input type="checkbox" id="${selectId}" name="taskIds" value="${item.taskId}" form="bulk"><label for="${selectId}">Chọn <span class="vh">${name}</span></label></p>` : ''}
  <p>${TASK_TYPE_VI[item.type]}${item.escalated ? ' (chuyển tổ trưởng)' : ''} · hạn ${dateCell(item.dueDate)}${item.overdue ? html` · ${overdueBadge}` : ''}${item.status !== 'open' ? html` · ${TASK_STATUS_VI[item.status]}${item.outcome ? html`: ${OUTCOME_VI[item.outcome]}` : ''}${item.closedAt ? html` (${instant(item.closedAt)})` : ''}` : ''}</p>
  <dl class="figures">
    <div><dt>Nợ</dt><dd>${formatVnd(item.debt)}</dd></div>
    <div><dt>Chậm đóng</dt><dd>${item.monthsOverdue} tháng</dd></div>
    <div><dt>Xã, phường</dt><dd>${item.commune ?? '—'}</dd></div>
    <div><dt>Giai đoạn</dt><dd>${item.stage ? STAGE_VI[item.stage] : '—'}</dd></div>
  </dl>
  ${priorityLine(item.priority)}
  ${item.officerId !== viewer.staff.staffId ? html`<p>Cán bộ: ${item.officerName ?? item.officerId} <span class="id">${item.officerId}</span></p>` : ''}
</li>`;
}

export function worklistPage(viewer: Viewer, data: WorklistPageData): string {
  const heading = data.team ? 'Nhiệm vụ của tôi và của tổ' : 'Nhiệm vụ của tôi';
  const open = data.view === 'open';
  const selectable = data.team && open && data.reassignTo.length > 0;
  const tabs = html`<nav aria-label="Danh sách nhiệm vụ (task lists)"><ul class="tabs">
    <li><a href="/inbox?view=open"${open ? html` aria-current="page"` : ''}>Đang mở (open)</a></li>
    <li><a href="/inbox?view=done"${!open ? html` aria-current="page"` : ''}>Đã xong (done)</a></li></ul></nav>`;
  const count = html`<p>${data.items.length} nhiệm vụ${data.items.length !== data.total ? ` (trong ${data.total})` : ''}${open ? '' : ' đã đóng gần đây'}.</p>`;
  const empty = html`<p>Không có nhiệm vụ nào${data.items.length !== data.total ? ' khớp với điều kiện lọc' : open ? ' đang mở' : ''}. <span lang="en">(No tasks.)</span></p>`;
  const bulk = selectable ? html`<form id="bulk" method="post" action="/inbox/reassign" class="bulk" aria-label="Giao lại nhiều nhiệm vụ">
    ${csrfField(viewer)}
    ${data.bulkErrors?.length ? html`<div class="error-summary" role="alert" tabindex="-1" id="bulk-error-summary" autofocus><h2>Chưa giao lại được (not reassigned)</h2><ul>${data.bulkErrors.map((e) => html`<li>${e}</li>`)}</ul></div>` : ''}
    <div class="field"><label for="bulk-officer">Giao các nhiệm vụ đã chọn cho (reassign the selected tasks to)</label>
    <select id="bulk-officer" name="officerId"${data.bulkErrors?.length ? html` aria-invalid="true"` : ''}>${data.reassignTo.map((o) => html`<option value="${o.officerId}">${o.name} (${o.officerId})</option>`)}</select></div>
    <button type="submit">Giao lại các việc đã chọn (reassign)</button>
  </form>` : '';
  const list = data.items.length === 0 ? empty : data.team
    ? groupByOfficer(data.items).map((g) => {
      const id = `g-${g.officerId}`;
      return html`<section aria-labelledby="${id}" class="group"><h2 id="${id}">${g.officerName ?? g.officerId} <span class="id">${g.officerId}</span>: ${g.items.length} nhiệm vụ${g.overdue ? `, ${g.overdue} quá hạn` : ''}, nợ ${formatVnd(g.debt)}</h2>
        <ol class="tasks">${g.items.map((i) => workCard(viewer, i, 'h3', selectable))}</ol></section>`;
    })
    : html`<ol class="tasks">${data.items.map((i) => workCard(viewer, i, 'h2', false))}</ol>`;
  return layout(heading, viewer, html`
<h1>${heading} <span lang="en" class="en">(worklist)</span></h1>
${data.notice ? html`<p class="notice" role="status">${data.notice}</p>` : ''}
${tabs}
${filterForm(data)}
${data.unitLink ? html`<p><a href="/inbox/cases/${encodeURIComponent(data.unitLink)}">Mở hồ sơ đơn vị ${data.unitLink} (open the case)</a></p>` : ''}
${count}
${bulk}
${list}`);
}

// ---------------------------------------------------------------------------------------------
// The case (its own page, and the lower half of a task's page)

export interface CasePageData {
  unit: Employer;
  ledger: LedgerStatus;
  stage: StageName | null;
  priority: Priority;
  history: CaseEvent[];
  contacts: ContactAttemptRecord[];
  /** The unit's tasks, the latest first (with outcomes and notes). */
  tasks: (Omit<TaskRecord, 'token'> & { overdue: boolean })[];
  /** The inspector's referral pack as of today, with the SHA-256 of its JSON (null when it could not be built). */
  referral: { pack: ReferralPack; sha256: string } | null;
  /** Officers' names by id, for the history and the contact log. */
  names: ReadonlyMap<string, string>;
}

function caseSections(data: CasePageData, openTaskId?: string): Html {
  const { unit, ledger } = data;
  const nameOf: NameOf = (id) => data.names.get(id) ?? id;
  const late = ledger.periods.filter((p) => p.balance > 0 || p.interest > 0);
  const lastMet = [...data.contacts].reverse().find((c) => c.personMet);
  const contactPerson = unit.contactPerson ?? (lastMet ? `${lastMet.personMet} (người gặp ngày ${viDate(lastMet.on)})` : undefined);
  return html`
<section aria-labelledby="unit-title"><h2 id="unit-title">Đơn vị <span lang="en" class="en">(unit)</span></h2>
<dl class="facts">
  <dt>Mã đơn vị</dt><dd>${unit.unitCode}</dd>
  <dt>Tên</dt><dd>${unit.name}</dd>
  <dt>Mã số thuế</dt><dd>${unit.taxCode}</dd>
  <dt>Địa chỉ</dt><dd>${unit.address ? `${unit.address}, ` : ''}${unit.commune}, ${unit.district}</dd>
  <dt>Người liên hệ</dt><dd>${contactPerson ?? 'Chưa có (not on file)'}</dd>
  <dt>Điện thoại</dt><dd><a href="tel:${unit.phone}">${unit.phone}</a></dd>
  <dt>Email</dt><dd>${unit.email}</dd>
  <dt>Giai đoạn</dt><dd>${data.stage ? STAGE_VI[data.stage] : 'Không đôn đốc (no open case)'}</dd>
</dl></section>

<section aria-labelledby="priority-title"><h2 id="priority-title">Mức ưu tiên: ${data.priority.total} <span lang="en" class="en">(priority)</span></h2>
${data.priority.parts.length === 0 ? html`<p>Không có yếu tố nào làm tăng mức ưu tiên.</p>` : html`<ul>${data.priority.parts.map((p) => html`<li>${describePart(p, 'vi')}</li>`)}</ul>`}
</section>

<section aria-labelledby="debt-title"><h2 id="debt-title">Nợ theo kỳ <span lang="en" class="en">(debt by period)</span></h2>
<p>Tổng nợ phải trả (debt): <strong>${formatVnd(ledger.debt)}</strong> · nợ gốc quá hạn ${formatVnd(ledger.overduePrincipal)} · lãi chậm đóng ${formatVnd(ledger.interestOutstanding)} · ${ledger.monthsOverdue} tháng chậm đóng, tính đến ${dateCell(ledger.asOf)}</p>
<div class="scroll" tabindex="0" role="group" aria-label="Bảng nợ theo kỳ, cuộn ngang (debt table, scrolls)"><table>
<thead><tr><th scope="col">Kỳ</th><th scope="col">Hạn nộp</th><th scope="col" class="num">Phải nộp</th><th scope="col" class="num">Đã nộp</th><th scope="col" class="num">Còn nợ</th><th scope="col" class="num">Ngày chậm</th><th scope="col" class="num">Lãi</th></tr></thead>
<tbody>${late.length === 0 ? html`<tr><td colspan="7">Không còn kỳ nợ (nothing owed)</td></tr>` : late.map((p) => html`<tr${p.overdue ? html` class="overdue"` : ''}><th scope="row">${viMonth(p.period)}</th><td>${dateCell(p.dueDate)}</td><td class="num">${formatVnd(p.amountDue)}</td><td class="num">${formatVnd(p.amountPaid)}</td><td class="num">${formatVnd(p.balance)}</td><td class="num">${p.daysLate}</td><td class="num">${formatVnd(p.interest)}</td></tr>`)}</tbody>
</table></div></section>

<section aria-labelledby="tasks-title"><h2 id="tasks-title">Nhiệm vụ với đơn vị <span lang="en" class="en">(tasks)</span></h2>
${data.tasks.length === 0 ? html`<p>Chưa có nhiệm vụ nào.</p>` : html`<ul class="plain unit-tasks">${data.tasks.map((t) => html`<li>
  ${t.taskId === openTaskId ? html`<strong>${TASK_TYPE_VI[t.type]}</strong> (nhiệm vụ này)` : html`<a href="/inbox/tasks/${encodeURIComponent(t.taskId)}">${TASK_TYPE_VI[t.type]}</a>`}${t.escalated ? ' (chuyển tổ trưởng)' : ''}, ${viMonth(t.cycle)} · ${nameOf(t.officerId)} · hạn ${dateCell(t.dueDate)} · ${TASK_STATUS_VI[t.status]}${t.outcome ? html`: ${OUTCOME_VI[t.outcome]}` : ''}
  ${t.note ? html`<br><span class="note">Ghi chú: ${t.note}</span>` : ''}</li>`)}</ul>`}
</section>

<section aria-labelledby="contacts-title"><h2 id="contacts-title">Nhật ký liên hệ <span lang="en" class="en">(contact log)</span></h2>
${data.contacts.length === 0 ? html`<p>Chưa ghi lần liên hệ nào.</p>` : html`<ol class="contacts">${[...data.contacts].reverse().map((c) => html`<li>
  <strong>${viDate(c.on)}</strong> · ${CHANNEL_VI[c.channel]} · ${RESULT_VI[c.result]}${c.personMet ? html` · gặp ${c.personMet}` : ''} · ${nameOf(c.recordedBy)}
  ${c.note ? html`<br><span class="note">Ghi chú: ${c.note}</span>` : ''}</li>`)}</ol>`}
</section>

<section aria-labelledby="history-title"><h2 id="history-title">Lịch sử hồ sơ <span lang="en" class="en">(case history)</span></h2>
<ol class="history">${data.history.map((e) => html`<li>${instant(e.at)} · <strong>${eventTitleVi(e)}</strong> · ${actorVi(e.actor, nameOf)}<br><span class="detail">${eventTextVi(e, nameOf)}</span></li>`)}</ol>
</section>

<section aria-labelledby="referral-title"><h2 id="referral-title">Hồ sơ chuyển thanh tra <span lang="en" class="en">(referral pack)</span></h2>
${data.referral
    ? html`${referralPackDownloads(data.unit.unitCode)}<details><summary>Xem hồ sơ</summary>${referralPackHtml(data.referral.pack, data.referral.sha256)}</details>`
    : html`<p>Chưa lập được. (Not available.)</p>`}
</section>`;
}

export function casePage(viewer: Viewer, data: CasePageData): string {
  const { unit } = data;
  return layout(`${unit.name} (${unit.unitCode})`, viewer, html`
<p><a href="/inbox">← Danh sách nhiệm vụ (worklist)</a></p>
<h1>${unit.name} <span class="id">${unit.unitCode}</span></h1>
${caseSections(data)}`);
}

// ---------------------------------------------------------------------------------------------
// A task: the forms, above its case

export interface TaskPageData {
  task: Omit<TaskRecord, 'token'> & { overdue: boolean };
  /** The unit's case below the forms; none for an organisation with no SI unit (a tax-data check's stand-in code). */
  case: CasePageData | null;
  /** A tax-data check's finding (its type only). */
  taxCheck: TaxCheckView | null;
  canAct: boolean;
  /** Team members the viewer (a team lead) may give the task to. */
  reassignTo: { officerId: string; name: string }[];
  form: OutcomeForm;
  errors: Record<string, string[]>;
  contactForm: ContactForm;
  contactErrors: Record<string, string[]>;
  reassignErrors: string[];
  officerName?: string | undefined;
  /** The policy's most instalments in a plan (arrangements.planMaxInstalments). */
  maxInstalments: number;
  notice?: string | undefined;
}

/** A field's error, next to it. */
function fieldError(errors: Record<string, string[]>, field: string, id: string): Html | '' {
  const list = errors[field];
  if (!list?.length) return '';
  return html`<p class="error" id="${id}-error">${list.map((r) => html`<span>${reasonVi(r, field)}</span> `)}</p>`;
}

/** The group a field belongs to ("promise.amount" → "promise"): its error marks the field too. */
const groupOf = (field: string) => field.split('.')[0]!;

function describedBy(errors: Record<string, string[]>, field: string, id: string, hint?: string): Html {
  const own = Boolean(errors[field]?.length);
  const group = groupOf(field) !== field && Boolean(errors[groupOf(field)]?.length);
  const ids = [hint, own ? `${id}-error` : undefined].filter(Boolean).join(' ');
  return html`${ids ? html` aria-describedby="${ids}"` : ''}${own || group ? html` aria-invalid="true"` : ''}`;
}

const FIELD_LABELS: Record<string, string> = {
  outcome: 'Kết quả', promise: 'Hứa trả', 'promise.payBy': 'Ngày hứa trả', 'promise.amount': 'Số tiền hứa trả',
  instalments: 'Kế hoạch trả góp', note: 'Ghi chú', registered: 'Số lao động đã đăng ký thêm', reason: 'Lý do giải trình',
  on: 'Ngày liên hệ', channel: 'Hình thức liên hệ', result: 'Tình hình liên hệ', personMet: 'Người gặp', attemptId: 'Biểu mẫu',
};

function labelOfField(field: string): string {
  const m = /^instalments\.(\d+)\.(dueDate|amount)$/.exec(field);
  if (m) return `Kỳ ${Number(m[1]) + 1}: ${m[2] === 'dueDate' ? 'ngày' : 'số tiền'}`;
  return FIELD_LABELS[field] ?? 'Biểu mẫu';
}

/** The list of what to fix, focused when the page opens after a failed submit (no script: `autofocus`). */
function errorSummary(errors: Record<string, string[]>, idOf: (field: string) => string, id: string): Html | '' {
  const fields = Object.keys(errors);
  if (fields.length === 0) return '';
  return html`<div class="error-summary" role="alert" tabindex="-1" id="${id}" autofocus><h3>Chưa ghi được: hãy sửa ${fields.length} mục dưới đây (please fix)</h3><ul>${fields.map((f) => html`<li><a href="#${idOf(f)}">${labelOfField(f)}</a>: ${(errors[f] ?? []).map((r) => reasonVi(r, f)).join('; ')}</li>`)}</ul></div>`;
}

const idOfField = (field: string) => `f-${field.replace(/\./g, '-')}`;
const idOfContactField = (field: string) => `c-${field}`;

function outcomeForm(viewer: Viewer, data: TaskPageData): Html {
  const { task, form, errors } = data;
  const outcomes = TASK_OUTCOMES_BY_TYPE[task.type];
  const rows = Math.min(data.maxInstalments, Math.max(PLAN_ROWS, form.instalments.length + 1));
  const input = (field: string, label: string, value: string, type: 'date' | 'text', hint?: string) => {
    const id = idOfField(field);
    return html`<div class="field"><label for="${id}">${label}</label>${hint ? html`<span class="hint" id="${id}-hint">${hint}</span>` : ''}
      <input id="${id}" name="${field}" type="${type}" value="${value}"${type === 'text' ? html` inputmode="numeric" autocomplete="off"` : ''}${describedBy(errors, field, id, hint ? `${id}-hint` : undefined)}>
      ${fieldError(errors, field, id)}</div>`;
  };
  return html`<section aria-labelledby="outcome-title"><h2 id="outcome-title">Ghi nhận kết quả <span lang="en" class="en">(record the outcome)</span></h2>
${errorSummary(errors, idOfField, 'error-summary')}
<form method="post" action="/inbox/tasks/${encodeURIComponent(task.taskId)}/outcome" novalidate>
  ${csrfField(viewer)}
  <div class="field"><label for="f-outcome">Kết quả (outcome)</label>
    <select id="f-outcome" name="outcome" required${describedBy(errors, 'outcome', 'f-outcome')}>
      <option value=""${form.outcome === '' ? ' selected' : ''}>— Chọn kết quả —</option>
      ${outcomes.map((o) => html`<option value="${o}"${form.outcome === o ? html` selected` : ''}>${OUTCOME_LABELS[o]}</option>`)}
    </select>${fieldError(errors, 'outcome', 'f-outcome')}</div>
  ${outcomes.includes('promised-to-pay') ? html`<fieldset id="${idOfField('promise')}"><legend>Hứa trả nợ: chỉ điền khi chọn "Hứa trả nợ" <span lang="en" class="en">(promise to pay)</span></legend>
    ${fieldError(errors, 'promise', idOfField('promise'))}
    ${input('promise.payBy', 'Ngày hứa trả (pay by)', form.payBy, 'date')}
    ${input('promise.amount', 'Số tiền hứa trả, đồng (amount, ₫)', form.amount, 'text', data.case ? `Nợ hiện tại (current debt): ${formatVnd(data.case.ledger.debt)}` : undefined)}
  </fieldset>` : ''}
  ${outcomes.includes('plan-agreed') ? html`<fieldset id="${idOfField('instalments')}"><legend>Kế hoạch trả góp, tối đa ${data.maxInstalments} kỳ: chỉ điền khi chọn "Thỏa thuận trả góp" <span lang="en" class="en">(payment plan)</span></legend>
    ${fieldError(errors, 'instalments', idOfField('instalments'))}
    ${Array.from({ length: rows }, (_, i) => html`<div class="row">
      ${input(`instalments.${i}.dueDate`, `Kỳ ${i + 1}: ngày (due date)`, form.instalments[i]?.dueDate ?? '', 'date')}
      ${input(`instalments.${i}.amount`, `Kỳ ${i + 1}: số tiền, đồng (amount, ₫)`, form.instalments[i]?.amount ?? '', 'text')}
    </div>`)}
  </fieldset>` : ''}
  ${outcomes.includes('registered') ? html`<fieldset id="${idOfField('registered')}-group"><legend>Đăng ký thêm lao động: chỉ điền khi chọn "${OUTCOME_VI.registered}" <span lang="en" class="en">(employees registered)</span></legend>
    <div class="field"><label for="${idOfField('registered')}">Số lao động đơn vị đã đăng ký thêm (number of employees)</label><span class="hint" id="${idOfField('registered')}-hint">Số nguyên từ 1 đến ${MAX_REGISTERED_PER_CHECK.toLocaleString('vi-VN')}</span>
      <input id="${idOfField('registered')}" name="registered" type="number" min="1" max="${MAX_REGISTERED_PER_CHECK}" step="1" inputmode="numeric" autocomplete="off" value="${form.registered ?? ''}"${describedBy(errors, 'registered', idOfField('registered'), `${idOfField('registered')}-hint`)}>
      ${fieldError(errors, 'registered', idOfField('registered'))}</div>
  </fieldset>` : ''}
  ${outcomes.includes('explained') && data.taxCheck ? html`<div class="field"><label for="${idOfField('reason')}">Lý do giải trình: chỉ chọn khi chọn "${OUTCOME_VI.explained}" (reason)</label>
    <select id="${idOfField('reason')}" name="reason"${describedBy(errors, 'reason', idOfField('reason'))}>
      <option value=""${!form.reason ? ' selected' : ''}>— Chọn lý do —</option>
      ${data.taxCheck.reasons.map((r) => html`<option value="${r.code}"${form.reason === r.code ? html` selected` : ''}>${r.vi}</option>`)}
    </select>${fieldError(errors, 'reason', idOfField('reason'))}</div>` : ''}
  <div class="field"><label for="f-note">Ghi chú (note)</label>
    <textarea id="f-note" name="note" rows="3" maxlength="1000"${describedBy(errors, 'note', 'f-note')}>${form.note}</textarea>${fieldError(errors, 'note', 'f-note')}</div>
  <button type="submit">Ghi kết quả (record)</button>
</form></section>`;
}

function contactForm(viewer: Viewer, data: TaskPageData): Html {
  const { contactForm: form, contactErrors: errors, task } = data;
  const id = idOfContactField;
  const choose = (field: 'channel' | 'result', label: string, labels: Record<string, string>, values: readonly string[]) => html`<div class="field"><label for="${id(field)}">${label}</label>
    <select id="${id(field)}" name="${field}"${describedBy(errors, field, id(field))}>
      <option value=""${form[field] === '' ? ' selected' : ''}>— Chọn —</option>
      ${values.map((v) => html`<option value="${v}"${form[field] === v ? html` selected` : ''}>${labels[v]}</option>`)}
    </select>${fieldError(errors, field, id(field))}</div>`;
  return html`<section aria-labelledby="contact-title"><h2 id="contact-title">Ghi lần liên hệ <span lang="en" class="en">(log a contact attempt)</span></h2>
<p class="hint">Nhiệm vụ vẫn mở; ghi kết quả khi đã xong. (The task stays open.)</p>
${errorSummary(errors, id, 'contact-error-summary')}
<form method="post" action="/inbox/tasks/${encodeURIComponent(task.taskId)}/contact" novalidate>
  ${csrfField(viewer)}
  <input type="hidden" name="attemptId" value="${form.attemptId}">
  <div class="row">
  <div class="field"><label for="${id('on')}">Ngày liên hệ (date)</label><input id="${id('on')}" name="on" type="date" value="${form.on}"${describedBy(errors, 'on', id('on'))}>${fieldError(errors, 'on', id('on'))}</div>
  ${choose('channel', 'Hình thức liên hệ (channel)', CHANNEL_VI, CONTACT_CHANNELS)}
  </div>
  <div class="field"><label for="${id('personMet')}">Người gặp (person met)</label><input id="${id('personMet')}" name="personMet" type="text" maxlength="120" autocomplete="off" value="${form.personMet}"${describedBy(errors, 'personMet', id('personMet'))}>${fieldError(errors, 'personMet', id('personMet'))}</div>
  ${choose('result', 'Tình hình liên hệ (result)', RESULT_VI, CONTACT_RESULTS)}
  <div class="field"><label for="${id('note')}">Ghi chú lần liên hệ (note)</label><textarea id="${id('note')}" name="note" rows="2" maxlength="1000"${describedBy(errors, 'note', id('note'))}>${form.note}</textarea>${fieldError(errors, 'note', id('note'))}</div>
  <button type="submit">Ghi lần liên hệ (log)</button>
</form></section>`;
}

function reassignForm(viewer: Viewer, data: TaskPageData): Html {
  const id = 'f-officerId';
  const hasError = data.reassignErrors.length > 0;
  return html`<section aria-labelledby="reassign-title"><h2 id="reassign-title">Giao lại cho cán bộ khác <span lang="en" class="en">(reassign)</span></h2>
${hasError ? html`<div class="error-summary" role="alert" tabindex="-1" id="reassign-error-summary" autofocus><h3>Chưa giao lại được</h3><ul><li><a href="#${id}">Cán bộ nhận</a>: ${data.reassignErrors.map((r) => reasonVi(r)).join('; ')}</li></ul></div>` : ''}
<form method="post" action="/inbox/tasks/${encodeURIComponent(data.task.taskId)}/reassign">
  ${csrfField(viewer)}
  <div class="field"><label for="${id}">Cán bộ nhận (officer)</label>
  <select id="${id}" name="officerId"${hasError ? html` aria-invalid="true" aria-describedby="${id}-error"` : ''}>
    ${data.reassignTo.map((o) => html`<option value="${o.officerId}"${o.officerId === data.task.officerId ? html` selected` : ''}>${o.name} (${o.officerId})</option>`)}
  </select>
  ${hasError ? html`<p class="error" id="${id}-error">${data.reassignErrors.map((r) => html`<span>${reasonVi(r)}</span> `)}</p>` : ''}</div>
  <button type="submit">Giao lại (reassign)</button>
</form></section>`;
}

/** A tax-data check's finding: what reconciliation found, in figures (a personal ID masked, no names). */
function findingSection(check: TaxCheckView): Html {
  return html`<section aria-labelledby="finding-title"><h2 id="finding-title">Phát hiện qua đối chiếu dữ liệu thuế <span lang="en" class="en">(the finding)</span></h2>
<dl class="facts finding">
  <dt>Loại phát hiện</dt><dd>${FINDING_KIND_VI[check.kind]}</dd>
  <dt>Năm dữ liệu thuế</dt><dd>${check.year}</dd>
  <dt>Đợt kiểm tra</dt><dd>${quarterVi(check.quarter)}</dd>
  <dt>Số phải đóng ước tính chưa đóng</dt><dd><strong>${formatVnd(check.notPaid)}</strong>${check.months > 0 ? html` (${check.months} ${check.basis === 'per-employee' && check.kind !== 'unregistered-organisation' ? 'tháng' : 'tháng-người'})` : ''}</dd>
  <dt>Số lao động chưa tham gia</dt><dd>${check.employeesNotCovered}</dd>
  <dt>Tính là trốn đóng từ ngày</dt><dd>${check.evasionFrom ? dateCell(check.evasionFrom) : 'Chưa đến hạn (not yet)'}</dd>
  ${check.employee ? html`<dt>Số định danh người lao động</dt><dd><span class="id">${check.employee}</span> (đã che, masked)</dd>` : ''}
  <dt>Căn cứ ước tính</dt><dd>${FINDING_BASIS_VI[check.basis]}</dd>
  ${check.result ? html`<dt>Kết quả đã ghi</dt><dd>${OUTCOME_VI[check.result.outcome as TaskOutcome] ?? check.result.outcome}${check.result.registered ? html`: ${check.result.registered} lao động` : ''}${check.result.reason ? html`: ${check.reasons.find((r) => r.code === check.result!.reason)?.vi ?? check.result.reason}` : ''}</dd>` : ''}
</dl></section>`;
}

/** An organisation with no SI unit, as the tax data has it (it has no case yet). */
function organisationSection(org: NonNullable<TaxCheckView['organisation']>, standIn: string): Html {
  return html`<section aria-labelledby="org-title"><h2 id="org-title">Tổ chức chưa đăng ký tham gia BHXH <span lang="en" class="en">(organisation, from the tax data)</span></h2>
<p>Chưa có mã đơn vị BHXH và chưa có hồ sơ đôn đốc; nhiệm vụ dùng mã tạm <span class="id">${standIn}</span>. (No SI unit, no case yet.)</p>
<dl class="facts finding">
  <dt>Mã số thuế</dt><dd>${org.taxCode}</dd>
  <dt>Tên</dt><dd>${org.name}</dd>
  <dt>Địa chỉ</dt><dd>${org.address ?? 'Chưa có trong dữ liệu thuế (not in the tax data)'}</dd>
  <dt>Quận, huyện</dt><dd>${org.district}</dd>
  ${org.employeesPaid !== undefined ? html`<dt>Số lao động được trả lương (theo thuế)</dt><dd>${org.employeesPaid}</dd>` : ''}
</dl></section>`;
}

const quarterVi = (quarter: string) => {
  const m = /^(\d{4})-Q([1-4])$/.exec(quarter);
  return m ? `Quý ${m[2]}/${m[1]}` : quarter;
};

export function taskPage(viewer: Viewer, data: TaskPageData, status = 200): { status: number; body: string } {
  const { task } = data;
  const unit = data.case?.unit;
  const org = data.taxCheck?.organisation;
  const name = unit?.name ?? org?.name ?? task.unitCode;
  const code = unit?.unitCode ?? (org ? `MST ${org.taxCode}` : task.unitCode);
  const title = `${name} (${code})`;
  const open = task.status === 'open';
  const body = html`
<p><a href="/inbox">← Danh sách nhiệm vụ (worklist)</a>${unit ? html` · <a href="/inbox/cases/${encodeURIComponent(unit.unitCode)}">Hồ sơ đơn vị (case)</a>` : ''}</p>
<h1>${name} <span class="id">${code}</span></h1>
<p class="lead">${TASK_TYPE_VI[task.type]}${task.escalated ? ' (chuyển tổ trưởng)' : ''} · hạn ${dateCell(task.dueDate)}${task.overdue ? html` · ${overdueBadge}` : ''}
 · cán bộ ${data.officerName ?? task.officerId} <span class="id">${task.officerId}</span>
 · ${open ? 'đang mở (open)' : html`<strong>${TASK_STATUS_VI[task.status]}${task.outcome ? html`: ${OUTCOME_VI[task.outcome]}` : ''}</strong>`}</p>
${data.notice ? html`<p class="notice" role="status">${data.notice}</p>` : ''}
${data.taxCheck ? findingSection(data.taxCheck) : ''}
${org ? organisationSection(org, task.unitCode) : ''}
${open && data.canAct ? outcomeForm(viewer, data) : ''}
${open && data.canAct && data.case ? contactForm(viewer, data) : ''}
${open && data.canAct && data.reassignTo.length > 0 ? reassignForm(viewer, data) : ''}
${data.case ? caseSections(data.case, task.taskId) : ''}`;
  return { status, body: layout(title, viewer, body) };
}

export const INBOX_CSS = `
*,*::before,*::after{box-sizing:border-box}
html{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;font-size:100%;line-height:1.5;color:#1b1b1b;background:#fff}
body{margin:0}
header{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;justify-content:space-between;padding:.5rem 1rem;background:#0b4f8a;color:#fff}
header a{color:#fff}
.brand{margin:0;font-weight:700}
.who{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center}
.who form{margin:0}
main{max-width:60rem;margin:0 auto;padding:1rem}
h1{font-size:1.5rem;line-height:1.25}
h2{font-size:1.2rem;margin-top:2rem}
.en{font-weight:400;color:#555;font-size:.85em}
header .en,header .id{color:#dde}
.id{font-family:ui-monospace,monospace;font-size:.85em;color:#555}
a{color:#0b4f8a}
a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,textarea:focus-visible,summary:focus-visible,[tabindex]:focus-visible{outline:3px solid #1b1b1b;outline-offset:2px}
header a:focus-visible,header button:focus-visible{outline-color:#fff}
.vh{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
.skip{position:absolute;left:-999px}
.skip:focus{left:1rem;top:1rem;background:#fff;color:#0b4f8a;padding:.5rem;z-index:1}
.tasks{list-style:none;padding:0;display:grid;gap:.75rem}
.task{border:1px solid #ccc;border-left:6px solid #0b4f8a;border-radius:4px;padding:.5rem 1rem}
.task.overdue{border-left-color:#b00020}
.task h2,.task h3{margin:0;font-size:1.1rem}
.figures{display:flex;flex-wrap:wrap;gap:.25rem 1.25rem;margin:.25rem 0}
.figures div{display:flex;gap:.35rem}
.figures dt{color:#444}
.figures dd{margin:0;font-weight:600}
.priority{color:#1b1b1b}
.tabs{list-style:none;display:flex;gap:1rem;padding:0;margin:.5rem 0}
.tabs a[aria-current]{font-weight:700;text-decoration:none;border-bottom:3px solid #0b4f8a}
.filters{border:1px solid #ccc;border-radius:4px;padding:.25rem 1rem .75rem;margin:1rem 0}
.filters .row{grid-template-columns:repeat(auto-fit,minmax(10rem,1fr))}
.bulk{background:#f3f6fa;border:1px solid #b8c6d6;border-radius:4px;padding:.25rem 1rem .75rem;margin:1rem 0}
.group h2{font-size:1.1rem}
.select{margin:.25rem 0}
.select input{width:auto;margin-right:.35rem}
.select label{display:inline;font-weight:400}
.note{white-space:pre-wrap;overflow-wrap:anywhere}
.contacts li,.unit-tasks li{margin:.35rem 0}
.task p{margin:.25rem 0}
.badge{color:#b00020}
.notice{background:#e6f4ea;border:1px solid #1e7b34;padding:.5rem 1rem}
.facts{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}
.facts dt{font-weight:600}
.facts dd{margin:0;overflow-wrap:anywhere}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;min-width:36rem}
th,td{border-bottom:1px solid #ddd;padding:.25rem .5rem;text-align:left}
.num{text-align:right;font-variant-numeric:tabular-nums}
tr.overdue th{color:#b00020}
form .field{margin:.75rem 0}
label,legend{display:block;font-weight:600}
.hint{display:block;color:#555;font-size:.9em}
input,select,textarea{font:inherit;width:100%;max-width:28rem;padding:.5rem;border:1px solid #666;border-radius:4px}
fieldset{border:1px solid #ccc;border-radius:4px;margin:1rem 0;padding:.5rem 1rem}
.row{display:grid;grid-template-columns:repeat(auto-fit,minmax(12rem,1fr));gap:0 1rem}
[aria-invalid="true"]{border:2px solid #b00020}
.error{color:#b00020;font-weight:600;margin:.25rem 0}
.error-summary{border:3px solid #b00020;padding:.5rem 1rem;margin:1rem 0}
.error-summary h3{margin:.25rem 0;font-size:1rem}
button{font:inherit;font-weight:600;padding:.6rem 1.2rem;border:0;border-radius:4px;background:#0b4f8a;color:#fff;cursor:pointer}
button.link{background:none;color:inherit;text-decoration:underline;padding:.25rem}
.history{padding-left:1.25rem}
.history li{margin:.25rem 0}
.detail{color:#444;font-size:.9em;overflow-wrap:anywhere}
.hash{font-family:monospace;overflow-wrap:anywhere}
caption{text-align:left;font-weight:600;padding:.25rem 0}
.signin li{margin:.25rem 0}
ul.plain{list-style:none;padding:0}
.signin label{display:inline;font-weight:400}
.signin input{width:auto}
.report .figures{gap:.5rem 1rem;margin:1rem 0}
.report .figure{display:block;border:1px solid #ccc;border-radius:4px;padding:.5rem 1rem;min-width:12rem}
.report .figure strong{display:block;font-size:1.2rem}
.report td{text-align:right;font-variant-numeric:tabular-nums}
.report thead th{vertical-align:bottom}
@media (max-width:30rem){main{padding:.5rem}h1{font-size:1.25rem}}
@media (max-width:40rem){.facts.finding{grid-template-columns:minmax(0,1fr)}.facts.finding dd{margin-bottom:.35rem}}
`;
