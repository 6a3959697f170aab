import type { LedgerStatus } from './ledger.ts';
import type { Policy, Stage } from './policy.ts';
import { cycleOf, nextStage, payByDate } from './escalation.ts';
import { formatDailyRate, formatVnd } from './money.ts';
import type { IsoDate } from './dates.ts';
import type { ArrangementKind } from './arrangement.ts';
import { fill, fillLines } from './template.ts';
import { statementDate } from './statement.ts';
import { displayDate, displayMonth, displayPeriod } from './display-dates.ts';
import { letterBlocks, letterValues, type Letter } from './letter.ts';

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

/** The letter's fields of a notice asking the unit to pay (its number and date, how to pay, whom to call). */
function askingLetter(letter: Letter, recipient: NoticeRecipient, cycle: string, policy: Policy): Record<string, string> {
  const blocks = letterBlocks(letter, recipient.unitCode, cycle, recipient.locale, policy.letter[recipient.locale], policy.timeZone, true);
  return letterValues(blocks, letter, recipient.locale, recipient.unitCode, cycle);
}

/**
 * Renders the urging notice from the policy's template: the debt, each unpaid period, the
 * interest, the deadline to pay and the measure that follows non-payment (as the law asks), and,
 * from the office's letter, its number and date, how to pay and whom to call.
 */
export function renderUrgingNotice(
  recipient: NoticeRecipient, status: LedgerStatus, stage: Stage, sentOn: IsoDate, policy: Policy, letter: Letter,
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
        ? `- Kỳ ${displayPeriod(p.period)}: phải đóng ${formatVnd(p.amountDue)}, đã đóng ${formatVnd(p.amountPaid)}, còn nợ ${formatVnd(p.balance)}, chậm ${p.daysLate} ngày, lãi ${formatVnd(p.interest)}`
        : `- Period ${displayPeriod(p.period)}: due ${formatVnd(p.amountDue)}, paid ${formatVnd(p.amountPaid)}, unpaid ${formatVnd(p.balance)}, ${p.daysLate} ${p.daysLate === 1 ? 'day' : 'days'} late, interest ${formatVnd(p.interest)}`,
    );
  const rate = policy.interest.rates.at(-1)!.dailyRatePpm;
  const cycle = cycleOf(sentOn);
  const values: Record<string, string> = {
    ...askingLetter(letter, recipient, cycle, policy),
    unitCode: recipient.unitCode,
    unitName: recipient.name,
    taxCode: recipient.taxCode,
    asOf: displayDate(status.asOf),
    periodLines: lines.join('\n'),
    oldestUnpaidPeriod: status.oldestUnpaidPeriod ? displayMonth(status.oldestUnpaidPeriod, locale) : '-',
    monthsOverdue: String(status.monthsOverdue),
    overduePrincipal: formatVnd(status.overduePrincipal),
    interestRate: formatDailyRate(rate, locale),
    interest: formatVnd(status.interestOutstanding),
    debt: formatVnd(status.debt),
    payBy: displayDate(payBy),
    nextMeasure: following.measure[locale],
    arrangementLine: missed
      ? fill(policy.arrangements.missedLine[locale], {
        instalment: String(missed.instalment),
        dueDate: displayDate(missed.dueDate),
        arrangement: ARRANGEMENT_NAMES[missed.kind][locale],
      })
      : '',
    // Every unit gets the cycle's statement; the notice points to it rather than repeating it.
    statementLine: fill(policy.statement.noticeLine[locale], { cycle: displayPeriod(cycle), month: displayMonth(cycle, locale), statementOn: displayDate(statementDate(cycle, policy)) }),
  };
  return { subject: fill(template.subject, values), body: fillLines(template.body, values), payBy };
}

/**
 * The notice before public disclosure: the debt, the date to pay by (the end of the response
 * window) and that the unit will otherwise be published, with the thresholds that apply.
 */
export function renderPreDisclosureNotice(recipient: NoticeRecipient, status: LedgerStatus, payBy: IsoDate, policy: Policy, letter: Letter): { subject: string; body: string } {
  const t = policy.disclosure.templates[recipient.locale];
  const values = {
    ...askingLetter(letter, recipient, cycleOf(status.asOf), policy),
    unitCode: recipient.unitCode, unitName: recipient.name, taxCode: recipient.taxCode, asOf: displayDate(status.asOf),
    monthsOverdue: String(status.monthsOverdue), oldestUnpaidPeriod: status.oldestUnpaidPeriod ? displayMonth(status.oldestUnpaidPeriod, recipient.locale) : '-',
    overduePrincipal: formatVnd(status.overduePrincipal), interest: formatVnd(status.interestOutstanding), debt: formatVnd(status.debt),
    payBy: displayDate(payBy), minMonthsOverdue: String(policy.disclosure.minMonthsOverdue), minDebt: formatVnd(policy.disclosure.minDebt),
  };
  return { subject: fill(t.subject, values), body: fillLines(t.body, values) };
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
    unitCode: recipient.unitCode, unitName: recipient.name, amount: formatVnd(payment.amount), paidOn: displayDate(payment.paidOn),
    reference: payment.reference, debt: formatVnd(status.debt),
    closingLine: recipient.locale === 'vi'
      ? (cleared ? 'Đơn vị đã hoàn thành nghĩa vụ đóng đến thời điểm này. Xin cảm ơn.' : 'Đề nghị đơn vị nộp phần còn lại.')
      : (cleared ? 'Your unit is up to date. Thank you.' : 'Please pay the remainder.'),
  };
  return { subject: fill(t.subject, values), body: fill(t.body, values) };
}

/** Tells an officer a task is now theirs, with the link that opens it in the inbox. */
export function renderOfficerTaskAssigned(values: { unitCode: string; taskId: string; dueDate: IsoDate; link: string }, locale: 'vi' | 'en', policy: Policy): { subject: string; body: string } {
  const t = policy.notice.officerTaskAssigned[locale];
  const shown = { ...values, dueDate: displayDate(values.dueDate) };
  return { subject: fill(t.subject, shown), body: fill(t.body, shown) };
}

/** Tells a manager that the month's collection report is written: its headline figures and its link in the inbox. */
export function renderManagerCollectionReport(
  values: { asOf: IsoDate; debtRatioPercent: number; arrears: number; collectedThisYear: number; collectedTarget: number | null; link: string }, locale: 'vi' | 'en', policy: Policy,
): { subject: string; body: string } {
  const t = policy.notice.managerCollectionReport[locale];
  const percent = (v: number) => `${v.toLocaleString(locale === 'vi' ? 'vi-VN' : 'en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}%`;
  const shown = {
    asOf: displayDate(values.asOf), debtRatio: percent(values.debtRatioPercent), arrears: formatVnd(values.arrears),
    collected: formatVnd(values.collectedThisYear), plan: values.collectedTarget === null ? (locale === 'vi' ? 'chưa giao' : 'not set') : formatVnd(values.collectedTarget), link: values.link,
  };
  return { subject: fill(t.subject, shown), body: fill(t.body, shown) };
}

/** Tells an officer that a payment closed their task. */
export function renderOfficerTaskClosed(values: { unitCode: string; taskId: string; reference: string }, locale: 'vi' | 'en', policy: Policy): { subject: string; body: string } {
  const t = policy.notice.officerTaskClosed[locale];
  return { subject: fill(t.subject, values), body: fill(t.body, values) };
}

/** Tells an officer that their task ran past its due date and went to their team lead. */
export function renderOfficerTaskOverdue(values: { unitCode: string; taskId: string; dueDate: IsoDate; teamLeadId: string }, locale: 'vi' | 'en', policy: Policy): { subject: string; body: string } {
  const t = policy.notice.officerTaskOverdue[locale];
  const shown = { ...values, dueDate: displayDate(values.dueDate) };
  return { subject: fill(t.subject, shown), body: fill(t.body, shown) };
}

const ARRANGEMENT_NAMES = {
  promise: { vi: 'lời hứa nộp tiền', en: 'promise to pay' },
  plan: { vi: 'kế hoạch nộp dần', en: 'payment plan' },
} as const;
