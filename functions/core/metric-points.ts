import { needsAttention, stillDue, type DeliveryTally } from './delivery-tally.ts';
import type { CollectionReport, Figures } from './collection-report.ts';
import { DIMENSIONS, type MetricPoint } from './metric-names.ts';
import type { RunSummary } from './run-summary.ts';
import { unaccent } from './sms.ts';

/**
 * The figures of a run or a report as metric points: pure, so a test can hold each value against
 * the figure it comes from. Nothing but counts, money and ratios; dimensions carry no personal data.
 */

/** CloudWatch dimension values must be ASCII: district names lose their diacritics. */
const districtDimension = (district: string) => ({ [DIMENSIONS.district]: unaccent(district) });

function figurePoints(f: Figures, dimensions?: MetricPoint['dimensions']): MetricPoint[] {
  const at = dimensions ? { dimensions } : {};
  return [
    { metric: 'receivable', value: f.receivable, ...at },
    { metric: 'collected', value: f.collected, ...at },
    { metric: 'arrears', value: f.arrears, ...at },
    { metric: 'debtRatio', value: f.debtRatioPercent, ...at },
    { metric: 'evadingUnits', value: f.evading, ...at },
    ...Object.entries(f.byMonthsOverdue).map(([band, value]): MetricPoint => ({ metric: 'unitsOverdue', value, dimensions: { ...dimensions, [DIMENSIONS.band]: band } })),
  ];
}

/** The office's figures, each district's, the participants' renewal rate, and the officers' open and overdue tasks (summed: officer ids are made from names). */
export function collectionReportMetrics(report: CollectionReport): MetricPoint[] {
  return [
    ...figurePoints(report.office),
    ...report.districts.flatMap((d) => figurePoints(d, districtDimension(d.district ?? ''))),
    { metric: 'openTasks', value: report.officers.reduce((s, o) => s + o.openTasks, 0) },
    { metric: 'overdueTasks', value: report.officers.reduce((s, o) => s + o.overdueTasks, 0) },
    // The office's rate only: collection agents' ids are made from their names.
    ...(report.participants ? [{ metric: 'renewalRate', value: report.participants.total.renewalRatePercent } as const] : []),
  ];
}

export function monthlyRunMetrics(summary: RunSummary): MetricPoint[] {
  return [
    { metric: 'unitsScanned', value: summary.unitsScanned },
    { metric: 'escalationsStarted', value: summary.executionsStarted },
    ...Object.entries(summary.byStage).map(([stage, value]): MetricPoint => ({ metric: 'escalationsByStage', value, dimensions: { [DIMENSIONS.stage]: stage } })),
    { metric: 'casesClosed', value: summary.casesClosed },
    { metric: 'malformedRecords', value: summary.malformed },
  ];
}

/** The reminder run's counts (its summary's shape; the step owns the type). */
export interface ReminderCounts {
  sent: { sms: number; zns: number; email: number };
  deferred: number;
  failed: number;
  skipped: number;
  unfinished: number;
  agentTasks: number;
}

export function reminderRunMetrics(summary: ReminderCounts): MetricPoint[] {
  return [
    ...Object.entries(summary.sent).map(([channel, value]): MetricPoint => ({ metric: 'remindersSent', value, dimensions: { [DIMENSIONS.channel]: channel } })),
    { metric: 'remindersDeferred', value: summary.deferred },
    { metric: 'remindersFailed', value: summary.failed },
    { metric: 'remindersSkipped', value: summary.skipped },
    { metric: 'reminderCyclesUnfinished', value: summary.unfinished },
    { metric: 'agentTasks', value: summary.agentTasks },
  ];
}

/** The statement run's counts: sent; waiting for the redrive; not going out by itself (bad record, refused, given up). */
export function statementRunMetrics(summary: { statements: DeliveryTally }): MetricPoint[] {
  return [
    { metric: 'statementsSent', value: summary.statements.sent },
    { metric: 'messagesPending', value: stillDue(summary.statements) },
    { metric: 'statementsNotSent', value: needsAttention(summary.statements) },
  ];
}

/**
 * The redrive's counts: what is still due (and past its kind's deadline); of the employees' notices
 * and their units' emails, what it could not send and will not go out by itself, what waits, and
 * what is past their deadline (not sent late: counted for the alarm).
 */
export function redriveMetrics(summary: {
  sent: number; stillDue: number; pastDeadline: number; employeeNotices: DeliveryTally; employeeNoticesPastDeadline: number;
}): MetricPoint[] {
  return [
    { metric: 'messagesPending', value: summary.stillDue },
    { metric: 'messagesPastDeadline', value: summary.pastDeadline },
    { metric: 'employeeNoticesNotSent', value: needsAttention(summary.employeeNotices) },
    { metric: 'employeeNoticesPending', value: stillDue(summary.employeeNotices) },
    { metric: 'employeeNoticesPastDeadline', value: summary.employeeNoticesPastDeadline },
  ];
}

/** The employee notice run's counts (its summary's shape; the step owns the type): office-wide, no dimension. */
export interface EmployeeNoticeCounts {
  employees: DeliveryTally;
  sentBy: { sms: number; email: number };
  skipped: { notInUnpaidMonths: number; noConsent: number; noContact: number; optedOut: number };
  units: DeliveryTally;
}

export function employeeNoticeRunMetrics(summary: EmployeeNoticeCounts): MetricPoint[] {
  const { employees, skipped } = summary;
  return [
    { metric: 'employeeNoticesSentSms', value: summary.sentBy.sms },
    { metric: 'employeeNoticesSentEmail', value: summary.sentBy.email },
    { metric: 'employeeNoticesAlreadySent', value: employees.alreadySent },
    { metric: 'employeeNoticesNoChannel', value: skipped.noConsent + skipped.noContact },
    { metric: 'employeeNoticesOptedOut', value: skipped.optedOut },
    // The employees' notices and the units' emails alike: refused by the provider, a bad record, given up.
    { metric: 'employeeNoticesNotSent', value: needsAttention(employees) + needsAttention(summary.units) },
    // Failed, throttled or in progress: the run's reruns and the redrive send them (the units' emails wait for them).
    { metric: 'employeeNoticesPending', value: stillDue(employees) + stillDue(summary.units) },
    { metric: 'messagesPending', value: stillDue(employees) + stillDue(summary.units) },
    { metric: 'unitsInformed', value: summary.units.sent },
  ];
}

/** A file's import when it ends: what it loaded (every count of its kind) and the rows it refused. */
export function importMetrics(file: { loaded: Record<string, number>; errorCount: number }): MetricPoint[] {
  // amountRecorded is money, not rows.
  const rows = Object.entries(file.loaded).filter(([k]) => k !== 'amountRecorded' && k !== 'scheduled').reduce((n, [, v]) => n + v, 0);
  return [{ metric: 'importRowsLoaded', value: rows }, { metric: 'importErrors', value: file.errorCount }];
}
