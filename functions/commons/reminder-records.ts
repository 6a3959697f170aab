import { z } from 'zod';
import { HI_METHODS, VSI_METHODS } from '../core/contribution.ts';
import { CHANNELS, PAYER_KINDS, SUPPORT_GROUPS } from '../core/reminder-policy.ts';
import { isoDateSchema, officerIdSchema, periodSchema, vndSchema } from './records.ts';
import { CLAIM_STATUSES } from '../core/claim-rule.ts';
import { vnPhoneSchema } from '../core/phone.ts';

/**
 * Records of voluntary SI participants and households with HI cards, their reminder cycles,
 * claims, renewals, suppressions and targets. Validated at every boundary like records.ts.
 * Names, dates of birth, phones, emails and SI codes are personal data: never logged.
 */

/** The 10-digit social insurance code (an ID number: personal data). */
export const siCodeSchema = z.string().regex(/^\d{10}$/, 'must be the 10-digit social insurance code');
export const householdCodeSchema = z.string().regex(/^[A-Z0-9]{6,12}$/, 'must be 6–12 capital letters or digits');

const contact = {
  /** Stored in E.164 whatever the file wrote (spaces, dots, dashes, parentheses, 0 or +84); an invalid one refuses the row. */
  phone: vnPhoneSchema.optional(),
  email: z.string().email('must be an email address').optional(),
  commune: z.string().trim().min(1, 'is required').max(80),
  /** The collection agent (an officer record with role collection-agent) who serves the participant. */
  agentId: officerIdSchema,
  preferredChannel: z.enum(CHANNELS),
  locale: z.enum(['vi', 'en']).default('vi'),
  /** Agreed to reminders by SMS and email. */
  consent: z.boolean(),
  /**
   * Said they use Zalo on this phone and agreed to reminders by it (the `zalo` column): the phone's
   * reminder goes by Zalo ZNS first, by SMS when ZNS cannot reach them. Without it, SMS only.
   */
  zalo: z.boolean().optional(),
  /** Asked for no reminders at all (the agent still follows up a lapse). */
  optOut: z.boolean().default(false),
};

export const participantSchema = z.object({
  siCode: siCodeSchema,
  name: z.string().trim().min(1, 'is required').max(120),
  dateOfBirth: isoDateSchema,
  ...contact,
  method: z.enum(VSI_METHODS),
  /** Years paid at once, for the years-ahead method. */
  yearsAhead: z.number().int().min(1).max(10).optional(),
  chosenIncome: vndSchema,
  supportGroup: z.enum(SUPPORT_GROUPS),
  supportMonthsUsed: z.number().int().min(0).max(1200).default(0),
  /** The last month paid for: cover runs to its last day. */
  paidThrough: periodSchema,
}).refine((p) => p.method !== 'years-ahead' || p.yearsAhead !== undefined, { path: ['yearsAhead'], message: 'is required for the years-ahead method' })
  .refine((p) => p.phone !== undefined || p.email !== undefined || !p.consent, { path: ['phone'], message: 'or email is required when the participant consented to reminders' });
export type Participant = z.infer<typeof participantSchema>;

export const householdSchema = z.object({
  householdCode: householdCodeSchema,
  /** The head of household, who is reminded. */
  headName: z.string().trim().min(1, 'is required').max(120),
  ...contact,
  method: z.enum(HI_METHODS),
});
export type Household = z.infer<typeof householdSchema>;

export const hiCardSchema = z.object({
  householdCode: householdCodeSchema,
  siCode: siCodeSchema,
  name: z.string().trim().min(1, 'is required').max(120),
  dateOfBirth: isoDateSchema,
  expiresOn: isoDateSchema,
});
export type HiCard = z.infer<typeof hiCardSchema>;

/** One stretch of cover of a participant or household, named by its last day; the reminder index lives on it. */
export const cycleSchema = z.object({
  kind: z.enum(PAYER_KINDS),
  code: z.string().min(1),
  coveredUntil: isoDateSchema,
  commune: z.string(),
  agentId: officerIdSchema,
  status: z.enum(['open', 'renewed']),
  remindersSent: z.number().int().min(0).default(0),
  smsSent: z.number().int().min(0).default(0),
  emailsSent: z.number().int().min(0).default(0),
  /** Reminders of the phone that went by Zalo ZNS (counted apart from smsSent). */
  znsSent: z.number().int().min(0).default(0),
  lapsedOn: isoDateSchema.optional(),
  renewedOn: isoDateSchema.optional(),
  agentTaskId: z.string().optional(),
  nextReminderOn: isoDateSchema.optional(),
});
export type CycleRecord = z.infer<typeof cycleSchema>;

export const reminderClaimSchema = z.object({
  kind: z.enum(PAYER_KINDS),
  code: z.string().min(1),
  coveredUntil: isoDateSchema,
  step: z.string().min(1),
  channel: z.enum(CHANNELS),
  status: z.enum(CLAIM_STATUSES),
  claimedAt: z.string(),
  sentAt: z.string().optional(),
  messageId: z.string().optional(),
  contentSha256: z.string().optional(),
  segments: z.number().int().min(0).optional(),
  /** The phone's reminder: the channel that delivered it (ZNS first for a Zalo user, else SMS). */
  deliveredBy: z.enum(['sms', 'zns']).optional(),
  /** Why ZNS refused it for good before it went by SMS (Zalo's code, never its message). */
  znsRefused: z.string().optional(),
});
export type ReminderClaim = z.infer<typeof reminderClaimSchema>;

/**
 * The ZNS attempt of a reminder's phone message, under its claim (steps/reminder-run.ts), keyed by
 * the tracking id Zalo carries: `sending` is written before Zalo is called, then `accepted` (with
 * Zalo's message id), `refused` (for good: the message goes by SMS) or `failed` (retryable).
 * A claim taken over with its attempt still `sending` does not know whether Zalo accepted it:
 * `unsure` stays set, and that message falls back to SMS only on a refusal about the recipient
 * (no Zalo account: the earlier attempt was refused too). Zalo's webhook event of the message
 * (steps/delivery-feedback.ts) makes it `accepted` whatever the worker managed to write.
 */
export const znsAttemptSchema = z.object({
  trackingId: z.string().regex(/^[0-9a-f]{32}$/),
  status: z.enum(['sending', 'accepted', 'refused', 'failed']),
  at: z.string(),
  msgId: z.string().optional(),
  reason: z.string().optional(),
  unsure: z.boolean().optional(),
  /** When Zalo's webhook said it reached the person (user_received_message): the evidence a takeover reads. */
  receivedAt: z.string().optional(),
});
export type ZnsAttempt = z.infer<typeof znsAttemptSchema>;

/** A payment that renews cover: VSI paid through a later month, or a household's cards to a later date. */
export const renewalSchema = z.object({
  kind: z.enum(PAYER_KINDS),
  code: z.string().min(1),
  reference: z.string().regex(/^[A-Za-z0-9._/-]{1,64}$/, 'must be 1–64 letters, digits or ._/-'),
  paidOn: isoDateSchema,
  amount: vndSchema.optional(),
  /** VSI: the new last month paid for. */
  paidThrough: periodSchema.optional(),
  /** HI: the new expiry of the household's cards. */
  expiresOn: isoDateSchema.optional(),
}).superRefine((r, ctx) => {
  const code = r.kind === 'vsi' ? siCodeSchema : householdCodeSchema;
  if (!code.safeParse(r.code).success) ctx.addIssue({ code: 'custom', path: ['code'], message: r.kind === 'vsi' ? 'must be the 10-digit social insurance code' : 'must be a household code' });
  if (r.kind === 'vsi' && !r.paidThrough) ctx.addIssue({ code: 'custom', path: ['paidThrough'], message: 'is required for a voluntary SI renewal' });
  if (r.kind === 'hi' && !r.expiresOn) ctx.addIssue({ code: 'custom', path: ['expiresOn'], message: 'is required for a household HI renewal' });
});
export type RenewalRecord = z.infer<typeof renewalSchema>;

export const SUPPRESSION_REASONS = ['bounce', 'complaint', 'stop-reply'] as const;
export const suppressionSchema = z.object({
  channel: z.enum(CHANNELS),
  /** SHA-256 of the normalised address (lower-case email, E.164 phone): the address itself is not kept here. */
  addressHash: z.string().regex(/^[0-9a-f]{64}$/),
  reason: z.enum(SUPPRESSION_REASONS),
  at: z.string(),
});
export type SuppressionRecord = z.infer<typeof suppressionSchema>;

/** A renewal-rate target for a month, for a commune (and, optionally, one collection agent in it). */
export const targetSchema = z.object({
  month: periodSchema,
  commune: z.string().trim().min(1, 'is required').max(80),
  agentId: officerIdSchema.optional(),
  targetRenewalPercent: z.number().int().min(0).max(100),
});
export type TargetRecord = z.infer<typeof targetSchema>;
