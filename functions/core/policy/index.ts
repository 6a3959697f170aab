/**
 * The policy (the law and the agency's practice, versioned by effective date):
 * - schema.ts, reminders-schema.ts, statement-schema.ts: its shape, validated with zod;
 * - versions/: one file per version, its rules and figures;
 * - templates/: its texts, one file per locale (vi, en).
 */
import { addMonths, lastDayOfPeriod, type IsoDate, type Period } from '../dates.ts';
import { inForceOn } from '../effective-date.ts';
import type { Policy } from './schema.ts';
import { POLICY_VERSIONS } from './versions.ts';

export * from './schema.ts';
export * from './reminders-schema.ts';
export * from './statement-schema.ts';
export * from './priority-schema.ts';
export * from './letter-schema.ts';
export * from './reconciliation-schema.ts';
export * from './employee-notice-schema.ts';
export * from './channels-schema.ts';
export { POLICY_VERSIONS } from './versions.ts';
export { RECONCILIATION_2025, REMINDERS_2025, STATEMENT_2025 } from './versions/2025-07-01.ts';

/**
 * The version in force on a date. Dates before the first version fall under the first one:
 * arrears older than the product are still followed up under the rules the office has configured.
 */
export function policyFor(date: IsoDate, versions: readonly Policy[] = POLICY_VERSIONS): Policy {
  return inForceOn(versions, date);
}

/** The deadline for a contribution period under the policy's deadline rule. */
export function deadlineOf(period: Period, policy: Policy): IsoDate {
  return lastDayOfPeriod(addMonths(period, policy.deadline.monthsAfterPeriod));
}
