import type { z } from 'zod';
import { OFFICE_TIME_ZONE, type policySchema } from '../schema.ts';
import { REMINDER_TEMPLATES, type remindersSchema } from '../reminders-schema.ts';
import type { statementSchema } from '../statement-schema.ts';
import type { prioritySchema } from '../priority-schema.ts';
import type { reconciliationSchema } from '../reconciliation-schema.ts';
import type { employeeNoticeSchema } from '../employee-notice-schema.ts';
import type { channelsSchema } from '../channels-schema.ts';
import { VI } from '../templates/vi.ts';
import { EN } from '../templates/en.ts';

/**
 * The policy in force from 2025-07-01 (Law 41/2024/QH15, Decree 274/2025/ND-CP): its rules and
 * figures here, its texts in ../templates/ (one file per locale).
 */

type Texts = typeof VI;
/** One text of the policy in both locales. */
const byLocale = <K extends keyof Texts>(key: K): { vi: Texts[K]; en: Texts[K] } => ({ vi: VI[key], en: EN[key] });

/** The reminder templates of a payer kind, each with its email and SMS in both locales. */
const reminderTemplates = (kind: 'vsi' | 'hi') =>
  Object.fromEntries(REMINDER_TEMPLATES.map((name) => {
    const vi = VI.reminders[kind][name];
    const en = EN.reminders[kind][name];
    return [name, { email: { vi: vi.email, en: en.email }, sms: { vi: vi.sms, en: en.sms } }];
  })) as Record<(typeof REMINDER_TEMPLATES)[number], { email: { vi: Texts['urgingNotice']; en: Texts['urgingNotice'] }; sms: { vi: string; en: string } }>;

const measure = (stage: keyof Texts['measures']) => ({ vi: VI.measures[stage], en: EN.measures[stage] });

export const REMINDERS_2025 = {
  // Reruns end before the SMS quiet hours start.
  dailyRun: { hour: 8, minute: 0, rerunUntilHour: 20 },
  report: { dayOfMonth: 3, hour: 7 },
  catchUpDays: 7,
  steps: [
    { id: 'before-15', offsetDays: -15, channels: ['sms', 'email'], delivery: 'preferred', template: 'upcoming' },
    { id: 'before-3', offsetDays: -3, channels: ['sms', 'email'], delivery: 'all', template: 'last-call' },
    { id: 'lapse', offsetDays: 1, channels: ['sms', 'email'], delivery: 'all', template: 'lapsed' },
    { id: 'after-30', offsetDays: 30, channels: ['sms', 'email'], delivery: 'preferred', template: 'lapsed-final' },
  ],
  quietHours: { start: '21:00', end: '07:00' },
  // The agent visits those still without cover a week after the last reminder.
  agentFollowUp: { afterLapseDays: 37, dueDays: 14 },
  // One segment: a second would double the cost of every reminder.
  smsMaxSegments: 1,
  stopWords: ['STOP', 'TU CHOI', 'HUY', 'DUNG'],
  claimStaleAfterMinutes: 15,
  vsi: {
    rates: [
      {
        effectiveFrom: '2022-01-01', premiumPermille: 220, povertyLine: 1_500_000,
        supportPercent: { poor: 30, 'near-poor': 25, 'ethnic-minority': 10, other: 10 }, supportMaxMonths: 120,
        maxIncomeBaseSalaries: 20, baseSalary: 1_490_000,
        source: 'Law 58/2014/QH13, Decree 134/2015 as amended: support 30/25/10% of the premium on the rural poverty line (Decree 07/2021: 1,500,000 ₫)',
      },
      {
        effectiveFrom: '2024-07-01', premiumPermille: 220, povertyLine: 1_500_000,
        supportPercent: { poor: 30, 'near-poor': 25, 'ethnic-minority': 10, other: 10 }, supportMaxMonths: 120,
        maxIncomeBaseSalaries: 20, baseSalary: 2_340_000,
        source: 'Base salary 2,340,000 ₫ from 2024-07-01 (Decree 73/2024); support unchanged',
      },
      {
        effectiveFrom: '2025-07-01', premiumPermille: 220, povertyLine: 1_500_000,
        supportPercent: { poor: 50, 'near-poor': 40, 'ethnic-minority': 30, other: 20 }, supportMaxMonths: 120,
        maxIncomeBaseSalaries: 20, baseSalary: 2_340_000,
        source: 'Law 41/2024/QH15, Decree 159/2025/ND-CP: poor households and island communes 50%, near-poor 40%, ethnic minorities 30%, others 20%, at most 120 months',
      },
      {
        effectiveFrom: '2026-01-01', premiumPermille: 220, povertyLine: 2_000_000,
        supportPercent: { poor: 50, 'near-poor': 40, 'ethnic-minority': 30, other: 20 }, supportMaxMonths: 120,
        maxIncomeBaseSalaries: 20, baseSalary: 2_340_000,
        source: 'Rural poverty line 2026–2030: 2,000,000 ₫ a month (national poverty standard); Decree 159/2025/ND-CP support',
      },
    ],
    methodMonths: { monthly: 1, quarterly: 3, 'half-yearly': 6, yearly: 12 },
    maxYearsAhead: 5,
  },
  hi: {
    rates: [
      {
        effectiveFrom: '2024-07-01', baseSalary: 2_340_000, premiumPermille: 45, memberPercents: [100, 70, 60, 50, 40],
        source: 'Law on Health Insurance: household members 4.5% of the base salary, 2nd 70%, 3rd 60%, 4th 50%, 5th and later 40%; base salary 2,340,000 ₫ (Decree 73/2024)',
      },
    ],
    methodMonths: { quarterly: 3, 'half-yearly': 6, yearly: 12 },
  },
  templates: { vsi: reminderTemplates('vsi'), hi: reminderTemplates('hi') },
} satisfies z.input<typeof remindersSchema>;

export const STATEMENT_2025 = {
  dayOfMonth: 2,
  hour: 9,
  months: 12,
  templates: byLocale('statement'),
  noticeLine: byLocale('statementNoticeLine'),
} satisfies z.input<typeof statementSchema>;

/**
 * The worklist's priority (agency practice, not law): large and old debts first, then what
 * predicts a loss: a debt that keeps growing, broken promises, the evasion threshold (from day
 * 61 the unit is evading: inspection and penalties), and a business that stops declaring or
 * paying for its employees (the owner may abscond).
 */
export const PRIORITY_2025 = {
  debt: [{ atLeast: 200_000_000, points: 30 }, { atLeast: 50_000_000, points: 20 }, { atLeast: 10_000_000, points: 10 }],
  monthsOverdue: { pointsPerMonth: 5, maxPoints: 30 },
  growth: { months: 3, bands: [{ atLeast: 100, points: 15 }, { atLeast: 25, points: 10 }] },
  brokenArrangements: { pointsEach: 20, maxPoints: 40 },
  evasion: { evadingPoints: 20, near: [{ withinDays: 15, points: 10 }] },
  failing: {
    stoppedPaying: { months: 3, points: 15 },
    declaredZero: { points: 25 },
    declaredFalling: { percent: 50, months: 6, points: 10 },
  },
  // Employees the tax data shows paid but not on the roster: evasion once past the 60 days, a unit to see soon.
  findings: { pointsPerUnregisteredEmployee: 5, maxPoints: 25 },
} satisfies z.input<typeof prioritySchema>;

/**
 * Reconciliation with tax-authority data (Law 41/2024/QH15 Art. 30: the tax and business-register
 * databases are shared with the agency). Rates of the contribution wage, in basis points.
 */
export const RECONCILIATION_2025 = {
  rates: [
    {
      effectiveFrom: '2025-07-01',
      // Employer 21.5%: SI 17.5% (retirement and death 14, sickness and maternity 3, occupational accidents 0.5), HI 3, UI 1;
      // employee 10.5%: SI retirement 8, HI 1.5, UI 1.
      employer: { siRetirement: 1400, siSickness: 300, siAccident: 50, hi: 300, ui: 100 },
      employee: { siRetirement: 800, hi: 150, ui: 100 },
      wageCapMultiple: 20,
      referenceWage: 2_340_000,
      source: 'Law 41/2024/QH15 Art. 33–34 (SI), Law on Health Insurance (HI 4.5%: employer 3, employee 1.5), Law on Employment (UI 1% + 1%); ' +
        'cap 20 × the reference level (Law 41/2024 Art. 31), which is the base salary 2,340,000 ₫ until the reference level is set (Decree 73/2024). ' +
        'UI is capped here like SI (its own cap, 20 × the regional minimum wage, is higher): the estimate errs low',
    },
  ],
  rounding: 'floor-per-type-per-month',
  // Law 41/2024 Art. 2: a labour contract of 1 month or more; part-timers on at least the lowest contribution wage (the reference level).
  coverage: { minMonthsPaid: 1, minWagePercentOfReference: 100 },
  // Agency practice: a difference within 10% is rounding, bonuses and timing, not under-declaration.
  underDeclaredPercent: 10,
  registrationDays: 30,
  unregisteredEvasionAfterDays: 60,
  underDeclaredEvasionMonthsAfter: 1,
  // Quarterly, in each quarter's second month (after the quarterly list of its first), the 20th at 08:00;
  // the officer has a month to check each finding with the unit.
  followUp: {
    run: { monthOfQuarter: 2, dayOfMonth: 20, hour: 8 },
    dueDays: 30,
    explanationReasons: [
      { code: 'contract-under-one-month', vi: 'Hợp đồng lao động dưới 1 tháng', en: 'Labour contract under one month' },
      { code: 'not-an-employee', vi: 'Không phải người lao động (cộng tác viên, thuê khoán)', en: 'Not an employee (contractor, piecework)' },
      { code: 'insured-elsewhere', vi: 'Đã tham gia BHXH tại đơn vị khác', en: 'Insured through another unit' },
      { code: 'retired-pensioner', vi: 'Người đang hưởng lương hưu', en: 'A pensioner' },
      { code: 'foreign-exempt', vi: 'Lao động nước ngoài thuộc diện không tham gia', en: 'Foreign worker exempt' },
      { code: 'tax-data-error', vi: 'Dữ liệu thuế sai, đã đối chiếu', en: 'Tax data wrong, checked' },
      { code: 'business-closed', vi: 'Doanh nghiệp đã giải thể, đang thu hồi nợ', en: 'Business dissolved, debt being recovered' },
    ],
  },
  source: 'Law 41/2024/QH15 Art. 2, 28, 30, 31; Decree 274/2025/ND-CP: an employee not registered is evasion from the 61st day after the registration deadline, ' +
    'a wage declared too low after the last day of the month following',
} satisfies z.input<typeof reconciliationSchema>;

/**
 * Employees' right to know (issue 14): on the 10th, after the month's notices and statements, every
 * employee on the roster of a unit 30 days or more behind is told; the unit is told they were.
 */
export const EMPLOYEE_NOTICE_2025 = {
  dayOfMonth: 10,
  // 09:00, again at 10:00 and 11:00 for what did not go out (office hours: people may call the hotline).
  hour: 9,
  rerunUntilHour: 11,
  minDaysLate: 30,
  // The roster has no language column: employees are written to in Vietnamese.
  locale: 'vi',
  claimStaleAfterMinutes: 15,
  templates: {
    sms: { vi: VI.employeeNotice.sms, en: EN.employeeNotice.sms },
    email: { vi: VI.employeeNotice.email, en: EN.employeeNotice.email },
    employer: { vi: VI.employeeNotice.employer, en: EN.employeeNotice.employer },
  },
  source: 'Law 41/2024/QH15 (employees\' right to be informed of the contributions paid for them); agency practice: the 10th, units 30 days or more late',
} satisfies z.input<typeof employeeNoticeSchema>;

/** The parameters every reminder's ZNS template is approved with (the same names in each template). */
const ZNS_REMINDER_PARAMS = { customer_name: 'name', code: 'maskedCode', amount: 'amount', deadline: 'deadline', agent_phone: 'agentPhone' } as const;

/**
 * Prices and ZNS templates from 2025-07-01. Prices are the office's contracts (DOMAIN.md: brand-name
 * customer-care SMS 500–1,000 ₫, ZNS 150–350 ₫, public-service templates cheapest; SES email
 * counted as 0). The ZNS template ids are the ones Zalo approved for the office's Official Account:
 * an id Zalo does not know is refused for good (-109) and the reminder goes by SMS instead.
 */
export const CHANNELS_2025 = {
  priceVnd: { sms: 800, zns: 250, email: 0 },
  zns: {
    reminders: {
      upcoming: { vi: { templateId: '410001', params: ZNS_REMINDER_PARAMS } },
      'last-call': { vi: { templateId: '410002', params: ZNS_REMINDER_PARAMS } },
      lapsed: { vi: { templateId: '410003', params: ZNS_REMINDER_PARAMS } },
      'lapsed-final': { vi: { templateId: '410004', params: ZNS_REMINDER_PARAMS } },
    },
  },
} satisfies z.input<typeof channelsSchema>;

export const POLICY_2025_07_01 = {
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
    { stage: 'urging-notice', minMonthsOverdue: 1, measure: measure('urging-notice') },
    { stage: 'officer-visit', minMonthsOverdue: 2, task: { type: 'visit', role: 'collector', dueDays: 10 }, measure: measure('officer-visit') },
    { stage: 'inspection', minMonthsOverdue: 3, task: { type: 'inspection', role: 'inspector', dueDays: 15 }, measure: measure('inspection') },
  ],
  // Every message matters more than a rare duplicate: a stale claim with no evidence is sent again.
  // Notices and statements go out in the first 10 days of the month (Decree 274/2025).
  // After the statements (09:00) have gone out, and before the end of the office day.
  redrive: { hour: 11 },
  delivery: {
    urging: { whenUnsure: 'resend', deadlineDayOfMonth: 10 },
    statement: { whenUnsure: 'resend', deadlineDayOfMonth: 10 },
    'pre-disclosure': { whenUnsure: 'resend' },
    'payment-confirmation': { whenUnsure: 'resend' },
    'officer-email': { whenUnsure: 'resend' },
    'manager-email': { whenUnsure: 'resend' },
    reminder: { whenUnsure: 'resend' },
    // Employees' notices (the 10th, reruns through 11:00) and the unit's email that they were told:
    // the redrive sends again what a provider outage left until the 15th. Five days ride out an
    // outage of the SMS or email provider; past the middle of the month the notice's figures (the
    // debt as of the 10th) are stale and the next cycle's notice tells the employee again, so what is
    // still not out is not sent late: it is counted past its deadline (the alarm) instead.
    'employee-notice': { whenUnsure: 'resend', deadlineDayOfMonth: 15 },
    // The day after the notices': a unit whose notices outlasted their window still hears of those told.
    'employees-informed': { whenUnsure: 'resend', deadlineDayOfMonth: 16 },
  },
  notice: {
    responseDays: 15,
    claimStaleAfterMinutes: 15,
    templates: byLocale('urgingNotice'),
    paymentConfirmation: byLocale('paymentConfirmation'),
    officerTaskAssigned: byLocale('officerTaskAssigned'),
    officerTaskClosed: byLocale('officerTaskClosed'),
    managerCollectionReport: byLocale('managerCollectionReport'),
    officerTaskOverdue: byLocale('officerTaskOverdue'),
  },
  taskEscalation: { role: 'team-lead', dueDays: 5 },
  // Force majeure (storm, flood, epidemic...) is not evasion (Decree 274/2025); disputes are short.
  holds: { maxDays: { 'force-majeure': 180, dispute: 60, insolvency: 365, other: 30 }, disputedOutcomeDays: 30 },
  arrangements: {
    graceDays: 5,
    promiseMaxDays: 30,
    planMaxInstalments: 12,
    planMaxMonths: 12,
    missedLine: byLocale('missedLine'),
  },
  report: { receivableMonths: 12, hour: 12 },
  monthlyRun: { dayOfMonth: 2, hour: 6 },
  // Decree 274/2025: the list goes to the state bodies before the 15th of the quarter's first month.
  quarterlyList: { dayOfMonth: 5, hour: 7 },
  // Agency practice: publish units 3+ months and 50 million dong behind, after a 15-day warning.
  disclosure: { minMonthsOverdue: 3, minDebt: 50_000_000, responseDays: 15, dayOfMonth: 10, hour: 8, templates: byLocale('preDisclosure') },
  reminders: REMINDERS_2025,
  statement: STATEMENT_2025,
  priority: PRIORITY_2025,
  letter: byLocale('letter'),
  reconciliation: RECONCILIATION_2025,
  employeeNotice: EMPLOYEE_NOTICE_2025,
  channels: CHANNELS_2025,
} satisfies z.input<typeof policySchema>;
