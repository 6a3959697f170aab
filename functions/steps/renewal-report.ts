import { addMonths, periodOf, type IsoDate, type Period } from '../core/dates.ts';
import { renderRenewalCsv, tallyRenewals, type RenewalReport } from '../core/renewal-report.ts';
import { type Ports } from '../commons/deps.ts';
import { CSV_CONTENT_TYPE } from '../commons/documents.ts';
import { logger } from '../commons/logger.ts';

export interface RenewalReportInput {
  /** The month whose cycles are reported; by default the month before the run date. */
  month?: Period | undefined;
  asOf?: IsoDate | undefined;
}

export interface RenewalReportSummary extends RenewalReport {
  csvKey: string;
  jsonKey: string;
  location: string;
}

export const renewalReportKey = (month: Period, ext: 'csv' | 'json') => `renewals/${month}/renewal-report.${ext}`;

/**
 * The renewal figures of a month as of a date: the cycles ending in it, read through the due-month
 * index (one query, no scan), tallied per commune and collection agent against the month's
 * targets. By default the month before the date. The renewal report and the collection report
 * both take their figures from here.
 */
export async function buildRenewalReport(deps: Ports<'reminders' | 'policyFor'>, input: { month?: Period | undefined; asOf: IsoDate }): Promise<RenewalReport> {
  const store = deps.reminders;
  const month = input.month ?? addMonths(periodOf(input.asOf), -1);
  const [cycles, targets] = await Promise.all([store.cyclesEndingIn(month), store.targetsOf(month)]);
  return tallyRenewals(month, cycles, targets, input.asOf, deps.policyFor(input.asOf).channels.priceVnd);
}

/** The renewal report of a month, written as CSV (the office's language) and JSON under renewals/<month>/. */
export async function runRenewalReport(deps: Ports<'reminders' | 'runs' | 'documents' | 'clock' | 'policyFor'>, input: RenewalReportInput): Promise<RenewalReportSummary> {
  const documents = deps.documents;
  const asOf = input.asOf ?? deps.clock.today();
  const report = await buildRenewalReport(deps, { month: input.month, asOf });
  const month = report.month;
  const csvKey = renewalReportKey(month, 'csv');
  const jsonKey = renewalReportKey(month, 'json');
  await documents.put(csvKey, renderRenewalCsv(report, deps.policyFor(asOf).locale), CSV_CONTENT_TYPE);
  await documents.put(jsonKey, JSON.stringify(report, null, 2), 'application/json');
  await deps.runs.putRunSummary(month, {
    month, asOf, due: report.total.due, renewed: report.total.renewed, lapsed: report.total.lapsed, messages: report.messages, costVnd: report.costVnd, csvKey,
  }, 'RENEWAL-REPORT');
  logger.info('Renewal report written', { month, due: report.total.due, renewed: report.total.renewed, costVnd: report.costVnd.total });
  return { ...report, csvKey, jsonKey, location: documents.locate(csvKey) };
}
