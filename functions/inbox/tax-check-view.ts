import type { Deps } from '../commons/deps.ts';
import { todayFor } from '../commons/deps.ts';
import { NotFoundError } from '../commons/errors.ts';
import type { FindingRecord } from '../commons/reconciliation-records.ts';
import type { TaskRecord } from '../commons/records.ts';
import type { IsoDate } from '../core/dates.ts';
import type { Vnd } from '../core/ledger.ts';
import { maskPersonalId } from '../core/reconciliation.ts';
import { employeesNotCoveredOf } from '../core/tax-check.ts';
import { logger } from '../commons/logger.ts';

/**
 * A tax-data check as its task page shows it: the finding (never a whole personal ID, never an
 * employee's name: the page gets the ID masked and no roster), the policy's reason codes for
 * "explained", and for an organisation with no SI unit (no case to show) the organisation as the
 * tax data has it.
 */
export interface TaxCheckView {
  kind: FindingRecord['kind'];
  /** The tax year reconciled, and the quarter of the run that opened the check. */
  year: number;
  quarter: string;
  taxCode: string;
  basis: FindingRecord['basis'];
  months: number;
  notPaid: Vnd;
  /** Employees paid wages and not covered (core/tax-check.ts `employeesNotCoveredOf`). */
  employeesNotCovered: number;
  evasionFrom: IsoDate | null;
  /** The employee the finding is about, masked (`********0101`). */
  employee?: string | undefined;
  /** The organisation, when it has no SI unit: its task has a stand-in code and no case. */
  organisation?: { taxCode: string; name: string; address?: string | undefined; district: string; employeesPaid?: number | undefined } | undefined;
  /** The reasons an officer may give for "explained" (the policy's `reconciliation.followUp.explanationReasons`). */
  reasons: { code: string; vi: string; en: string }[];
  /** What the check found, once recorded. */
  result?: { outcome: string; registered?: number | undefined; reason?: string | undefined } | undefined;
}

export async function taxCheckView(deps: Deps, task: Pick<TaskRecord, 'taskId' | 'cycle'>): Promise<TaxCheckView> {
  const check = await deps.reconciliation.getTaxCheck(task.taskId);
  if (!check) throw new NotFoundError(`No finding kept for task ${task.taskId}`);
  // The policy the outcome is checked against (steps/record-outcome.ts): the task's cycle's, or today's.
  const policy = deps.policyFor(todayFor(deps, `${task.cycle}-01`)).reconciliation;
  const { finding } = check;
  const registered = finding.unitCode !== undefined;
  let organisation: TaxCheckView['organisation'];
  let employees: { personalId: string; monthsPaid: number; taxableIncome: number }[] = [];
  if (!registered || finding.kind === 'unregistered-organisation') {
    // The organisation's tax data of the year (its row and its employees'): the page reads its counts, never its IDs.
    const tax = await deps.reconciliation.taxDataOf(finding.year, finding.taxCode, () => logger.warn('Malformed tax data left out of a check page'));
    const org = tax.organisation;
    employees = tax.employees;
    organisation = {
      taxCode: finding.taxCode, name: org?.name ?? check.organisationName ?? finding.taxCode, address: org?.address, district: org?.district ?? check.district,
      employeesPaid: org?.employeesPaid,
    };
  }
  return {
    kind: finding.kind, year: finding.year, quarter: check.quarter, taxCode: finding.taxCode, basis: finding.basis, months: finding.months,
    notPaid: finding.notPaid, evasionFrom: finding.evasionFrom,
    employeesNotCovered: employeesNotCoveredOf(finding, { employeesPaid: organisation?.employeesPaid, employees }, policy, finding.year),
    ...(finding.personalId !== undefined && { employee: maskPersonalId(finding.personalId) }),
    ...(!registered && { organisation }),
    reasons: policy.followUp.explanationReasons.map((r) => ({ code: r.code, vi: r.vi, en: r.en })),
    ...(check.result && { result: { outcome: check.result.outcome, registered: check.result.registered, reason: check.result.reason } }),
  };
}
