import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Choice, Condition, DefinitionBody, Fail, JitterType, LogLevel, Map, Pass, StateMachine, StateMachineType, Succeed, TaskInput } from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { MONTHLY_RUN_TIMEOUT_MS, type DeploymentConfig } from '../infra/deployment-config.ts';
import { MONTHLY_RUN_STATE as STATE } from './state-names.ts';

export interface MonthlyRunWorkflowProps {
  monthlyRun: IFunction;
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
    const complete = new Choice(this, STATE.complete, { stateName: STATE.complete })
      .when(Condition.booleanEquals('$.complete', true), new Succeed(this, STATE.done, { stateName: STATE.done }))
      .otherwise(new Fail(this, STATE.incomplete, {
        stateName: STATE.incomplete,
        error: 'MonthlyRunIncomplete',
        cause: 'Segments of the monthly run did not finish after their retries: the run summary (RUN#<cycle> / SUMMARY) names them; run the monthly run again for the cycle (what was started is not started twice).',
      }));
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      definitionBody: DefinitionBody.fromChainable(plan.next(each).next(summarize).next(complete)),
      stateMachineType: StateMachineType.STANDARD,
      // As long as the run's lease (the plan step holds it this long).
      timeout: Duration.millis(MONTHLY_RUN_TIMEOUT_MS),
      tracingEnabled: true,
      logs: {
        destination: new LogGroup(this, 'Logs', { retention: RetentionDays.ONE_YEAR, encryptionKey: props.logKey, removalPolicy: RemovalPolicy.RETAIN }),
        level: LogLevel.ALL,
        includeExecutionData: false,
      },
    });
  }
}
