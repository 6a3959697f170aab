import type { SESClient } from '@aws-sdk/client-ses';
import type { SFNClient } from '@aws-sdk/client-sfn';
import type { ArrearsStore, CaseStore, ClaimStore, ImportMarkStore, LedgerStore, OfficerStore, PlanStore, RunStore, TaskStore } from './store.ts';
import type { ReconciliationStore } from './reconciliation-store.ts';
import { DynamoArrearsStore } from './dynamo-store.ts';
import { FolderDocumentStore, FolderImportBucket, S3DocumentStore, S3ImportBucket, type DocumentStore, type ImportBucket } from './documents.ts';
import { clients } from './clients.ts';
import { config } from './config.ts';
import { clock, type Clock } from './clock.ts';
import { SesMailer, type Mailer } from './mailer.ts';
import { StepFunctionsWorkflow, type StartPacing, type Workflow } from './workflow.ts';
import { DynamoReminderStore, type ReminderStore } from './reminder-store.ts';
import { EndUserMessagingSmsSender, FolderSmsSender, type SmsSender } from './sms-sender.ts';
import { FolderZnsSender, noZns, SsmAccessToken, ZaloZnsSender, type ZnsSender } from './zns-sender.ts';
import { CognitoStaffDirectory, TableStaffDirectory, type StaffDirectory } from './staff-directory.ts';
import type { IsoDate } from '../core/dates.ts';
import { policyFor, type Policy } from '../core/policy.ts';
import type { OfficeSettings } from '../core/office.ts';
import { officeSettings } from './office.ts';
import { reportLink, taskLink } from '../core/inbox-links.ts';

/**
 * Every port a step may use. A step names the ones it uses (`Ports<'ledgers' | 'mailer'>`), so a
 * missing one is a compile error; handlers pass the AWS adapters, tests their own.
 */
export interface Deps {
  ledgers: LedgerStore;
  officers: OfficerStore;
  casework: CaseStore;
  tasks: TaskStore;
  claims: ClaimStore;
  runs: RunStore;
  plans: PlanStore;
  /** Rosters, tax data and the business register (reconciliation with tax data). */
  reconciliation: ReconciliationStore;
  /** Participants and households with their reminder cycles (the same table). */
  reminders: ReminderStore;
  /** The reports bucket (or the local folder). */
  documents: DocumentStore;
  /** The import bucket: the office's CSV files and their import reports (a folder locally). */
  imports: ImportBucket;
  /** Where imported items came from (file version and line). */
  importMarks: ImportMarkStore;
  workflow: Workflow;
  mailer: Mailer;
  /** SMS: AWS End User Messaging SMS, a folder (and its status log) locally. */
  sms: SmsSender;
  /** Zalo ZNS: Zalo's HTTP API with the OA's token from SSM, a folder locally. */
  zns: ZnsSender;
  /** Who may sign in: Cognito's user pool in AWS, the table's stand-in locally. */
  directory: StaffDirectory;
  clock: Clock;
  policyFor(date: IsoDate): Policy;
  /** This office's settings (config/offices/, functions/core/office.ts): its name, accounts, senders, phones. */
  office: OfficeSettings;
  /** Links into the staff inbox, for the emails that tell officers of their tasks. */
  inbox: InboxLinks;
}

/** Where the inbox opens a task (its base URL is the deployment's: INBOX_URL). */
export interface InboxLinks {
  taskUrl(taskId: string): string;
  /** The collection report of a date, for the managers' monthly email. */
  reportUrl(asOf: IsoDate): string;
}

/** The ports a step uses, by name. */
export type Ports<K extends keyof Deps> = Pick<Deps, K>;

/** Each store port from the one DynamoDB adapter. */
export function storePorts(store: ArrearsStore): Pick<Deps, 'ledgers' | 'officers' | 'casework' | 'tasks' | 'claims' | 'runs' | 'plans' | 'reconciliation' | 'importMarks'> {
  return { ledgers: store, officers: store, casework: store, tasks: store, claims: store, runs: store, plans: store, reconciliation: store, importMarks: store };
}

/** The adapters the ports are made of: the AWS ones in a function, dynalite and stand-ins locally and in tests. */
export interface Adapters {
  store: ArrearsStore;
  reminders?: ReminderStore | undefined;
  documents?: DocumentStore | undefined;
  imports?: ImportBucket | undefined;
  ses?: SESClient | undefined;
  sfn?: SFNClient | undefined;
  stateMachineArn?: string | undefined;
  /** How escalation starts are paced; by default the function's share of the quota (its environment). */
  startPacing?: StartPacing | undefined;
  sms?: SmsSender | undefined;
  zns?: ZnsSender | undefined;
  directory?: StaffDirectory | undefined;
  clock: Clock;
  /** Default: the function's OFFICE_SETTINGS (functions/commons/office.ts). */
  office?: OfficeSettings | undefined;
  /** The inbox's base URL (`…/inbox`); without it, a step that links to a task fails naming INBOX_URL. */
  inboxUrl?: string | undefined;
}

export function assembleDeps(a: Adapters): Deps {
  return {
    ...storePorts(a.store),
    reminders: a.reminders ?? missing('reminder store'),
    documents: a.documents ?? missing('document store: set DOCUMENTS_BUCKET and DOCUMENTS_KEY_ARN (or DOCUMENTS_DIR locally)'),
    imports: a.imports ?? missing('import bucket: set IMPORT_BUCKET and DOCUMENTS_KEY_ARN (or IMPORT_DIR locally)'),
    workflow: a.sfn ? new StepFunctionsWorkflow(a.sfn, a.stateMachineArn, a.startPacing) : missing('workflow'),
    mailer: a.ses ? new SesMailer(a.ses) : missing('mailer'),
    sms: a.sms ?? missing('SMS sender: set SMS_CONFIGURATION_SET (or SMS_OUTBOX_DIR locally)'),
    // An office without a Zalo Official Account (no ZNS_TOKEN_PARAMETER): every ZNS is refused, the reminders go by SMS.
    zns: a.zns ?? noZns,
    directory: a.directory ?? missing('staff directory: set USER_POOL_ID (or LOCAL_STAFF_DIRECTORY=table locally)'),
    clock: a.clock,
    policyFor: (date) => policyFor(date),
    office: a.office ?? officeSettings(),
    inbox: a.inboxUrl ? { taskUrl: (taskId) => taskLink(a.inboxUrl!, taskId), reportUrl: (asOf) => reportLink(a.inboxUrl!, asOf) } : missing('inbox URL: set INBOX_URL (the stack sets it from the staff API; locally npm start does)'),
  };
}

let cached: Deps | undefined;

export function awsDeps(): Deps {
  if (!cached) {
    const env = config();
    cached = assembleDeps({
      store: new DynamoArrearsStore(clients.dynamo(), env.TABLE_NAME),
      reminders: new DynamoReminderStore(clients.dynamo(), env.TABLE_NAME),
      documents: documentStore(env),
      imports: importBucket(env),
      ses: clients.ses(),
      sfn: clients.sfn(),
      stateMachineArn: env.STATE_MACHINE_ARN,
      sms: smsSender(env),
      zns: znsSender(env),
      directory: staffDirectory(env),
      clock,
      inboxUrl: env.INBOX_URL,
    });
  }
  return cached;
}

function smsSender(env: ReturnType<typeof config>): SmsSender | undefined {
  if (env.SMS_OUTBOX_DIR) return new FolderSmsSender(env.SMS_OUTBOX_DIR, clock.now, { eventsLog: env.LOCAL_SMS_EVENTS_LOG });
  if (env.SMS_CONFIGURATION_SET) return new EndUserMessagingSmsSender(clients.smsVoice(), env.SMS_CONFIGURATION_SET);
  return undefined;
}

function znsSender(env: ReturnType<typeof config>): ZnsSender | undefined {
  if (env.ZNS_OUTBOX_DIR) return new FolderZnsSender(env.ZNS_OUTBOX_DIR, clock.now, { eventsLog: env.LOCAL_ZNS_EVENTS_LOG, appId: env.ZNS_APP_ID });
  if (env.ZNS_TOKEN_PARAMETER) return new ZaloZnsSender(new SsmAccessToken(env.ZNS_TOKEN_PARAMETER));
  return undefined;
}

function documentStore(env: ReturnType<typeof config>): DocumentStore | undefined {
  if (env.DOCUMENTS_BUCKET && env.DOCUMENTS_KEY_ARN) return new S3DocumentStore(clients.s3(), env.DOCUMENTS_BUCKET, env.DOCUMENTS_KEY_ARN);
  if (env.DOCUMENTS_DIR) return new FolderDocumentStore(env.DOCUMENTS_DIR);
  return undefined;
}

function staffDirectory(env: ReturnType<typeof config>): StaffDirectory | undefined {
  if (env.USER_POOL_ID) return new CognitoStaffDirectory(clients.cognito, env.USER_POOL_ID);
  if (env.LOCAL_STAFF_DIRECTORY === 'table') return new TableStaffDirectory(clients.dynamo(), env.TABLE_NAME, env.STAFF_INVITATIONS_DIR);
  return undefined;
}

function importBucket(env: ReturnType<typeof config>): ImportBucket | undefined {
  if (env.IMPORT_BUCKET && env.DOCUMENTS_KEY_ARN) return new S3ImportBucket(clients.s3(), env.IMPORT_BUCKET, env.DOCUMENTS_KEY_ARN);
  if (env.IMPORT_DIR) return new FolderImportBucket(env.IMPORT_DIR);
  return undefined;
}

/** A port this function was not configured with: its first use says which (a deployment error). */
function missing<T extends object>(what: string): T {
  return new Proxy({} as T, { get: () => () => { throw new Error(`No ${what}`); } });
}

/** The office's calendar date now, but never before the cycle's as-of date. */
export function todayFor(deps: Ports<'clock'>, asOf: IsoDate): IsoDate {
  const today = deps.clock.today();
  return today > asOf ? today : asOf;
}
