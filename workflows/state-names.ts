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
  assignTeamLead: 'AssignTeamLead',
  teamLeadAvailable: 'TeamLeadAvailable',
  waitForTeamLead: 'WaitForTeamLeadOutcome',
  recordTeamLeadTimeout: 'RecordTeamLeadTimeout',
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

/** Handler source file of each function, relative to the repository root. */
export const FUNCTION_ENTRY: Record<
  EscalationFunction | 'monthlyRun' | 'recordOutcome' | 'recordPayment' | 'staffApi' | 'quarterlyList' | 'disclosureRun' | 'collectionReport'
  | 'reminderRun' | 'recordRenewal' | 'emailFeedback' | 'smsReplies' | 'renewalReport' | 'statementRun',
  string
> = {
  monthlyRun: 'functions/handlers/monthly-run.ts',
  assessCase: 'functions/handlers/assess-case.ts',
  sendNotice: 'functions/handlers/send-notice.ts',
  assignOfficer: 'functions/handlers/assign-officer.ts',
  openTask: 'functions/handlers/open-task.ts',
  taskTimeout: 'functions/handlers/task-timeout.ts',
  closeCase: 'functions/handlers/close-case.ts',
  recordFailure: 'functions/handlers/record-failure.ts',
  recordOutcome: 'functions/handlers/record-outcome.ts',
  recordPayment: 'functions/handlers/record-payment.ts',
  staffApi: 'functions/handlers/staff-api.ts',
  quarterlyList: 'functions/handlers/quarterly-list.ts',
  disclosureRun: 'functions/handlers/disclosure-run.ts',
  collectionReport: 'functions/handlers/collection-report.ts',
  reminderRun: 'functions/handlers/reminder-run.ts',
  recordRenewal: 'functions/handlers/record-renewal.ts',
  emailFeedback: 'functions/handlers/email-feedback.ts',
  smsReplies: 'functions/handlers/sms-replies.ts',
  renewalReport: 'functions/handlers/renewal-report.ts',
  statementRun: 'functions/handlers/statement-run.ts',
};
