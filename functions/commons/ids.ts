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

/** The notices to employers that are official letters, and the sign of each kind in its number. */
export const DOCUMENT_KINDS = { urging: 'DD', statement: 'KQ', 'pre-disclosure': 'CK' } as const;
export type DocumentKind = keyof typeof DOCUMENT_KINDS;

export const ids = {
  caseTask: ({ unitCode, cycle, type, escalated }: CaseTaskRef): string => `${unitCode}-${cycle}-${type}${escalated ? '-escalated' : ''}`,
  /**
   * A collection agent's renewal visit: opaque and deterministic, so the task is opened once and
   * its id (which the staff API logs) carries no SI code.
   */
  renewalVisit: (cycle: { kind: string; code: string; coveredUntil: string }): string =>
    `RV-${createHash('sha256').update(`${cycle.kind}#${cycle.code}#${cycle.coveredUntil}`).digest('hex').slice(0, 16)}`,
  /**
   * A tax-data check of one finding in one quarter: opaque and deterministic, so a rerun of the
   * quarter's reconciliation finds the task already there, and its id carries no personal ID.
   */
  taxDataCheck: (quarter: string, finding: { kind: string; year: number; taxCode: string; unitCode?: string | undefined; personalId?: string | undefined; basis: string }): string =>
    `TC-${createHash('sha256').update([quarter, finding.year, finding.kind, finding.taxCode, finding.unitCode ?? '', finding.personalId ?? '', finding.basis].join('#')).digest('hex').slice(0, 16)}`,
  /**
   * The code a task and its history use for an organisation with no SI unit yet (a finding of
   * reconciliation): shaped like a unit code, never one the agency gives (those start TD..).
   */
  unregisteredOrganisation: (taxCode: string): string => `TX${createHash('sha256').update(taxCode).digest('hex').slice(0, 10).toUpperCase()}`,
  /**
   * A notice's document number, `2611.DD.TD000006/TB-BHXH-TD`: its month (mmyy), its kind (DD the
   * urging notice, KQ the statement, CK the pre-disclosure notice), the unit, then `TB` (a notice)
   * and the office's sign. Made from what the notice's claim is keyed by (kind, unit, cycle), so a
   * retried or redriven notice carries the same number, no two notices share one, and no counter
   * has to be kept.
   */
  document: ({ kind, unitCode, cycle }: { kind: DocumentKind; unitCode: string; cycle: string }, documentCode: string): string =>
    `${cycle.slice(5, 7)}${cycle.slice(2, 4)}.${DOCUMENT_KINDS[kind]}.${unitCode}/TB-${documentCode}`,
  /**
   * An employee's notice of the unit's arrears in one cycle (issue 14): opaque and deterministic, so
   * a rerun claims the same one, and its claim key and provider tag carry no SI code.
   */
  employeeNotice: ({ unitCode, cycle, siCode }: { unitCode: string; cycle: string; siCode: string }): string =>
    `EN-${createHash('sha256').update(`${unitCode}#${cycle}#${siCode}`).digest('hex').slice(0, 16)}`,
  /** One escalation per unit and cycle: a repeated start finds the execution already there. */
  escalation: (unitCode: string, cycle: string): string => `${unitCode}-${cycle}`,
};
