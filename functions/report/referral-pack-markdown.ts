import { formatDailyRate, formatVnd } from '../core/money.ts';
import type { Allocation } from '../core/ledger.ts';
import type { HoldReason, StageName } from '../core/policy.ts';
import type { ContactEvent, ReferralNotice, ReferralPack } from '../core/referral-pack.ts';
import type { FindingKind } from '../core/reconciliation.ts';

/**
 * The referral pack (core/referral-pack.ts: what it contains) as a Markdown document for the
 * inspector, Vietnamese headings with English, beside the other renderers.
 */

const STAGE_LABEL: Record<StageName, string> = {
  'urging-notice': 'đôn đốc / urging notice',
  'officer-visit': 'cán bộ thu làm việc / officer visit',
  inspection: 'thanh tra / inspection',
};

const NOTICE_STATUS: Record<ReferralNotice['status'], string> = {
  sent: 'đã gửi / sent',
  failed: 'gửi lỗi / failed',
  held: 'tạm dừng / on hold',
  'not-needed': 'không cần (đã nộp) / not needed (paid)',
  claimed: 'đang gửi / being sent',
  lapsed: 'hết hiệu lực / no longer stands',
  'failed-permanent': 'bị từ chối (địa chỉ sai) / refused (bad address)',
  abandoned: 'bỏ (không rõ đã gửi) / given up (unsure it was sent)',
};

const CONTACT_EVENT: Record<ContactEvent, string> = {
  'task-opened': 'giao nhiệm vụ / task opened',
  attempt: 'liên hệ / contact attempt',
  outcome: 'kết quả / outcome',
  'timed-out': 'quá hạn / past due date',
  'closed-by-payment': 'đóng do đơn vị nộp tiền / closed by payment',
};

const HOLD_REASON: Record<HoldReason, string> = {
  'force-majeure': 'bất khả kháng / force majeure',
  dispute: 'tranh chấp / dispute',
  insolvency: 'mất khả năng thanh toán / insolvency',
  other: 'khác / other',
};

const FINDING_KIND: Record<FindingKind, string> = {
  'unregistered-organisation': 'tổ chức chưa tham gia / organisation not registered',
  'unregistered-employee': 'người lao động chưa tham gia / employee not registered',
  'under-declared-wage': 'đóng thấp hơn tiền lương / wage under-declared',
  'closed-with-debt': 'ngừng hoạt động còn nợ / closed or suspended, owing',
};

const cell = (v: string | number | null | undefined) => (v === null || v === undefined || v === '' ? '-' : String(v).replace(/\|/g, '\\|').replace(/\r?\n/g, ' '));
const row = (cells: readonly (string | number | null | undefined)[]) => `| ${cells.map(cell).join(' | ')} |`;
const table = (head: readonly string[], rows: readonly (readonly (string | number | null | undefined)[])[]) =>
  [row(head), `|${head.map(() => '---').join('|')}|`, ...rows.map(row)].join('\n');

const ITEM = ['Mục / Item', 'Nội dung / Value'];

/** The pack as a Markdown document for the inspector: Vietnamese headings with English. Pure. */
export function renderReferralPack(pack: ReferralPack, sha256?: string): string {
  const { unit, position: pos } = pack;
  const out: string[] = [];
  out.push(`# Hồ sơ chuyển thanh tra – đơn vị ${unit.unitCode} / Inspection referral pack – unit ${unit.unitCode}`);
  out.push('');
  out.push(`Số liệu đến hết ngày / Data as of end of day: **${pack.asOf}** (Asia/Ho_Chi_Minh). Chính sách / Policy ${pack.policy.version}: ${pack.policy.legalBasis}.`);
  if (sha256) out.push(`SHA-256 (JSON): \`${sha256}\``);
  out.push('');

  out.push('## Đơn vị / Unit');
  out.push(table(ITEM, [
    ['Mã đơn vị / Unit code', unit.unitCode],
    ['Tên / Name', unit.name],
    ['Mã số thuế / Tax code', unit.taxCode],
    ['Huyện / District', unit.district],
    ['Xã, phường / Commune', unit.commune],
  ]));
  out.push('');

  out.push('## Hồ sơ đôn đốc / Case');
  const c = pack.case;
  const i = pack.inspection;
  out.push(table(ITEM, [
    ['Trạng thái / Status', c ? `${c.status === 'open' ? 'đang theo dõi / open' : 'đã đóng / closed'}` : 'chưa có / none'],
    ['Giai đoạn / Stage', c?.stage ? STAGE_LABEL[c.stage] : null],
    ['Mở từ / Opened on', c?.openedOn],
    ['Cán bộ thu / Collection officer', c?.officerId],
    ['Thanh tra viên / Inspector', i?.inspectorId ?? c?.inspectorId],
    ['Nhiệm vụ thanh tra / Inspection task', i ? `${i.taskId}, hạn / due ${i.dueDate}` : null],
  ]));
  out.push('');

  out.push('## Số nợ / Position');
  out.push(table(ITEM, [
    ['Số tháng chậm đóng / Months overdue', `${pos.monthsOverdue} (kỳ chưa đóng sớm nhất / oldest unpaid: ${pos.oldestUnpaidPeriod ?? '-'})`],
    ['Tiền gốc chậm đóng / Late principal', formatVnd(pos.overduePrincipal)],
    [`Lãi chậm đóng còn nợ / Interest outstanding (${formatDailyRate(pack.policy.dailyInterestRatePpm, 'vi')}/ngày, per day)`, formatVnd(pos.interestOutstanding)],
    ['Tổng phải nộp / Total to pay', `**${formatVnd(pos.debt)}**`],
    ['Lãi đã phát sinh / đã nộp – Interest accrued / paid', `${formatVnd(pos.interestAccrued)} / ${formatVnd(pos.interestPaid)}`],
    ['Chưa đến hạn / Not yet due', formatVnd(pos.notYetDue)],
    ['Tiền thừa / Credit', formatVnd(pos.credit)],
    ['Tổng phải đóng / đã đóng – Total due / paid', `${formatVnd(pos.totalDue)} / ${formatVnd(pos.totalPaid)}`],
    [
      `Kỳ chậm quá ${pack.policy.evasionAfterDays} ngày (trốn đóng) / Periods late over ${pack.policy.evasionAfterDays} days (evasion)`,
      pos.periodsPastEvasionThreshold.length > 0 ? pos.periodsPastEvasionThreshold.join(', ') : 'không / none',
    ],
  ]));
  out.push('');

  out.push('## Các kỳ đóng / Contribution periods');
  const shown = pack.periods.filter((p) => p.balance > 0 || p.interest > 0);
  if (shown.length > 0) {
    out.push(table(
      ['Kỳ / Period', 'Hạn / Due', 'Phải đóng / Due', 'Đã đóng / Paid', 'Còn nợ / Balance', 'Ngày chậm / Days late', 'Lãi / Interest', 'Trốn đóng / Evasion'],
      shown.map((p) => [p.period, p.dueDate, formatVnd(p.amountDue), formatVnd(p.amountPaid), formatVnd(p.balance), p.daysLate, formatVnd(p.interest), p.pastEvasionThreshold ? 'có / yes' : '']),
    ));
  }
  const settled = pack.periods.length - shown.length;
  if (settled > 0) out.push(`${shown.length > 0 ? '\n' : ''}${settled} kỳ khác đã đóng đủ, đúng hạn / other period(s) paid in full and on time.`);
  if (pack.periods.length === 0) out.push('Không có kỳ đóng / No contribution periods.');
  out.push('');

  out.push('## Các khoản đã nộp / Payments');
  if (pack.payments.length === 0) out.push('Không có / None.');
  else {
    out.push(table(
      ['Ngày / Date', 'Chứng từ / Reference', 'Số tiền / Amount', 'Phân bổ / Allocated to'],
      pack.payments.map((p) => [p.paidOn, p.reference, formatVnd(p.amount), p.allocations.map((a) => `${allocationLabel(a.to)} ${formatVnd(a.amount)}`).join('; ')]),
    ));
  }
  out.push('');

  out.push('## Thông báo đôn đốc / Urging notices');
  if (pack.notices.length === 0) out.push('Không có / None.');
  else {
    out.push(table(
      ['Kỳ / Cycle', 'Ngày gửi / Sent on', 'Giai đoạn / Stage', 'Trạng thái / Status', 'Số nợ / Debt', 'SHA-256 nội dung / content'],
      pack.notices.map((n) => [n.cycle, n.sentOn, n.stage ? STAGE_LABEL[n.stage] : null, NOTICE_STATUS[n.status], n.debt === null ? null : formatVnd(n.debt), n.contentSha256 ? `\`${n.contentSha256}\`` : null]),
    ));
  }
  out.push('');

  out.push('## Nhật ký làm việc của cán bộ / Officer contact log');
  if (pack.contacts.length === 0) out.push('Không có / None.');
  else {
    out.push(table(
      ['Ngày / Date', 'Kỳ / Cycle', 'Nhiệm vụ / Task', 'Cán bộ / Officer', 'Sự việc / Event', 'Kết quả / Outcome', 'Hạn / Due', 'Có ghi chú / Note'],
      pack.contacts.map((x) => [x.on, x.cycle, x.taskId, x.officerId, CONTACT_EVENT[x.event], x.outcome, x.dueDate, x.noteRecorded ? 'có / yes' : '']),
    ));
  }
  out.push('');

  out.push('## Tạm dừng đôn đốc / Holds');
  const h = pack.holds;
  out.push(h.current
    ? `Hiện tại / Current: ${HOLD_REASON[h.current.reason]} đến / until ${h.current.until} (${h.current.inForce ? 'đang hiệu lực / in force' : 'đã hết hạn / lapsed'}).`
    : 'Hiện không tạm dừng / No hold now.');
  if (h.history.length > 0) {
    out.push('');
    out.push(table(
      ['Ngày / Date', 'Việc / Action', 'Lý do / Reason', 'Đến / Until', 'Người thực hiện / By'],
      h.history.map((x) => [x.on, x.action === 'set' ? 'đặt / set' : 'gỡ / lifted', x.reason && x.reason in HOLD_REASON ? HOLD_REASON[x.reason as HoldReason] : x.reason, x.until, x.by]),
    ));
  }
  out.push('');

  out.push('## Phát hiện từ dữ liệu thuế / Findings from tax data');
  if (pack.taxFindings.length === 0) out.push('Không có phát hiện còn mở / No open findings.');
  else {
    out.push(table(
      ['Loại / Kind', 'Năm thuế / Tax year', 'NLĐ chưa tham gia / Employees not covered', 'Số tháng / Months', 'Ước tính chưa đóng / Estimated not paid', 'Trốn đóng từ / Evasion from', 'Trạng thái / Status', 'Nhiệm vụ / Task'],
      pack.taxFindings.map((f) => [
        FINDING_KIND[f.kind], f.year, f.employeesNotCovered, f.months, formatVnd(f.notPaid), f.evasionFrom,
        f.status === 'open' ? 'đang kiểm tra / check open' : 'đã chuyển thanh tra / referred to inspection', `${f.taskId} (${f.openedOn})`,
      ]),
    ));
  }
  out.push('');
  return out.join('\n');
}

function allocationLabel(to: Allocation['to']): string {
  if (to === 'interest') return 'lãi / interest';
  if (to === 'credit') return 'tiền thừa / credit';
  return `kỳ / period ${to}`;
}
