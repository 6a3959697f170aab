import { z } from 'zod';
import { isGsm7 } from '../sms.ts';

/**
 * The employee-notice section of the policy (schema.ts): issue 14's "employees' right to know".
 * On its day each month, every employee on the roster of a unit this many days or more late is
 * told, by SMS or email (whichever they consented to and have not opted out of), which unpaid
 * months, how much by insurance type (SI, HI, UI, at the reconciliation section's rates) and how to
 * report a problem (the office's hotline: its settings, not the law). The unit is then told that
 * its employees have been informed (a count, no names). Functions/core/employee-notice.ts plans it.
 */

const emailTemplate = z.object({ subject: z.string().min(1), body: z.string().min(1) });
const byLocale = <T extends z.ZodType>(t: T) => z.object({ vi: t, en: t });

export const employeeNoticeSchema = z.object({
  /** Day of month and local hour of the run (after the monthly run and the statements: the unit has been urged first). */
  dayOfMonth: z.number().int().min(1).max(28),
  hour: z.number().int().min(0).max(23),
  /** The run repeats hourly through this hour the same day: a rerun sends what an earlier one left (throttled, failed) and nothing twice. */
  rerunUntilHour: z.number().int().min(0).max(23),
  /** A unit is notified about when its oldest unpaid period is at least this many days past its deadline. */
  minDaysLate: z.number().int().min(1).max(365),
  /** Which text an employee gets when the roster does not say (it has no language column). */
  locale: z.enum(['vi', 'en']),
  /** A claim whose send never completed may be taken over after this long. */
  claimStaleAfterMinutes: z.number().int().min(1),
  templates: z.object({
    /** Unaccented GSM-7, one segment (≤ 160) once filled: the unit's name is shortened to fit, never the amounts. */
    sms: byLocale(z.string().min(1)),
    email: byLocale(emailTemplate),
    /** To the unit: how many of its employees were told this cycle (never who). */
    employer: byLocale(emailTemplate),
  }),
  source: z.string().min(1),
});

export type EmployeeNoticePolicy = z.infer<typeof employeeNoticeSchema>;

/** Cross-field rules, run by the policy's superRefine. */
export function checkEmployeeNotice(p: EmployeeNoticePolicy, ctx: z.RefinementCtx): void {
  if (p.rerunUntilHour < p.hour) ctx.addIssue({ code: 'custom', path: ['employeeNotice', 'rerunUntilHour'], message: 'must not be before the first run' });
  for (const locale of ['vi', 'en'] as const) {
    if (!isGsm7(p.templates.sms[locale])) ctx.addIssue({ code: 'custom', path: ['employeeNotice', 'templates', 'sms', locale], message: 'an SMS template must be unaccented GSM-7 text' });
  }
}
