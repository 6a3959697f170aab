import { html, type Html } from '../commons/html.ts';
import { formatDailyRate, formatVnd } from '../core/money.ts';
import type { Allocation } from '../core/ledger.ts';
import type { ContactEvent, ReferralNotice, ReferralPack } from '../core/referral-pack.ts';
import type { FindingKind } from '../core/reconciliation.ts';
import { HOLD_REASON_VI, OUTCOME_VI, RESULT_VI, STAGE_VI, TASK_TYPE_VI, viDate, viMonth } from './words.ts';

/**
 * The referral pack (core/referral-pack.ts: what it holds) on the case and task pages, as HTML
 * tables in Vietnamese with dates as people write them; the same pack as the Markdown and JSON
 * downloads beside it (their links: `referralPackLinks`), the JSON being the very text its SHA-256
 * is of. Every value goes through the escaping template.
 */

const NOTICE_STATUS_VI: Record<ReferralNotice['status'], string> = {
  sent: 'đã gửi', failed: 'gửi lỗi, sẽ gửi lại', held: 'tạm dừng', 'not-needed': 'không cần (đã nộp)', claimed: 'đang gửi',
  lapsed: 'hết hiệu lực', 'failed-permanent': 'bị từ chối (địa chỉ sai)', abandoned: 'bỏ (không rõ đã gửi)',
};

const CONTACT_EVENT_VI: Record<ContactEvent, string> = {
  'task-opened': 'Giao nhiệm vụ', attempt: 'Liên hệ', outcome: 'Ghi kết quả', 'timed-out': 'Quá hạn', 'closed-by-payment': 'Đóng do đơn vị đã nộp',
};

const FINDING_KIND_VI: Record<FindingKind, string> = {
  'unregistered-organisation': 'Tổ chức chưa tham gia', 'unregistered-employee': 'Người lao động chưa tham gia',
  'under-declared-wage': 'Đóng thấp hơn tiền lương', 'closed-with-debt': 'Ngừng hoạt động còn nợ',
};

const dash = '–';
const date = (d: string | null | undefined) => (d ? html`<time datetime="${d}">${viDate(d)}</time>` : dash);
const money = (v: number) => html`<td class="num">${formatVnd(v)}</td>`;

/** What a contact's outcome says: a task's outcome or an attempt's result, in words. */
function outcomeVi(outcome: string | null): string {
  if (!outcome) return dash;
  return (OUTCOME_VI as Record<string, string>)[outcome] ?? (RESULT_VI as Record<string, string>)[outcome] ?? outcome;
}

function allocationVi(to: Allocation['to']): string {
  if (to === 'interest') return 'lãi';
  if (to === 'credit') return 'tiền thừa';
  return `kỳ ${viMonth(to)}`;
}

/** A table that may be wider than a phone: it scrolls inside a focusable, named region (keyboard users can scroll it too). */
function scrolling(label: string, caption: string, head: readonly string[], rows: readonly Html[], numeric: ReadonlySet<number> = new Set()): Html {
  return html`<div class="scroll" tabindex="0" role="group" aria-label="${label}, cuộn ngang (scrolls)"><table>
<caption>${caption}</caption>
<thead><tr>${head.map((h, i) => html`<th scope="col"${numeric.has(i) ? html` class="num"` : ''}>${h}</th>`)}</tr></thead>
<tbody>${rows}</tbody></table></div>`;
}

/** The download links of a unit's pack (the routes `…/referral-pack.md` and `.json`). */
export function referralPackLinks(unitCode: string): { markdown: string; json: string } {
  const base = `/inbox/cases/${encodeURIComponent(unitCode)}/referral-pack`;
  return { markdown: `${base}.md`, json: `${base}.json` };
}

/** The downloads of the pack: the Markdown for reading or printing, the JSON whose hash the case records. */
export function referralPackDownloads(unitCode: string): Html {
  const links = referralPackLinks(unitCode);
  return html`<p>Tải về (download): <a href="${links.markdown}" download>Hồ sơ dạng Markdown (.md)</a> · <a href="${links.json}" download>Hồ sơ dạng JSON (.json)</a></p>`;
}

/** The pack's content, below its section heading (h2) on the case page: h3 per part, a table each. */
export function referralPackHtml(pack: ReferralPack, sha256: string): Html {
  const { unit, position: pos } = pack;
  const c = pack.case;
  const i = pack.inspection;
  const late = pack.periods.filter((p) => p.balance > 0 || p.interest > 0);
  const settled = pack.periods.length - late.length;
  return html`
<p>Số liệu đến hết ngày ${date(pack.asOf)} (giờ Việt Nam), theo ${pack.policy.legalBasis}.</p>
<p class="detail">Mã kiểm tra SHA-256 của bản JSON (để đối chiếu bản in hoặc bản lưu): <span class="hash">${sha256}</span></p>

<h3>Hồ sơ đôn đốc</h3>
<dl class="facts">
  <dt>Trạng thái</dt><dd>${c ? (c.status === 'open' ? 'đang theo dõi' : 'đã đóng') : 'chưa có'}</dd>
  <dt>Giai đoạn</dt><dd>${c?.stage ? STAGE_VI[c.stage] : dash}</dd>
  <dt>Mở từ ngày</dt><dd>${date(c?.openedOn)}</dd>
  <dt>Cán bộ thu</dt><dd>${c?.officerId ?? dash}</dd>
  <dt>Thanh tra viên</dt><dd>${i?.inspectorId ?? c?.inspectorId ?? dash}</dd>
  ${i ? html`<dt>Nhiệm vụ thanh tra</dt><dd>hạn ${date(i.dueDate)}</dd>` : ''}
</dl>

<h3>Số nợ</h3>
${scrolling('Bảng số nợ', 'Số nợ tính đến ngày lập hồ sơ', ['Mục', 'Số tiền'], [
    html`<tr><th scope="row">Tiền gốc chậm đóng</th>${money(pos.overduePrincipal)}</tr>`,
    html`<tr><th scope="row">Lãi chậm đóng còn nợ (${formatDailyRate(pack.policy.dailyInterestRatePpm, 'vi')}/ngày)</th>${money(pos.interestOutstanding)}</tr>`,
    html`<tr><th scope="row"><strong>Tổng phải nộp</strong></th><td class="num"><strong>${formatVnd(pos.debt)}</strong></td></tr>`,
    html`<tr><th scope="row">Lãi đã phát sinh</th>${money(pos.interestAccrued)}</tr>`,
    html`<tr><th scope="row">Lãi đã nộp</th>${money(pos.interestPaid)}</tr>`,
    html`<tr><th scope="row">Chưa đến hạn</th>${money(pos.notYetDue)}</tr>`,
    html`<tr><th scope="row">Tiền thừa</th>${money(pos.credit)}</tr>`,
    html`<tr><th scope="row">Tổng phải đóng</th>${money(pos.totalDue)}</tr>`,
    html`<tr><th scope="row">Tổng đã đóng</th>${money(pos.totalPaid)}</tr>`,
  ], new Set([1]))}
<p>${pos.monthsOverdue} tháng chậm đóng${pos.oldestUnpaidPeriod ? html`, kỳ chưa đóng sớm nhất ${viMonth(pos.oldestUnpaidPeriod)}` : ''}.
Kỳ chậm quá ${pack.policy.evasionAfterDays} ngày (trốn đóng): ${pos.periodsPastEvasionThreshold.length > 0 ? pos.periodsPastEvasionThreshold.map(viMonth).join(', ') : 'không có'}.</p>

<h3>Các kỳ đóng còn nợ</h3>
${late.length === 0 ? html`<p>Không còn kỳ nợ.</p>` : scrolling('Bảng các kỳ còn nợ', 'Các kỳ đóng còn nợ hoặc còn lãi',
    ['Kỳ', 'Hạn nộp', 'Phải đóng', 'Đã đóng', 'Còn nợ', 'Ngày chậm', 'Lãi', 'Trốn đóng'],
    late.map((p) => html`<tr><th scope="row">${viMonth(p.period)}</th><td>${date(p.dueDate)}</td>${money(p.amountDue)}${money(p.amountPaid)}${money(p.balance)}<td class="num">${p.daysLate}</td>${money(p.interest)}<td>${p.pastEvasionThreshold ? 'có' : ''}</td></tr>`),
    new Set([2, 3, 4, 5, 6]))}
${settled > 0 ? html`<p>${settled} kỳ khác đã đóng đủ, đúng hạn.</p>` : ''}

<h3>Các khoản đã nộp</h3>
${pack.payments.length === 0 ? html`<p>Không có.</p>` : scrolling('Bảng các khoản đã nộp', 'Các khoản đã nộp và phân bổ',
    ['Ngày', 'Chứng từ', 'Số tiền', 'Phân bổ vào'],
    pack.payments.map((p) => html`<tr><td>${date(p.paidOn)}</td><td>${p.reference}</td>${money(p.amount)}<td>${p.allocations.map((a) => `${allocationVi(a.to)} ${formatVnd(a.amount)}`).join('; ')}</td></tr>`),
    new Set([2]))}

<h3>Thông báo đôn đốc đã gửi</h3>
${pack.notices.length === 0 ? html`<p>Không có.</p>` : scrolling('Bảng thông báo đôn đốc', 'Thông báo đôn đốc theo kỳ',
    ['Kỳ', 'Ngày gửi', 'Giai đoạn', 'Trạng thái', 'Số nợ đã nêu'],
    pack.notices.map((n) => html`<tr><th scope="row">${viMonth(n.cycle)}</th><td>${date(n.sentOn)}</td><td>${n.stage ? STAGE_VI[n.stage] : dash}</td><td>${NOTICE_STATUS_VI[n.status]}</td><td class="num">${n.debt === null ? dash : formatVnd(n.debt)}</td></tr>`),
    new Set([4]))}

<h3>Nhật ký làm việc của cán bộ</h3>
${pack.contacts.length === 0 ? html`<p>Không có.</p>` : scrolling('Bảng nhật ký làm việc', 'Nhật ký làm việc của cán bộ (không kèm người gặp và ghi chú)',
    ['Ngày', 'Kỳ', 'Nhiệm vụ', 'Cán bộ', 'Sự việc', 'Kết quả', 'Hạn', 'Có ghi chú'],
    pack.contacts.map((x) => html`<tr><td>${date(x.on)}</td><td>${viMonth(x.cycle)}</td><td>${TASK_TYPE_VI[x.taskType]}</td><td>${x.officerId}</td><td>${CONTACT_EVENT_VI[x.event]}</td><td>${outcomeVi(x.outcome)}</td><td>${date(x.dueDate)}</td><td>${x.noteRecorded ? 'có' : ''}</td></tr>`))}

<h3>Tạm dừng đôn đốc</h3>
<p>${pack.holds.current
    ? html`Hiện tại: ${HOLD_REASON_VI[pack.holds.current.reason]}, đến ngày ${date(pack.holds.current.until)} (${pack.holds.current.inForce ? 'đang hiệu lực' : 'đã hết hạn'}).`
    : 'Hiện không tạm dừng.'}</p>
${pack.holds.history.length === 0 ? '' : scrolling('Bảng lịch sử tạm dừng', 'Lịch sử tạm dừng đôn đốc',
    ['Ngày', 'Việc', 'Lý do', 'Đến ngày', 'Người thực hiện'],
    pack.holds.history.map((h) => html`<tr><td>${date(h.on)}</td><td>${h.action === 'set' ? 'đặt' : 'gỡ'}</td><td>${h.reason && h.reason in HOLD_REASON_VI ? HOLD_REASON_VI[h.reason as keyof typeof HOLD_REASON_VI] : (h.reason ?? dash)}</td><td>${date(h.until)}</td><td>${h.by}</td></tr>`))}

<h3>Phát hiện từ dữ liệu thuế</h3>
${pack.taxFindings.length === 0 ? html`<p>Không có phát hiện còn mở.</p>` : scrolling('Bảng phát hiện từ dữ liệu thuế', 'Phát hiện từ dữ liệu thuế còn mở hoặc đã chuyển thanh tra',
    ['Loại', 'Năm thuế', 'Người lao động chưa tham gia', 'Số tháng', 'Ước tính chưa đóng', 'Trốn đóng từ ngày', 'Trạng thái', 'Mở ngày'],
    pack.taxFindings.map((f) => html`<tr><th scope="row">${FINDING_KIND_VI[f.kind]}</th><td class="num">${f.year}</td><td class="num">${f.employeesNotCovered}</td><td class="num">${f.months}</td>${money(f.notPaid)}<td>${date(f.evasionFrom)}</td><td>${f.status === 'open' ? 'đang kiểm tra' : 'đã chuyển thanh tra'}</td><td>${date(f.openedOn)}</td></tr>`),
    new Set([1, 2, 3, 4]))}`;
}
