/**
 * State names of the escalation workflow. The CDK definition uses them, and the local stack
 * maps each Task state to the handler of the function it invokes.
 */
export const STATE = {
  assessCase: 'AssessCase',
  debtCleared: 'DebtCleared',
  sendUrgingNotice: 'SendUrgingNotice',
  afterNotice: 'AfterNotice',
  assignOfficer: 'AssignOfficer',
  officerAvailable: 'OfficerAvailable',
  waitForOutcome: 'WaitForOfficerOutcome',
  reassessAfterOutcome: 'ReassessAfterOutcome',
  afterOutcome: 'AfterOutcome',
  recordTaskTimeout: 'RecordTaskTimeout',
  answeredInTime: 'AnsweredAsDueDatePassed',
  useRecordedOutcome: 'UseRecordedOutcome',
  assignTeamLead: 'AssignTeamLead',
  teamLeadAvailable: 'TeamLeadAvailable',
  waitForTeamLead: 'WaitForTeamLeadOutcome',
  recordTeamLeadTimeout: 'RecordTeamLeadTimeout',
  teamLeadAnsweredInTime: 'TeamLeadAnsweredAsDueDatePassed',
  useTeamLeadOutcome: 'UseTeamLeadOutcome',
  closeCase: 'CloseCase',
  caseClosed: 'CaseClosed',
  cycleDone: 'CycleDone',
  recordFailure: 'RecordFailure',
  escalationFailed: 'EscalationFailed',
} as const;

/** State names of the statement run's fan-out (workflows/statement-run.ts). */
export const STATEMENT_RUN_STATE = {
  planSegments: 'PlanSegments',
  eachSegment: 'EachSegment',
  sendSegment: 'SendSegmentStatements',
  startCatchUp: 'StartCatchUp',
  waitBeforeRedrive: 'WaitBeforeRedrive',
  redrive: 'RedriveUnsent',
  countCatchUp: 'CountCatchUp',
  anythingStillDue: 'AnythingStillDue',
  caughtUp: 'CaughtUp',
} as const;

/** State names of the monthly run's fan-out (workflows/monthly-run.ts). */
export const MONTHLY_RUN_STATE = {
  planRun: 'PlanMonthlyRun',
  eachSegment: 'EachScanSegment',
  classifySegment: 'ClassifySegment',
  segmentUnfinished: 'SegmentUnfinished',
  summarize: 'SummarizeMonthlyRun',
  complete: 'RunComplete',
  // The catch-up of the run's urging notices (workflows/catch-up.ts), after a complete run.
  startCatchUp: 'StartNoticeCatchUp',
  waitBeforeRedrive: 'WaitBeforeNoticeRedrive',
  redrive: 'RedriveUnsentNotices',
  countCatchUp: 'CountNoticeCatchUp',
  anythingStillDue: 'AnyNoticeStillDue',
  pastDeadline: 'NoticesPastDeadline',
  done: 'MonthlyRunDone',
  incomplete: 'MonthlyRunIncomplete',
} as const;

/** The Lambda functions the workflow invokes, by the key used in infra and locally. */
export const ESCALATION_FUNCTIONS = ['assessCase', 'sendNotice', 'assignOfficer', 'openTask', 'taskTimeout', 'closeCase', 'recordFailure'] as const;
export type EscalationFunction = (typeof ESCALATION_FUNCTIONS)[number];

/** Which function each Task state invokes. */
export const TASK_STATE_FUNCTION: Record<string, EscalationFunction> = {
  [STATE.assessCase]: 'assessCase',
  [STATE.reassessAfterOutcome]: 'assessCase',
  [STATE.sendUrgingNotice]: 'sendNotice',
  [STATE.assignOfficer]: 'assignOfficer',
  [STATE.waitForOutcome]: 'openTask',
  [STATE.recordTaskTimeout]: 'taskTimeout',
  [STATE.assignTeamLead]: 'assignOfficer',
  [STATE.waitForTeamLead]: 'openTask',
  [STATE.recordTeamLeadTimeout]: 'taskTimeout',
  [STATE.closeCase]: 'closeCase',
  [STATE.recordFailure]: 'recordFailure',
};

/** State names of the import of a batch (workflows/import-run.ts). */
export const IMPORT_RUN_STATE = {
  planNext: 'PlanNextFile',
  whatNext: 'WhatNext',
  importChunk: 'ImportChunk',
  importCollectionChunk: 'ImportCollectionChunk',
  afterChunk: 'AfterChunk',
  afterCollectionChunk: 'AfterCollectionChunk',
  syncRoster: 'SyncStaffAccounts',
  rosterSyncFailed: 'RosterSyncFailed',
  anySyncFailed: 'AnyRosterSyncFailed',
  release: 'ReleaseBatch',
  anythingNew: 'AnythingNew',
  anotherRunning: 'AnotherImportRunning',
  done: 'BatchImported',
} as const;

/** Which function each Task state of the import invokes. */
export const IMPORT_TASK_FUNCTION = {
  [IMPORT_RUN_STATE.planNext]: 'importRun',
  [IMPORT_RUN_STATE.importChunk]: 'importRun',
  [IMPORT_RUN_STATE.importCollectionChunk]: 'importCollections',
  [IMPORT_RUN_STATE.release]: 'importRun',
  [IMPORT_RUN_STATE.syncRoster]: 'rosterSync',
} as const;
