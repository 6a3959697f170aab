import type { AssignmentRequest } from './assignment.ts';
import { isCompulsorilyCovered, ratesForYear, type Finding, type TaxEmployee } from './reconciliation.ts';
import type { ReconciliationPolicy } from './policy/reconciliation-schema.ts';
import type { TaskOutcome } from './task-outcomes.ts';

/**
 * The follow-up of reconciliation with tax data: each finding is checked with the unit by an
 * officer (a tax-data check, a task no workflow waits on). Pure rules: whom the check goes to,
 * what its outcome may say, and what it counts.
 */

/** What an officer may record as the outcome of a tax-data check. */
export const TAX_CHECK_OUTCOMES = ['registered', 'wage-corrected', 'explained', 'refer-to-inspection'] as const satisfies readonly TaskOutcome[];
export type TaxCheckOutcome = (typeof TAX_CHECK_OUTCOMES)[number];

/** The most employees one check may register (a typo guard, not a rule of law). */
export const MAX_REGISTERED_PER_CHECK = 10_000;

/** Where the finding's unit is (registered) or the organisation's district (no SI unit yet). */
export type TaxCheckSubject =
  | { registered: true; district: string; commune: string; /** The unit's officer (its case's), kept when still eligible. */ officerId?: string | undefined }
  | { registered: false; district: string };

/**
 * Whom the check goes to: a registered unit's assigned officer (the collector of its case, else the
 * commune's or the district's lightest-loaded collector, as `pickOfficer` ranks them); an
 * organisation with no SI unit has no officer yet, so its district's team lead decides who visits.
 */
export function taxCheckRoute(subject: TaxCheckSubject): AssignmentRequest {
  if (!subject.registered) return { role: 'team-lead', district: subject.district, commune: '' };
  return { role: 'collector', district: subject.district, commune: subject.commune, currentOfficerId: subject.officerId };
}

/** What an officer records on a check: the outcome, with the count registered or the reason explained. */
export interface TaxCheckResult {
  outcome: TaskOutcome;
  /** Employees registered (the "registered" outcome only). */
  registered?: number | undefined;
  /** The policy's reason code (the "explained" outcome only). */
  reason?: string | undefined;
}

export interface TaxCheckProblem {
  field: 'outcome' | 'registered' | 'reason';
  reason: string;
}

/** Why a check's result cannot be recorded (none: it can). */
export function taxCheckProblems(result: TaxCheckResult, policy: Pick<ReconciliationPolicy, 'followUp'>): TaxCheckProblem[] {
  const problems: TaxCheckProblem[] = [];
  if (!(TAX_CHECK_OUTCOMES as readonly string[]).includes(result.outcome)) {
    problems.push({ field: 'outcome', reason: `must be one of ${TAX_CHECK_OUTCOMES.join(', ')} (tax-data-check task)` });
  }
  if (result.outcome === 'registered') {
    const n = result.registered;
    if (n === undefined) problems.push({ field: 'registered', reason: 'is required: how many employees were registered' });
    else if (!Number.isInteger(n) || n < 1 || n > MAX_REGISTERED_PER_CHECK) problems.push({ field: 'registered', reason: `must be a whole number from 1 to ${MAX_REGISTERED_PER_CHECK}` });
  } else if (result.registered !== undefined) {
    problems.push({ field: 'registered', reason: 'is only for the registered outcome' });
  }
  const codes = policy.followUp.explanationReasons.map((r) => r.code);
  if (result.outcome === 'explained') {
    if (result.reason === undefined) problems.push({ field: 'reason', reason: `is required: one of ${codes.join(', ')}` });
    else if (!codes.includes(result.reason)) problems.push({ field: 'reason', reason: `must be one of ${codes.join(', ')}` });
  } else if (result.reason !== undefined) {
    problems.push({ field: 'reason', reason: 'is only for the explained outcome' });
  }
  return problems;
}

/** Employees a finding shows paid and not registered (what the priority counts while it is checked). */
export function unregisteredEmployeesOf(finding: Pick<Finding, 'kind'>): number {
  return finding.kind === 'unregistered-employee' ? 1 : 0;
}

/**
 * How many employees a finding shows paid wages and not covered (what the task page tells the
 * officer): one for an unregistered employee; for an organisation with no SI unit, its employees in
 * the tax data who pass the compulsory-coverage test (one per person, rows added up as
 * reconciliation adds them), or with no per-employee data the employees its wage fund was paid to.
 * A wage declared too low or a closed unit leaves nobody uncovered.
 */
export function employeesNotCoveredOf(
  finding: Pick<Finding, 'kind' | 'basis'>,
  taxData: { employeesPaid?: number | undefined; employees: readonly Pick<TaxEmployee, 'personalId' | 'monthsPaid' | 'taxableIncome'>[] },
  policy: ReconciliationPolicy, year: number,
): number {
  if (finding.kind === 'unregistered-employee') return 1;
  if (finding.kind !== 'unregistered-organisation') return 0;
  if (finding.basis === 'wage-fund') return taxData.employeesPaid ?? 0;
  const byPerson = new Map<string, { monthsPaid: number; taxableIncome: number }>();
  for (const e of taxData.employees) {
    const seen = byPerson.get(e.personalId);
    byPerson.set(e.personalId, seen
      ? { monthsPaid: Math.min(12, seen.monthsPaid + e.monthsPaid), taxableIncome: seen.taxableIncome + e.taxableIncome }
      : { monthsPaid: e.monthsPaid, taxableIncome: e.taxableIncome });
  }
  const rates = ratesForYear(policy, year);
  return [...byPerson.values()].filter((e) => isCompulsorilyCovered(e, policy, rates)).length;
}
