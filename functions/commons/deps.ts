import type { SESClient } from '@aws-sdk/client-ses';
import type { SFNClient } from '@aws-sdk/client-sfn';
import type { ArrearsStore, CaseStore, ClaimStore, LedgerStore, OfficerStore, PlanStore, RunStore, TaskStore } from './store.ts';
import { DynamoArrearsStore } from './dynamo-store.ts';
import { FolderDocumentStore, S3DocumentStore, type DocumentStore } from './documents.ts';
import { clients } from './clients.ts';
import { config } from './config.ts';
import { clock, type Clock } from './clock.ts';
import { SesMailer, type Mailer } from './mailer.ts';
import { StepFunctionsWorkflow, type StartPacing, type Workflow } from './workflow.ts';
import { DynamoReminderStore, type ReminderStore } from './reminder-store.ts';
import { FolderSmsSender, SnsSmsSender, type SmsSender } from './sms-sender.ts';
import type { IsoDate } from '../core/dates.ts';
import { policyFor, type Policy } from '../core/policy.ts';

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
  /** Participants and households with their reminder cycles (the same table). */
  reminders: ReminderStore;
  /** The reports bucket (or the local folder). */
  documents: DocumentStore;
  workflow: Workflow;
  mailer: Mailer;
  /** SMS: Amazon SNS in AWS, a folder locally. */
  sms: SmsSender;
  clock: Clock;
  policyFor(date: IsoDate): Policy;
}

/** The ports a step uses, by name. */
export type Ports<K extends keyof Deps> = Pick<Deps, K>;

/** Each store port from the one DynamoDB adapter. */
export function storePorts(store: ArrearsStore): Pick<Deps, 'ledgers' | 'officers' | 'casework' | 'tasks' | 'claims' | 'runs' | 'plans'> {
  return { ledgers: store, officers: store, casework: store, tasks: store, claims: store, runs: store, plans: store };
}

/** The adapters the ports are made of: the AWS ones in a function, dynalite and stand-ins locally and in tests. */
export interface Adapters {
  store: ArrearsStore;
  reminders?: ReminderStore | undefined;
  documents?: DocumentStore | undefined;
  ses?: SESClient | undefined;
  sfn?: SFNClient | undefined;
  stateMachineArn?: string | undefined;
  /** How escalation starts are paced; by default the function's share of the quota (its environment). */
  startPacing?: StartPacing | undefined;
  sms?: SmsSender | undefined;
  clock: Clock;
}

export function assembleDeps(a: Adapters): Deps {
  return {
    ...storePorts(a.store),
    reminders: a.reminders ?? missing('reminder store'),
    documents: a.documents ?? missing('document store: set DOCUMENTS_BUCKET and DOCUMENTS_KEY_ARN (or DOCUMENTS_DIR locally)'),
    workflow: a.sfn ? new StepFunctionsWorkflow(a.sfn, a.stateMachineArn, a.startPacing) : missing('workflow'),
    mailer: a.ses ? new SesMailer(a.ses) : missing('mailer'),
    sms: a.sms ?? missing('SMS sender'),
    clock: a.clock,
    policyFor: (date) => policyFor(date),
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
      ses: clients.ses(),
      sfn: clients.sfn(),
      stateMachineArn: env.STATE_MACHINE_ARN,
      sms: env.SMS_OUTBOX_DIR ? new FolderSmsSender(env.SMS_OUTBOX_DIR, clock.now) : new SnsSmsSender(clients.sns()),
      clock,
    });
  }
  return cached;
}

function documentStore(env: ReturnType<typeof config>): DocumentStore | undefined {
  if (env.DOCUMENTS_BUCKET && env.DOCUMENTS_KEY_ARN) return new S3DocumentStore(clients.s3(), env.DOCUMENTS_BUCKET, env.DOCUMENTS_KEY_ARN);
  if (env.DOCUMENTS_DIR) return new FolderDocumentStore(env.DOCUMENTS_DIR);
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
