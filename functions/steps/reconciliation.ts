import type { Ports } from '../commons/deps.ts';
import type { MalformedItem } from '../commons/store.ts';
import type { IsoDate } from '../core/dates.ts';
import { ledgerStatus } from '../core/ledger.ts';
import { FINDING_KINDS, maskPersonalId, reconcile, type BusinessRegistration, type Finding, type FindingKind, type ReconciliationResult, type SiUnit } from '../core/reconciliation.ts';
import { asRegistration, standingOf } from '../core/unit-status.ts';
import type { Vnd } from '../core/ledger.ts';
import { displayDate } from '../core/reminder-notice.ts';
import type { RosterMemberRecord, TaxOrganisationRecord } from '../commons/reconciliation-records.ts';

/**
 * Reconciliation with tax data for one year (functions/core/reconciliation.ts): reads every SI unit
 * (its tax code and debt of the day), the rosters, the year's tax data and the business register
 * through the ports, and returns the findings with their counts by kind. The findings it returns
 * carry a personal ID masked (a step's result is kept in workflow history and logs); the whole ID
 * stays in the store, for the follow-up task that needs it.
 */

export interface ReconciliationInput {
  /** The tax year reconciled (annual tax data: the year before the run's, by default). */
  year: number;
  asOf: IsoDate;
}

export interface ReportedFinding extends Omit<Finding, 'personalId'> {
  /** The employee's personal ID, masked. */
  employee?: string;
}

export interface ReconciliationSummary {
  year: number;
  asOf: IsoDate;
  unitsRead: number;
  counts: Record<FindingKind, number>;
  notPaid: Record<FindingKind, Vnd>;
  /** SI units with tax data but no roster for the year: not compared. */
  unchecked: number;
  /** Stored items that failed validation (left out, by key). */
  malformed: MalformedItem[];
  findings: ReportedFinding[];
}

/** The stored data reconciled: the findings whole (personal IDs too), for the follow-up that keeps them in the store. */
export interface StoredReconciliation {
  result: ReconciliationResult;
  unitsRead: number;
  malformed: MalformedItem[];
  /** The year's tax data per organisation (its district and name: where an organisation with no SI unit is visited). */
  organisations: TaxOrganisationRecord[];
}

export async function reconcileStored(deps: Ports<'ledgers' | 'reconciliation' | 'policyFor'>, input: ReconciliationInput): Promise<StoredReconciliation> {
  const policy = deps.policyFor(input.asOf);
  const malformed: MalformedItem[] = [];
  const onMalformed = (m: MalformedItem) => { malformed.push(m); };
  const units: SiUnit[] = [];
  const roster: RosterMemberRecord[] = [];
  const ownStanding: BusinessRegistration[] = [];
  for await (const ledger of deps.ledgers.scanLedgers(0, 1, onMalformed)) {
    if (!ledger.hasProfile) continue;
    const employer = await deps.ledgers.getEmployer(ledger.unitCode);
    if (!employer) continue;
    const status = ledgerStatus(ledger.periods, ledger.payments, input.asOf, policy);
    const oldestLate = status.periods.find((p) => p.overdue && p.balance > 0);
    units.push({ unitCode: ledger.unitCode, taxCode: employer.taxCode, debt: status.debt, oldestLateDeadline: oldestLate?.dueDate });
    // The unit's own standing (employers.csv) beside the business register: one closed-with-debt rule reads both.
    ownStanding.push(...asRegistration(employer.taxCode, standingOf(employer.status, employer.statusDate)));
    roster.push(...(await deps.reconciliation.rosterOf(ledger.unitCode, onMalformed)));
  }
  const tax = await deps.reconciliation.taxDataFor(input.year, onMalformed);
  const register = [...(await deps.reconciliation.register(onMalformed)), ...ownStanding];
  const result = reconcile({
    year: input.year, asOf: input.asOf, units, roster, taxOrganisations: tax.organisations, taxEmployees: tax.employees, register,
  }, policy);
  return { result, unitsRead: units.length, malformed, organisations: tax.organisations };
}

/** A finding as results and screens show it: the personal ID masked. */
export function reportedFinding({ personalId, ...f }: Finding): ReportedFinding {
  return personalId === undefined ? f : { ...f, employee: maskPersonalId(personalId) };
}

export async function runReconciliation(deps: Ports<'ledgers' | 'reconciliation' | 'policyFor'>, input: ReconciliationInput): Promise<ReconciliationSummary> {
  return summaryOf(input, await reconcileStored(deps, input));
}

export function summaryOf(input: ReconciliationInput, stored: StoredReconciliation): ReconciliationSummary {
  const { result } = stored;
  return {
    year: input.year,
    asOf: input.asOf,
    unitsRead: stored.unitsRead,
    counts: result.counts,
    notPaid: result.notPaid,
    unchecked: result.unchecked.length,
    malformed: stored.malformed,
    findings: result.findings.map(reportedFinding),
  };
}

/** One line per kind: count and estimated contributions not paid (for the local run's summary). */
export function reconciliationLines(s: ReconciliationSummary, formatVnd: (v: Vnd) => string): string[] {
  const label: Record<FindingKind, string> = {
    'unregistered-organisation': 'organisations paying wages, not SI units',
    'unregistered-employee': 'employees paid, not on the roster',
    'under-declared-wage': 'wages under-declared',
    'closed-with-debt': 'closed or suspended, still owing',
  };
  return [
    `Reconciliation with tax data, year ${s.year} (as of ${displayDate(s.asOf)}): ${s.unitsRead} SI units read; ${s.unchecked} unit(s) with tax data but no roster, not compared`,
    ...FINDING_KINDS.map((k) => `  ${label[k].padEnd(42)} ${String(s.counts[k]).padStart(4)}   ${formatVnd(s.notPaid[k]).padStart(18)}`),
    ...(s.malformed.length > 0 ? [`  ${s.malformed.length} stored item(s) failed validation and were left out`] : []),
  ];
}
