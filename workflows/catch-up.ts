import { Duration } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Chain, Choice, Condition, Fail, Pass, Result, TaskInput, Wait, WaitTime, type IChainable } from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';

/** The states of one catch-up chain, by their names in workflows/state-names.ts. */
export interface CatchUpStateNames {
  startCatchUp: string;
  waitBeforeRedrive: string;
  redrive: string;
  countCatchUp: string;
  anythingStillDue: string;
  /** The Fail state a redrive finding messages past their deadline ends in (with `pastDeadline`). */
  pastDeadline?: string;
}

export interface CatchUpProps {
  names: CatchUpStateNames;
  /** The redrive function (functions/steps/redrive-run.ts). */
  redriveRun: IFunction;
  /** The redrive's input: `{}` sends again every kind it knows; `{ kinds }` only those. */
  payload?: Record<string, unknown>;
  /**
   * The wait before each attempt, in seconds: one number, every attempt alike (as many as
   * `attempts`); a list, the backoff, one wait per attempt (its length is the attempts).
   */
  waits: { seconds: number; attempts: number } | { backoff: readonly number[] };
  /**
   * When set, a redrive that finds messages still due past their kind's deadline (its
   * `pastDeadline`) ends the execution failed: the run's alarm sees it.
   */
  pastDeadline?: { error: string; cause: string };
  /** What follows once nothing is still due, or the attempts are spent (what is left goes to the daily redrive). */
  next: IChainable;
}

/**
 * The catch-up after a run's segments: the redrive (what the segments left unsent: failed at the
 * provider, or a stale claim a dead worker left), each attempt after a wait (the claims' takeover
 * age at least, so a claim left by a dead worker is stale by then and an outage has time to pass),
 * again as long as anything is still due and attempts are left. With `pastDeadline`, messages still
 * due past their kind's deadline (the policy's; notices: the 10th) raise: the execution fails.
 */
export function catchUpChain(scope: Construct, props: CatchUpProps): Chain {
  const { names } = props;
  const backoff = 'backoff' in props.waits ? [...props.waits.backoff] : undefined;
  const attempts = backoff ? backoff.length : (props.waits as { attempts: number }).attempts;
  if (backoff && (backoff.length === 0 || backoff.some((s) => !Number.isInteger(s) || s < 0))) throw new Error(`${names.startCatchUp}: the backoff is a non-empty list of whole seconds`);
  // With a backoff, the wait before the next attempt is carried with the count (the first's, then each next one's).
  const firstAttempt = new Pass(scope, names.startCatchUp, {
    stateName: names.startCatchUp,
    result: Result.fromObject(backoff ? { attempts: 0, seconds: backoff[0], next: [...backoff.slice(1), backoff.at(-1)] } : { attempts: 0 }),
    resultPath: '$.catchUp',
  });
  const wait = new Wait(scope, names.waitBeforeRedrive, {
    stateName: names.waitBeforeRedrive,
    time: backoff ? WaitTime.secondsPath('$.catchUp.seconds') : WaitTime.duration(Duration.seconds((props.waits as { seconds: number }).seconds)),
  });
  const redrive = new LambdaInvoke(scope, names.redrive, {
    stateName: names.redrive,
    lambdaFunction: props.redriveRun,
    payload: TaskInput.fromObject(props.payload ?? {}),
    payloadResponseOnly: true,
    resultSelector: props.pastDeadline ? { 'stillDue.$': '$.stillDue', 'pastDeadline.$': '$.pastDeadline' } : { 'stillDue.$': '$.stillDue' },
    resultPath: '$.redrive',
  });
  redrive.addRetry({ errors: ['States.ALL'], interval: Duration.minutes(1), backoffRate: 2, maxAttempts: 2 });
  const count = new Pass(scope, names.countCatchUp, {
    stateName: names.countCatchUp,
    // `next` holds the waits after the first; index n is the wait before attempt n + 2 (the last repeated: never out of range).
    parameters: backoff
      ? { 'attempts.$': 'States.MathAdd($.catchUp.attempts, 1)', 'seconds.$': 'States.ArrayGetItem($.catchUp.next, $.catchUp.attempts)', 'next.$': '$.catchUp.next' }
      : { 'attempts.$': 'States.MathAdd($.catchUp.attempts, 1)' },
    resultPath: '$.catchUp',
  });
  // Nothing still due, or the attempts spent (what is left goes to the daily redrive, then the alarm).
  const again = new Choice(scope, names.anythingStillDue, { stateName: names.anythingStillDue });
  if (props.pastDeadline) {
    if (!names.pastDeadline) throw new Error(`${names.startCatchUp}: pastDeadline needs the name of its Fail state`);
    again.when(Condition.numberGreaterThan('$.redrive.pastDeadline', 0), new Fail(scope, names.pastDeadline, { stateName: names.pastDeadline, ...props.pastDeadline }));
  }
  again
    .when(Condition.and(Condition.numberGreaterThan('$.redrive.stillDue', 0), Condition.numberLessThan('$.catchUp.attempts', attempts)), wait)
    .otherwise(props.next);
  return Chain.start(firstAttempt).next(wait).next(redrive).next(count).next(again);
}

/**
 * A backoff of waits for `catchUpChain`: `first` seconds, then each `rate` times the one before,
 * none longer than `longest`, until together they reach `span` seconds (the last attempt is then
 * at least that long after the first wait began).
 */
export function backoffWaits(options: { first: number; rate: number; longest: number; span: number }): number[] {
  const { first, rate, longest, span } = options;
  if (first <= 0 || rate < 1 || longest < first) throw new Error('backoffWaits: first > 0, rate >= 1, longest >= first');
  const waits: number[] = [];
  let total = 0;
  for (let next = first; total < span; next = Math.min(longest, Math.round(next * rate))) {
    waits.push(next);
    total += next;
  }
  return waits.length > 0 ? waits : [first];
}
