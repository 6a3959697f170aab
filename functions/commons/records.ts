import { z } from 'zod';
import { ALL_TASK_TYPES, HOLD_REASONS, OFFICER_ROLES, STAGES, type AnyTaskType } from '../core/policy.ts';
import { isoDateSchema, periodSchema } from '../core/date-schemas.ts';
import { ARRANGEMENT_KINDS } from '../core/arrangement.ts';
import { CLAIM_STATUSES } from '../core/claim-rule.ts';
import { TASK_OUTCOMES, type TaskOutcome } from '../core/task-outcomes.ts';
import { TAX_CHECK_OUTCOMES } from '../core/tax-check.ts';
import { CONTACT_CHANNELS, CONTACT_RESULTS } from '../core/case-events.ts';
import { vnPhoneSchema } from '../core/phone.ts';
import { UNIT_STATUSES } from '../core/unit-status.ts';

/**
 * The shape of every record the product keeps, validated at each boundary (CSV import, DynamoDB
 * reads, workflow payloads). Money is integer VND; dates are calendar dates in Asia/Ho_Chi_Minh.
 */

// Defined in core, with the policy; re-exported for every record and payload schema built on them.
export { isoDateSchema, periodSchema };
export const vndSchema = z.number().int('must be whole dong').min(0, 'must not be negative').max(1e13, 'is implausibly large');
export const unitCodeSchema = z.string().regex(/^[A-Z0-9]{4,12}$/, 'must be 4–12 capital letters or digits');
export const officerIdSchema = z.string().regex(/^[A-Za-z0-9._-]{2,40}$/, 'must be 2–40 letters, digits, dot, dash or underscore');
const phoneSchema = z.string().regex(/^\+?\d{9,12}$/, 'must be 9–12 digits, optionally with a leading +');

export const employerSchema = z.object({
  unitCode: unitCodeSchema,
  name: z.string().trim().min(1, 'is required').max(200),
  taxCode: z.string().regex(/^\d{10}(-\d{3})?$/, 'must be a 10-digit tax code, optionally -NNN'),
  district: z.string().trim().min(1, 'is required').max(80),
  commune: z.string().trim().min(1, 'is required').max(80),
  email: z.string().email('must be an email address'),
  phone: phoneSchema,
  locale: z.enum(['vi', 'en']).default('vi'),
  /** The unit's street address (the commune and district are above), for the officer's visit. */
  address: z.string().trim().min(1).max(300).optional(),
  /** Whom the office deals with at the unit (director, chief accountant). */
  contactPerson: z.string().trim().min(1).max(120).optional(),
  /** Active (none given), suspended or closed, from `statusDate` (core/unit-status.ts). */
  status: z.enum(UNIT_STATUSES).optional(),
  statusDate: isoDateSchema.optional(),
});
export type Employer = z.infer<typeof employerSchema>;

export const contributionPeriodSchema = z.object({
  unitCode: unitCodeSchema,
  period: periodSchema,
  amountDue: vndSchema,
  dueDate: isoDateSchema,
});
export type ContributionPeriodRecord = z.infer<typeof contributionPeriodSchema>;

export const paymentSchema = z.object({
  unitCode: unitCodeSchema,
  reference: z.string().regex(/^[A-Za-z0-9._/-]{1,64}$/, 'must be 1–64 letters, digits or ._/-'),
  paidOn: isoDateSchema,
  amount: vndSchema.refine((v) => v > 0, 'must be more than zero'),
  /** The day the import recorded the bank's reversal of this payment (core/correction.ts): on record, not in the ledger. */
  reversedOn: isoDateSchema.optional(),
});
export type PaymentRecord = z.infer<typeof paymentSchema>;

export const officerSchema = z.object({
  officerId: officerIdSchema,
  name: z.string().trim().min(1, 'is required').max(120),
  email: z.string().email('must be an email address'),
  district: z.string().trim().min(1, 'is required').max(80),
  communes: z.array(z.string().trim().min(1)).default([]),
  role: z.enum(OFFICER_ROLES),
  active: z.boolean().default(true),
  teamLeadId: officerIdSchema.optional(),
  /** A work phone, told to participants in reminders (collection agents): stored in E.164, shown as dialled (0912345678). */
  phone: vnPhoneSchema.optional(),
});
export type Officer = z.infer<typeof officerSchema>;

/** The escalation's stages: the policy's (core), under the name the records and payloads use. */
export const STAGE_NAMES = STAGES;

/** The escalation of one employer: one current record, with its history as separate events. */
export const caseSchema = z.object({
  unitCode: unitCodeSchema,
  status: z.enum(['open', 'closed']),
  stage: z.enum(STAGE_NAMES).nullable(),
  anchorPeriod: periodSchema.nullable(),
  monthsOverdue: z.number().int().min(0),
  debt: vndSchema,
  officerId: officerIdSchema.optional(),
  inspectorId: officerIdSchema.optional(),
  cycle: periodSchema,
  openedOn: isoDateSchema,
  updatedAt: z.string(),
  closedOn: isoDateSchema.optional(),
  closeReason: z.string().optional(),
});
export type CaseRecord = z.infer<typeof caseSchema>;

// Defined in core, with the case events that carry them.
export { TASK_OUTCOMES, type TaskOutcome };

/**
 * What an officer may record for each type of task. A collector's visit ends in contact (or not)
 * and what the unit said; an inspection ends in payment, an agreed plan, a proposed penalty, or
 * the inspection closed. Whatever the outcome, the workflow reassesses the ledger: only a cleared
 * debt closes the case; otherwise the next monthly run takes it up again.
 */
export const TASK_OUTCOMES_BY_TYPE: Record<AnyTaskType, readonly TaskOutcome[]> = {
  visit: ['contacted', 'promised-to-pay', 'plan-agreed', 'disputed', 'unreachable', 'paid', 'refer-to-inspection'],
  inspection: ['paid', 'plan-agreed', 'penalty-proposed', 'closed'],
  // A collection agent's visit to a participant whose cover lapsed (a recorded renewal closes it as "renewed").
  'renewal-visit': ['contacted', 'renewed', 'declined', 'unreachable'],
  // An officer's check of a finding of reconciliation with tax data (functions/core/tax-check.ts).
  'tax-data-check': TAX_CHECK_OUTCOMES,
};

/** The token of a task no workflow waits on (PLAIN_TASK_TYPES): nothing is sent back when it closes. */
export const NO_WORKFLOW_TOKEN = 'none';

export const taskSchema = z.object({
  taskId: z.string().min(1),
  unitCode: unitCodeSchema,
  cycle: periodSchema,
  type: z.enum(ALL_TASK_TYPES),
  /** The team lead's task, opened when the first one ran past its due date. */
  escalated: z.boolean().default(false),
  role: z.enum(OFFICER_ROLES),
  officerId: officerIdSchema,
  district: z.string(),
  status: z.enum(['open', 'done', 'timed-out', 'cancelled']),
  dueDate: isoDateSchema,
  createdAt: z.string(),
  token: z.string().min(1),
  outcome: z.enum(TASK_OUTCOMES).optional(),
  note: z.string().max(1000).optional(),
  closedAt: z.string().optional(),
  closedBy: z.string().optional(),
  /** The payment whose reference closed the task (the debt cleared while it waited). */
  closedByPayment: z.string().optional(),
  /** The assigned officer has seen the task (the staff inbox's "acknowledge"). */
  acknowledgedAt: z.string().optional(),
  /** Set when a team lead moved the task to another officer of the team. */
  reassignedFrom: officerIdSchema.optional(),
  /** How many times the task was moved, counted in the same write as each move (the move's event carries it). */
  reassignments: z.number().int().min(0).optional(),
});
export type TaskRecord = z.infer<typeof taskSchema>;

/** What a claim records of the provider's answer and events (the provider's words, never an address). */
export const claimEvidenceShape = {
  providerError: z.string().optional(),
  acceptedAt: z.string().optional(),
  deliveredAt: z.string().optional(),
  bouncedAt: z.string().optional(),
  rejectedAt: z.string().optional(),
};

/** The cycle's urging notice (units in arrears) and its statement (every unit), each claimed once. */
export const NOTICE_KINDS = ['urging', 'statement'] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

export const noticeSchema = z.object({
  unitCode: unitCodeSchema,
  cycle: periodSchema,
  kind: z.enum(NOTICE_KINDS),
  status: z.enum(CLAIM_STATUSES),
  claimedAt: z.string(),
  sentAt: z.string().optional(),
  messageId: z.string().optional(),
  contentSha256: z.string().optional(),
  stage: z.enum(STAGE_NAMES).optional(),
  debt: vndSchema.optional(),
  ...claimEvidenceShape,
});
export type NoticeRecord = z.infer<typeof noticeSchema>;

/**
 * One attempt to reach a unit (the contact log), recorded on an open task without closing it. It
 * holds what the case history must not: the person met and the officer's note, shown with the
 * case to those allowed to read it.
 */
export const contactAttemptSchema = z.object({
  unitCode: unitCodeSchema,
  /** The form's id for this attempt: a post sent twice is recorded once. */
  attemptId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8–64 letters, digits, dash or underscore'),
  taskId: z.string().min(1),
  cycle: periodSchema,
  on: isoDateSchema,
  channel: z.enum(CONTACT_CHANNELS),
  result: z.enum(CONTACT_RESULTS),
  personMet: z.string().trim().min(1).max(120).optional(),
  note: z.string().trim().min(1).max(1000).optional(),
  recordedBy: officerIdSchema,
  recordedAt: z.string(),
});
export type ContactAttemptRecord = z.infer<typeof contactAttemptSchema>;

/** An immutable step in a case's history: the union of case events, defined in core. Never personal data in `detail`. */
export { caseEventSchema, type CaseEvent, type NewCaseEvent } from '../core/case-events.ts';

/** A pause of follow-up for one employer (force majeure, dispute...), with who set it and why. */
export const holdSchema = z.object({
  unitCode: unitCodeSchema,
  reason: z.enum(HOLD_REASONS),
  note: z.string().trim().min(1, 'is required').max(500),
  until: isoDateSchema,
  setBy: z.string().min(1),
  setAt: z.string(),
});
export type HoldRecord = z.infer<typeof holdSchema>;

export const instalmentSchema = z.object({ dueDate: isoDateSchema, amount: vndSchema.refine((v) => v > 0, 'must be more than zero') });

/** A promise to pay or a payment plan agreed by an officer: pauses escalation while it is kept. */
export const arrangementSchema = z.object({
  unitCode: unitCodeSchema,
  kind: z.enum(ARRANGEMENT_KINDS),
  agreedOn: isoDateSchema,
  instalments: z.array(instalmentSchema).min(1).max(60),
  agreedBy: z.string().min(1),
  agreedAt: z.string(),
  taskId: z.string().optional(),
});
export type ArrangementRecord = z.infer<typeof arrangementSchema>;

/** The unit's current pre-disclosure notice: the claim, then the send (the date to pay by stands). */
export const preDisclosureSchema = z.object({
  unitCode: unitCodeSchema,
  status: z.enum(CLAIM_STATUSES),
  claimedAt: z.string(),
  sentOn: isoDateSchema.optional(),
  payBy: isoDateSchema.optional(),
  sentAt: z.string().optional(),
  messageId: z.string().optional(),
  contentSha256: z.string().optional(),
  monthsOverdue: z.number().int().min(0).optional(),
  debt: vndSchema.optional(),
  lapsedOn: isoDateSchema.optional(),
  ...claimEvidenceShape,
});
export type PreDisclosureRecord = z.infer<typeof preDisclosureSchema>;

/** One published list, never overwritten: what was published, where, under which policy. */
export const publicationSchema = z.object({
  date: isoDateSchema,
  cycle: periodSchema,
  /** The object key of the published CSV. */
  key: z.string().min(1),
  units: z.number().int().min(0),
  unitCodes: z.array(unitCodeSchema),
  totalDebt: vndSchema,
  contentSha256: z.string().regex(/^[0-9a-f]{64}$/),
  policyVersion: z.string().min(1),
  minMonthsOverdue: z.number().int().min(1),
  minDebt: vndSchema,
  publishedAt: z.string(),
});
export type PublicationRecord = z.infer<typeof publicationSchema>;

/** A plan target for a year (collection plan and debt-ratio ceiling) of a district, commune or officer. */
export const targetSchema = z.object({
  scope: z.enum(['district', 'commune', 'officer']),
  /** District name; `district/commune` for a commune; the officer id. */
  key: z.string().trim().min(1, 'is required').max(160),
  year: z.number().int().min(2000).max(2100),
  collected: vndSchema.optional(),
  maxDebtRatioPercent: z.number().min(0).max(100).optional(),
  /** Compulsory participants the plan counts on (by count), for reconciliation's section of the report. */
  compulsoryParticipants: z.number().int().min(1).max(10_000_000).optional(),
}).refine((t) => t.collected !== undefined || t.maxDebtRatioPercent !== undefined || t.compulsoryParticipants !== undefined, {
  message: 'needs a collected target, a max debt ratio or a compulsory participants target', path: ['collected'],
});
export type TargetRecord = z.infer<typeof targetSchema>;
