import { z } from 'zod';
import type { ClaimStatus, EvidenceKind } from '../core/claim-rule.ts';
import type { StageName } from '../core/policy.ts';
import { PAYER_KINDS } from '../core/reminder-policy.ts';
import { keys } from './table.ts';

/**
 * Which message a claim is for. Each message is claimed once under its own key (table.ts), through
 * the one claim port (ClaimStore.claim / complete), the one rule (core/claim-rule.ts) and the one
 * send helper (steps/deliver-once.ts). The reference travels with the message (an SES message tag,
 * an End User Messaging SMS context value), so the provider's events find their claim.
 */
export const messageRefSchema = z.discriminatedUnion('message', [
  /** The cycle's urging notice of a unit in arrears, or every unit's monthly statement. */
  z.object({ message: z.enum(['urging', 'statement']), unitCode: z.string().min(1), cycle: z.string().min(1) }),
  /** The unit's current notice before public disclosure (it stands until it lapses). */
  z.object({ message: z.literal('pre-disclosure'), unitCode: z.string().min(1) }),
  /** The employer's confirmation of one recorded payment. */
  z.object({ message: z.literal('payment-confirmation'), unitCode: z.string().min(1), reference: z.string().min(1) }),
  /**
   * An officer told of their task: it was given to them (`assignment`: 0 when it opened, n at its
   * nth reassignment, so each assignment is told once), it ran past its due date and went to the
   * team lead, or a payment closed it.
   */
  z.object({
    message: z.literal('officer-email'), taskId: z.string().min(1), purpose: z.enum(['task-assigned', 'task-overdue', 'task-closed-by-payment']),
    assignment: z.number().int().min(0).optional(),
  }),
  /** A manager told of the office's collection report of a date (one per manager and report date). */
  z.object({ message: z.literal('manager-email'), purpose: z.literal('collection-report'), managerId: z.string().min(1), asOf: z.string().min(1) }),
  /**
   * One reminder step of a participant's or household's cycle, on one channel: `sms` is the
   * phone's message, which goes by Zalo ZNS first for a Zalo user (the claim records which delivered it).
   */
  z.object({
    message: z.literal('reminder'),
    cycle: z.object({ kind: z.enum(PAYER_KINDS), code: z.string().min(1), coveredUntil: z.string().min(1) }),
    step: z.string().min(1),
    channel: z.enum(['sms', 'email']),
  }),
  /**
   * An employee of a unit in arrears told of it, once per cycle (issue 14): `employee` is the opaque
   * ids.employeeNotice, so neither the claim's key nor the tag the provider carries holds an SI code.
   */
  z.object({ message: z.literal('employee-notice'), unitCode: z.string().min(1), cycle: z.string().min(1), employee: z.string().min(1) }),
  /** The unit told, once per cycle, that its employees have been informed (a count, no names). */
  z.object({ message: z.literal('employees-informed'), unitCode: z.string().min(1), cycle: z.string().min(1) }),
]);
export type MessageRef = z.infer<typeof messageRefSchema>;
export type MessageKind = MessageRef['message'];

/** What the completed claim records: its status and the evidence of the send. */
export interface ClaimCompletion {
  status: Exclude<ClaimStatus, 'claimed' | 'lapsed' | 'abandoned'>;
  sentAt?: string | undefined;
  messageId?: string | undefined;
  contentSha256?: string | undefined;
  /** The provider's error name when it failed (never its message: it can quote an address). */
  providerError?: string | undefined;
  /** Urging notice: the stage and debt it stated. Statement: the debt. */
  stage?: StageName | undefined;
  debt?: number | undefined;
  /** Pre-disclosure notice: when it was sent, the date it gives to pay by, the months it stated. */
  sentOn?: string | undefined;
  payBy?: string | undefined;
  monthsOverdue?: number | undefined;
  /** SMS: how many segments it took. */
  segments?: number | undefined;
  /** A reminder's phone message: the channel that delivered it (Zalo ZNS first for a Zalo user, else SMS). */
  deliveredBy?: 'sms' | 'zns' | undefined;
  /** The ZNS tracking id it was sent with (zns-sender.ts znsTrackingId: a hash of this claim's key). */
  trackingId?: string | undefined;
  /** Why ZNS refused it for good before it went by SMS. */
  znsRefused?: string | undefined;
}

/** What the provider says of a message it was given (SES configuration-set events; End User Messaging SMS events). */
export interface ProviderEvidence {
  event: EvidenceKind;
  at: string;
  messageId: string;
  /** Bounce type, reject reason: the provider's words, never an address. */
  detail?: string | undefined;
}

/** The item key of a message's claim. */
export function claimKey(ref: MessageRef): { pk: string; sk: string } {
  switch (ref.message) {
    case 'urging':
    case 'statement':
      return keys.notice(ref.unitCode, ref.cycle, ref.message);
    case 'pre-disclosure':
      return keys.preDisclosure(ref.unitCode);
    case 'payment-confirmation':
      return keys.message(ref.unitCode, ref.message, ref.reference);
    case 'officer-email':
      return keys.taskMessage(ref.taskId, ref.purpose === 'task-assigned' ? `${ref.purpose}#${ref.assignment ?? 0}` : ref.purpose);
    case 'manager-email':
      return keys.staffMessage(ref.managerId, `${ref.purpose}#${ref.asOf}`);
    case 'reminder':
      return keys.reminder(ref.cycle.kind, ref.cycle.code, ref.cycle.coveredUntil, ref.step, ref.channel);
    case 'employee-notice':
      return keys.employeeNotice(ref.unitCode, ref.cycle, ref.employee);
    case 'employees-informed':
      return keys.message(ref.unitCode, ref.message, ref.cycle);
  }
}

/** The fields a claim item carries besides its status, so that its record reads back whole. */
export function claimIdentity(ref: MessageRef): Record<string, unknown> {
  switch (ref.message) {
    case 'urging':
    case 'statement':
      return { message: ref.message, unitCode: ref.unitCode, cycle: ref.cycle, kind: ref.message };
    case 'pre-disclosure':
      return { message: ref.message, unitCode: ref.unitCode };
    case 'payment-confirmation':
      return { message: ref.message, unitCode: ref.unitCode, reference: ref.reference };
    case 'officer-email':
      return { message: ref.message, taskId: ref.taskId, purpose: ref.purpose, ...(ref.assignment === undefined ? {} : { assignment: ref.assignment }) };
    case 'manager-email':
      return { message: ref.message, purpose: ref.purpose, managerId: ref.managerId, asOf: ref.asOf };
    case 'reminder':
      return { message: ref.message, ...ref.cycle, step: ref.step, channel: ref.channel };
    case 'employee-notice':
      return { message: ref.message, unitCode: ref.unitCode, cycle: ref.cycle, employee: ref.employee };
    case 'employees-informed':
      return { message: ref.message, unitCode: ref.unitCode, cycle: ref.cycle };
  }
}

/** The message a stored claim item is for (the pending-claims index returns items). */
export function messageRefOfItem(item: Record<string, unknown>): MessageRef | undefined {
  const r = item.message === 'reminder'
    ? messageRefSchema.safeParse({ message: 'reminder', cycle: { kind: item.kind, code: item.code, coveredUntil: item.coveredUntil }, step: item.step, channel: item.channel })
    : messageRefSchema.safeParse(item);
  return r.success ? r.data : undefined;
}

/**
 * The reference as an SES tag value or an SMS's context value: base64url of its JSON (SES tag values allow
 * letters, digits, `_` and `-` only), and back. Not a key to parse by hand: the one codec is here.
 */
export const claimTag = {
  NAME: 'claim',
  of: (ref: MessageRef): string => Buffer.from(JSON.stringify(ref), 'utf8').toString('base64url'),
  read: (tag: string): MessageRef | undefined => {
    try {
      const r = messageRefSchema.safeParse(JSON.parse(Buffer.from(tag, 'base64url').toString('utf8')));
      return r.success ? r.data : undefined;
    } catch {
      return undefined;
    }
  },
};
