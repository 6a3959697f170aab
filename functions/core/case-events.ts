import { z } from 'zod';
import { isoDateSchema, periodSchema } from './date-schemas.ts';
import { ALL_TASK_TYPES, HOLD_REASONS, OFFICER_ROLES, STAGES } from './policy.ts';
import { ARRANGEMENT_KINDS } from './arrangement.ts';
import { TASK_OUTCOMES } from './task-outcomes.ts';
import { formatVnd } from './money.ts';
import { FINDING_KINDS } from './reconciliation.ts';

/**
 * The case history: one immutable event per thing that happened to a unit's case, as a
 * discriminated union on `kind` (one fixed kind per kind of event) with a typed `detail` each.
 * Readers switch on `kind`; nothing is ever read off a kind or an id by string.
 *
 * Every event has a dedupe key, made from the event's own identity by `dedupeKeyOf` (one rule per
 * kind): the store keeps one event per unit, cycle and dedupe key, so a retried step records once,
 * while two events that really happened (a task moved A→B, then back to A) have two keys.
 *
 * Never personal data in `detail`: no names, phones, emails, ID numbers or staff notes (only
 * whether there is a note). Officers appear by their sign-in id. Details are strict: a field not
 * declared here is refused when the event is written.
 */

const vnd = z.number().int().min(0);
const officerId = z.string().min(1);
const phase = z.enum(['start', 'after-outcome']);
const stage = z.enum(STAGES);
const taskType = z.enum(ALL_TASK_TYPES);
/** Which task an event is about: the id and what it is made of, so no reader parses the id. */
const task = { taskId: z.string().min(1), taskType, escalated: z.boolean() };
/** The instalment of a promise or plan whose miss resumed escalation. */
const missedInstalment = z.object({ kind: z.enum(ARRANGEMENT_KINDS), instalment: z.number().int().min(1), dueDate: isoDateSchema }).strict().nullable();
const assessment = {
  stage, anchorPeriod: periodSchema, monthsOverdue: z.number().int().min(0), debt: vnd, asOf: isoDateSchema, policy: z.string().min(1), missedInstalment,
};

/** How an officer tried to reach a unit (the contact log). */
export const CONTACT_CHANNELS = ['visit', 'phone', 'email', 'zalo', 'letter', 'at-office'] as const;
export type ContactChannel = (typeof CONTACT_CHANNELS)[number];
/** What came of an attempt to reach a unit: whether someone was reached, and what they said. */
export const CONTACT_RESULTS = ['reached', 'will-pay', 'asked-to-call-back', 'no-answer', 'nobody-there', 'refused', 'wrong-contact', 'closed-down'] as const;
export type ContactResult = (typeof CONTACT_RESULTS)[number];

/** The detail of each kind of event. */
export const CASE_EVENT_DETAILS = {
  /** The ledger was assessed and the case escalates at a stage (at the start, or after an officer's outcome). */
  assessed: z.object({ phase, ...assessment }),
  /** After an officer's outcome, the unit goes to inspection: the inspector's task follows. */
  'referred-to-inspection': z.object(assessment),
  /** Escalation pauses: a hold in force, or a promise or plan being kept. */
  paused: z.object({
    phase, by: z.enum(['hold', ...ARRANGEMENT_KINDS]), reason: z.enum(HOLD_REASONS).nullable(), until: isoDateSchema.nullable(),
    nextDueDate: isoDateSchema.nullable(), monthsOverdue: z.number().int().min(0), debt: vnd,
  }),
  /** The cycle's urging notice went out. */
  'notice-sent': z.object({
    channel: z.literal('email'), stage, debt: vnd, interest: vnd, payBy: isoDateSchema, messageId: z.string().min(1), contentSha256: z.string().min(1), missedInstalment,
  }),
  'officer-assigned': z.object({
    ...task, role: z.enum(OFFICER_ROLES), officerId, continuity: z.boolean(), dueDate: isoDateSchema, escalatedFrom: officerId.nullable(),
  }),
  /** No active officer of the role in the unit's district: the task could not open. */
  'no-officer-available': z.object({ taskType, escalated: z.boolean(), role: z.enum(OFFICER_ROLES), district: z.string().min(1) }),
  /** A tax-data check's carries its finding (never the employee's personal ID): the priority and the referral pack read it. */
  'task-opened': z.object({
    ...task, officerId, dueDate: isoDateSchema,
    finding: z.object({
      kind: z.enum(FINDING_KINDS), year: z.number().int(), months: z.number().int().min(0), notPaid: vnd, evasionFrom: isoDateSchema.nullable(),
      unregisteredEmployees: z.number().int().min(0),
    }).strict().optional(),
  }),
  'task-acknowledged': z.object(task),
  /**
   * A team lead moved the task, or the roster sync did (`because` its officer went inactive or left
   * the roster); `reassignment` counts the task's moves (1 for the first).
   */
  'task-reassigned': z.object({ ...task, from: officerId, to: officerId, reassignment: z.number().int().min(1), because: z.enum(['officer-inactive', 'officer-left']).optional() }),
  'outcome-recorded': z.object({ ...task, outcome: z.enum(TASK_OUTCOMES), hasNote: z.boolean() }),
  /**
   * An attempt to reach the unit, recorded on an open task without closing it (the contact log).
   * The person met and the note stay on the contact record (`CONTACT#` item), read with the case by
   * those allowed; here only whether there are any. `attemptId` is the form's, so a post sent twice records once.
   */
  'contact-attempted': z.object({
    ...task, attemptId: z.string().min(1), on: isoDateSchema, channel: z.enum(CONTACT_CHANNELS), result: z.enum(CONTACT_RESULTS), hasPersonMet: z.boolean(), hasNote: z.boolean(),
  }),
  /** The task ran past its due date; `escalating` when it goes on to the team lead. */
  'task-timed-out': z.object({ ...task, officerId, escalating: z.boolean() }),
  'task-closed-by-payment': z.object({ ...task, officerId, reference: z.string().min(1) }),
  /** The inspector's referral pack, built as the inspection task opened: its hash, never its content. */
  'referral-pack-built': z.object({ ...task, inspectorId: officerId, sha256: z.string().min(1), asOf: isoDateSchema }),
  'payment-recorded': z.object({ reference: z.string().min(1), paidOn: isoDateSchema, amount: vnd, debtAfter: vnd }),
  /** The bank reversed a payment (core/correction.ts): its amount left the ledger; `debtAfter` is the debt without it. */
  'payment-reversed': z.object({ reference: z.string().min(1), paidOn: isoDateSchema, amount: vnd, debtAfter: vnd, source: z.string().min(1), line: z.number().int().min(1) }),
  'arrangement-agreed': z.object({
    ...task, arrangement: z.enum(ARRANGEMENT_KINDS), agreedOn: isoDateSchema, instalments: z.number().int().min(1), total: vnd, firstDue: isoDateSchema, lastDue: isoDateSchema,
  }),
  /** A hold set by staff, or a dispute hold from an outcome (`taskId`); the note stays on the hold. */
  'hold-set': z.object({ reason: z.enum(HOLD_REASONS), until: isoDateSchema, hasNote: z.boolean(), taskId: z.string().min(1).nullable() }),
  'hold-cleared': z.object({}),
  'case-closed': z.object({ reason: z.string().min(1), stage: stage.nullable() }),
  /** A workflow step failed after its retries: only the error's name (messages can carry addresses). */
  'step-failed': z.object({ error: z.string().min(1) }),
  'pre-disclosure-notice-sent': z.object({
    channel: z.literal('email'), sentOn: isoDateSchema, payBy: isoDateSchema, monthsOverdue: z.number().int().min(0), debt: vnd, messageId: z.string().min(1), contentSha256: z.string().min(1),
  }),
  'pre-disclosure-lapsed': z.object({ on: isoDateSchema }),
  'disclosure-published': z.object({ date: isoDateSchema, key: z.string().min(1), monthsOverdue: z.number().int().min(0), debt: vnd }),
} as const;

export type CaseEventKind = keyof typeof CASE_EVENT_DETAILS;
export const CASE_EVENT_KINDS = Object.keys(CASE_EVENT_DETAILS) as CaseEventKind[];

const envelope = {
  unitCode: z.string().min(1),
  cycle: periodSchema,
  at: z.string().min(1),
  actor: z.string().min(1),
  /** The event's identity within the unit and cycle (`dedupeKeyOf`): the table key is made of it. */
  dedupeKey: z.string().min(1),
};

const option = <K extends CaseEventKind, S extends z.ZodRawShape>(kind: K, detail: z.ZodObject<S>) =>
  z.object({ ...envelope, kind: z.literal(kind), detail: detail.strict() });
const D = CASE_EVENT_DETAILS;

/** An event as stored and read back. */
export const caseEventSchema = z.discriminatedUnion('kind', [
  option('assessed', D.assessed),
  option('referred-to-inspection', D['referred-to-inspection']),
  option('paused', D.paused),
  option('notice-sent', D['notice-sent']),
  option('officer-assigned', D['officer-assigned']),
  option('no-officer-available', D['no-officer-available']),
  option('task-opened', D['task-opened']),
  option('task-acknowledged', D['task-acknowledged']),
  option('task-reassigned', D['task-reassigned']),
  option('outcome-recorded', D['outcome-recorded']),
  option('contact-attempted', D['contact-attempted']),
  option('task-timed-out', D['task-timed-out']),
  option('task-closed-by-payment', D['task-closed-by-payment']),
  option('referral-pack-built', D['referral-pack-built']),
  option('payment-recorded', D['payment-recorded']),
  option('payment-reversed', D['payment-reversed']),
  option('arrangement-agreed', D['arrangement-agreed']),
  option('hold-set', D['hold-set']),
  option('hold-cleared', D['hold-cleared']),
  option('case-closed', D['case-closed']),
  option('step-failed', D['step-failed']),
  option('pre-disclosure-notice-sent', D['pre-disclosure-notice-sent']),
  option('pre-disclosure-lapsed', D['pre-disclosure-lapsed']),
  option('disclosure-published', D['disclosure-published']),
]);
export type CaseEvent = z.infer<typeof caseEventSchema>;
/** One kind of event. */
export type CaseEventOf<K extends CaseEventKind> = Extract<CaseEvent, { kind: K }>;
/** An event as a step records it: the store adds the dedupe key. */
export type NewCaseEvent = CaseEvent extends infer E ? (E extends CaseEvent ? Omit<E, 'dedupeKey'> : never) : never;

/** For a `switch` over kinds: the compiler fails here when a kind is left out. */
export function unhandledEvent(e: never): never {
  throw new Error(`Unhandled case event ${(e as { kind?: unknown }).kind as string}`);
}

/**
 * The identity of an event within its unit and cycle, one rule per kind: what makes it happen at
 * most once. A retried step makes the same key again; a second real event makes another one.
 */
export function dedupeKeyOf(e: NewCaseEvent): string {
  switch (e.kind) {
    // Once per phase of the cycle's execution (one execution per unit and cycle).
    case 'assessed': return `assessed#${e.detail.phase}`;
    case 'paused': return `paused#${e.detail.phase}`;
    // Once per cycle: the inspector's task of a cycle is opened once.
    case 'referred-to-inspection': return 'referred-to-inspection';
    // The cycle's one urging notice (claimed once).
    case 'notice-sent': return 'notice-sent';
    // Per task: a task id is opened, answered, timed out, closed once.
    case 'officer-assigned': return `officer-assigned#${e.detail.taskId}`;
    case 'no-officer-available': return `no-officer-available#${e.detail.taskType}#${e.detail.escalated ? 'escalated' : 'first'}`;
    case 'task-opened': return `task-opened#${e.detail.taskId}`;
    case 'task-acknowledged': return `task-acknowledged#${e.detail.taskId}`;
    // Per move: the task counts its moves as it makes them.
    case 'task-reassigned': return `task-reassigned#${e.detail.taskId}#${e.detail.reassignment}`;
    case 'outcome-recorded': return `outcome-recorded#${e.detail.taskId}`;
    // Per attempt: the form's id, so the same post twice is one attempt and two attempts are two.
    case 'contact-attempted': return `contact-attempted#${e.detail.taskId}#${e.detail.attemptId}`;
    case 'task-timed-out': return `task-timed-out#${e.detail.taskId}`;
    case 'task-closed-by-payment': return `task-closed-by-payment#${e.detail.taskId}`;
    case 'referral-pack-built': return `referral-pack-built#${e.detail.taskId}`;
    case 'arrangement-agreed': return `arrangement-agreed#${e.detail.taskId}`;
    // A payment is recorded once per reference.
    case 'payment-recorded': return `payment-recorded#${e.detail.reference}`;
    // A payment is reversed once per reference (the same reversal again changes nothing and records nothing).
    case 'payment-reversed': return `payment-reversed#${e.detail.reference}`;
    // A hold is identified by when it was set (the hold record's setAt, the event's time); a
    // cleared hold by when it was cleared (clearing again finds no hold and records nothing).
    case 'hold-set': return `hold-set#${e.at}`;
    case 'hold-cleared': return `hold-cleared#${e.at}`;
    // Once per cycle: the execution closes the case, or fails, once.
    case 'case-closed': return 'case-closed';
    case 'step-failed': return 'step-failed';
    // The disclosure run is once a day: per date.
    case 'pre-disclosure-notice-sent': return `pre-disclosure-notice-sent#${e.detail.sentOn}`;
    case 'pre-disclosure-lapsed': return `pre-disclosure-lapsed#${e.detail.on}`;
    case 'disclosure-published': return `disclosure-published#${e.detail.date}`;
    default: return unhandledEvent(e);
  }
}

/** The event as stored: validated, with its dedupe key. Throws on a detail that is not the kind's. */
export function caseEvent(e: NewCaseEvent): CaseEvent {
  return caseEventSchema.parse({ ...e, dedupeKey: dedupeKeyOf(e) });
}

const taskText = (d: { taskId: string; taskType: string; escalated: boolean }) => `${d.taskType}${d.escalated ? ' (escalated)' : ''} task ${d.taskId}`;
const missedText = (m: z.infer<typeof missedInstalment>) => (m ? `, missed ${m.kind} instalment ${m.instalment} due ${m.dueDate}` : '');

/** One line for staff (inbox, command line): what happened, from the typed fields. */
export function describeCaseEvent(e: CaseEvent): string {
  switch (e.kind) {
    case 'assessed':
    case 'referred-to-inspection': {
      const d = e.detail;
      return `stage ${d.stage} from ${d.anchorPeriod}, ${d.monthsOverdue} month(s) overdue, debt ${formatVnd(d.debt)} as of ${d.asOf} (policy ${d.policy})${missedText(d.missedInstalment)}`;
    }
    case 'paused': {
      const d = e.detail;
      const why = d.by === 'hold' ? `hold (${d.reason ?? '-'}) until ${d.until ?? '-'}` : `${d.by} kept, next due ${d.nextDueDate ?? '-'}`;
      return `paused by ${why}; ${d.monthsOverdue} month(s) overdue, debt ${formatVnd(d.debt)}`;
    }
    case 'notice-sent':
      return `urging notice by ${e.detail.channel}, stage ${e.detail.stage}, debt ${formatVnd(e.detail.debt)}, pay by ${e.detail.payBy}${missedText(e.detail.missedInstalment)}`;
    case 'officer-assigned':
      return `${taskText(e.detail)} to ${e.detail.role} ${e.detail.officerId}, due ${e.detail.dueDate}${e.detail.continuity ? ' (same officer)' : ''}${e.detail.escalatedFrom ? `, from ${e.detail.escalatedFrom}` : ''}`;
    case 'no-officer-available':
      return `no active ${e.detail.role} in ${e.detail.district} for the ${e.detail.taskType}${e.detail.escalated ? ' (escalated)' : ''} task`;
    case 'task-opened':
      return `${taskText(e.detail)} for ${e.detail.officerId}, due ${e.detail.dueDate}`;
    case 'task-acknowledged':
      return taskText(e.detail);
    case 'task-reassigned':
      return `${taskText(e.detail)} from ${e.detail.from} to ${e.detail.to} (move ${e.detail.reassignment}${e.detail.because ? `; ${e.detail.because === 'officer-left' ? 'the officer left the roster' : 'the officer is inactive'}` : ''})`;
    case 'outcome-recorded':
      return `${taskText(e.detail)}: ${e.detail.outcome}${e.detail.hasNote ? ', with a note' : ''}`;
    case 'contact-attempted':
      return `${taskText(e.detail)}: ${e.detail.channel} on ${e.detail.on}, ${e.detail.result}${e.detail.hasNote ? ', with a note' : ''}`;
    case 'task-timed-out':
      return `${taskText(e.detail)} of ${e.detail.officerId} past its due date${e.detail.escalating ? ', to the team lead' : ''}`;
    case 'task-closed-by-payment':
      return `${taskText(e.detail)} of ${e.detail.officerId} closed by payment ${e.detail.reference}`;
    case 'referral-pack-built':
      return `for ${taskText(e.detail)} (${e.detail.inspectorId}), as of ${e.detail.asOf}, SHA-256 ${e.detail.sha256.slice(0, 16)}…`;
    case 'payment-recorded':
      return `${e.detail.reference} paid ${e.detail.paidOn}: ${formatVnd(e.detail.amount)}, debt after ${formatVnd(e.detail.debtAfter)}`;
    case 'payment-reversed':
      return `${e.detail.reference} of ${e.detail.paidOn} (${formatVnd(e.detail.amount)}) reversed by the bank, debt after ${formatVnd(e.detail.debtAfter)} (${e.detail.source} line ${e.detail.line})`;
    case 'arrangement-agreed':
      return `${e.detail.arrangement} of ${e.detail.instalments} instalment(s), ${formatVnd(e.detail.total)}, ${e.detail.firstDue} to ${e.detail.lastDue} (${taskText(e.detail)})`;
    case 'hold-set':
      return `hold (${e.detail.reason}) until ${e.detail.until}${e.detail.taskId ? ` after task ${e.detail.taskId}` : ''}`;
    case 'hold-cleared':
      return 'hold lifted';
    case 'case-closed':
      return `${e.detail.reason}${e.detail.stage ? ` at stage ${e.detail.stage}` : ''}`;
    case 'step-failed':
      return e.detail.error;
    case 'pre-disclosure-notice-sent':
      return `pre-disclosure notice by ${e.detail.channel} on ${e.detail.sentOn}, pay by ${e.detail.payBy}, ${e.detail.monthsOverdue} month(s), debt ${formatVnd(e.detail.debt)}`;
    case 'pre-disclosure-lapsed':
      return `pre-disclosure notice lapsed on ${e.detail.on}`;
    case 'disclosure-published':
      return `published on ${e.detail.date}: ${e.detail.monthsOverdue} month(s), debt ${formatVnd(e.detail.debt)}`;
    default:
      return unhandledEvent(e);
  }
}
