import type { LedgerStatus } from './ledger.ts';
import type { Policy, Stage } from './policy.ts';
import { cycleOf, nextStage, payByDate } from './escalation.ts';
import { formatDailyRate, formatVnd } from './money.ts';
import type { IsoDate } from './dates.ts';
import type { ArrangementKind } from './arrangement.ts';
import { fill, fillLines } from './template.ts';
import { statementDate } from './statement.ts';

export interface NoticeRecipient {
  unitCode: string;
  name: string;
  taxCode: string;
  locale: 'vi' | 'en';
}

export interface RenderedNotice {
  subject: string;
  body: string;
  payBy: IsoDate;
}

/**
 * Renders the urging notice from the policy's template: the debt, each unpaid period, the
 * interest, the deadline to pay and the measure that follows non-payment (as the law asks).
 */
export function renderUrgingNotice(
  recipient: NoticeRecipient, status: LedgerStatus, stage: Stage, sentOn: IsoDate, policy: Policy,
  missed?: { kind: ArrangementKind; instalment: number; dueDate: IsoDate },
): RenderedNotice {
  const locale = recipient.locale;
  const template = policy.notice.templates[locale];
  const payBy = payByDate(sentOn, policy);
  const following = nextStage(stage, policy) ?? stage;
  const lines = status.periods
    .filter((p) => p.overdue)
    .map((p) =>
      locale === 'vi'
        ? `- Kỳ ${p.period}: phải đóng ${formatVnd(p.amountDue)}, đã đóng ${formatVnd(p.amountPaid)}, còn nợ ${formatVnd(p.balance)}, chậm ${p.daysLate} ngày, lãi ${formatVnd(p.interest)}`
        : `- Period ${p.period}: due ${formatVnd(p.amountDue)}, paid ${formatVnd(p.amountPaid)}, unpaid ${formatVnd(p.balance)}, ${p.daysLate} days late, interest ${formatVnd(p.interest)}`,
    );
  const rate = policy.interest.rates.at(-1)!.dailyRatePpm;
  const values: Record<string, string> = {
    unitCode: recipient.unitCode,
    unitName: recipient.name,
    taxCode: recipient.taxCode,
    asOf: status.asOf,
    periodLines: lines.join('\n'),
    oldestUnpaidPeriod: status.oldestUnpaidPeriod ?? '-',
    monthsOverdue: String(status.monthsOverdue),
    overduePrincipal: formatVnd(status.overduePrincipal),
    interestRate: formatDailyRate(rate, locale),
    interest: formatVnd(status.interestOutstanding),
    debt: formatVnd(status.debt),
    payBy,
    nextMeasure: following.measure[locale],
    arrangementLine: missed
      ? fill(policy.arrangements.missedLine[locale], {
        instalment: String(missed.instalment),
        dueDate: missed.dueDate,
        arrangement: ARRANGEMENT_NAMES[missed.kind][locale],
      })
      : '',
    // Every unit gets the cycle's statement; the notice points to it rather than repeating it.
    statementLine: fill(policy.statement.noticeLine[locale], { cycle: cycleOf(sentOn), statementOn: statementDate(cycleOf(sentOn), policy) }),
  };
  return { subject: fill(template.subject, values), body: fillLines(template.body, values), payBy };
}

/**
 * The notice before public disclosure: the debt, the date to pay by (the end of the response
 * window) and that the unit will otherwise be published, with the thresholds that apply.
 */
export function renderPreDisclosureNotice(recipient: NoticeRecipient, status: LedgerStatus, payBy: IsoDate, policy: Policy): { subject: string; body: string } {
  const t = policy.disclosure.templates[recipient.locale];
  const values = {
    unitCode: recipient.unitCode, unitName: recipient.name, taxCode: recipient.taxCode, asOf: status.asOf,
    monthsOverdue: String(status.monthsOverdue), oldestUnpaidPeriod: status.oldestUnpaidPeriod ?? '-',
    overduePrincipal: formatVnd(status.overduePrincipal), interest: formatVnd(status.interestOutstanding), debt: formatVnd(status.debt),
    payBy, minMonthsOverdue: String(policy.disclosure.minMonthsOverdue), minDebt: formatVnd(policy.disclosure.minDebt),
  };
  return { subject: fill(t.subject, values), body: fill(t.body, values) };
}

/** The employer's confirmation that a payment was received, with what is still owed. */
export function renderPaymentConfirmation(
  recipient: NoticeRecipient,
  payment: { reference: string; paidOn: IsoDate; amount: number },
  status: LedgerStatus,
  policy: Policy,
): { subject: string; body: string } {
  const t = policy.notice.paymentConfirmation[recipient.locale];
  const cleared = status.debt === 0;
  const values = {
    unitCode: recipient.unitCode, unitName: recipient.name, amount: formatVnd(payment.amount), paidOn: payment.paidOn,
    reference: payment.reference, debt: formatVnd(status.debt),
    closingLine: recipient.locale === 'vi'
      ? (cleared ? 'Đơn vị đã hoàn thành nghĩa vụ đóng đến thời điểm này. Xin cảm ơn.' : 'Đề nghị đơn vị nộp phần còn lại.')
      : (cleared ? 'Your unit is up to date. Thank you.' : 'Please pay the remainder.'),
  };
  return { subject: fill(t.subject, values), body: fill(t.body, values) };
}

/** Tells an officer that a payment closed their task. */
export function renderOfficerTaskClosed(values: { unitCode: string; taskId: string; reference: string }, locale: 'vi' | 'en', policy: Policy): { subject: string; body: string } {
  const t = policy.notice.officerTaskClosed[locale];
  return { subject: fill(t.subject, values), body: fill(t.body, values) };
}

/** Tells an officer that their task ran past its due date and went to their team lead. */
export function renderOfficerTaskOverdue(values: { unitCode: string; taskId: string; dueDate: string; teamLeadId: string }, locale: 'vi' | 'en', policy: Policy): { subject: string; body: string } {
  const t = policy.notice.officerTaskOverdue[locale];
  return { subject: fill(t.subject, values), body: fill(t.body, values) };
}

const ARRANGEMENT_NAMES = {
  promise: { vi: 'lời hứa nộp tiền', en: 'promise to pay' },
  plan: { vi: 'kế hoạch nộp dần', en: 'payment plan' },
} as const;
