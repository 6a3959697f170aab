import { z } from 'zod';
import { isValidDate } from './dates.ts';
import { isGsm7 } from './sms.ts';

/**
 * The reminders section of the policy (functions/core/policy.ts): voluntary social insurance (VSI)
 * and household health insurance (HI) premiums by effective date, the reminder schedule around the
 * end of cover, the channels, quiet hours for SMS, the collection agent's follow-up, and the
 * templates (Vietnamese and English emails, unaccented SMS). Sources: Law 41/2024/QH15, Decree
 * 159/2025/ND-CP (State support), Law on Health Insurance and Decree 188/2025 (household HI),
 * see ../shared/DOMAIN.md "Voluntary SI and household HI".
 */

const isoDate = z.string().refine(isValidDate, 'must be a calendar date YYYY-MM-DD');
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
  /** Unaccented, GSM-7 only: one or two segments once filled (checked in test/core/reminder-notice.test.ts). */
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
  sender: z.string().email(),
  /** The alphanumeric sender ID SMS carry (registered brand name). */
  smsSenderId: z.string().regex(/^[A-Za-z0-9]{3,11}$/),
  smsMaxSegments: z.number().int().min(1).max(4),
  /** The office's hotline, told in reminders when the agent has no work phone on record. */
  hotline: z.string().regex(/^\+?\d{4,12}$/),
  /** Replies that opt a phone number out of reminder SMS (compared unaccented, upper case). */
  stopWords: z.array(z.string().regex(/^[A-Z ]{2,20}$/)).min(1),
  claimStaleAfterMinutes: z.number().int().min(1),
  vsi: z.object({
    rates: z.array(z.object({
      effectiveFrom: isoDate,
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
      effectiveFrom: isoDate,
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
    rates.forEach((rate, i) => {
      const prev = rates[i - 1];
      if (prev && rate.effectiveFrom <= prev.effectiveFrom) issue([name, 'rates', i], 'rates must be in increasing effective date order');
    });
  }
  for (const kind of ['vsi', 'hi'] as const) {
    for (const [name, t] of Object.entries(r.templates[kind])) {
      for (const locale of ['vi', 'en'] as const) {
        if (!isGsm7(t.sms[locale])) issue(['templates', kind, name, 'sms', locale], 'an SMS template must be unaccented GSM-7 text');
      }
    }
  }
}

const VSI_EMAIL_FOOTER_VI = [
  '',
  'Có thể đóng qua cán bộ thu {{agentName}} ({{agentPhone}}), tại điểm thu của xã, hoặc trên ứng dụng VssID / Cổng Dịch vụ công quốc gia.',
  'Nếu đã đóng, xin bỏ qua thông báo này. Không muốn nhận nhắc nhở qua tin nhắn: trả lời STOP.',
].join('\n');
const VSI_EMAIL_FOOTER_EN = [
  '',
  'You can pay through your collection agent {{agentName}} ({{agentPhone}}), at the commune collection point, or in the VssID app / National Public Service Portal.',
  'If you have already paid, please disregard this message. To stop reminder SMS, reply STOP.',
].join('\n');

const VSI_TEMPLATES = {
  upcoming: {
    email: {
      vi: {
        subject: 'Nhắc đóng BHXH tự nguyện: hạn {{deadline}}',
        body: [
          'Kính gửi ông/bà {{name}} (mã số BHXH {{maskedCode}}),',
          '',
          'Thời gian đã đóng BHXH tự nguyện của ông/bà đến hết ngày {{coveredUntil}}.',
          'Kỳ đóng tiếp theo ({{method}}, {{months}} tháng, mức thu nhập {{income}}): số tiền {{amount}}{{supportNote}}.',
          'Đề nghị ông/bà đóng trước ngày {{deadline}} để không bị gián đoạn thời gian tham gia.',
          VSI_EMAIL_FOOTER_VI,
        ].join('\n'),
      },
      en: {
        subject: 'Voluntary social insurance: please pay by {{deadline}}',
        body: [
          'Dear {{name}} (social insurance code {{maskedCode}}),',
          '',
          'Your voluntary social insurance is paid through {{coveredUntil}}.',
          'Next payment ({{method}}, {{months}} months, chosen income {{income}}): {{amount}}{{supportNote}}.',
          'Please pay by {{deadline}} so that your participation is not interrupted.',
          VSI_EMAIL_FOOTER_EN,
        ].join('\n'),
      },
    },
    sms: {
      vi: 'BHXH: BHXH tu nguyen cua {{name}} (so {{maskedCode}}) da dong den {{coveredUntil}}. Ky tiep: {{amount}} ({{months}} thang), dong truoc {{deadline}} qua can bo thu hoac VssID. Tu choi: soan STOP',
      en: 'BHXH: Voluntary SI of {{name}} ({{maskedCode}}) is paid to {{coveredUntil}}. Next: {{amount}} ({{months}} months), pay by {{deadline}} via your agent or VssID. Reply STOP to opt out',
    },
  },
  'last-call': {
    email: {
      vi: {
        subject: 'Còn {{daysLeft}} ngày: đóng BHXH tự nguyện trước {{deadline}}',
        body: [
          'Kính gửi ông/bà {{name}} (mã số BHXH {{maskedCode}}),',
          '',
          'Chỉ còn {{daysLeft}} ngày đến hạn đóng BHXH tự nguyện ({{deadline}}).',
          'Số tiền kỳ tiếp theo ({{months}} tháng): {{amount}}{{supportNote}}.',
          VSI_EMAIL_FOOTER_VI,
        ].join('\n'),
      },
      en: {
        subject: '{{daysLeft}} days left: voluntary social insurance due {{deadline}}',
        body: [
          'Dear {{name}} (social insurance code {{maskedCode}}),',
          '',
          'Only {{daysLeft}} days are left to pay your voluntary social insurance ({{deadline}}).',
          'Next payment ({{months}} months): {{amount}}{{supportNote}}.',
          VSI_EMAIL_FOOTER_EN,
        ].join('\n'),
      },
    },
    sms: {
      vi: 'BHXH: Con {{daysLeft}} ngay den han dong BHXH tu nguyen cua {{name}} (so {{maskedCode}}): {{amount}} ({{months}} thang), han {{deadline}}. Lien he can bo thu {{agentPhone}}. Tu choi: soan STOP',
      en: 'BHXH: {{daysLeft}} days left to pay voluntary SI of {{name}} ({{maskedCode}}): {{amount}} ({{months}} months), due {{deadline}}. Agent: {{agentPhone}}. Reply STOP to opt out',
    },
  },
  lapsed: {
    email: {
      vi: {
        subject: 'BHXH tự nguyện đã quá hạn đóng từ {{lapsedOn}}',
        body: [
          'Kính gửi ông/bà {{name}} (mã số BHXH {{maskedCode}}),',
          '',
          'Thời gian đã đóng BHXH tự nguyện của ông/bà hết ngày {{coveredUntil}}; từ {{lapsedOn}} chưa có khoản đóng mới.',
          'Để tiếp tục tham gia, đề nghị đóng {{amount}} ({{months}} tháng) trước ngày {{deadline}}; sau ngày đó cán bộ thu sẽ đến gặp ông/bà.',
          VSI_EMAIL_FOOTER_VI,
        ].join('\n'),
      },
      en: {
        subject: 'Voluntary social insurance overdue since {{lapsedOn}}',
        body: [
          'Dear {{name}} (social insurance code {{maskedCode}}),',
          '',
          'Your voluntary social insurance was paid through {{coveredUntil}}; nothing has been paid since {{lapsedOn}}.',
          'To keep participating, please pay {{amount}} ({{months}} months) by {{deadline}}; after that your collection agent will visit you.',
          VSI_EMAIL_FOOTER_EN,
        ].join('\n'),
      },
    },
    sms: {
      vi: 'BHXH: BHXH tu nguyen cua {{name}} (so {{maskedCode}}) qua han tu {{lapsedOn}}. De tiep tuc, dong {{amount}} ({{months}} thang) truoc {{deadline}}. Can bo thu: {{agentPhone}}. Tu choi: soan STOP',
      en: 'BHXH: Voluntary SI of {{name}} ({{maskedCode}}) is overdue since {{lapsedOn}}. Pay {{amount}} ({{months}} months) by {{deadline}} to continue. Agent: {{agentPhone}}. Reply STOP to opt out',
    },
  },
  'lapsed-final': {
    email: {
      vi: {
        subject: 'Nhắc lần cuối: BHXH tự nguyện chưa được đóng tiếp',
        body: [
          'Kính gửi ông/bà {{name}} (mã số BHXH {{maskedCode}}),',
          '',
          'BHXH tự nguyện của ông/bà đã quá hạn từ {{lapsedOn}}. Cán bộ thu {{agentName}} sẽ liên hệ ông/bà sau ngày {{deadline}}.',
          'Số tiền để tiếp tục ({{months}} tháng): {{amount}}.',
          VSI_EMAIL_FOOTER_VI,
        ].join('\n'),
      },
      en: {
        subject: 'Last reminder: voluntary social insurance not renewed',
        body: [
          'Dear {{name}} (social insurance code {{maskedCode}}),',
          '',
          'Your voluntary social insurance has been overdue since {{lapsedOn}}. Your collection agent {{agentName}} will contact you after {{deadline}}.',
          'Amount to continue ({{months}} months): {{amount}}.',
          VSI_EMAIL_FOOTER_EN,
        ].join('\n'),
      },
    },
    sms: {
      vi: 'BHXH: Nhac lan cuoi - BHXH tu nguyen cua {{name}} (so {{maskedCode}}) qua han tu {{lapsedOn}}. Dong {{amount}} ({{months}} thang) truoc {{deadline}}, sau do can bo thu se den gap. Tu choi: soan STOP',
      en: 'BHXH: Last reminder - voluntary SI of {{name}} ({{maskedCode}}) overdue since {{lapsedOn}}. Pay {{amount}} ({{months}} months) by {{deadline}}; then your agent will visit. Reply STOP to opt out',
    },
  },
};

const HI_EMAIL_FOOTER_VI = [
  '',
  'Có thể đóng qua đại lý thu {{agentName}} ({{agentPhone}}) hoặc trên ứng dụng VssID.',
  'Nếu đã đóng, xin bỏ qua thông báo này. Không muốn nhận nhắc nhở qua tin nhắn: trả lời STOP.',
].join('\n');
const HI_EMAIL_FOOTER_EN = [
  '',
  'You can pay through your collection agent {{agentName}} ({{agentPhone}}) or in the VssID app.',
  'If you have already paid, please disregard this message. To stop reminder SMS, reply STOP.',
].join('\n');

const HI_TEMPLATES = {
  upcoming: {
    email: {
      vi: {
        subject: 'Nhắc gia hạn thẻ BHYT hộ gia đình: hết hạn {{coveredUntil}}',
        body: [
          'Kính gửi ông/bà {{name}} (chủ hộ, mã hộ {{maskedCode}}),',
          '',
          'Thẻ BHYT của {{members}} thành viên trong hộ hết hạn ngày {{coveredUntil}}.',
          'Số tiền gia hạn {{months}} tháng: {{amount}}. Đề nghị đóng trước ngày {{deadline}} để thẻ không bị gián đoạn.',
          HI_EMAIL_FOOTER_VI,
        ].join('\n'),
      },
      en: {
        subject: 'Household health insurance cards expire on {{coveredUntil}}',
        body: [
          'Dear {{name}} (head of household {{maskedCode}}),',
          '',
          'The health insurance cards of {{members}} household members expire on {{coveredUntil}}.',
          'Renewal for {{months}} months: {{amount}}. Please pay by {{deadline}} so that cover is not interrupted.',
          HI_EMAIL_FOOTER_EN,
        ].join('\n'),
      },
    },
    sms: {
      vi: 'BHXH: The BHYT ho gia dinh {{maskedCode}} ({{members}} nguoi) het han {{coveredUntil}}. Gia han {{months}} thang: {{amount}}, dong truoc {{deadline}} qua dai ly thu hoac VssID. Tu choi: soan STOP',
      en: 'BHXH: Household HI cards {{maskedCode}} ({{members}} people) expire {{coveredUntil}}. Renew {{months}} months: {{amount}}, pay by {{deadline}} via your agent or VssID. Reply STOP to opt out',
    },
  },
  'last-call': {
    email: {
      vi: {
        subject: 'Còn {{daysLeft}} ngày: thẻ BHYT hộ gia đình hết hạn {{coveredUntil}}',
        body: [
          'Kính gửi ông/bà {{name}} (chủ hộ, mã hộ {{maskedCode}}),',
          '',
          'Còn {{daysLeft}} ngày thẻ BHYT của {{members}} thành viên hết hạn. Số tiền gia hạn {{months}} tháng: {{amount}}.',
          HI_EMAIL_FOOTER_VI,
        ].join('\n'),
      },
      en: {
        subject: '{{daysLeft}} days left: household health insurance cards expire {{coveredUntil}}',
        body: [
          'Dear {{name}} (head of household {{maskedCode}}),',
          '',
          'In {{daysLeft}} days the health insurance cards of {{members}} members expire. Renewal for {{months}} months: {{amount}}.',
          HI_EMAIL_FOOTER_EN,
        ].join('\n'),
      },
    },
    sms: {
      vi: 'BHXH: Con {{daysLeft}} ngay the BHYT ho {{maskedCode}} ({{members}} nguoi) het han. Gia han {{months}} thang: {{amount}}, truoc {{deadline}}. Dai ly thu: {{agentPhone}}. Tu choi: soan STOP',
      en: 'BHXH: {{daysLeft}} days until household HI cards {{maskedCode}} ({{members}} people) expire. Renew {{months}} months: {{amount}} by {{deadline}}. Agent: {{agentPhone}}. Reply STOP to opt out',
    },
  },
  lapsed: {
    email: {
      vi: {
        subject: 'Thẻ BHYT hộ gia đình đã hết hạn từ {{lapsedOn}}',
        body: [
          'Kính gửi ông/bà {{name}} (chủ hộ, mã hộ {{maskedCode}}),',
          '',
          'Thẻ BHYT của {{members}} thành viên đã hết hạn; từ {{lapsedOn}} hộ không còn được hưởng BHYT.',
          'Đề nghị gia hạn ({{months}} tháng: {{amount}}) trước ngày {{deadline}}; sau ngày đó đại lý thu sẽ đến gặp ông/bà.',
          HI_EMAIL_FOOTER_VI,
        ].join('\n'),
      },
      en: {
        subject: 'Household health insurance cards expired on {{lapsedOn}}',
        body: [
          'Dear {{name}} (head of household {{maskedCode}}),',
          '',
          'The health insurance cards of {{members}} members have expired; from {{lapsedOn}} the household has no cover.',
          'Please renew ({{months}} months: {{amount}}) by {{deadline}}; after that your collection agent will visit you.',
          HI_EMAIL_FOOTER_EN,
        ].join('\n'),
      },
    },
    sms: {
      vi: 'BHXH: The BHYT ho {{maskedCode}} ({{members}} nguoi) het han tu {{lapsedOn}}, khong con duoc huong BHYT. Gia han {{months}} thang: {{amount}} truoc {{deadline}}. Dai ly: {{agentPhone}}. Tu choi: soan STOP',
      en: 'BHXH: Household HI cards {{maskedCode}} ({{members}} people) expired {{lapsedOn}}; no cover now. Renew {{months}} months: {{amount}} by {{deadline}}. Agent: {{agentPhone}}. Reply STOP to opt out',
    },
  },
  'lapsed-final': {
    email: {
      vi: {
        subject: 'Nhắc lần cuối: thẻ BHYT hộ gia đình chưa được gia hạn',
        body: [
          'Kính gửi ông/bà {{name}} (chủ hộ, mã hộ {{maskedCode}}),',
          '',
          'Thẻ BHYT của hộ đã hết hạn từ {{lapsedOn}}. Đại lý thu {{agentName}} sẽ liên hệ ông/bà sau ngày {{deadline}}.',
          'Số tiền gia hạn {{months}} tháng: {{amount}}.',
          HI_EMAIL_FOOTER_VI,
        ].join('\n'),
      },
      en: {
        subject: 'Last reminder: household health insurance not renewed',
        body: [
          'Dear {{name}} (head of household {{maskedCode}}),',
          '',
          'The household health insurance cards expired on {{lapsedOn}}. Your collection agent {{agentName}} will contact you after {{deadline}}.',
          'Renewal for {{months}} months: {{amount}}.',
          HI_EMAIL_FOOTER_EN,
        ].join('\n'),
      },
    },
    sms: {
      vi: 'BHXH: Nhac lan cuoi - the BHYT ho {{maskedCode}} ({{members}} nguoi) het han tu {{lapsedOn}}. Gia han {{months}} thang: {{amount}} truoc {{deadline}}, sau do dai ly thu se den gap. Tu choi: soan STOP',
      en: 'BHXH: Last reminder - household HI cards {{maskedCode}} expired {{lapsedOn}}. Renew {{months}} months: {{amount}} by {{deadline}}; then your agent will visit. Reply STOP to opt out',
    },
  },
};

/** The reminders of the 2025-07-01 policy version. */
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
  sender: 'nhac-dong@bhxh.example.vn',
  smsSenderId: 'BHXH',
  smsMaxSegments: 2,
  hotline: '19009068',
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
  templates: { vsi: VSI_TEMPLATES, hi: HI_TEMPLATES },
} satisfies z.input<typeof remindersSchema>;
