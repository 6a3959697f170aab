/**
 * The CloudWatch metrics the functions emit (Powertools metrics, EMF through the logs) and the
 * dashboard and alarms read (infra/constructs/monitoring.ts): one list of names, units and
 * dimensions, so a renamed metric cannot leave a graph or an alarm looking at nothing.
 * Dimensions hold no personal data: district names (unaccented), bands, stages, channels.
 */

export const METRICS_NAMESPACE = 'ArrearsFollowUp';
/** Powertools adds it to every metric as the `service` dimension; the functions' POWERTOOLS_SERVICE_NAME. */
export const SERVICE_NAME = 'arrears-follow-up';

/** CloudWatch units used here (the same strings as Powertools' MetricUnit). */
export type MetricUnitName = 'Count' | 'Percent' | 'None';

export const METRICS = {
  // Collection report (office, and per district): money in VND, so no unit.
  receivable: { name: 'Receivable', unit: 'None' },
  collected: { name: 'Collected', unit: 'None' },
  arrears: { name: 'Arrears', unit: 'None' },
  debtRatio: { name: 'DebtRatioPercent', unit: 'Percent' },
  unitsOverdue: { name: 'UnitsOverdue', unit: 'Count' },
  evadingUnits: { name: 'EvadingUnits', unit: 'Count' },
  openTasks: { name: 'OpenTasks', unit: 'Count' },
  overdueTasks: { name: 'OverdueTasks', unit: 'Count' },
  renewalRate: { name: 'RenewalRatePercent', unit: 'Percent' },
  // Monthly run.
  unitsScanned: { name: 'UnitsScanned', unit: 'Count' },
  escalationsStarted: { name: 'EscalationsStarted', unit: 'Count' },
  escalationsByStage: { name: 'EscalationsAtStage', unit: 'Count' },
  casesClosed: { name: 'CasesClosed', unit: 'Count' },
  malformedRecords: { name: 'MalformedRecords', unit: 'Count' },
  // The escalation's notice step, one per notice actually sent.
  noticesSent: { name: 'NoticesSent', unit: 'Count' },
  // Statement run (per invocation: a segment; summed over a run).
  statementsSent: { name: 'StatementsSent', unit: 'Count' },
  // Not sent and not going out by itself: a record to correct, an address refused, a message given up.
  statementsNotSent: { name: 'StatementsNotSent', unit: 'Count' },
  // Every kind of message: waiting for the redrive (throttled, failed at the provider), and still waiting past its deadline.
  messagesPending: { name: 'MessagesPending', unit: 'Count' },
  messagesPastDeadline: { name: 'MessagesPastDeadline', unit: 'Count' },
  // Reminder run.
  remindersSent: { name: 'RemindersSent', unit: 'Count' },
  remindersDeferred: { name: 'RemindersDeferred', unit: 'Count' },
  remindersFailed: { name: 'RemindersFailed', unit: 'Count' },
  // Steps not sent after missed runs (overtaken or past the catch-up days), and cycles a run had no time for.
  remindersSkipped: { name: 'ReminderStepsSkipped', unit: 'Count' },
  reminderCyclesUnfinished: { name: 'ReminderCyclesUnfinished', unit: 'Count' },
  agentTasks: { name: 'AgentTasksOpened', unit: 'Count' },
  // Employees' notices (issue 14; per invocation of the run, its reruns and the redrive's): sent now
  // by SMS and by email; found sent by an earlier run; employees not told for want of consent or
  // contact, or opted out; not going out by itself (refused, bad record, given up); units told.
  employeeNoticesSentSms: { name: 'EmployeeNoticesSentBySms', unit: 'Count' },
  employeeNoticesSentEmail: { name: 'EmployeeNoticesSentByEmail', unit: 'Count' },
  employeeNoticesAlreadySent: { name: 'EmployeeNoticesAlreadySent', unit: 'Count' },
  employeeNoticesNoChannel: { name: 'EmployeeNoticesNoChannel', unit: 'Count' },
  employeeNoticesOptedOut: { name: 'EmployeeNoticesOptedOut', unit: 'Count' },
  employeeNoticesNotSent: { name: 'EmployeeNoticesNotSent', unit: 'Count' },
  employeeNoticesPending: { name: 'EmployeeNoticesPending', unit: 'Count' },
  employeeNoticesPastDeadline: { name: 'EmployeeNoticesPastDeadline', unit: 'Count' },
  unitsInformed: { name: 'UnitsToldEmployeesInformed', unit: 'Count' },
  // Import (per file, when it ends): rows loaded, and rows refused (each in the file's report).
  importRowsLoaded: { name: 'ImportRowsLoaded', unit: 'Count' },
  importErrors: { name: 'ImportErrors', unit: 'Count' },
} as const satisfies Record<string, { name: string; unit: MetricUnitName }>;

export type MetricKey = keyof typeof METRICS;

/** Dimension names beside `service`. */
export const DIMENSIONS = { district: 'district', band: 'monthsOverdue', stage: 'stage', channel: 'channel' } as const;
export type DimensionName = (typeof DIMENSIONS)[keyof typeof DIMENSIONS];

/** One value of one metric, with the dimensions it is counted under (none: the office, the run). */
export interface MetricPoint {
  metric: MetricKey;
  value: number;
  dimensions?: Partial<Record<DimensionName, string>>;
}
