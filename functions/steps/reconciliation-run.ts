import { pickOfficer } from '../core/assignment.ts';
import { addDays, periodOf, type IsoDate } from '../core/dates.ts';
import { quarterOf } from '../core/quarterly-list.ts';
import type { Finding } from '../core/reconciliation.ts';
import { taxCheckRoute, unregisteredEmployeesOf, type TaxCheckSubject } from '../core/tax-check.ts';
import { todayFor, type Ports } from '../commons/deps.ts';
import { ids } from '../commons/ids.ts';
import { logger } from '../commons/logger.ts';
import { NO_WORKFLOW_TOKEN } from '../commons/records.ts';
import type { OfficerWithLoad } from '../commons/store.ts';
import { reconcileStored, summaryOf, type ReconciliationSummary } from './reconciliation.ts';

/**
 * The quarterly reconciliation run (schedule `reconciliation-run`): reconciles the last full year's
 * tax data (functions/steps/reconciliation.ts) and opens a tax-data check for each finding, through
 * the same task store as the escalation's tasks: the unit's officer, or for an organisation with no
 * SI unit the district's team lead (core/tax-check.ts). One check per finding and quarter: the task
 * id is made of both (ids.taxDataCheck), so a rerun opens nothing new. The finding is kept whole
 * beside its task (the personal ID too); this run's result carries it masked.
 */

export interface ReconciliationRunInput {
  /** The day of the run (default today, office time). */
  asOf?: IsoDate | undefined;
  /** The tax year reconciled (default the year before the run's). */
  year?: number | undefined;
}

export interface ReconciliationRunSummary extends ReconciliationSummary {
  quarter: string;
  /** Checks opened by this run. */
  tasksOpened: number;
  /** Findings whose check this quarter was open already (a rerun). */
  tasksAlreadyOpen: number;
  /** Findings with no active officer of the role in their district: opened by the next run once there is one. */
  unassigned: number;
}

type RunPorts = Ports<'ledgers' | 'reconciliation' | 'officers' | 'tasks' | 'casework' | 'clock' | 'policyFor'>;

export async function runReconciliationFollowUp(deps: RunPorts, input: ReconciliationRunInput): Promise<ReconciliationRunSummary> {
  const asOf = todayFor(deps, input.asOf ?? deps.clock.today());
  const year = input.year ?? Number(asOf.slice(0, 4)) - 1;
  const policy = deps.policyFor(asOf);
  const stored = await reconcileStored(deps, { year, asOf });
  const quarter = quarterOf(asOf);
  const organisations = new Map(stored.organisations.map((o) => [o.taxCode, o]));
  const officersOf = new Map<string, OfficerWithLoad[]>();
  const counts = { tasksOpened: 0, tasksAlreadyOpen: 0, unassigned: 0 };

  for (const finding of stored.result.findings) {
    const taskId = ids.taxDataCheck(quarter, { ...finding, year });
    if (await deps.tasks.getTask(taskId)) {
      counts.tasksAlreadyOpen++;
      continue;
    }
    const where = await subjectOf(deps, finding, organisations.get(finding.taxCode));
    if (!where) {
      counts.unassigned++;
      logger.warn('A finding has no district to route its check to', { kind: finding.kind });
      continue;
    }
    const { subject, subjectCode, organisationName } = where;
    let officers = officersOf.get(subject.district);
    if (!officers) officersOf.set(subject.district, officers = await deps.officers.officersInDistrict(subject.district));
    const request = taxCheckRoute(subject);
    const officer = pickOfficer(request, officers);
    if (!officer) {
      counts.unassigned++;
      logger.warn('No active officer for a tax-data check', { role: request.role, district: subject.district, kind: finding.kind });
      continue;
    }
    // The finding first: a run cut off between the two writes opens the task on its rerun, with the finding there.
    await deps.reconciliation.putTaxCheck({
      taskId, quarter, subjectCode, ...(organisationName && { organisationName }), district: subject.district, openedOn: asOf,
      finding: { ...finding, year, evasionFrom: finding.evasionFrom },
    });
    const at = deps.clock.now().toISOString();
    const dueDate = addDays(asOf, policy.reconciliation.followUp.dueDays);
    const cycle = periodOf(asOf);
    await deps.tasks.createTask({
      taskId, unitCode: subjectCode, cycle, type: 'tax-data-check', escalated: false, role: officer.role, officerId: officer.officerId,
      district: subject.district, status: 'open', dueDate, createdAt: at, token: NO_WORKFLOW_TOKEN,
    });
    // The next finding in the district weighs this one in the officer's load.
    officer.openTasks++;
    counts.tasksOpened++;
    // On the unit's case history (an organisation with no SI unit has none): the priority and the referral pack read it.
    if (subject.registered) {
      await deps.casework.appendEvent({
        unitCode: subjectCode, cycle, at, kind: 'task-opened', actor: 'system',
        detail: {
          taskId, taskType: 'tax-data-check', escalated: false, officerId: officer.officerId, dueDate,
          finding: { kind: finding.kind, year, months: finding.months, notPaid: finding.notPaid, evasionFrom: finding.evasionFrom, unregisteredEmployees: unregisteredEmployeesOf(finding) },
        },
      });
    }
  }
  const summary: ReconciliationRunSummary = { ...summaryOf({ year, asOf }, stored), quarter, ...counts };
  // Counts only: no tax code, unit or personal ID.
  logger.info('Reconciliation run finished', { year, quarter, findings: stored.result.findings.length, ...counts });
  return summary;
}

/** Where a finding's check goes: the unit (its district, commune and case officer), or the organisation's district. */
async function subjectOf(
  deps: RunPorts, finding: Finding, organisation: { district: string; name: string } | undefined,
): Promise<{ subject: TaxCheckSubject; subjectCode: string; organisationName?: string } | undefined> {
  if (finding.unitCode !== undefined) {
    const ledger = await deps.ledgers.getLedger(finding.unitCode);
    if (!ledger.employer) return undefined;
    return {
      subject: { registered: true, district: ledger.employer.district, commune: ledger.employer.commune, officerId: ledger.case?.officerId },
      subjectCode: finding.unitCode,
    };
  }
  if (!organisation) return undefined;
  return { subject: { registered: false, district: organisation.district }, subjectCode: ids.unregisteredOrganisation(finding.taxCode), organisationName: organisation.name };
}

/** The run's lines for the local run's summary: the findings by kind, then the checks opened. */
export function checksLine(s: ReconciliationRunSummary): string {
  return `  tax-data checks (${s.quarter}): ${s.tasksOpened} opened, ${s.tasksAlreadyOpen} already open this quarter, ${s.unassigned} with no officer to take them`;
}
