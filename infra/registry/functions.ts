import { join } from 'node:path';
import type { TABLE_DESIGN } from '../../functions/commons/table.ts';
import { FONT_FILES, fontPackageDir } from '../../functions/report/statement-fonts.ts';
import { startExecutionShare, type DeploymentConfig } from '../deployment-config.ts';

/**
 * Every Lambda function, one record each: its handler, what it may do, its size and time, the files
 * it carries and the operational settings it is given. The CDK stack builds the functions and their
 * roles from this (infra/arrears-stack.ts) and the local stack loads the same handlers
 * (local/embedded/lambda.ts). No AWS CDK import: the local runner reads it too, and no handler does.
 */

type StaffDirectoryAction =
  | 'cognito-idp:ListUsers' | 'cognito-idp:ListUsersInGroup' | 'cognito-idp:AdminCreateUser' | 'cognito-idp:AdminUpdateUserAttributes'
  | 'cognito-idp:AdminAddUserToGroup' | 'cognito-idp:AdminRemoveUserFromGroup' | 'cognito-idp:AdminEnableUser' | 'cognito-idp:AdminDisableUser';

type DynamoAction = 'dynamodb:Scan' | 'dynamodb:Query' | 'dynamodb:GetItem' | 'dynamodb:PutItem' | 'dynamodb:UpdateItem' | 'dynamodb:DeleteItem' | 'dynamodb:BatchWriteItem';

/**
 * What a function may do, read off the code it runs (functions/steps → commons/dynamo-store):
 * the DynamoDB calls on the table and on its index, whether it sends email, and its Step Functions
 * calls. The roles are built from this and nothing else; test/infra/access.test.ts runs every
 * function on the local stack and checks each call it makes against the synthesized policies.
 */
export interface FunctionAccess {
  table: readonly DynamoAction[];
  index?: readonly DynamoAction[];
  /** The indexes `index` applies to (default: gsi1 only). */
  indexNames?: readonly (typeof TABLE_DESIGN.indexes)[number]['name'][];
  /** ses:SendEmail (or SendRawEmail), from the policy's sender address only (the notices' or, for `reminders`, the reminders'). */
  sendsEmail?: boolean;
  emailSender?: 'notices' | 'reminders';
  /** Which SES sends: `plain` (SendEmail) and/or `raw` (SendRawEmail: a MIME message with an attachment, the statement's PDF). @default ['plain'] */
  emailForms?: readonly ('plain' | 'raw')[];
  /** sms-voice:SendTextMessage (AWS End User Messaging SMS), through the reminder SMS's configuration set, from the policy's sender ID only. */
  sendsSms?: boolean;
  /**
   * Zalo ZNS: ssm:GetParameter on the one parameter holding the OA's access token (the deployment's
   * `zns.tokenParameter`, told as ZNS_TOKEN_PARAMETER), and kms:Decrypt through SSM on its key when
   * it is a customer managed one. Nothing without that configuration.
   */
  sendsZns?: boolean;
  /** Zalo's webhook: ssm:GetParameter on the OA secret key's parameter (`zns.webhookSecretParameter`, told as ZNS_WEBHOOK_SECRET_PARAMETER), kms:Decrypt as for sendsZns. */
  readsZnsWebhookSecret?: boolean;
  stateMachine?: readonly ('states:StartExecution' | 'states:SendTaskSuccess')[];
  /** Calls on the staff's Cognito user pool (that pool only); the function is told its id (USER_POOL_ID). */
  staffDirectory?: readonly StaffDirectoryAction[];
  /**
   * Objects of the reports bucket under one prefix, encrypted with the stack's key; with `lists`,
   * the bucket listed too (s3:ListBucket, only keys under the prefix: an s3:prefix condition).
   */
  documents?: { prefix: 'quarterly/' | 'disclosure/' | 'reports/' | 'renewals/'; actions: readonly ('s3:PutObject' | 's3:GetObject')[]; lists?: boolean };
  /**
   * The import bucket: the uploads read (s3:GetObject on `imports/*`, ranges included), the reports
   * and checkpoints' state written and read back (`reports/*`, `checkpoints/*`), and with `lists`
   * the batch listed (s3:ListBucket, only keys under `imports/`).
   */
  imports?: { lists: boolean };
}

export interface FunctionSpec {
  /** Handler source, relative to the repository root. */
  entry: string;
  access: FunctionAccess;
  /** MB; default 512 (infra/constructs/arrears-function.ts). */
  memorySize?: number;
  /** Seconds; default 30. */
  timeoutSeconds?: number;
  /** Links officers to their tasks in the staff inbox (its emails): the function is told the inbox's URL (INBOX_URL). */
  linksToInbox?: boolean;
  /** Files the code reads at run time, copied into the bundle's folder `to`; the variable `env` names that folder in Lambda. */
  files?: { from: readonly string[]; to: string; env: string };
  /** Environment from the deployment configuration (functions/commons/operations.ts reads it). */
  operations?: (config: DeploymentConfig) => Record<string, string>;
}

/** Functions that read every ledger: more memory, and up to Lambda's 15 minutes. */
const SCANNING = { memorySize: 1024, timeoutSeconds: 15 * 60 } as const;
/** The parallel scan's segments in one invocation. */
const scanSegments = (c: DeploymentConfig) => ({ SCAN_SEGMENTS: String(c.scan.segments) });
/** Where an import chunk stops besides the time limit. */
const importChunkRows = (c: DeploymentConfig) => ({ IMPORT_MAX_ROWS_PER_CHUNK: String(c.import.maxRowsPerChunk) });
/** The statement's fonts (DejaVu, for Vietnamese), carried in the bundle of each function that draws its PDF (never fetched). */
/**
 * Recording a payment (the record-payment step): the payment put (get on conflict), the ledger
 * query, the case's tasks on gsi2 closed, the case closed, the confirmation email, a waiting task
 * resumed. recordPayment and a collection file's import both record payments through it.
 */
const RECORDS_PAYMENTS = {
  table: ['dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
  index: ['dynamodb:Query'],
  indexNames: ['gsi2'],
  stateMachine: ['states:SendTaskSuccess'],
  sendsEmail: true,
} as const satisfies FunctionAccess;

const STATEMENT_FONTS = { from: Object.values(FONT_FILES).map((f) => join(fontPackageDir(), f)), to: 'fonts', env: 'STATEMENT_FONTS_DIR' } as const;

export const FUNCTIONS = {
  monthlyRun: {
    entry: 'functions/handlers/monthly-run.ts',
    // Parallel scan of ledgers; closes cleared cases (query ledger, put case and event); run summary.
    access: { table: ['dynamodb:Scan', 'dynamodb:Query', 'dynamodb:PutItem'], stateMachine: ['states:StartExecution'] },
    ...SCANNING,
    // Its split (a rerun invoked without segments reads them all in one process), and its share of
    // the account's StartExecution quota: the segments running at once divide it.
    operations: (c) => ({
      ...scanSegments(c),
      MONTHLY_RUN_SEGMENTS: String(c.monthlyRun.segments),
      START_EXECUTION_BUCKET: String(startExecutionShare(c).bucket),
      START_EXECUTION_PER_SECOND: String(startExecutionShare(c).perSecond),
    }),
  },
  assessCase: {
    entry: 'functions/handlers/assess-case.ts',
    // Ledger query, case and event puts; on a referral, the cycle's inspection task get.
    access: { table: ['dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:PutItem'] },
  },
  sendNotice: {
    entry: 'functions/handlers/send-notice.ts',
    // Notice claim (conditional put, get on conflict), ledger query, claim completion (update), event.
    access: { table: ['dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'], sendsEmail: true },
  },
  assignOfficer: {
    entry: 'functions/handlers/assign-officer.ts',
    // Ledger query, officers of the district on the index, case and event puts.
    access: { table: ['dynamodb:Query', 'dynamodb:PutItem'], index: ['dynamodb:Query'] },
  },
  openTask: {
    entry: 'functions/handlers/open-task.ts',
    // Officer get, task put (or token update on retry), event; the officer's email with the link to the
    // task (its claim: put, get on conflict, update; the task read again while the claim is ours).
    access: { table: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'], sendsEmail: true },
    linksToInbox: true,
  },
  taskTimeout: {
    entry: 'functions/handlers/task-timeout.ts',
    // Task get and close, officer get, event; tells the officer the task went on.
    access: { table: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'], sendsEmail: true },
  },
  closeCase: {
    entry: 'functions/handlers/close-case.ts',
    access: { table: ['dynamodb:Query', 'dynamodb:PutItem'] },
  },
  recordFailure: {
    entry: 'functions/handlers/record-failure.ts',
    access: { table: ['dynamodb:PutItem'] },
  },
  recordOutcome: {
    entry: 'functions/handlers/record-outcome.ts',
    // Task get and close, event; resumes the waiting workflow.
    access: { table: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem'], stateMachine: ['states:SendTaskSuccess'] },
  },
  recordPayment: {
    entry: 'functions/handlers/record-payment.ts',
    // Payment put (get on conflict), ledger query, the case's tasks (gsi2) closed, case closed; confirms by email, resumes.
    access: {
      ...RECORDS_PAYMENTS,
    },
  },
  staffApi: {
    entry: 'functions/handlers/staff-api.ts',
    // Staff API: tasks (get, query by officer on the index, reassign/acknowledge/close updates),
    // ledger and history queries, officers, outcome/payment/hold puts, a lifted hold marked cleared
    // (an update: no DeleteItem, which IAM could narrow to the EMP# partitions only, never to the
    // HOLD items), a signed-out session on the revocation list (put); resumes workflows, confirms
    // payments and tells officers by email. A payment closes the case's tasks (gsi2).
    access: {
      table: ['dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
      index: ['dynamodb:Query'],
      indexNames: ['gsi1', 'gsi2'],
      stateMachine: ['states:SendTaskSuccess'],
      sendsEmail: true,
      // The managers' collection report in the inbox: read, and its dates listed, under reports/ only.
      documents: { prefix: 'reports/', actions: ['s3:GetObject'], lists: true },
    },
    // A reassigned task's new officer is emailed the link to it.
    linksToInbox: true,
  },
  quarterlyList: {
    entry: 'functions/handlers/quarterly-list.ts',
    // Parallel scan of ledgers, profile gets of the listed units, the run record; the CSV under quarterly/.
    access: { table: ['dynamodb:Scan', 'dynamodb:GetItem', 'dynamodb:PutItem'], documents: { prefix: 'quarterly/', actions: ['s3:PutObject'] } },
    ...SCANNING,
    operations: scanSegments,
  },
  disclosureRun: {
    entry: 'functions/handlers/disclosure-run.ts',
    // Parallel scan; publication get; notice claim (put, get on conflict), ledger query, completion and
    // lapse (update); publication, events, run record (put). The list under disclosure/, written only if
    // absent, read back when an earlier run wrote it.
    access: {
      table: ['dynamodb:Scan', 'dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
      sendsEmail: true,
      documents: { prefix: 'disclosure/', actions: ['s3:PutObject', 's3:GetObject'] },
    },
    ...SCANNING,
    operations: scanSegments,
  },
  collectionReport: {
    entry: 'functions/handlers/collection-report.ts',
    // Parallel scan of ledgers; the year's targets (query); officers of each district and their open
    // tasks (index); the participants' cycles of the month before (due-month index) and their renewal
    // targets (query); the year's tax-data checks and registrations (quarter indexes, gsi1) and each
    // unit's roster (query); the report's HTML, CSV and JSON under reports/. Then each manager of the user
    // pool's manager group (ListUsersInGroup) is emailed the headline, one claim each (put, get on
    // conflict, completion update), with the link to the report in the inbox.
    access: {
      table: ['dynamodb:Scan', 'dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
      index: ['dynamodb:Query'],
      documents: { prefix: 'reports/', actions: ['s3:PutObject'] },
      sendsEmail: true,
      staffDirectory: ['cognito-idp:ListUsersInGroup'],
    },
    linksToInbox: true,
    ...SCANNING,
    operations: scanSegments,
  },
  reminderRun: {
    entry: 'functions/handlers/reminder-run.ts',
    // The reminder index (gsi2) for everything due by today; each participant's collection
    // (query), cycle, suppression and agent gets; claims, the agent's task and the run record (put);
    // claim completion, counters, lapse and the index moves (update). Email from the reminders' sender, SMS by
    // End User Messaging SMS (SendTextMessage through its configuration set, from the sender ID).
    access: {
      table: ['dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
      index: ['dynamodb:Query'],
      indexNames: ['gsi2'],
      sendsEmail: true,
      emailSender: 'reminders',
      sendsSms: true,
      // A Zalo user's phone reminder by ZNS first (Zalo's HTTPS API, the token read from SSM).
      sendsZns: true,
    },
    // Works through many participants in one invocation (not a scan): Lambda's 15 minutes.
    timeoutSeconds: 15 * 60,
  },
  recordRenewal: {
    entry: 'functions/handlers/record-renewal.ts',
    // The participant's collection (query), the renewal (put), paid-through, cards and cycles (update);
    // the agent's open visit closed (get, update).
    access: { table: ['dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'] },
  },
  emailFeedback: {
    entry: 'functions/handlers/email-feedback.ts',
    // A suppression put per bounced or complaining address; the message's claim updated with the event (send, delivery, bounce, reject).
    access: { table: ['dynamodb:PutItem', 'dynamodb:UpdateItem'] },
  },
  smsFeedback: {
    entry: 'functions/handlers/sms-feedback.ts',
    // The SMS's claim updated with each End User Messaging event (accepted; delivered, bounced or rejected beside it).
    access: { table: ['dynamodb:UpdateItem'] },
  },
  znsFeedback: {
    entry: 'functions/handlers/zns-feedback.ts',
    // Zalo's webhook (POST /zalo/events): the ZNS attempt made `accepted` (update). The OA secret
    // key the calls are signed with read from SSM (only with the deployment's `zns`).
    access: { table: ['dynamodb:UpdateItem'], readsZnsWebhookSecret: true },
  },
  smsReplies: {
    entry: 'functions/handlers/sms-replies.ts',
    // An opt-out put per STOP reply.
    access: { table: ['dynamodb:PutItem'] },
  },
  reconciliationRun: {
    entry: 'functions/handlers/reconciliation-run.ts',
    // Scan of the ledgers; profile, task and finding gets; rosters, tax data, register and ledger
    // queries, officers of a district and their loads (gsi1); the finding, the check's task and its
    // case event (put; a check whose task is already there is skipped before the put, so no update).
    access: {
      table: ['dynamodb:Scan', 'dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:PutItem'],
      index: ['dynamodb:Query'],
    },
    ...SCANNING,
  },
  employeeNoticeRun: {
    entry: 'functions/handlers/employee-notice-run.ts',
    // Parallel scan listing the late units; per unit its ledger and roster (query), a suppression get
    // per address, each employee's claim and then the unit's (put, get on conflict; completion: update);
    // the run record (put). SMS by End User Messaging SMS; emails from the notices' sender.
    access: {
      table: ['dynamodb:Scan', 'dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
      sendsEmail: true,
      sendsSms: true,
    },
    ...SCANNING,
    operations: scanSegments,
  },
  renewalReport: {
    entry: 'functions/handlers/renewal-report.ts',
    // The month's cycles on the due-month index (gsi1), its targets (query), the run record; the report under renewals/.
    access: {
      table: ['dynamodb:Query', 'dynamodb:PutItem'],
      index: ['dynamodb:Query'],
      documents: { prefix: 'renewals/', actions: ['s3:PutObject'] },
    },
  },
  redriveRun: {
    entry: 'functions/handlers/redrive-run.ts',
    // The pending claims (gsi2 PENDING#<kind>); per message what its own step does: the claim (put, get
    // on conflict), the ledger (query), the completion (update), an event (put); the run record. Notices
    // by SendEmail, statements with their PDF by SendRawEmail. Employees' notices as their run sends
    // them: the unit's roster (query), a suppression get per address; SMS by End User Messaging SMS
    // (SendTextMessage through the reminder SMS's configuration set, from the sender ID), as reminderRun.
    access: {
      table: ['dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
      index: ['dynamodb:Query'],
      indexNames: ['gsi2'],
      sendsEmail: true,
      emailForms: ['plain', 'raw'],
      sendsSms: true,
    },
    // It may draw statements' PDFs, as the statement run does.
    files: STATEMENT_FONTS,
    // An officer's assignment email sent again links to the task.
    linksToInbox: true,
  },
  rosterSync: {
    entry: 'functions/handlers/roster-sync.ts',
    // After officers.csv is imported: the roster's officers (get), a leaver marked inactive (update); the
    // open tasks of leavers and inactive officers (index) moved through the assignment rule: the
    // district's officers and their loads (index), the unit's commune (get), the task (get, update),
    // its event and the unit's officer on the case (ledger query, put). The pool's users and role
    // groups (list), each change one call: create (Cognito's invitation, or RESEND), email, groups,
    // enable, disable. No AdminDeleteUser: leavers are disabled, never deleted. Each officer a task is
    // handed to is emailed once (the assignment's claim: get, put, update), with the link to the task.
    access: {
      table: ['dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
      index: ['dynamodb:Query'],
      sendsEmail: true,
      staffDirectory: [
        'cognito-idp:ListUsers', 'cognito-idp:ListUsersInGroup', 'cognito-idp:AdminCreateUser', 'cognito-idp:AdminUpdateUserAttributes',
        'cognito-idp:AdminAddUserToGroup', 'cognito-idp:AdminRemoveUserFromGroup', 'cognito-idp:AdminEnableUser', 'cognito-idp:AdminDisableUser',
      ],
    },
    // A province's roster (hundreds of officers) one admin call at a time, within Cognito's rate limits.
    timeoutSeconds: 5 * 60,
    linksToInbox: true,
  },
  importRun: {
    entry: 'functions/handlers/import-run.ts',
    // The batch's lease and each file's run record (put, get); employers, periods, payments, targets,
    // participants, households and cards in batches (BatchWriteItem); officers (update); a unit's
    // profile and a repeated key's provenance (get); each payer scheduled (its collection queried, the
    // cycle put and updated); renewals through the renewal step (query, get, put, update); a payment's
    // reversal in the unit's history (its ledger queried, the event put: steps/record-reversal.ts).
    access: {
      table: ['dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:BatchWriteItem'],
      imports: { lists: true },
    },
    // Reads a file for up to 13 minutes a chunk (it stops 2 minutes before the timeout), in bounded memory.
    ...SCANNING,
    operations: importChunkRows,
  },
  importCollections: {
    entry: 'functions/handlers/import-collections.ts',
    // A collection file's chunk: the lease and run record (put, get); each payment through the
    // record-payment step, exactly as recordPayment's grants (ledger query, payment put, the case's
    // tasks on gsi2, closing updates, the confirmation email, SendTaskSuccess to a waiting task).
    access: {
      ...RECORDS_PAYMENTS,
      imports: { lists: false },
    },
    ...SCANNING,
    operations: importChunkRows,
  },
  statementRun: {
    entry: 'functions/handlers/statement-run.ts',
    // Parallel scan listing the units; per unit the statement claim (put, get on conflict), the ledger
    // (query), the claim's completion (update); the run record (put). The statement with its PDF by SendRawEmail.
    access: {
      table: ['dynamodb:Scan', 'dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
      sendsEmail: true,
      emailForms: ['raw'],
    },
    ...SCANNING,
    // It draws its PDFs with these fonts, carried in its bundle (never fetched).
    files: STATEMENT_FONTS,
    // A rerun invoked without segments reads them all, split as its state machine splits them.
    operations: (c) => ({ STATEMENT_RUN_SEGMENTS: String(c.statementRun.segments) }),
  },
} as const satisfies Record<string, FunctionSpec>;

export type FunctionKey = keyof typeof FUNCTIONS;
export const FUNCTION_KEYS = Object.keys(FUNCTIONS) as FunctionKey[];
/** The same record, typed by its interface (optional fields readable on every entry). */
export const FUNCTION_SPECS: Readonly<Record<FunctionKey, FunctionSpec>> = FUNCTIONS;

/** The environment the functions are given from the deployment configuration, all together (the local stack's one process). */
export function operationsEnvironment(config: DeploymentConfig): Record<string, string> {
  return Object.assign({}, ...FUNCTION_KEYS.map((k) => FUNCTION_SPECS[k].operations?.(config) ?? {})) as Record<string, string>;
}
