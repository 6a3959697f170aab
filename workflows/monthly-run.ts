import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Choice, Condition, DefinitionBody, Fail, JitterType, LogLevel, Map, Pass, StateMachine, StateMachineType, Succeed, TaskInput } from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { MONTHLY_RUN_TIMEOUT_MS, type DeploymentConfig } from '../infra/deployment-config.ts';
import type { Policy } from '../functions/core/policy.ts';
import { MONTHLY_RUN_STATE as STATE } from './state-names.ts';
import { backoffWaits, catchUpChain } from './catch-up.ts';

/** The kinds the monthly run sends (through the escalations it starts): its catch-up sends these again. */
export const MONTHLY_RUN_KINDS = ['urging'] as const;

export interface MonthlyRunWorkflowProps {
  monthlyRun: IFunction;
  /** Sends again the run's urging notices the provider failed or a dead worker left (the redrive function). */
  redriveRun: IFunction;
  /** The catch-up's waits before each redrive, in seconds (`noticeCatchUpWaits` of the policy). */
  catchUpWaits: readonly number[];
  /** Segments and how many at once (the deployment configuration's `monthlyRun`). */
  fanOut: DeploymentConfig['monthlyRun'];
  logKey: IKey;
}

/**
 * The monthly run at national volume, as the statement run fans out: a plan step fixes the run date
 * and the split and takes the run's lease; a Map runs the monthly-run function once per scan segment
 * (`{ segments: [i], totalSegments: n, asOf }`), a few at once, each classifying its units and
 * starting their escalations at its share of the StartExecution quota; a summary step adds the
 * parts up. A segment that fails or times out is tried again (escalations it started are found by
 * name and not started twice); one whose retries are exhausted is caught, named in the summary, and
 * the execution ends failed (after the summary is recorded) so the alarm sees it.
 *
 * A complete run then catches up its urging notices (workflows/catch-up.ts): the redrive of the
 * urging kind, after the claims' takeover age and then with backoff, as long as a notice is still
 * due, until the day after the notices' deadline (the policy's, the 10th): a notice still due past
 * it fails the execution (NoticesPastDeadline), which the run's alarm sees.
 */
export class MonthlyRunWorkflow extends Construct {
  readonly stateMachine: StateMachine;

  constructor(scope: Construct, id: string, props: MonthlyRunWorkflowProps) {
    super(scope, id);
    const { segments, concurrency } = props.fanOut;
    const plan = new LambdaInvoke(this, STATE.planRun, {
      stateName: STATE.planRun,
      lambdaFunction: props.monthlyRun,
      // The schedule's input is {}; a rerun's names its date.
      payload: TaskInput.fromObject({ phase: 'plan', 'input.$': '$', 'runId.$': '$$.Execution.Id' }),
      payloadResponseOnly: true,
    });
    // A second execution finds the run's lease held: it stops at once, never retried.
    plan.addRetry({ errors: ['RunInProgress'], maxAttempts: 0 });
    plan.addRetry({ errors: ['States.ALL'], interval: Duration.seconds(20), backoffRate: 2, maxAttempts: 2 });
    const classify = new LambdaInvoke(this, STATE.classifySegment, {
      stateName: STATE.classifySegment,
      lambdaFunction: props.monthlyRun,
      payloadResponseOnly: true,
    });
    classify.addRetry({ errors: ['RunInProgress'], maxAttempts: 0 });
    // A crash, Lambda's timeout, or throttling past the function's own backoff: the segment runs
    // again; what it started is found by name (ExecutionAlreadyExists), nothing twice.
    classify.addRetry({ errors: ['States.ALL'], interval: Duration.seconds(30), backoffRate: 2, maxAttempts: 2, jitterStrategy: JitterType.FULL });
    const unfinished = new Pass(this, STATE.segmentUnfinished, {
      stateName: STATE.segmentUnfinished,
      parameters: { unfinished: { 'segments.$': '$.segments', 'error.$': '$.failure.Error' } },
    });
    classify.addCatch(unfinished, { errors: ['States.ALL'], resultPath: '$.failure' });
    const each = new Map(this, STATE.eachSegment, {
      stateName: STATE.eachSegment,
      itemsPath: '$.segments',
      maxConcurrency: concurrency,
      // The execution names the run: each segment's lease is held by it (run-lease.ts).
      itemSelector: { 'segments.$': 'States.Array($$.Map.Item.Value)', 'totalSegments.$': '$.totalSegments', 'asOf.$': '$.asOf', 'runId.$': '$$.Execution.Id' },
      resultPath: '$.parts',
    });
    each.itemProcessor(classify);
    const summarize = new LambdaInvoke(this, STATE.summarize, {
      stateName: STATE.summarize,
      lambdaFunction: props.monthlyRun,
      payload: TaskInput.fromObject({ phase: 'summary', 'asOf.$': '$.asOf', 'totalSegments.$': '$.totalSegments', 'parts.$': '$.parts', 'runId.$': '$$.Execution.Id' }),
      payloadResponseOnly: true,
    });
    summarize.addRetry({ errors: ['States.ALL'], interval: Duration.seconds(20), backoffRate: 2, maxAttempts: 3 });
    // The run's notices go out from the escalations it started, within minutes; the first redrive
    // comes after the takeover age, the next ones further apart, the last after the deadline.
    const catchUp = catchUpChain(this, {
      names: STATE,
      redriveRun: props.redriveRun,
      payload: { kinds: MONTHLY_RUN_KINDS },
      waits: { backoff: props.catchUpWaits },
      pastDeadline: {
        error: 'NoticesPastDeadline',
        cause: 'Urging notices of the run are still not sent past their deadline (the policy\'s delivery.urging.deadlineDayOfMonth): the redrive run record (RUN#<date> / REDRIVE#<startedAt>) counts them; correct the record or the address, or wait out the provider, and run the redrive.',
      },
      next: new Succeed(this, STATE.done, { stateName: STATE.done }),
    });
    // An incomplete run fails at once (its alarm); its rerun catches up, as the daily redrive does meanwhile.
    const complete = new Choice(this, STATE.complete, { stateName: STATE.complete })
      .when(Condition.booleanEquals('$.complete', true), catchUp)
      .otherwise(new Fail(this, STATE.incomplete, {
        stateName: STATE.incomplete,
        error: 'MonthlyRunIncomplete',
        cause: 'Segments of the monthly run did not finish after their retries: the run summary (RUN#<cycle> / SUMMARY) names them; run the monthly run again for the cycle (what was started is not started twice).',
      }));
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      definitionBody: DefinitionBody.fromChainable(plan.next(each).next(summarize).next(complete)),
      stateMachineType: StateMachineType.STANDARD,
      // As long as the run's lease (the plan step holds it this long; the summary releases it), then the
      // catch-up's waits and a day for its redrives.
      timeout: Duration.millis(MONTHLY_RUN_TIMEOUT_MS).plus(Duration.seconds(props.catchUpWaits.reduce((n, s) => n + s, 0))).plus(Duration.days(1)),
      tracingEnabled: true,
      logs: {
        destination: new LogGroup(this, 'Logs', { retention: RetentionDays.ONE_YEAR, encryptionKey: props.logKey, removalPolicy: RemovalPolicy.RETAIN }),
        level: LogLevel.ALL,
        includeExecutionData: false,
      },
    });
  }
}

/**
 * The monthly run's catch-up waits from the policy: the claims' takeover age and a minute first (a
 * claim a dead worker left is stale by then), doubling, at most a day apart, until they span the
 * days from the monthly run's day to the day after the urging notices' deadline, so the last
 * redrive comes after it and a notice still due then raises.
 */
export function noticeCatchUpWaits(policy: Policy): number[] {
  const deadline = policy.delivery.urging.deadlineDayOfMonth;
  const days = deadline === undefined ? 0 : Math.max(0, deadline + 1 - policy.monthlyRun.dayOfMonth);
  return backoffWaits({ first: (policy.notice.claimStaleAfterMinutes + 1) * 60, rate: 2, longest: 24 * 3600, span: days * 24 * 3600 });
}
