import type { MessageKindName } from '../claim-rule.ts';
import { z } from 'zod';
import { isoDateSchema } from '../date-schemas.ts';
import { outOfOrder } from '../effective-date.ts';
import { remindersSchema, checkReminders } from './reminders-schema.ts';
import { statementSchema } from './statement-schema.ts';
import { checkPriority, prioritySchema } from './priority-schema.ts';
import { letterSchema } from './letter-schema.ts';
import { checkReconciliation, reconciliationSchema } from './reconciliation-schema.ts';
import { checkEmployeeNotice, employeeNoticeSchema } from './employee-notice-schema.ts';
import { channelsSchema } from './channels-schema.ts';

/**
 * The shape of the escalation policy: every threshold, rate, deadline, channel and template in
 * one validated, versioned object (a dunning-level table). Offices change the versions
 * (versions/), not code. Sources: Law on Social Insurance 41/2024/QH15, Decree 274/2025/ND-CP,
 * agency practice: the rules in force are cited in each version's `source` fields.
 */

/** The office's zone, used to know which day it is before a policy version is chosen. */
export const OFFICE_TIME_ZONE = 'Asia/Ho_Chi_Minh';

export const STAGES = ['urging-notice', 'officer-visit', 'inspection'] as const;
export type StageName = (typeof STAGES)[number];
export const OFFICER_ROLES = ['collector', 'team-lead', 'inspector', 'collection-agent'] as const;
export type OfficerRole = (typeof OFFICER_ROLES)[number];
/** The tasks an escalation opens (a stage's task). */
export const TASK_TYPES = ['visit', 'inspection'] as const;
/**
 * Tasks no workflow waits on (no callback token: `NO_WORKFLOW_TOKEN` in commons/records.ts): a
 * collection agent's visit to a participant who let cover lapse, and the check of a finding of
 * reconciliation with tax data (functions/core/tax-check.ts).
 */
export const PLAIN_TASK_TYPES = ['renewal-visit', 'tax-data-check'] as const;
/** Every task staff see: the escalation's, and the plain ones. */
export const ALL_TASK_TYPES = [...TASK_TYPES, ...PLAIN_TASK_TYPES] as const;
export type AnyTaskType = (typeof ALL_TASK_TYPES)[number];
export const HOLD_REASONS = ['force-majeure', 'dispute', 'insolvency', 'other'] as const;
export type HoldReason = (typeof HOLD_REASONS)[number];
export type TaskType = (typeof TASK_TYPES)[number];
export type PlainTaskType = (typeof PLAIN_TASK_TYPES)[number];
/** Whether a workflow waits on tasks of this type (the escalation's); the others are closed by their outcome alone. */
export const isCaseTaskType = (type: AnyTaskType): type is TaskType => (TASK_TYPES as readonly string[]).includes(type);

const template = z.object({ subject: z.string().min(1), body: z.string().min(1) });

const stageSchema = z.object({
  stage: z.enum(STAGES),
  /** Reached when the oldest unpaid period is at least this many months overdue. */
  minMonthsOverdue: z.number().int().min(1),
  /** What this stage does, as told to the employer in the notice of the stage before. */
  measure: z.object({ vi: z.string().min(1), en: z.string().min(1) }),
  /** Every stage sends the cycle's urging notice; a stage may also open a staff task. */
  task: z
    .object({
      type: z.enum(TASK_TYPES),
      role: z.enum(OFFICER_ROLES),
      /** Calendar days the officer has to record an outcome. */
      dueDays: z.number().int().min(1).max(27),
    })
    .optional(),
});

const deliveryRule = z.object({
  whenUnsure: z.enum(['resend', 'give-up']),
  /** The day of the cycle's month by which it must have gone out (Decree 274/2025: notices within the first 10 days). */
  deadlineDayOfMonth: z.number().int().min(1).max(28).optional(),
});

export const policySchema = z
  .object({
    version: z.string().min(1),
    effectiveFrom: isoDateSchema,
    source: z.string().min(1),
    timeZone: z.string().min(1),
    locale: z.enum(['vi', 'en']),
    deadline: z.object({
      /** Contributions for period P are due on the last day of the month P + monthsAfterPeriod. */
      monthsAfterPeriod: z.number().int().min(0).max(3),
    }),
    interest: z.object({
      /** Daily rate in parts per million of the late amount, by effective date (0.03%/day = 300). */
      rates: z
        .array(z.object({ effectiveFrom: isoDateSchema, dailyRatePpm: z.number().int().min(0).max(10_000), source: z.string() }))
        .min(1),
      rounding: z.literal('floor-per-period'),
    }),
    /** Late payment not put right this many days after the deadline is evasion. */
    evasionAfterDays: z.number().int().min(1),
    stages: z.array(stageSchema).min(1),
    notice: z.object({
      /** The employer is asked to pay within this many days of the notice. */
      responseDays: z.number().int().min(1),
      // Who sends it (the office's address) is the office's settings (functions/core/office.ts), not the law.
      /** A claimed notice whose send never completed may be retried after this long. */
      claimStaleAfterMinutes: z.number().int().min(1),
      templates: z.object({ vi: template, en: template }),
      /** Sent to the employer when a payment is recorded, and to the officer whose task it closes. */
      paymentConfirmation: z.object({ vi: template, en: template }),
      officerTaskAssigned: z.object({ vi: template, en: template }),
      officerTaskClosed: z.object({ vi: template, en: template }),
      /** Sent to each manager when the monthly collection report is written: its headline figures and its link in the inbox. */
      managerCollectionReport: z.object({ vi: template, en: template }),
      officerTaskOverdue: z.object({ vi: template, en: template }),
    }),
    /**
     * How each kind of message is delivered when the evidence is missing (a worker died between
     * claiming it and the provider's answer, and no send event came), and by when it must be out:
     * the redrive sends what is pending until that day of the month, then the alarm is raised.
     */
    /** The redrive sends again, daily at this local hour, what is still due (infra/registry/schedules.ts). */
    redrive: z.object({ hour: z.number().int().min(0).max(23) }),
    delivery: z.object({
      urging: deliveryRule, statement: deliveryRule, 'pre-disclosure': deliveryRule, 'payment-confirmation': deliveryRule, 'officer-email': deliveryRule, 'manager-email': deliveryRule,
      reminder: deliveryRule, 'employee-notice': deliveryRule, 'employees-informed': deliveryRule,
    }) satisfies z.ZodType<Record<MessageKindName, unknown>>,
    /** A task past its due date goes to this role (the officer's team lead), due this many days later. */
    taskEscalation: z.object({ role: z.enum(OFFICER_ROLES), dueDays: z.number().int().min(1).max(10) }),
    /** The longest a hold of each reason may last, in days; it lapses by itself at its end date. */
    holds: z.object({
      maxDays: z.record(z.enum(HOLD_REASONS), z.number().int().min(1).max(730)),
      /** An officer's "disputed" outcome puts the unit on a dispute hold this long, pending review. */
      disputedOutcomeDays: z.number().int().min(1).max(730),
    }),
    /** Promises to pay and payment plans pause escalation while kept. */
    arrangements: z.object({
      /** An instalment unpaid this many days after its date is missed and escalation resumes. */
      graceDays: z.number().int().min(0).max(30),
      promiseMaxDays: z.number().int().min(1).max(90),
      planMaxInstalments: z.number().int().min(2).max(60),
      planMaxMonths: z.number().int().min(1).max(60),
      /** The line an urging notice adds when it follows a missed instalment. */
      missedLine: z.object({ vi: z.string().min(1), en: z.string().min(1) }),
    }),
    report: z.object({
      /** Debt ratio = arrears / amount receivable over this many months of periods. */
      receivableMonths: z.number().int().min(1).max(24),
      /** The collection report is made on the monthly run's day at this local hour, after the run. */
      hour: z.number().int().min(0).max(23),
    }),
    monthlyRun: z.object({
      /** Day of month and local time of the scheduled run; the law asks for notices in the first 10 days. */
      dayOfMonth: z.number().int().min(1).max(10),
      hour: z.number().int().min(0).max(23),
    }),
    /**
     * The list of late and evading employers for the state management and inspection bodies, made
     * in the first month of each quarter (the law: before the 15th) for the quarter just ended.
     */
    quarterlyList: z.object({
      dayOfMonth: z.number().int().min(1).max(14),
      hour: z.number().int().min(0).max(23),
    }),
    /**
     * Public disclosure of units in arrears: a unit at or above both thresholds first gets a
     * pre-disclosure notice; if still above them after the response window, it is published.
     */
    disclosure: z.object({
      minMonthsOverdue: z.number().int().min(1),
      /** Debt (late principal plus interest), whole dong. */
      minDebt: z.number().int().min(0),
      /** Calendar days after the pre-disclosure notice to pay before publication; under a month, so the next run can publish. */
      responseDays: z.number().int().min(1).max(27),
      /** Day of month and local time of the monthly disclosure run (after the monthly run). */
      dayOfMonth: z.number().int().min(1).max(28),
      hour: z.number().int().min(0).max(23),
      templates: z.object({ vi: template, en: template }),
    }),
    /** Voluntary SI and household HI: premiums, the reminder schedule, channels and templates (reminders-schema.ts). */
    reminders: remindersSchema,
    /** Every employer's monthly statement of contribution results (statement-schema.ts). */
    statement: statementSchema,
    /** What comes first in the staff's worklist: the points of each fact about a unit (priority-schema.ts). */
    priority: prioritySchema,
    /** What makes a notice to an employer an official letter: letterhead, how to pay, whom to call (letter-schema.ts). */
    letter: z.object({ vi: letterSchema, en: letterSchema }),
    /** Contribution rates, the wage cap and the tests of reconciliation with tax data (reconciliation-schema.ts). */
    reconciliation: reconciliationSchema,
    /** Employees of a unit long in arrears told of it, and the unit told they were (employee-notice-schema.ts). */
    employeeNotice: employeeNoticeSchema,
    /** The price of a message on each channel, and the Zalo ZNS templates reminders go by (channels-schema.ts). */
    channels: channelsSchema,
  })
  .superRefine((p, ctx) => {
    checkReminders(p.reminders, ctx);
    checkPriority(p.priority, ctx);
    checkReconciliation(p.reconciliation, ctx);
    checkEmployeeNotice(p.employeeNotice, ctx);
    // Employees hear of the arrears after the unit has had the month's urging notice and statement.
    if (p.employeeNotice.dayOfMonth <= p.statement.dayOfMonth) {
      ctx.addIssue({ code: 'custom', path: ['employeeNotice', 'dayOfMonth'], message: 'employees are told after the unit has had its statement' });
    }
    // The employees' notices from their day to their deadline; the unit is told once they are settled,
    // or, when some are still due at the deadline, of those told by then (steps/redrive-run.ts).
    const notices = p.delivery['employee-notice'].deadlineDayOfMonth;
    if (notices === undefined || notices < p.employeeNotice.dayOfMonth) {
      ctx.addIssue({ code: 'custom', path: ['delivery', 'employee-notice', 'deadlineDayOfMonth'], message: 'the employees\' notices need a deadline on or after their day' });
    }
    // The unit's own email may still go the day after, telling of those told by then (a provider
    // outage can outlast the notices' window: the unit still hears that some were told).
    const informed = p.delivery['employees-informed'].deadlineDayOfMonth;
    if (notices !== undefined && (informed === undefined || informed <= notices)) {
      ctx.addIssue({ code: 'custom', path: ['delivery', 'employees-informed', 'deadlineDayOfMonth'], message: 'the unit\'s email needs a deadline after its employees\' notices\'' });
    }
    p.stages.forEach((s, i) => {
      const prev = p.stages[i - 1];
      if (prev && s.minMonthsOverdue <= prev.minMonthsOverdue) {
        ctx.addIssue({ code: 'custom', path: ['stages', i, 'minMonthsOverdue'], message: 'stages must rise strictly in months overdue' });
      }
    });
    // The unit hears of its arrears from the month's urging notice before it hears of disclosure.
    if (p.report.hour <= p.monthlyRun.hour) {
      ctx.addIssue({ code: 'custom', path: ['report', 'hour'], message: 'the collection report is made after the monthly run' });
    }
    // The urging notice points to the cycle's statement: it is sent after the run, in the same month.
    const s = p.statement;
    if (s.dayOfMonth < p.monthlyRun.dayOfMonth || (s.dayOfMonth === p.monthlyRun.dayOfMonth && s.hour <= p.monthlyRun.hour)) {
      ctx.addIssue({ code: 'custom', path: ['statement', 'dayOfMonth'], message: 'the statement run must come after the monthly run' });
    }
    if (p.disclosure.dayOfMonth <= p.monthlyRun.dayOfMonth) {
      ctx.addIssue({ code: 'custom', path: ['disclosure', 'dayOfMonth'], message: 'the disclosure run must come after the monthly run' });
    }
    for (const i of outOfOrder(p.interest.rates)) {
      ctx.addIssue({ code: 'custom', path: ['interest', 'rates', i], message: 'rates must be in increasing effective date order' });
    }
  });

export type Policy = z.infer<typeof policySchema>;
export type Stage = z.infer<typeof stageSchema>;
