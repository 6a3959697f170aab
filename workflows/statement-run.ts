import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { DefinitionBody, JsonPath, LogLevel, Map, Pass, Result, StateMachine, StateMachineType, Succeed } from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import type { DeploymentConfig } from '../infra/deployment-config.ts';
import { STATEMENT_RUN_STATE as STATE } from './state-names.ts';
import { catchUpChain } from './catch-up.ts';

export interface StatementRunWorkflowProps {
  statementRun: IFunction;
  /** Sends again what the segments left unsent (the redrive function). */
  redriveRun: IFunction;
  /**
   * The catch-up after the segments: each attempt waits this long first (the claims' takeover age,
   * so a claim a dead segment left is stale by then, and a provider outage has time to pass).
   */
  catchUp: { waitSeconds: number; attempts: number };
  /** Segments and how many at once (the deployment configuration's `statementRun`). */
  fanOut: DeploymentConfig['statementRun'];
  logKey: IKey;
}

/**
 * The statement run at national volume: one invocation of the statement function per scan segment
 * (`{ segments: [i], totalSegments: n }`), a few at once. A segment that fails or times out is
 * tried again; its claims make the retry send only what is still unsent. Then the catch-up: the
 * redrive, after a wait, as long as something is still due, a few times (the daily redrive goes on
 * until the deadline).
 */
export class StatementRunWorkflow extends Construct {
  readonly stateMachine: StateMachine;

  constructor(scope: Construct, id: string, props: StatementRunWorkflowProps) {
    super(scope, id);
    const { segments, concurrency } = props.fanOut;
    const plan = new Pass(this, STATE.planSegments, {
      stateName: STATE.planSegments,
      result: Result.fromObject({ segments: Array.from({ length: segments }, (_, i) => i) }),
    });
    const send = new LambdaInvoke(this, STATE.sendSegment, {
      stateName: STATE.sendSegment,
      lambdaFunction: props.statementRun,
      payloadResponseOnly: true,
      resultPath: JsonPath.DISCARD,
    });
    // A second execution (the schedule delivered twice) finds the segment's lease held: it stops, never retried.
    send.addRetry({ errors: ['RunInProgress'], maxAttempts: 0 });
    // A crash or Lambda's timeout mid-segment: the rerun resumes (sent statements are claimed; the
    // segment's lease is the execution's, so its retry takes it again).
    send.addRetry({ errors: ['States.ALL'], interval: Duration.minutes(1), backoffRate: 2, maxAttempts: 2 });
    const each = new Map(this, STATE.eachSegment, {
      stateName: STATE.eachSegment,
      itemsPath: '$.segments',
      maxConcurrency: concurrency,
      // The execution names the run: each segment's lease is held by it (run-lease.ts).
      itemSelector: { 'segments.$': 'States.Array($$.Map.Item.Value)', totalSegments: segments, 'runId.$': '$$.Execution.Id' },
      resultPath: JsonPath.DISCARD,
    });
    each.itemProcessor(send);
    const { waitSeconds, attempts } = props.catchUp;
    const catchUp = catchUpChain(this, {
      names: STATE,
      redriveRun: props.redriveRun,
      waits: { seconds: waitSeconds, attempts },
      next: new Succeed(this, STATE.caughtUp, { stateName: STATE.caughtUp }),
    });
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      definitionBody: DefinitionBody.fromChainable(plan.next(each).next(catchUp)),
      stateMachineType: StateMachineType.STANDARD,
      timeout: Duration.hours(6),
      tracingEnabled: true,
      logs: {
        destination: new LogGroup(this, 'Logs', { retention: RetentionDays.ONE_YEAR, encryptionKey: props.logKey, removalPolicy: RemovalPolicy.RETAIN }),
        level: LogLevel.ALL,
        includeExecutionData: false,
      },
    });
  }
}
