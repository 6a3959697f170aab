import type { SESClient } from '@aws-sdk/client-ses';
import type { SFNClient } from '@aws-sdk/client-sfn';
import type { ArrearsStore } from './store.ts';
import { DynamoArrearsStore } from './dynamo-store.ts';
import { FolderDocumentStore, S3DocumentStore, type DocumentStore } from './documents.ts';
import { clients } from './clients.ts';
import { config } from './config.ts';
import { clock } from './clock.ts';
import { DynamoReminderStore, type ReminderStore } from './reminder-store.ts';
import { FolderSmsSender, SnsSmsSender, type SmsSender } from './sms-sender.ts';
import { localDate, type IsoDate } from '../core/dates.ts';
import { policyFor, type Policy } from '../core/policy.ts';

/** What a step needs from the outside world; handlers pass the AWS ones, tests their own. */
export interface Deps {
  store: ArrearsStore;
  ses: SESClient;
  sfn: SFNClient;
  stateMachineArn?: string | undefined;
  /** The reports bucket (or the local folder); only the report functions are configured with one. */
  documents?: DocumentStore | undefined;
  /** Participants and households with their reminder cycles (the same table). */
  reminders?: ReminderStore | undefined;
  /** SMS: Amazon SNS in AWS, a folder locally. */
  sms?: SmsSender | undefined;
  now(): Date;
  policyFor(date: IsoDate): Policy;
}

let cached: Deps | undefined;

export function awsDeps(): Deps {
  if (!cached) {
    const env = config();
    cached = {
      store: new DynamoArrearsStore(clients.dynamo(), env.TABLE_NAME),
      ses: clients.ses(),
      sfn: clients.sfn(),
      stateMachineArn: env.STATE_MACHINE_ARN,
      documents: documentStore(env),
      reminders: new DynamoReminderStore(clients.dynamo(), env.TABLE_NAME),
      sms: env.SMS_OUTBOX_DIR ? new FolderSmsSender(env.SMS_OUTBOX_DIR, clock.now) : new SnsSmsSender(clients.sns()),
      now: clock.now,
      policyFor: (date) => policyFor(date),
    };
  }
  return cached;
}

function documentStore(env: ReturnType<typeof config>): DocumentStore | undefined {
  if (env.DOCUMENTS_BUCKET && env.DOCUMENTS_KEY_ARN) return new S3DocumentStore(clients.s3(), env.DOCUMENTS_BUCKET, env.DOCUMENTS_KEY_ARN);
  if (env.DOCUMENTS_DIR) return new FolderDocumentStore(env.DOCUMENTS_DIR);
  return undefined;
}

/** The document store of a report function: its absence is a deployment error, said at once. */
export function documentsOf(deps: Deps): DocumentStore {
  if (!deps.documents) throw new Error('No document store: set DOCUMENTS_BUCKET and DOCUMENTS_KEY_ARN (or DOCUMENTS_DIR locally)');
  return deps.documents;
}

/** The reminder store and the SMS sender of the reminder functions. */
export function remindersOf(deps: Deps): ReminderStore {
  if (!deps.reminders) throw new Error('No reminder store in the dependencies');
  return deps.reminders;
}

export function smsOf(deps: Deps): SmsSender {
  if (!deps.sms) throw new Error('No SMS sender in the dependencies');
  return deps.sms;
}

/** The office's calendar date now, but never before the cycle's as-of date. */
export function todayFor(deps: Deps, asOf: IsoDate): IsoDate {
  const today = localDate(deps.now(), deps.policyFor(asOf).timeZone);
  return today > asOf ? today : asOf;
}
