import './polyfills.ts';
import './quiet.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createTable, startDynalite, LOCAL_CREDENTIALS, LOCAL_REGION, type EmbeddedDynamo } from './dynalite.ts';
import { externalSes, startLocalSes, type LocalSes } from './ses.ts';
import { sesEventPublisher } from './ses-events.ts';
import { clock } from '../../functions/commons/clock.ts';
import { smsEventPublisher } from './sms-events.ts';
import { znsEventPublisher } from './zns-events.ts';
import { LOCAL_ZNS_APP_ID, settlePendingZns } from '../../functions/commons/zns-sender.ts';
import { LocalStepFunctions, compressLongRetries, compressTaskTimeouts, type LocalExecution, type LocalTaskHandler } from './step-functions.ts';
import { loadLocalLambdas, type FunctionKey, type LocalLambda } from './lambda.ts';
import { DynamoArrearsStore } from '../../functions/commons/dynamo-store.ts';
import { DynamoReminderStore } from '../../functions/commons/reminder-store.ts';
import { settlePendingSms } from '../../functions/commons/sms-sender.ts';
import { TASK_STATE_FUNCTION } from '../../workflows/state-names.ts';
import { loadEscalationDefinition } from '../../infra/definition.ts';
import { deploymentConfig } from '../../infra/deployment-config.ts';
import { operationsEnvironment } from '../../infra/registry/functions.ts';
import { loadOffice, officeEnvironment } from '../../infra/office-config.ts';

export interface LocalStackOptions {
  /** Keep the table on disk here (a run can be resumed); in memory when absent. */
  storePath?: string | undefined;
  /** Time compression: a task unanswered this many seconds is past its due date. */
  taskTimeoutSeconds: number;
  /** Called after an officer's task has been opened (its handler ran), for the simulation. */
  onTaskOpened?(payload: { unitCode: string; cycle: string; assignment: { taskId: string; officerId: string; taskType: string; escalated: boolean } }): void;
  onExecutionEnd?(execution: LocalExecution): void;
  /** The folder standing in for the reports bucket (quarterly/…, disclosure/…); a temporary one by default. */
  documentsDir?: string | undefined;
  /** The folder standing in for the import bucket (imports/<batch>/…, reports/…); a temporary one by default. */
  importsDir?: string | undefined;
  /** Where SMS go (there is no local End User Messaging SMS): one .sms.txt per message, a folder per day; a temporary one by default. */
  smsOutboxDir?: string | undefined;
  /** Where Zalo ZNS messages go (the local stand-in of Zalo's API): one .zns.json per message, a folder per day; a temporary one by default. */
  znsOutboxDir?: string | undefined;
  /**
   * Phones the ZNS stand-in refuses as having no Zalo account (their reminders go by SMS): given to it
   * as LOCAL_ZNS_NO_ZALO; npm start passes the sample's list (local/zns-no-zalo.ts). Absent: the
   * variable as it is.
   */
  znsNoZalo?: readonly string[] | undefined;
  /** Where the staff directory's stand-in writes the invitations Cognito would email; a temporary folder by default. */
  staffInvitationsDir?: string | undefined;
  /** Replace a Task state's handler (tests inject failures this way). */
  overrideTasks?: Record<string, LocalTaskHandler>;
  /** The office's settings: a name in config/offices/ or a path to a .json file (default: sample). */
  office?: string | undefined;
  /** The inbox's base URL the officers' emails link to (the local inbox server's); http://127.0.0.1:8080/inbox by default. */
  inboxUrl?: string | undefined;
  /** The local Step Functions' StartExecution quota; the deployment configuration's (AWS's) by default, `null` for none. */
  startQuota?: { bucket: number; perSecond: number } | null;
}

export interface LocalStack {
  tableName: string;
  /** Where the report functions write what they would put in S3. */
  documentsDir: string;
  /** The import bucket's stand-in: upload under imports/<batch>/ and run the import machine (import-run.ts). */
  importsDir: string;
  dynamo: EmbeddedDynamo;
  store: DynamoArrearsStore;
  reminders: DynamoReminderStore;
  smsOutboxDir: string;
  /** The SMS stand-in's status log (LOCAL_SMS_EVENTS_LOG): in the store's folder with `storePath`, else in the documents (out) folder. */
  smsEventsLog: string;
  /** The ZNS stand-in's log of the webhook events Zalo would post (LOCAL_ZNS_EVENTS_LOG), kept like smsEventsLog. */
  znsEventsLog: string;
  ses: LocalSes;
  sfn: LocalStepFunctions;
  lambdas: Record<FunctionKey, LocalLambda>;
  /** Delivers the SES stand-in's send events recorded since the last call to the email-feedback function. */
  publishSesEvents(): Promise<number>;
  /** Delivers the SMS stand-in's events logged since the last call to the sms-feedback function. */
  publishSmsEvents(): Promise<number>;
  /** Posts the ZNS stand-in's webhook events logged since the last call to the zns-feedback function. */
  publishZnsEvents(): Promise<number>;
  /** Time compression from now on: tasks opened by executions started after this wait this long. */
  setTaskTimeoutSeconds(seconds: number): void;
  close(): Promise<void>;
}

export const LOCAL_TABLE = 'arrears-follow-up';
/** The OA secret key the local Zalo stand-in signs its webhook calls with (in AWS: an SSM SecureString). */
const LOCAL_ZNS_WEBHOOK_SECRET = 'local-zalo-oa-secret-key';
/** The local inbox server's address on its default port (local/start.ts SERVE_PORT). */
export const LOCAL_INBOX_URL = 'http://127.0.0.1:8080/inbox';

/**
 * The whole product on this machine: dynalite for DynamoDB, the SES stand-in, and Step Functions
 * running the definition `cdk synth` produces, each Task state mapped to the same handler code
 * the Lambda functions run. Handlers reach them through the SDK's endpoint settings.
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const startQuota = options.startQuota === null ? undefined : (options.startQuota ?? deploymentConfig().stepFunctions.startExecution);
  const dynamo = await startDynalite({ path: options.storePath });
  await createTable(dynamo.client, LOCAL_TABLE);
  // LOCAL_SES_ENDPOINT: an SES stand-in in another process (the fault harness's), instead of the in-process one.
  const ses = process.env.LOCAL_SES_ENDPOINT ? externalSes(process.env.LOCAL_SES_ENDPOINT) : await startLocalSes();
  const documentsDir = options.documentsDir ? resolve(options.documentsDir) : mkdtempSync(join(tmpdir(), 'arrears-documents-'));
  const importsDir = options.importsDir ? resolve(options.importsDir) : mkdtempSync(join(tmpdir(), 'arrears-imports-'));
  const smsOutboxDir = options.smsOutboxDir ? resolve(options.smsOutboxDir) : mkdtempSync(join(tmpdir(), 'arrears-sms-'));
  const znsOutboxDir = options.znsOutboxDir ? resolve(options.znsOutboxDir) : mkdtempSync(join(tmpdir(), 'arrears-zns-'));
  // The provider's record of what it accepted lives as long as the claims it settles: beside the
  // table on disk (npm start deletes the outbox at start), or in the out folder for a table in
  // memory, started afresh with it.
  const smsEventsLog = options.storePath ? join(resolve(options.storePath), 'sms-events.jsonl') : join(documentsDir, 'sms-events.jsonl');
  if (!options.storePath) rmSync(smsEventsLog, { force: true });
  // Zalo's record of the ZNS it took (the webhook's events), kept the same way.
  const znsEventsLog = options.storePath ? join(resolve(options.storePath), 'zns-events.jsonl') : join(documentsDir, 'zns-events.jsonl');
  if (!options.storePath) rmSync(znsEventsLog, { force: true });
  Object.assign(process.env, {
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_ENDPOINT_URL_SES: ses.endpoint,
    TABLE_NAME: LOCAL_TABLE,
    // There is no local S3: the report functions write to a folder (functions/commons/documents.ts).
    DOCUMENTS_DIR: documentsDir,
    // Nor a local import bucket: a folder (functions/commons/documents.ts FolderImportBucket).
    IMPORT_DIR: importsDir,
    // There is no local End User Messaging SMS: SMS are written to a folder, their events to a log (functions/commons/sms-sender.ts).
    SMS_OUTBOX_DIR: smsOutboxDir,
    LOCAL_SMS_EVENTS_LOG: smsEventsLog,
    // Nor Zalo: ZNS messages are written to a folder (functions/commons/zns-sender.ts; LOCAL_ZNS_NO_ZALO lists phones it refuses).
    ZNS_OUTBOX_DIR: znsOutboxDir,
    // Its webhook events are logged and posted, signed, to the zns-feedback function (local/embedded/zns-events.ts).
    LOCAL_ZNS_EVENTS_LOG: znsEventsLog,
    ZNS_APP_ID: LOCAL_ZNS_APP_ID,
    LOCAL_ZNS_WEBHOOK_SECRET: LOCAL_ZNS_WEBHOOK_SECRET,
    ...(options.znsNoZalo ? { LOCAL_ZNS_NO_ZALO: options.znsNoZalo.join(',') } : {}),
    // There is no local Cognito: the staff directory is kept in the table (functions/commons/staff-directory.ts).
    LOCAL_STAFF_DIRECTORY: 'table',
    STAFF_INVITATIONS_DIR: options.staffInvitationsDir ? resolve(options.staffInvitationsDir) : mkdtempSync(join(tmpdir(), 'arrears-invitations-')),
    // What the stack gives each function from the deployment configuration (scan segments): one process here, so all of it.
    ...operationsEnvironment(deploymentConfig()),
    // Where officers' emails link to: the local inbox server (npm start -- --serve), as the stack gives the staff API's URL.
    INBOX_URL: options.inboxUrl ?? LOCAL_INBOX_URL,
    // What the stack gives every function of the office's settings: the same file, the same variable.
    ...officeEnvironment(loadOffice(options.office)),
    // Every segment runs in this one process and shares one bucket: the whole account's quota is its share.
    START_EXECUTION_BUCKET: String(startQuota?.bucket ?? deploymentConfig().stepFunctions.startExecution.bucket),
    START_EXECUTION_PER_SECOND: String(startQuota?.perSecond ?? deploymentConfig().stepFunctions.startExecution.perSecond),
  });
  process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';

  const lambdas = await loadLocalLambdas();
  const taskHandlers: Record<string, LocalTaskHandler> = {};
  let sfn: LocalStepFunctions | undefined;
  for (const [state, key] of Object.entries(TASK_STATE_FUNCTION)) {
    taskHandlers[state] = (input) => lambdas[key](input);
  }
  const openTask = async (payload: unknown) => {
    await lambdas.openTask(payload);
    options.onTaskOpened?.(payload as never);
  };
  const synthesized = await loadEscalationDefinition();
  const definition = compressTaskTimeouts(synthesized, options.taskTimeoutSeconds);
  // Every `.waitForTaskToken` state opens its task with the real handler, then waits on the registry.
  for (const [name, state] of Object.entries(definition.States as Record<string, { Resource?: string }>)) {
    if (state.Resource?.endsWith('.waitForTaskToken')) taskHandlers[name] = (input) => sfn!.callbackHandler(openTask)(input);
  }
  // A retry that waits out the takeover age does not hold the run: the clock jumps over its wait.
  const retries = compressLongRetries(definition, (seconds) => clock.setNow(new Date(clock.now().getTime() + seconds * 1000)));
  const handlers = { ...taskHandlers, ...options.overrideTasks };
  sfn = new LocalStepFunctions({
    definition,
    taskHandlers: Object.fromEntries(Object.entries(handlers).map(([name, h]) => [name, retries.wrap(name, h)])),
    retryIntervalOverrides: retries.retryIntervalOverrides,
    onExecutionEnd: options.onExecutionEnd,
    startQuota,
  });
  process.env.AWS_ENDPOINT_URL_SFN = await sfn.listen();
  process.env.STATE_MACHINE_ARN = sfn.stateMachineArn;

  // SES's configuration-set events, as the stand-in recorded them (the fault harness's wire stand-in).
  const publishSesEvents = sesEventPublisher(process.env.LOCAL_SES_EVENTS_LOG, lambdas.emailFeedback);
  await publishSesEvents();
  // The SMS configuration set's events, from the stand-in's log (looked up on each call: the lambdas may be wrapped).
  const publishSmsEvents = smsEventPublisher(smsEventsLog, (event) => lambdas.smsFeedback(event));
  // What a killed run left half-sent is settled first, on the provider's record (functions/commons/sms-sender.ts).
  settlePendingSms(smsOutboxDir, smsEventsLog);
  await publishSmsEvents();
  // The same for ZNS, from the webhook's events (functions/commons/zns-sender.ts).
  const publishZnsEvents = znsEventPublisher(znsEventsLog, LOCAL_ZNS_APP_ID, LOCAL_ZNS_WEBHOOK_SECRET, (event) => lambdas.znsFeedback(event));
  settlePendingZns(znsOutboxDir, znsEventsLog);
  await publishZnsEvents();

  return {
    publishSesEvents,
    publishSmsEvents,
    publishZnsEvents,
    tableName: LOCAL_TABLE,
    documentsDir,
    importsDir,
    dynamo,
    store: new DynamoArrearsStore(dynamo.doc, LOCAL_TABLE),
    reminders: new DynamoReminderStore(dynamo.doc, LOCAL_TABLE),
    smsOutboxDir,
    smsEventsLog,
    znsEventsLog,
    ses,
    sfn,
    lambdas,
    setTaskTimeoutSeconds: (seconds) => sfn!.useDefinition(compressTaskTimeouts(synthesized, seconds)),
    close: async () => {
      await sfn!.close();
      await ses.close();
      await dynamo.close();
    },
  };
}
