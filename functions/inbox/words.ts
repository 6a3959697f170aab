import { formatVnd } from '../core/money.ts';
import { OFFICE_TIME_ZONE, type AnyTaskType, type HoldReason, type StageName } from '../core/policy.ts';
import { unhandledEvent, type CaseEvent, type ContactChannel, type ContactResult } from '../core/case-events.ts';
import type { TaskOutcome } from '../core/task-outcomes.ts';
import type { FindingKind } from '../core/reconciliation.ts';
import type { FindingRecord } from '../commons/reconciliation-records.ts';

/**
 * The inbox's words: what staff read, in Vietnamese, with dates and times as people write them
 * (`02/11/2026`, `02/11/2026 06:00`, office time). The case history is told from each event's
 * typed fields, leaving out what is for machines (anchor periods, hashes, message ids, policy
 * versions).
 */

export const STAGE_VI: Record<StageName, string> = {
  'urging-notice': 'Đôn đốc bằng văn bản',
  'officer-visit': 'Cán bộ thu làm việc',
  inspection: 'Thanh tra',
};

export const TASK_TYPE_VI: Record<AnyTaskType, string> = {
  visit: 'Làm việc tại đơn vị', inspection: 'Thanh tra', 'renewal-visit': 'Vận động gia hạn', 'tax-data-check': 'Kiểm tra dữ liệu thuế',
};

export const OUTCOME_VI: Record<TaskOutcome, string> = {
  contacted: 'Đã liên hệ, làm việc với đơn vị',
  'promised-to-pay': 'Hứa trả nợ',
  'plan-agreed': 'Thỏa thuận trả góp',
  disputed: 'Đơn vị không thừa nhận số nợ',
  unreachable: 'Không liên hệ được',
  paid: 'Đã nộp đủ',
  'refer-to-inspection': 'Đề nghị thanh tra',
  'penalty-proposed': 'Đề xuất xử phạt',
  closed: 'Kết thúc thanh tra',
  renewed: 'Người tham gia đã gia hạn',
  declined: 'Người tham gia không tiếp tục',
  registered: 'Đơn vị đã đăng ký thêm lao động',
  'wage-corrected': 'Đơn vị đã điều chỉnh tiền lương đóng',
  explained: 'Đã giải trình',
};

/** What reconciliation with tax data found (functions/core/reconciliation.ts), as a tax-data check's page says it. */
export const FINDING_KIND_VI: Record<FindingKind, string> = {
  'unregistered-organisation': 'Tổ chức trả lương nhưng chưa đăng ký tham gia BHXH',
  'unregistered-employee': 'Người lao động chưa được đăng ký tham gia BHXH',
  'under-declared-wage': 'Tiền lương đóng BHXH thấp hơn tiền lương theo dữ liệu thuế',
  'closed-with-debt': 'Doanh nghiệp đã giải thể hoặc tạm ngừng nhưng còn nợ',
};

/** What a finding's estimate rests on. */
export const FINDING_BASIS_VI: Record<FindingRecord['basis'], string> = {
  'per-employee': 'dữ liệu thuế của từng người lao động',
  'wage-fund': 'tổng quỹ lương theo dữ liệu thuế',
  ledger: 'sổ nợ của đơn vị',
};

export const CHANNEL_VI: Record<ContactChannel, string> = {
  visit: 'Đến đơn vị', phone: 'Điện thoại', email: 'Email', zalo: 'Zalo', letter: 'Công văn, thư', 'at-office': 'Làm việc tại cơ quan BHXH',
};

export const RESULT_VI: Record<ContactResult, string> = {
  reached: 'Đã gặp, trao đổi được',
  'will-pay': 'Đơn vị cam kết sẽ nộp',
  'asked-to-call-back': 'Hẹn liên hệ lại',
  'no-answer': 'Không trả lời',
  'nobody-there': 'Không có người ở đơn vị',
  refused: 'Từ chối làm việc',
  'wrong-contact': 'Sai địa chỉ hoặc số điện thoại',
  'closed-down': 'Đơn vị đã ngừng hoạt động',
};

export const HOLD_REASON_VI: Record<HoldReason, string> = {
  'force-majeure': 'bất khả kháng', dispute: 'tranh chấp số nợ', insolvency: 'mất khả năng thanh toán', other: 'lý do khác',
};

export const TASK_STATUS_VI = { open: 'đang mở', done: 'đã xong', 'timed-out': 'quá hạn, đã chuyển', cancelled: 'đã hủy' } as const;

/** 2026-11-12 → 12/11/2026. */
export function viDate(date: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : date;
}

/** 2026-11 → tháng 11/2026. */
export function viMonth(period: string): string {
  const m = /^(\d{4})-(\d{2})$/.exec(period);
  return m ? `tháng ${m[2]}/${m[1]}` : period;
}

const LOCAL = new Intl.DateTimeFormat('en-GB', { timeZone: OFFICE_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** An instant in office time: 2026-11-01T23:00:00Z → 02/11/2026 06:00. */
export function viDateTime(at: string): string {
  const d = new Date(at);
  if (Number.isNaN(d.getTime())) return at;
  const p = Object.fromEntries(LOCAL.formatToParts(d).map((x) => [x.type, x.value]));
  return `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}`;
}

const taskName = (d: { taskType: AnyTaskType; escalated: boolean }) => `nhiệm vụ "${TASK_TYPE_VI[d.taskType]}"${d.escalated ? ' (chuyển tổ trưởng)' : ''}`;
const missed = (m: { kind: 'promise' | 'plan'; instalment: number; dueDate: string } | null) =>
  (m ? `; ${m.kind === 'promise' ? 'không trả theo lời hứa' : `không trả kỳ ${m.instalment} của kế hoạch`} hạn ${viDate(m.dueDate)}` : '');
const months = (n: number) => `${n} tháng chậm đóng`;

/** What an event is, as a heading in the history. */
export function eventTitleVi(e: CaseEvent): string {
  switch (e.kind) {
    case 'assessed': return 'Rà soát nợ';
    case 'referred-to-inspection': return 'Chuyển thanh tra';
    case 'paused': return 'Tạm dừng đôn đốc';
    case 'notice-sent': return 'Gửi văn bản đôn đốc';
    case 'officer-assigned': return 'Phân công cán bộ';
    case 'no-officer-available': return 'Không có cán bộ để giao';
    case 'task-opened': return 'Mở nhiệm vụ';
    case 'task-acknowledged': return 'Cán bộ đã nhận việc';
    case 'task-reassigned': return 'Giao lại nhiệm vụ';
    case 'outcome-recorded': return 'Ghi kết quả';
    case 'contact-attempted': return 'Liên hệ đơn vị';
    case 'task-timed-out': return 'Nhiệm vụ quá hạn';
    case 'task-closed-by-payment': return 'Đóng nhiệm vụ do đơn vị đã nộp';
    case 'referral-pack-built': return 'Lập hồ sơ chuyển thanh tra';
    case 'payment-recorded': return 'Ghi nhận tiền nộp';
    case 'payment-reversed': return 'Ngân hàng hoàn trả khoản nộp';
    case 'arrangement-agreed': return 'Thỏa thuận trả nợ';
    case 'hold-set': return 'Đặt tạm dừng';
    case 'hold-cleared': return 'Gỡ tạm dừng';
    case 'case-closed': return 'Đóng hồ sơ';
    case 'step-failed': return 'Lỗi xử lý';
    case 'pre-disclosure-notice-sent': return 'Gửi thông báo trước khi công khai';
    case 'pre-disclosure-lapsed': return 'Thông báo công khai hết hiệu lực';
    case 'disclosure-published': return 'Công khai đơn vị nợ';
    default: return unhandledEvent(e);
  }
}

/** What happened, in words, from the event's fields (no ids, hashes or versions). */
export function eventTextVi(e: CaseEvent, nameOf: (officerId: string) => string = (id) => id): string {
  switch (e.kind) {
    case 'assessed':
    case 'referred-to-inspection': {
      const d = e.detail;
      return `${STAGE_VI[d.stage]}: ${months(d.monthsOverdue)}, nợ ${formatVnd(d.debt)} tính đến ${viDate(d.asOf)}${missed(d.missedInstalment)}`;
    }
    case 'paused': {
      const d = e.detail;
      const why = d.by === 'hold'
        ? `tạm dừng (${d.reason ? HOLD_REASON_VI[d.reason] : 'không rõ lý do'})${d.until ? ` đến ${viDate(d.until)}` : ''}`
        : `đơn vị đang thực hiện ${d.by === 'promise' ? 'lời hứa trả' : 'kế hoạch trả góp'}${d.nextDueDate ? `, kỳ tới ${viDate(d.nextDueDate)}` : ''}`;
      return `Không đôn đốc: ${why}; ${months(d.monthsOverdue)}, nợ ${formatVnd(d.debt)}`;
    }
    case 'notice-sent':
      return `Qua email, giai đoạn ${STAGE_VI[e.detail.stage].toLowerCase()}: nợ ${formatVnd(e.detail.debt)}, nộp chậm nhất ngày ${viDate(e.detail.payBy)}${missed(e.detail.missedInstalment)}`;
    case 'officer-assigned':
      return `Giao ${taskName(e.detail)} cho ${nameOf(e.detail.officerId)}, hạn ${viDate(e.detail.dueDate)}${e.detail.continuity ? ' (cán bộ phụ trách đơn vị)' : ''}${e.detail.escalatedFrom ? `, chuyển từ ${nameOf(e.detail.escalatedFrom)}` : ''}`;
    case 'no-officer-available':
      return `Không có cán bộ đang làm việc ở ${e.detail.district} để giao ${taskName(e.detail)}`;
    case 'task-opened':
      return `${taskName(e.detail)[0]!.toUpperCase()}${taskName(e.detail).slice(1)} của ${nameOf(e.detail.officerId)}, hạn ${viDate(e.detail.dueDate)}`;
    case 'task-acknowledged':
      return `${nameOf(e.actor)} đã xem ${taskName(e.detail)}`;
    case 'task-reassigned':
      return `${taskName(e.detail)[0]!.toUpperCase()}${taskName(e.detail).slice(1)} chuyển từ ${nameOf(e.detail.from)} sang ${nameOf(e.detail.to)}`;
    case 'outcome-recorded':
      return `${OUTCOME_VI[e.detail.outcome]}${e.detail.hasNote ? ' (có ghi chú)' : ''}`;
    case 'contact-attempted':
      return `${CHANNEL_VI[e.detail.channel]} ngày ${viDate(e.detail.on)}: ${RESULT_VI[e.detail.result].toLowerCase()}${e.detail.hasNote ? ' (có ghi chú)' : ''}`;
    case 'task-timed-out':
      return `${taskName(e.detail)[0]!.toUpperCase()}${taskName(e.detail).slice(1)} của ${nameOf(e.detail.officerId)} quá hạn${e.detail.escalating ? ', chuyển tổ trưởng' : ''}`;
    case 'task-closed-by-payment':
      return `${taskName(e.detail)[0]!.toUpperCase()}${taskName(e.detail).slice(1)} của ${nameOf(e.detail.officerId)} đóng vì đơn vị đã nộp (chứng từ ${e.detail.reference})`;
    case 'referral-pack-built':
      return `Cho thanh tra viên ${nameOf(e.detail.inspectorId)}, số liệu đến ${viDate(e.detail.asOf)}`;
    case 'payment-recorded':
      return `Chứng từ ${e.detail.reference} ngày ${viDate(e.detail.paidOn)}: ${formatVnd(e.detail.amount)}; còn nợ ${formatVnd(e.detail.debtAfter)}`;
    case 'payment-reversed':
      return `Chứng từ ${e.detail.reference} ngày ${viDate(e.detail.paidOn)} (${formatVnd(e.detail.amount)}) bị ngân hàng hoàn trả, không còn tính là đã nộp; còn nợ ${formatVnd(e.detail.debtAfter)}`;
    case 'arrangement-agreed':
      return e.detail.arrangement === 'promise'
        ? `Hứa trả ${formatVnd(e.detail.total)} chậm nhất ngày ${viDate(e.detail.lastDue)}`
        : `Trả góp ${e.detail.instalments} kỳ, tổng ${formatVnd(e.detail.total)}, từ ${viDate(e.detail.firstDue)} đến ${viDate(e.detail.lastDue)}`;
    case 'hold-set':
      return `Lý do ${HOLD_REASON_VI[e.detail.reason]}, đến ${viDate(e.detail.until)}${e.detail.taskId ? ' (sau kết quả của cán bộ)' : ''}`;
    case 'hold-cleared':
      return 'Đôn đốc tiếp tục từ lần rà soát tới';
    case 'case-closed':
      return `${e.detail.reason === 'debt-cleared' ? 'Đơn vị đã hết nợ' : 'Kết thúc hồ sơ'}${e.detail.stage ? ` ở giai đoạn ${STAGE_VI[e.detail.stage].toLowerCase()}` : ''}`;
    case 'step-failed':
      return 'Một bước xử lý tự động không thành công; bộ phận kỹ thuật đã được báo';
    case 'pre-disclosure-notice-sent':
      return `Qua email ngày ${viDate(e.detail.sentOn)}: ${months(e.detail.monthsOverdue)}, nợ ${formatVnd(e.detail.debt)}, nộp chậm nhất ngày ${viDate(e.detail.payBy)}`;
    case 'pre-disclosure-lapsed':
      return `Ngày ${viDate(e.detail.on)}: đơn vị không còn thuộc diện công khai`;
    case 'disclosure-published':
      return `Ngày ${viDate(e.detail.date)}: ${months(e.detail.monthsOverdue)}, nợ ${formatVnd(e.detail.debt)}`;
    default:
      return unhandledEvent(e);
  }
}

/** Who did it, in words: the workflow and the runs are "hệ thống". */
export function actorVi(actor: string, nameOf: (officerId: string) => string = (id) => id): string {
  return /^(workflow|system|monthly-run|disclosure-run|statement-run|reminder-run|simulation)/.test(actor) ? 'Hệ thống' : nameOf(actor);
}
