import { z } from 'zod';
import { isoDateSchema } from '../date-schemas.ts';
import { outOfOrder } from '../effective-date.ts';
import { isGsm7 } from '../sms.ts';

/**
 * The reminders section of the policy (schema.ts): voluntary social insurance (VSI)
 * and household health insurance (HI) premiums by effective date, the reminder schedule around the
 * end of cover, the channels, quiet hours for SMS, the collection agent's follow-up, and the
 * templates (Vietnamese and English emails, unaccented SMS). Sources: Law 41/2024/QH15, Decree
 * 159/2025/ND-CP (State support), Law on Health Insurance and Decree 188/2025 (household HI);
 * each rate version cites its own source.
 */

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a local time HH:MM');

export const PAYER_KINDS = ['vsi', 'hi'] as const;
export type PayerKind = (typeof PAYER_KINDS)[number];
export const CHANNELS = ['sms', 'email'] as const;
export type Channel = (typeof CHANNELS)[number];
export const SUPPORT_GROUPS = ['poor', 'near-poor', 'ethnic-minority', 'other'] as const;
export type SupportGroup = (typeof SUPPORT_GROUPS)[number];
export const REMINDER_TEMPLATES = ['upcoming', 'last-call', 'lapsed', 'lapsed-final'] as const;
export type ReminderTemplateName = (typeof REMINDER_TEMPLATES)[number];

const emailTemplate = z.object({ subject: z.string().min(1), body: z.string().min(1) });
const reminderTemplate = z.object({
  email: z.object({ vi: emailTemplate, en: emailTemplate }),
  /** Unaccented, GSM-7 only: within the policy's segments once filled (checked in test/core/reminder-sms.test.ts). */
  sms: z.object({ vi: z.string().min(1), en: z.string().min(1) }),
});

const stepSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]{1,20}$/, 'must be 1–20 lower-case letters, digits or dashes'),
  /** Days from the last day of cover (the paid-through end, or the card's expiry): -15 is 15 days before, 1 is the first day without cover. */
  offsetDays: z.number().int().min(-90).max(180),
  channels: z.array(z.enum(CHANNELS)).min(1),
  /** `preferred`: the participant's preferred channel among these (the other if it cannot reach them); `all`: every one that can. */
  delivery: z.enum(['preferred', 'all']),
  template: z.enum(REMINDER_TEMPLATES),
});
export type ReminderStep = z.infer<typeof stepSchema>;

export const remindersSchema = z.object({
  /**
   * Local time of the scheduled daily run, which repeats every hour until `rerunUntilHour`: a
   * rerun picks up what an earlier one left (out of time, throttled sends, SMS held in the quiet
   * hours) and sends nothing twice.
   */
  dailyRun: z.object({ hour: z.number().int().min(0).max(23), minute: z.number().int().min(0).max(59), rerunUntilHour: z.number().int().min(0).max(23) })
    .refine((d) => d.rerunUntilHour >= d.hour, { message: 'rerunUntilHour must not be before the first run', path: ['rerunUntilHour'] }),
  /** Day of month and local time of the renewal report of the month before. */
  report: z.object({ dayOfMonth: z.number().int().min(1).max(28), hour: z.number().int().min(0).max(23) }),
  /** A step missed by up to this many days (a run that did not happen, an SMS deferred) is still sent; older ones are skipped. */
  catchUpDays: z.number().int().min(0).max(14),
  steps: z.array(stepSchema).min(1),
  /** No SMS in these local hours: the SMS waits for the next run after `end`, it is not dropped. */
  quietHours: z.object({ start: hhmm, end: hhmm }),
  /** A participant still without cover this many days after it lapsed gets a visit by their collection agent. */
  agentFollowUp: z.object({ afterLapseDays: z.number().int().min(0).max(180), dueDays: z.number().int().min(1).max(60) }),
  // The sender address, the SMS sender ID and the hotline are the office's (functions/core/office.ts).
  smsMaxSegments: z.number().int().min(1).max(4),
  /**
   * The two-way number (short or long code) whose replies reach the sms-replies function, told in
   * SMS as where to text STOP. Reminders come from the alphanumeric sender ID, which cannot be
   * answered: without this number no SMS offers STOP.
   */
  smsReplyNumber: z.string().regex(/^\+?\d{3,15}$/).optional(),
  /** Replies that opt a phone number out of reminder SMS (compared unaccented, upper case). */
  stopWords: z.array(z.string().regex(/^[A-Z ]{2,20}$/)).min(1),
  claimStaleAfterMinutes: z.number().int().min(1),
  vsi: z.object({
    rates: z.array(z.object({
      effectiveFrom: isoDateSchema,
      /** Of the chosen income, in per mille (22% = 220). */
      premiumPermille: z.number().int().min(1).max(1000),
      /** The rural poverty line, whole dong a month: the lowest income one may choose, and what support is a share of. */
      povertyLine: z.number().int().min(1),
      /** State support as a percentage of the premium on the poverty line, by group. */
      supportPercent: z.record(z.enum(SUPPORT_GROUPS), z.number().int().min(0).max(100)),
      /** Support is paid for at most this many months in all. */
      supportMaxMonths: z.number().int().min(0),
      /** The highest income one may choose, as a multiple of the base salary. */
      maxIncomeBaseSalaries: z.number().int().min(1),
      baseSalary: z.number().int().min(1),
      source: z.string().min(1),
    })).min(1),
    /** Payment methods and the months one payment covers (years ahead: 12 per year). */
    methodMonths: z.object({ monthly: z.literal(1), quarterly: z.literal(3), 'half-yearly': z.literal(6), yearly: z.literal(12) }),
    maxYearsAhead: z.number().int().min(1).max(10),
  }),
  hi: z.object({
    rates: z.array(z.object({
      effectiveFrom: isoDateSchema,
      baseSalary: z.number().int().min(1),
      /** Of the base salary, per mille (4.5% = 45). */
      premiumPermille: z.number().int().min(1).max(1000),
      /** Share of the first member's premium paid for the 1st, 2nd, ... member; the last applies to every later one. */
      memberPercents: z.array(z.number().int().min(1).max(100)).min(1),
      source: z.string().min(1),
    })).min(1),
    methodMonths: z.object({ quarterly: z.literal(3), 'half-yearly': z.literal(6), yearly: z.literal(12) }),
  }),
  templates: z.object({
    vsi: z.record(z.enum(REMINDER_TEMPLATES), reminderTemplate),
    hi: z.record(z.enum(REMINDER_TEMPLATES), reminderTemplate),
  }),
});
export type RemindersPolicy = z.infer<typeof remindersSchema>;
export type VsiRates = RemindersPolicy['vsi']['rates'][number];
export type HiRates = RemindersPolicy['hi']['rates'][number];

/** Cross-field rules, run by the policy's superRefine. */
export function checkReminders(r: RemindersPolicy, ctx: z.RefinementCtx): void {
  const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path: ['reminders', ...path], message });
  r.steps.forEach((s, i) => {
    const prev = r.steps[i - 1];
    if (prev && s.offsetDays <= prev.offsetDays) issue(['steps', i, 'offsetDays'], 'steps must rise strictly in offset days');
    if (r.steps.findIndex((o) => o.id === s.id) !== i) issue(['steps', i, 'id'], 'step ids must be unique');
  });
  const last = r.steps.at(-1)!;
  if (1 + r.agentFollowUp.afterLapseDays < last.offsetDays) issue(['agentFollowUp'], 'the agent follow-up must not come before the last reminder step');
  for (const [name, rates] of [['vsi', r.vsi.rates], ['hi', r.hi.rates]] as const) {
    for (const i of outOfOrder(rates)) issue([name, 'rates', i], 'rates must be in increasing effective date order');
  }
  for (const kind of ['vsi', 'hi'] as const) {
    for (const [name, t] of Object.entries(r.templates[kind])) {
      for (const locale of ['vi', 'en'] as const) {
        if (!isGsm7(t.sms[locale])) issue(['templates', kind, name, 'sms', locale], 'an SMS template must be unaccented GSM-7 text');
      }
    }
  }
}
