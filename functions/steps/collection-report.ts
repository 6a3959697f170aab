import { CollectionReportBuilder, type CollectionReport, type OfficerInput } from '../core/collection-report.ts';
import type { IsoDate } from '../core/dates.ts';
import { collectionReportMetrics } from '../core/metric-points.ts';
import { logger } from '../commons/logger.ts';
import { forEachLedger, scanPart } from './scan-ledgers.ts';
import { emitMetrics } from '../commons/metrics.ts';
import type { Ports } from '../commons/deps.ts';
import type { DocumentStore } from '../commons/documents.ts';
import { reportFiles } from '../report/report-files.ts';
import { buildRenewalReport } from './renewal-report.ts';
import { operations } from '../commons/operations.ts';
import type { DeliveryTally } from '../core/delivery-tally.ts';
import { tellManagersOfReport } from './tell-managers-report.ts';
import { TaxFindingsCollector } from './tax-findings-report.ts';

/**
 * Reads every unit's ledger (the monthly run's parallel scan, with the unit's district and
 * commune), the officers of each district with their open tasks, and the year's plan targets,
 * and builds the collection report as of a date, with the participants' renewals of the month
 * before (the renewal report's figures) when the deployment holds participants, and the year's
 * findings from tax data with their checks and each unit's compulsory participants (its roster).
 */
type ReportPorts = Ports<'ledgers' | 'officers' | 'tasks' | 'plans' | 'reminders' | 'reconciliation' | 'policyFor'>;

export async function buildCollectionReport(deps: ReportPorts, input: { asOf: IsoDate }): Promise<CollectionReport> {
  const policy = deps.policyFor(input.asOf);
  const builder = new CollectionReportBuilder(input.asOf, policy);
  const taxFindings = await TaxFindingsCollector.start(deps, input.asOf, policy.timeZone);
  const districts = new Set<string>();
  let malformed = 0;
  await forEachLedger(deps, scanPart(), () => { malformed++; }, (ledger) => {
    if (!ledger.hasProfile) return;
    const district = ledger.district ?? '(không rõ)';
    districts.add(district);
    const commune = ledger.commune ?? '(không rõ)';
    builder.add({
      unitCode: ledger.unitCode, district, commune, periods: ledger.periods, payments: ledger.payments,
      caseStage: ledger.case?.status === 'open' ? ledger.case.stage : null, hold: ledger.hold,
    });
    // The unit's roster (its compulsory participants) alongside the scan.
    return taxFindings.visitUnit({ unitCode: ledger.unitCode, district, commune });
  });
  const officers: OfficerInput[] = [];
  for (const district of districts) {
    for (const o of await deps.officers.officersInDistrict(district)) {
      const open = await deps.tasks.openTasksOf(o.officerId);
      officers.push({
        officerId: o.officerId, role: o.role, district: o.district, communes: o.communes,
        openTasks: open.length, overdueTasks: open.filter((t) => t.dueDate < input.asOf).length,
      });
    }
  }
  const participants = await buildRenewalReport(deps, { asOf: input.asOf });
  const targets = await deps.plans.targetsFor(Number(input.asOf.slice(0, 4)));
  const report = builder.finish(officers, targets, participants, taxFindings.finish(targets));
  if (malformed > 0) logger.warn('Malformed items left out of the report', { malformed });
  return report;
}

/** Writes the report's HTML, CSV and JSON under `reports/<asOf>/`. */
export async function writeCollectionReport(deps: ReportPorts, documents: DocumentStore, input: { asOf: IsoDate }): Promise<{ asOf: IsoDate; keys: string[]; debtRatioPercent: number; arrears: number }> {
  const { report: _report, ...written } = await writeReport(deps, documents, input);
  return written;
}

/**
 * The scheduled report after each monthly run: written (as writeCollectionReport), then each
 * active manager of the office emailed its headline and its link in the inbox, once per report date
 * (steps/tell-managers-report.ts). The on-demand report (npm run report) writes only.
 */
export async function runCollectionReport(
  deps: ReportPorts & Ports<'documents' | 'directory' | 'claims' | 'mailer' | 'clock' | 'office' | 'inbox'>, input: { asOf: IsoDate },
): Promise<{ asOf: IsoDate; keys: string[]; debtRatioPercent: number; arrears: number; managers: DeliveryTally }> {
  const { report, ...written } = await writeReport(deps, deps.documents, input);
  const managers = await tellManagersOfReport(deps, report, deps.policyFor(input.asOf));
  return { ...written, managers };
}

async function writeReport(deps: ReportPorts, documents: DocumentStore, input: { asOf: IsoDate }) {
  const report = await buildCollectionReport(deps, input);
  const keys: string[] = [];
  for (const file of reportFiles(report, deps.policyFor(input.asOf))) {
    const key = `reports/${input.asOf}/${file.name}`;
    await documents.put(key, file.body, file.contentType);
    keys.push(key);
  }
  emitMetrics(collectionReportMetrics(report));
  logger.info('Collection report written', { asOf: input.asOf, districts: report.districts.length, debtRatioPercent: report.office.debtRatioPercent });
  return { asOf: input.asOf, keys, debtRatioPercent: report.office.debtRatioPercent, arrears: report.office.arrears, report };
}
