import { z } from 'zod';
import { isValidDate, lastDayOfPeriod, addMonths, type IsoDate, type Period } from './dates.ts';
import { remindersSchema, REMINDERS_2025, checkReminders } from './reminder-policy.ts';
import { statementSchema, STATEMENT_2025 } from './statement-policy.ts';

/**
 * The escalation policy: every threshold, rate, deadline, channel and template in one
 * validated, versioned object (a dunning-level table). Offices change these, not code.
 * Sources: Law on Social Insurance 41/2024/QH15, Decree 274/2025/ND-CP, agency practice
 * (see ../shared/DOMAIN.md "Rules in force").
 */

/** The office's zone, used to know which day it is before a policy version is chosen. */
export const OFFICE_TIME_ZONE = 'Asia/Ho_Chi_Minh';

const isoDate = z.string().refine(isValidDate, 'must be a calendar date YYYY-MM-DD');

export const STAGES = ['urging-notice', 'officer-visit', 'inspection'] as const;
export type StageName = (typeof STAGES)[number];
export const OFFICER_ROLES = ['collector', 'team-lead', 'inspector', 'collection-agent'] as const;
export type OfficerRole = (typeof OFFICER_ROLES)[number];
/** The tasks an escalation opens (a stage's task). */
export const TASK_TYPES = ['visit', 'inspection'] as const;
/** Every task staff see: the escalation's, and a collection agent's visit to a participant who let cover lapse. */
export const ALL_TASK_TYPES = [...TASK_TYPES, 'renewal-visit'] as const;
export type AnyTaskType = (typeof ALL_TASK_TYPES)[number];
export const HOLD_REASONS = ['force-majeure', 'dispute', 'insolvency', 'other'] as const;
export type HoldReason = (typeof HOLD_REASONS)[number];
export type TaskType = (typeof TASK_TYPES)[number];

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

export const policySchema = z
  .object({
    version: z.string().min(1),
    effectiveFrom: isoDate,
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
        .array(z.object({ effectiveFrom: isoDate, dailyRatePpm: z.number().int().min(0).max(10_000), source: z.string() }))
        .min(1),
      rounding: z.literal('floor-per-period'),
    }),
    /** Late payment not put right this many days after the deadline is evasion. */
    evasionAfterDays: z.number().int().min(1),
    stages: z.array(stageSchema).min(1),
    notice: z.object({
      /** The employer is asked to pay within this many days of the notice. */
      responseDays: z.number().int().min(1),
      sender: z.string().email(),
      /** A claimed notice whose send never completed may be retried after this long. */
      claimStaleAfterMinutes: z.number().int().min(1),
      templates: z.object({ vi: template, en: template }),
      /** Sent to the employer when a payment is recorded, and to the officer whose task it closes. */
      paymentConfirmation: z.object({ vi: template, en: template }),
      officerTaskClosed: z.object({ vi: template, en: template }),
      officerTaskOverdue: z.object({ vi: template, en: template }),
    }),
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
    /** Voluntary SI and household HI: premiums, the reminder schedule, channels and templates (reminder-policy.ts). */
    reminders: remindersSchema,
    /** Every employer's monthly statement of contribution results (statement-policy.ts). */
    statement: statementSchema,
  })
  .superRefine((p, ctx) => {
    checkReminders(p.reminders, ctx);
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
    p.interest.rates.forEach((r, i) => {
      const prev = p.interest.rates[i - 1];
      if (prev && r.effectiveFrom <= prev.effectiveFrom) {
        ctx.addIssue({ code: 'custom', path: ['interest', 'rates', i], message: 'rates must be in increasing effective date order' });
      }
    });
  });

export type Policy = z.infer<typeof policySchema>;
export type Stage = z.infer<typeof stageSchema>;

const URGING_VI = {
  subject: 'Thông báo đôn đốc đóng BHXH, BHYT, BHTN – đơn vị {{unitCode}}',
  body: [
    'Kính gửi: {{unitName}} (mã đơn vị {{unitCode}}, MST {{taxCode}})',
    '',
    'Theo số liệu của cơ quan BHXH đến ngày {{asOf}}, đơn vị còn nợ tiền đóng BHXH, BHYT, BHTN:',
    '{{periodLines}}',
    'Số tháng chậm đóng (tính từ kỳ chưa đóng sớm nhất {{oldestUnpaidPeriod}}): {{monthsOverdue}}',
    'Tiền gốc chậm đóng: {{overduePrincipal}}',
    'Tiền lãi chậm đóng ({{interestRate}}/ngày): {{interest}}',
    'Tổng số tiền phải nộp: {{debt}}',
    '{{arrangementLine}}',
    '{{statementLine}}',
    '',
    'Đề nghị đơn vị nộp đủ số tiền trên trước ngày {{payBy}}. Quá hạn, cơ quan BHXH sẽ {{nextMeasure}}.',
    'Nếu đơn vị đã nộp, xin bỏ qua thông báo này.',
  ].join('\n'),
};

const URGING_EN = {
  subject: 'Contribution arrears notice – unit {{unitCode}}',
  body: [
    'To: {{unitName}} (unit code {{unitCode}}, tax code {{taxCode}})',
    '',
    'According to the agency records as of {{asOf}}, your unit owes social, health and unemployment insurance contributions:',
    '{{periodLines}}',
    'Months overdue (since the oldest unpaid period {{oldestUnpaidPeriod}}): {{monthsOverdue}}',
    'Late principal: {{overduePrincipal}}',
    'Late-payment interest ({{interestRate}} per day): {{interest}}',
    'Total to pay: {{debt}}',
    '{{arrangementLine}}',
    '{{statementLine}}',
    '',
    'Please pay the full amount by {{payBy}}. Otherwise the agency will {{nextMeasure}}.',
    'If you have already paid, please disregard this notice.',
  ].join('\n'),
};

const PAYMENT_CONFIRMATION = {
  vi: {
    subject: 'Xác nhận đã nhận tiền đóng BHXH, BHYT, BHTN – đơn vị {{unitCode}}',
    body: [
      'Kính gửi: {{unitName}} (mã đơn vị {{unitCode}})',
      '',
      'Cơ quan BHXH đã nhận khoản nộp {{amount}} ngày {{paidOn}} (chứng từ {{reference}}).',
      'Số tiền còn phải nộp sau khoản này: {{debt}}.',
      '{{closingLine}}',
    ].join('\n'),
  },
  en: {
    subject: 'Payment received – unit {{unitCode}}',
    body: [
      'To: {{unitName}} (unit code {{unitCode}})',
      '',
      'The agency has received {{amount}} paid on {{paidOn}} (reference {{reference}}).',
      'Still to pay after this payment: {{debt}}.',
      '{{closingLine}}',
    ].join('\n'),
  },
};

const OFFICER_TASK_CLOSED = {
  vi: {
    subject: 'Nhiệm vụ {{taskId}} đã đóng: đơn vị đã nộp đủ',
    body: 'Đơn vị {{unitCode}} đã nộp đủ số nợ (chứng từ {{reference}}). Nhiệm vụ {{taskId}} được đóng, không cần làm việc thêm.',
  },
  en: {
    subject: 'Task {{taskId}} closed: the unit has paid',
    body: 'Unit {{unitCode}} has paid its debt (reference {{reference}}). Task {{taskId}} is closed; no further action is needed.',
  },
};

const OFFICER_TASK_OVERDUE = {
  vi: {
    subject: 'Nhiệm vụ {{taskId}} quá hạn, đã chuyển trưởng nhóm',
    body: 'Nhiệm vụ {{taskId}} (đơn vị {{unitCode}}) hết hạn ngày {{dueDate}} mà chưa có kết quả. Nhiệm vụ đã được chuyển cho trưởng nhóm {{teamLeadId}}.',
  },
  en: {
    subject: 'Task {{taskId}} is overdue and has gone to your team lead',
    body: 'Task {{taskId}} (unit {{unitCode}}) was due on {{dueDate}} with no outcome recorded. It has been passed to team lead {{teamLeadId}}.',
  },
};

const PRE_DISCLOSURE = {
  vi: {
    subject: 'Thông báo trước khi công khai đơn vị nợ BHXH, BHYT, BHTN – đơn vị {{unitCode}}',
    body: [
      'Kính gửi: {{unitName}} (mã đơn vị {{unitCode}}, MST {{taxCode}})',
      '',
      'Theo số liệu của cơ quan BHXH đến ngày {{asOf}}, đơn vị chậm đóng BHXH, BHYT, BHTN {{monthsOverdue}} tháng (từ kỳ {{oldestUnpaidPeriod}}):',
      'Tiền gốc chậm đóng: {{overduePrincipal}}',
      'Tiền lãi chậm đóng: {{interest}}',
      'Tổng số tiền phải nộp: {{debt}}',
      '',
      'Đề nghị đơn vị nộp đủ số tiền trên trước hết ngày {{payBy}}.',
      'Quá thời hạn này mà đơn vị vẫn nợ từ {{minMonthsOverdue}} tháng và từ {{minDebt}} trở lên, cơ quan BHXH sẽ công khai tên đơn vị, mã đơn vị, mã số thuế, địa bàn, số tháng và số tiền nợ trên cổng thông tin điện tử của cơ quan BHXH và thông báo đến cơ quan quản lý nhà nước.',
      'Nếu đơn vị đã nộp, xin bỏ qua thông báo này.',
    ].join('\n'),
  },
  en: {
    subject: 'Notice before public disclosure of contribution arrears – unit {{unitCode}}',
    body: [
      'To: {{unitName}} (unit code {{unitCode}}, tax code {{taxCode}})',
      '',
      'According to the agency records as of {{asOf}}, your unit is {{monthsOverdue}} months late with its social, health and unemployment insurance contributions (since period {{oldestUnpaidPeriod}}):',
      'Late principal: {{overduePrincipal}}',
      'Late-payment interest: {{interest}}',
      'Total to pay: {{debt}}',
      '',
      'Please pay the full amount by the end of {{payBy}}.',
      'If your unit still owes {{minMonthsOverdue}} months or more and {{minDebt}} or more after that date, the agency will publish its name, unit code, tax code, district, months overdue and debt on its web portal and inform the state management bodies.',
      'If you have already paid, please disregard this notice.',
    ].join('\n'),
  },
};

/** Policy versions, oldest first. A date is governed by the newest version in effect on it. */
export const POLICY_VERSIONS: readonly Policy[] = [
  policySchema.parse({
    version: '2025-07-01',
    effectiveFrom: '2025-07-01',
    source: 'Law 41/2024/QH15 (from 2025-07-01); Decree 274/2025/ND-CP; agency practice (urging at 1 month, inspection at 3)',
    timeZone: OFFICE_TIME_ZONE,
    locale: 'vi',
    deadline: { monthsAfterPeriod: 1 },
    interest: {
      rates: [{ effectiveFrom: '2025-07-01', dailyRatePpm: 300, source: 'Law 41/2024/QH15 Art. 40: 0.03% per day' }],
      rounding: 'floor-per-period',
    },
    evasionAfterDays: 60,
    stages: [
      {
        stage: 'urging-notice',
        minMonthsOverdue: 1,
        measure: { vi: 'tiếp tục gửi thông báo đôn đốc', en: 'keep sending urging notices' },
      },
      {
        stage: 'officer-visit',
        minMonthsOverdue: 2,
        task: { type: 'visit', role: 'collector', dueDays: 10 },
        measure: { vi: 'cử cán bộ thu đến làm việc trực tiếp với đơn vị', en: 'send a collection officer to visit the unit' },
      },
      {
        stage: 'inspection',
        minMonthsOverdue: 3,
        task: { type: 'inspection', role: 'inspector', dueDays: 15 },
        measure: {
          vi: 'đề nghị thanh tra, kiểm tra và xử phạt theo quy định của pháp luật',
          en: 'refer the unit for inspection and penalties under the law',
        },
      },
    ],
    notice: {
      responseDays: 15,
      sender: 'thu-no@bhxh.example.vn',
      claimStaleAfterMinutes: 15,
      templates: { vi: URGING_VI, en: URGING_EN },
      paymentConfirmation: PAYMENT_CONFIRMATION,
      officerTaskClosed: OFFICER_TASK_CLOSED,
      officerTaskOverdue: OFFICER_TASK_OVERDUE,
    },
    taskEscalation: { role: 'team-lead', dueDays: 5 },
    // Force majeure (storm, flood, epidemic...) is not evasion (Decree 274/2025); disputes are short.
    holds: { maxDays: { 'force-majeure': 180, dispute: 60, insolvency: 365, other: 30 }, disputedOutcomeDays: 30 },
    arrangements: {
      graceDays: 5,
      promiseMaxDays: 30,
      planMaxInstalments: 12,
      planMaxMonths: 12,
      missedLine: {
        vi: 'Đơn vị đã không nộp đúng hạn kỳ {{instalment}} ({{dueDate}}) theo {{arrangement}} đã cam kết; cơ quan BHXH tiếp tục đôn đốc thu nợ.',
        en: 'Your unit did not pay instalment {{instalment}} (due {{dueDate}}) of the {{arrangement}} it agreed; the agency resumes collection.',
      },
    },
    report: { receivableMonths: 12, hour: 12 },
    monthlyRun: { dayOfMonth: 2, hour: 6 },
    // Decree 274/2025: the list goes to the state bodies before the 15th of the quarter's first month.
    quarterlyList: { dayOfMonth: 5, hour: 7 },
    // Agency practice: publish units 3+ months and 50 million dong behind, after a 15-day warning.
    disclosure: { minMonthsOverdue: 3, minDebt: 50_000_000, responseDays: 15, dayOfMonth: 10, hour: 8, templates: PRE_DISCLOSURE },
    reminders: REMINDERS_2025,
    statement: STATEMENT_2025,
  }),
];

export function policyFor(date: IsoDate, versions: readonly Policy[] = POLICY_VERSIONS): Policy {
  let found: Policy | undefined;
  for (const v of versions) if (v.effectiveFrom <= date) found = v;
  // Dates before the first version fall under the first one: arrears older than the
  // product are still followed up under the rules the office has configured.
  return found ?? versions[0]!;
}

/** The deadline for a contribution period under the policy's deadline rule. */
export function deadlineOf(period: Period, policy: Policy): IsoDate {
  return lastDayOfPeriod(addMonths(period, policy.deadline.monthsAfterPeriod));
}
