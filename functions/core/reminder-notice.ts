import type { OfficeSettings } from './office.ts';
import { formatVnd } from './money.ts';
import { displayDate } from './display-dates.ts';
import { addDays, daysBetween, type IsoDate } from './dates.ts';
import { smsSegments, toGsm7 } from './sms.ts';
import type { PaymentDue } from './contribution.ts';
import type { PayerKind, ReminderStep, RemindersPolicy } from './reminder-policy.ts';
import { agentFollowUpOn, lapseOn } from './reminder-schedule.ts';
import { fill } from './template.ts';
import { nationalPhone } from './phone.ts';
import { ZNS_FIELDS, type ZnsField } from './policy/channels-schema.ts';

/**
 * A reminder rendered from the policy's templates: the email (Vietnamese or English, accents
 * kept) and the SMS (unaccented GSM-7, at most the policy's segments), with the amount and the
 * deadline. Pure.
 */

export interface ReminderRecipient {
  kind: PayerKind;
  /** The SI code or the household code: shown masked (last four characters). */
  code: string;
  name: string;
  locale: 'vi' | 'en';
  /** VSI: the payment method and chosen income, as told in the email. */
  method?: string | undefined;
  chosenIncome?: number | undefined;
  /** HI: members whose cards are renewed. */
  members?: number | undefined;
  /** The collection agent: empty when the participant has none on record. */
  agentName: string;
  /** The agent's work phone; without one the office's hotline is told instead. */
  agentPhone?: string | undefined;
}

export interface RenderedReminder {
  subject: string;
  body: string;
  sms: string;
  smsSegments: number;
  deadline: IsoDate;
  /** What a Zalo ZNS template's parameters are filled with (accents kept: ZNS is not SMS). */
  facts: Record<ZnsField, string>;
}

const METHOD_NAMES: Record<string, { vi: string; en: string }> = {
  monthly: { vi: 'đóng hằng tháng', en: 'monthly' },
  quarterly: { vi: 'đóng 3 tháng một lần', en: 'every 3 months' },
  'half-yearly': { vi: 'đóng 6 tháng một lần', en: 'every 6 months' },
  yearly: { vi: 'đóng 12 tháng một lần', en: 'every 12 months' },
  'years-ahead': { vi: 'đóng một lần cho nhiều năm', en: 'years ahead' },
};

/** English counts with their noun ("1 month", "2 months"); Vietnamese nouns have no plural. */
const count = (n: number, locale: 'vi' | 'en', vi: string, one: string, many: string) => `${n} ${locale === 'vi' ? vi : n === 1 ? one : many}`;
export { displayDate };

export const maskCode = (code: string) => `***${code.slice(-4)}`;

/** The date a reminder asks to pay by: the end of cover before it lapses, the day before the agent's visit after. */
export function deadlineOf(step: ReminderStep, coveredUntil: IsoDate, policy: RemindersPolicy): IsoDate {
  return step.offsetDays <= 0 ? coveredUntil : addDays(agentFollowUpOn(coveredUntil, policy), -1);
}

/** `office`: the office's hotline (its settings, not the law), told when the agent has no phone. */
export function renderReminder(recipient: ReminderRecipient, step: ReminderStep, due: PaymentDue, today: IsoDate, policy: RemindersPolicy, office: Pick<OfficeSettings, 'hotline'>): RenderedReminder {
  const locale = recipient.locale;
  const template = policy.templates[recipient.kind][step.template];
  if (!template) throw new Error(`No ${recipient.kind} template ${step.template}`);
  const deadline = deadlineOf(step, due.coveredUntil, policy);
  const members = recipient.members ?? 1;
  const daysLeft = Math.max(0, daysBetween(today, due.coveredUntil));
  const agentPhone = recipient.agentPhone ? nationalPhone(recipient.agentPhone) : office.hotline;
  const values: Record<string, string> = {
    name: recipient.name,
    maskedCode: maskCode(recipient.code),
    coveredUntil: displayDate(due.coveredUntil),
    lapsedOn: displayDate(lapseOn(due.coveredUntil)),
    deadline: displayDate(deadline),
    daysLeft: String(daysLeft),
    daysLeftText: count(daysLeft, locale, 'ngay', 'day', 'days'),
    amount: formatVnd(due.amount),
    months: String(due.months),
    monthsText: count(due.months, locale, 'thang', 'month', 'months'),
    method: METHOD_NAMES[recipient.method ?? '']?.[locale] ?? '',
    income: recipient.chosenIncome !== undefined ? formatVnd(recipient.chosenIncome) : '',
    supportNote: due.support > 0 ? (locale === 'vi' ? ` (đã trừ Nhà nước hỗ trợ ${formatVnd(due.support)})` : ` (after State support of ${formatVnd(due.support)})`) : '',
    members: String(members),
    membersText: count(members, locale, 'nguoi', 'person', 'people'),
    agentName: recipient.agentName,
    agentPhone,
    contact: contactOf(recipient, office.hotline, locale),
    stopNote: policy.smsReplyNumber ? (locale === 'vi' ? ` Tu choi: STOP gui ${policy.smsReplyNumber}` : ` Opt out: STOP to ${policy.smsReplyNumber}`) : '',
  };
  const { sms, segments } = fitSms(template.sms[locale], values, policy.smsMaxSegments);
  const facts = Object.fromEntries(ZNS_FIELDS.map((f) => [f, values[f] ?? ''])) as Record<ZnsField, string>;
  return { subject: fill(template.email[locale].subject, values), body: fill(template.email[locale].body, values), sms, smsSegments: segments, deadline, facts };
}

/**
 * Whom the SMS tells to call: the agent by name with their phone, or the office's hotline when the
 * participant has no agent or the agent no work phone (a name without a number cannot be called).
 */
function contactOf(recipient: ReminderRecipient, hotline: string, locale: 'vi' | 'en'): string {
  if (recipient.agentName && recipient.agentPhone) return `${locale === 'vi' ? 'dai ly' : 'agent'} ${recipient.agentName} ${nationalPhone(recipient.agentPhone)}`;
  return locale === 'vi' ? `tong dai BHXH ${hotline}` : `BHXH hotline ${hotline}`;
}

/**
 * The SMS, unaccented. A long name is shortened to fit the segments (the given name, then none):
 * the amount and the deadline always stay.
 */
function fitSms(template: string, values: Record<string, string>, maxSegments: number): { sms: string; segments: number } {
  const words = values.name!.trim().split(/\s+/);
  const names = [values.name!, words.slice(-2).join(' '), words.at(-1) ?? '', ''];
  let last = { sms: '', segments: Number.POSITIVE_INFINITY };
  for (const name of names) {
    const sms = toGsm7(fill(template, { ...values, name })).replace(/ \(\)/g, '').replace(/ {2,}/g, ' ');
    last = { sms, segments: smsSegments(sms).segments };
    if (last.segments <= maxSegments) return last;
  }
  return last;
}
