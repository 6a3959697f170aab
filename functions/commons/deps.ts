import type { SESClient } from '@aws-sdk/client-ses';
import type { SFNClient } from '@aws-sdk/client-sfn';
import type { ArrearsStore } from './store.ts';
import { DynamoArrearsStore } from './dynamo-store.ts';
import { clients } from './clients.ts';
import { config } from './config.ts';
import { clock } from './clock.ts';
import { localDate, type IsoDate } from '../core/dates.ts';
import { policyFor, type Policy } from '../core/policy.ts';

/** What a step needs from the outside world; handlers pass the AWS ones, tests their own. */
export interface Deps {
  store: ArrearsStore;
  ses: SESClient;
  sfn: SFNClient;
  stateMachineArn?: string | undefined;
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
      now: clock.now,
      policyFor: (date) => policyFor(date),
    };
  }
  return cached;
}

/** The office's calendar date now, but never before the cycle's as-of date. */
export function todayFor(deps: Deps, asOf: IsoDate): IsoDate {
  const today = localDate(deps.now(), deps.policyFor(asOf).timeZone);
  return today > asOf ? today : asOf;
}
