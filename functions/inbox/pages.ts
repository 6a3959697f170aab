import { html, type Html } from '../commons/html.ts';
import { CSRF_FIELD } from '../api/edge.ts';
import { PLAN_ROWS, PLAN_ROWS_MAX, reasonVi, viDate, type OutcomeForm } from './forms.ts';
import { formatVnd } from '../core/money.ts';
import { OFFICE_TIME_ZONE } from '../core/policy.ts';
import type { Staff } from '../core/staff-access.ts';
import type { LedgerStatus } from '../core/ledger.ts';
import { describeCaseEvent } from '../core/case-events.ts';
import { TASK_OUTCOMES_BY_TYPE, type CaseEvent, type Employer, type TaskOutcome, type TaskRecord } from '../commons/records.ts';

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
};

const TYPE_LABELS: Record<TaskRecord['type'], string> = {
  visit: 'Làm việc tại đơn vị (visit)', inspection: 'Thanh tra (inspection)', 'renewal-visit': 'Vận động gia hạn (renewal visit)',
};
const GROUP_LABELS: Record<string, string> = { officer: 'cán bộ thu', 'team-lead': 'tổ trưởng', inspector: 'thanh tra viên', manager: 'lãnh đạo' };

const DATE_TIME = new Intl.DateTimeFormat('vi-VN', { timeZone: OFFICE_TIME_ZONE, dateStyle: 'short', timeStyle: 'short' });

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
<header><p class="brand"><a href="/inbox">Hộp việc thu nợ BHXH</a> <span lang="en">(arrears inbox)</span></p>${who}</header>
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
const instant = (at: string) => html`<time datetime="${at}">${DATE_TIME.format(new Date(at))}</time>`;

export interface TaskListItem {
  task: Omit<TaskRecord, 'token'> & { overdue: boolean };
  unitName?: string | undefined;
  officerName?: string | undefined;
}

export function taskListPage(viewer: Viewer, items: TaskListItem[], options: { team: boolean; notice?: string | undefined }): string {
  const heading = options.team ? 'Nhiệm vụ của tôi và của tổ' : 'Nhiệm vụ của tôi';
  const list = items.length === 0
    ? html`<p>Không có nhiệm vụ đang mở. <span lang="en">(No open tasks.)</span></p>`
    : html`<ol class="tasks">${items.map(({ task, unitName, officerName }) => html`
<li class="task${task.overdue ? ' overdue' : ''}" data-task="${task.taskId}">
  <h2><a href="/inbox/tasks/${encodeURIComponent(task.taskId)}">${unitName ?? task.unitCode} <span class="id">${task.unitCode}</span></a></h2>
  <p>${TYPE_LABELS[task.type]} · hạn ${dateCell(task.dueDate)}${task.overdue ? html` · <strong class="badge">Quá hạn (overdue)</strong>` : ''}</p>
  ${task.officerId !== viewer.staff.staffId ? html`<p>Cán bộ: ${officerName ?? task.officerId} <span class="id">${task.officerId}</span></p>` : ''}
</li>`)}</ol>`;
  return layout(heading, viewer, html`
<h1>${heading} <span lang="en" class="en">(my open tasks)</span></h1>
${options.notice ? html`<p class="notice" role="status">${options.notice}</p>` : ''}
<p>${items.length} nhiệm vụ đang mở, sắp theo hạn (by due date).</p>
${list}`);
}

export interface TaskPageData {
  task: Omit<TaskRecord, 'token'> & { overdue: boolean };
  unit: Employer;
  ledger: LedgerStatus;
  history: CaseEvent[];
  referral: { markdown: string; sha256: string } | null;
  canAct: boolean;
  /** Team members the viewer (a team lead) may give the task to. */
  reassignTo: { officerId: string; name: string }[];
  form: OutcomeForm;
  errors: Record<string, string[]>;
  reassignErrors: string[];
  officerName?: string | undefined;
}

function fieldError(errors: Record<string, string[]>, field: string, id: string): Html | '' {
  const list = errors[field];
  if (!list?.length) return '';
  return html`<p class="error" id="${id}-error">${list.map((r) => html`<span>${reasonVi(r)}</span> `)}</p>`;
}

function describedBy(errors: Record<string, string[]>, field: string, id: string, hint?: string): Html {
  const ids = [hint, errors[field]?.length ? `${id}-error` : undefined].filter(Boolean).join(' ');
  return html`${ids ? html` aria-describedby="${ids}"` : ''}${errors[field]?.length ? html` aria-invalid="true"` : ''}`;
}

const FIELD_LABELS: Record<string, string> = {
  outcome: 'Kết quả', promise: 'Hứa trả', 'promise.payBy': 'Ngày hứa trả', 'promise.amount': 'Số tiền hứa trả',
  instalments: 'Kế hoạch trả góp', note: 'Ghi chú',
};

function labelOfField(field: string): string {
  const m = /^instalments\.(\d+)\.(dueDate|amount)$/.exec(field);
  if (m) return `Kỳ ${Number(m[1]) + 1}: ${m[2] === 'dueDate' ? 'ngày' : 'số tiền'}`;
  return FIELD_LABELS[field] ?? field;
}

const idOfField = (field: string) => `f-${field.replace(/\./g, '-')}`;

function outcomeForm(viewer: Viewer, data: TaskPageData): Html {
  const { task, form, errors } = data;
  const outcomes = TASK_OUTCOMES_BY_TYPE[task.type];
  const rows = Math.min(PLAN_ROWS_MAX, Math.max(PLAN_ROWS, form.instalments.length + 1));
  const errorFields = Object.keys(errors);
  const summary = errorFields.length > 0
    ? html`<div class="error-summary" role="alert" tabindex="-1" id="error-summary"><h3>Chưa ghi được: hãy sửa ${errorFields.length} mục dưới đây (please fix)</h3><ul>${errorFields.map((f) => html`<li><a href="#${idOfField(f)}">${labelOfField(f)}</a>: ${(errors[f] ?? []).map(reasonVi).join('; ')}</li>`)}</ul></div>`
    : '';
  const input = (field: string, label: string, value: string, type: 'date' | 'text', hint?: string) => {
    const id = idOfField(field);
    return html`<div class="field"><label for="${id}">${label}</label>${hint ? html`<span class="hint" id="${id}-hint">${hint}</span>` : ''}
      <input id="${id}" name="${field}" type="${type}" value="${value}"${type === 'text' ? html` inputmode="numeric" autocomplete="off"` : ''}${describedBy(errors, field, id, hint ? `${id}-hint` : undefined)}>
      ${fieldError(errors, field, id)}</div>`;
  };
  return html`<section aria-labelledby="outcome-title"><h2 id="outcome-title">Ghi nhận kết quả <span lang="en" class="en">(record the outcome)</span></h2>
${summary}
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
    ${input('promise.amount', 'Số tiền hứa trả, đồng (amount, ₫)', form.amount, 'text', `Nợ hiện tại (current debt): ${formatVnd(data.ledger.debt)}`)}
  </fieldset>` : ''}
  <fieldset id="${idOfField('instalments')}"><legend>Kế hoạch trả góp: chỉ điền khi chọn "Thỏa thuận trả góp" <span lang="en" class="en">(payment plan)</span></legend>
    ${fieldError(errors, 'instalments', idOfField('instalments'))}
    ${Array.from({ length: rows }, (_, i) => html`<div class="row">
      ${input(`instalments.${i}.dueDate`, `Kỳ ${i + 1}: ngày (due date)`, form.instalments[i]?.dueDate ?? '', 'date')}
      ${input(`instalments.${i}.amount`, `Kỳ ${i + 1}: số tiền, đồng (amount, ₫)`, form.instalments[i]?.amount ?? '', 'text')}
    </div>`)}
  </fieldset>
  <div class="field"><label for="f-note">Ghi chú (note)</label>
    <textarea id="f-note" name="note" rows="3" maxlength="1000"${describedBy(errors, 'note', 'f-note')}>${form.note}</textarea>${fieldError(errors, 'note', 'f-note')}</div>
  <button type="submit">Ghi kết quả (record)</button>
</form></section>`;
}

function reassignForm(viewer: Viewer, data: TaskPageData): Html {
  const id = 'f-officerId';
  const hasError = data.reassignErrors.length > 0;
  return html`<section aria-labelledby="reassign-title"><h2 id="reassign-title">Giao lại cho cán bộ khác <span lang="en" class="en">(reassign)</span></h2>
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

export function taskPage(viewer: Viewer, data: TaskPageData, status = 200): { status: number; body: string } {
  const { task, unit, ledger } = data;
  const late = ledger.periods.filter((p) => p.balance > 0 || p.interest > 0);
  const title = `${unit.name} (${unit.unitCode})`;
  const body = html`
<p><a href="/inbox">← Danh sách nhiệm vụ (task list)</a></p>
<h1>${unit.name} <span class="id">${unit.unitCode}</span></h1>
<p class="lead">${TYPE_LABELS[task.type]} · hạn ${dateCell(task.dueDate)}${task.overdue ? html` · <strong class="badge">Quá hạn (overdue)</strong>` : ''}
 · cán bộ ${data.officerName ?? task.officerId} <span class="id">${task.officerId}</span>
 · ${task.status === 'open' ? 'đang mở (open)' : html`<strong>đã đóng (${task.status})${task.outcome ? html`: ${OUTCOME_LABELS[task.outcome]}` : ''}</strong>`}</p>

<section aria-labelledby="unit-title"><h2 id="unit-title">Đơn vị <span lang="en" class="en">(unit)</span></h2>
<dl class="facts">
  <dt>Mã đơn vị</dt><dd>${unit.unitCode}</dd>
  <dt>Tên</dt><dd>${unit.name}</dd>
  <dt>Mã số thuế</dt><dd>${unit.taxCode}</dd>
  <dt>Địa bàn</dt><dd>${unit.commune}, ${unit.district}</dd>
  <dt>Điện thoại</dt><dd><a href="tel:${unit.phone}">${unit.phone}</a></dd>
  <dt>Email</dt><dd>${unit.email}</dd>
</dl></section>

<section aria-labelledby="debt-title"><h2 id="debt-title">Nợ theo kỳ <span lang="en" class="en">(debt by period)</span></h2>
<p>Tổng nợ phải trả (debt): <strong>${formatVnd(ledger.debt)}</strong> · nợ gốc quá hạn ${formatVnd(ledger.overduePrincipal)} · lãi chậm đóng ${formatVnd(ledger.interestOutstanding)} · ${ledger.monthsOverdue} tháng chậm đóng, tính đến ${dateCell(ledger.asOf)}</p>
<div class="scroll" tabindex="0" role="region" aria-labelledby="debt-title"><table>
<thead><tr><th scope="col">Kỳ</th><th scope="col">Hạn nộp</th><th scope="col" class="num">Phải nộp</th><th scope="col" class="num">Đã nộp</th><th scope="col" class="num">Còn nợ</th><th scope="col" class="num">Ngày chậm</th><th scope="col" class="num">Lãi</th></tr></thead>
<tbody>${late.length === 0 ? html`<tr><td colspan="7">Không còn kỳ nợ (nothing owed)</td></tr>` : late.map((p) => html`<tr${p.overdue ? html` class="overdue"` : ''}><th scope="row">${p.period}</th><td>${dateCell(p.dueDate)}</td><td class="num">${formatVnd(p.amountDue)}</td><td class="num">${formatVnd(p.amountPaid)}</td><td class="num">${formatVnd(p.balance)}</td><td class="num">${p.daysLate}</td><td class="num">${formatVnd(p.interest)}</td></tr>`)}</tbody>
</table></div></section>

${task.status === 'open' && data.canAct ? outcomeForm(viewer, data) : ''}
${task.status === 'open' && data.canAct && data.reassignTo.length > 0 ? reassignForm(viewer, data) : ''}

<section aria-labelledby="history-title"><h2 id="history-title">Lịch sử hồ sơ <span lang="en" class="en">(case history)</span></h2>
<ol class="history">${data.history.map((e) => html`<li>${instant(e.at)} · <strong>${e.kind}</strong> · ${e.actor}<br><span class="detail">${describeCaseEvent(e)}</span></li>`)}</ol>
</section>

<section aria-labelledby="referral-title"><h2 id="referral-title">Hồ sơ chuyển thanh tra <span lang="en" class="en">(referral pack)</span></h2>
${data.referral ? html`<details><summary>Xem hồ sơ (SHA-256 <code>${data.referral.sha256.slice(0, 16)}…</code>)</summary><pre class="pack">${data.referral.markdown}</pre></details>` : html`<p>Chưa lập được. (Not available.)</p>`}
</section>`;
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
a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,textarea:focus-visible,summary:focus-visible,[tabindex]:focus-visible{outline:3px solid #f5a623;outline-offset:2px}
.skip{position:absolute;left:-999px}
.skip:focus{left:1rem;top:1rem;background:#fff;color:#0b4f8a;padding:.5rem;z-index:1}
.tasks{list-style:none;padding:0;display:grid;gap:.75rem}
.task{border:1px solid #ccc;border-left:6px solid #0b4f8a;border-radius:4px;padding:.5rem 1rem}
.task.overdue{border-left-color:#b00020}
.task h2{margin:0;font-size:1.1rem}
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
.pack{white-space:pre-wrap;overflow-wrap:anywhere;background:#f6f6f6;padding:.75rem;font-size:.85rem}
.signin li{margin:.25rem 0}
ul.plain{list-style:none;padding:0}
.signin label{display:inline;font-weight:400}
.signin input{width:auto}
@media (max-width:30rem){main{padding:.5rem}h1{font-size:1.25rem}}
`;
