import type { ClaimStatus } from '../core/claim-rule.ts';
import type { StageName } from '../core/policy.ts';
import type { CycleRef } from './reminder-store.ts';
import { keys } from './table.ts';

/**
 * Which message a claim is for. Each message is claimed once under its own key (ids made in
 * table.ts), through the one claim port (ClaimStore.claim / complete) and the one rule (core/claim-rule.ts).
 */
export type MessageRef =
  /** The cycle's urging notice of a unit in arrears, or every unit's monthly statement. */
  | { message: 'urging' | 'statement'; unitCode: string; cycle: string }
  /** The unit's current notice before public disclosure (it stands until it lapses). */
  | { message: 'pre-disclosure'; unitCode: string }
  /** One reminder step of a participant's or household's cycle, on one channel. */
  | { message: 'reminder'; cycle: CycleRef; step: string; channel: 'sms' | 'email' };

/** What the completed claim records: its status and the evidence of the send. */
export interface ClaimCompletion {
  status: Exclude<ClaimStatus, 'claimed' | 'lapsed'>;
  sentAt?: string | undefined;
  messageId?: string | undefined;
  contentSha256?: string | undefined;
  /** Urging notice: the stage and debt it stated. Statement: the debt. */
  stage?: StageName | undefined;
  debt?: number | undefined;
  /** Pre-disclosure notice: when it was sent, the date it gives to pay by, the months it stated. */
  sentOn?: string | undefined;
  payBy?: string | undefined;
  monthsOverdue?: number | undefined;
  /** SMS: how many segments it took. */
  segments?: number | undefined;
}

/** The item key of a message's claim. */
export function claimKey(ref: MessageRef): { pk: string; sk: string } {
  switch (ref.message) {
    case 'urging':
    case 'statement':
      return keys.notice(ref.unitCode, ref.cycle, ref.message);
    case 'pre-disclosure':
      return keys.preDisclosure(ref.unitCode);
    case 'reminder':
      return keys.reminder(ref.cycle.kind, ref.cycle.code, ref.cycle.coveredUntil, ref.step, ref.channel);
  }
}

/** The fields a claim item carries besides its status, so that its record reads back whole. */
export function claimIdentity(ref: MessageRef): Record<string, string> {
  switch (ref.message) {
    case 'urging':
    case 'statement':
      return { unitCode: ref.unitCode, cycle: ref.cycle, kind: ref.message };
    case 'pre-disclosure':
      return { unitCode: ref.unitCode };
    case 'reminder':
      return { ...ref.cycle, step: ref.step, channel: ref.channel };
  }
}
