import { createHash } from 'node:crypto';
import type { TaskType } from '../core/policy.ts';

/**
 * The one module that makes the ids people and workflows see. Ids are made here and nowhere else,
 * and never parsed back: what they are made of is kept as fields of the record.
 */

/** An officer's, inspector's or team lead's task in a unit's case for one cycle. */
export interface CaseTaskRef {
  unitCode: string;
  cycle: string;
  type: TaskType;
  /** The team lead's task, opened when the first one ran past its due date. */
  escalated: boolean;
}

export const ids = {
  caseTask: ({ unitCode, cycle, type, escalated }: CaseTaskRef): string => `${unitCode}-${cycle}-${type}${escalated ? '-escalated' : ''}`,
  /**
   * A collection agent's renewal visit: opaque and deterministic, so the task is opened once and
   * its id (which the staff API logs) carries no SI code.
   */
  renewalVisit: (cycle: { kind: string; code: string; coveredUntil: string }): string =>
    `RV-${createHash('sha256').update(`${cycle.kind}#${cycle.code}#${cycle.coveredUntil}`).digest('hex').slice(0, 16)}`,
  /** One escalation per unit and cycle: a repeated start finds the execution already there. */
  escalation: (unitCode: string, cycle: string): string => `${unitCode}-${cycle}`,
};
