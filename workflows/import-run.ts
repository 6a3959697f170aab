import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Choice, Condition, DefinitionBody, JsonPath, LogLevel, StateMachine, StateMachineType, Succeed, TaskInput } from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { IMPORT_RUN_STATE as STATE } from './state-names.ts';

export interface ImportRunWorkflowProps {
  /** Plans the batch, imports a chunk of any file but a collection file, releases the batch. */
  importRun: IFunction;
  /** A chunk of a collection file (payments recorded as staff record them). */
  importCollections: IFunction;
  logKey: IKey;
}

/**
 * The import of a batch, started by each upload under `imports/<batch>/` (S3 → EventBridge, input
 * `{ key }`): one file after another in load order (functions/import/file-import.ts LOAD_ORDER),
 * each in chunks: a chunk stops before the Lambda's timeout with a checkpoint and says `more`, and
 * the machine calls again. The execution's id holds the batch's lease: an upload's execution that
 * finds it held ends at once (the running one lists the batch again before it ends). A chunk that
 * fails or times out is retried and replays from the file's last checkpoint.
 */
export class ImportRunWorkflow extends Construct {
  readonly stateMachine: StateMachine;

  constructor(scope: Construct, id: string, props: ImportRunWorkflowProps) {
    super(scope, id);
    const runId = JsonPath.stringAt('$$.Execution.Id');
    const plan = new LambdaInvoke(this, STATE.planNext, {
      stateName: STATE.planNext,
      lambdaFunction: props.importRun,
      payload: TaskInput.fromObject({ action: 'plan', key: JsonPath.stringAt('$.key'), runId }),
      payloadResponseOnly: true,
      resultPath: '$.plan',
    });
    const chunkOf = (name: string, fn: IFunction) => {
      const task = new LambdaInvoke(this, name, {
        stateName: name,
        lambdaFunction: fn,
        payload: TaskInput.fromObject({
          action: 'chunk', prefix: JsonPath.stringAt('$.plan.prefix'), runId,
          file: { key: JsonPath.stringAt('$.plan.file.key'), name: JsonPath.stringAt('$.plan.file.name') },
        }),
        payloadResponseOnly: true,
        // Only the status goes on: the execution's state stays small over thousands of chunks.
        resultSelector: { 'status.$': '$.status', 'rows.$': '$.rows' },
        resultPath: '$.chunk',
      });
      // A crash or a timeout mid-chunk: the retry replays from the file's last checkpoint.
      task.addRetry({ errors: ['States.ALL'], interval: Duration.seconds(30), backoffRate: 2, maxAttempts: 3 });
      return task;
    };
    const chunk = chunkOf(STATE.importChunk, props.importRun);
    const collectionChunk = chunkOf(STATE.importCollectionChunk, props.importCollections);
    plan.addRetry({ errors: ['States.ALL'], interval: Duration.seconds(10), backoffRate: 2, maxAttempts: 3 });
    const release = new LambdaInvoke(this, STATE.release, {
      stateName: STATE.release,
      lambdaFunction: props.importRun,
      payload: TaskInput.fromObject({ action: 'release', prefix: JsonPath.stringAt('$.plan.prefix'), runId }),
      payloadResponseOnly: true,
      resultPath: '$.release',
    });
    release.addRetry({ errors: ['States.ALL'], interval: Duration.seconds(10), backoffRate: 2, maxAttempts: 3 });

    const afterChunk = (name: string, again: LambdaInvoke) =>
      new Choice(this, name, { stateName: name }).when(Condition.stringEquals('$.chunk.status', 'more'), again).otherwise(plan);
    chunk.next(afterChunk(STATE.afterChunk, chunk));
    collectionChunk.next(afterChunk(STATE.afterCollectionChunk, collectionChunk));
    release.next(new Choice(this, STATE.anythingNew, { stateName: STATE.anythingNew })
      .when(Condition.numberGreaterThan('$.release.pending', 0), plan)
      .otherwise(new Succeed(this, STATE.done, { stateName: STATE.done })));
    plan.next(new Choice(this, STATE.whatNext, { stateName: STATE.whatNext })
      .when(Condition.stringEquals('$.plan.status', 'busy'), new Succeed(this, STATE.anotherRunning, { stateName: STATE.anotherRunning }))
      .when(Condition.stringEquals('$.plan.status', 'none'), release)
      .when(Condition.stringEquals('$.plan.file.kind', 'collection'), collectionChunk)
      .otherwise(chunk));

    this.stateMachine = new StateMachine(this, 'StateMachine', {
      definitionBody: DefinitionBody.fromChainable(plan),
      stateMachineType: StateMachineType.STANDARD,
      // A 2 GB file is a few chunks of 13 minutes; a day covers any batch with room for retries.
      timeout: Duration.hours(24),
      tracingEnabled: true,
      logs: {
        destination: new LogGroup(this, 'Logs', { retention: RetentionDays.ONE_YEAR, encryptionKey: props.logKey, removalPolicy: RemovalPolicy.RETAIN }),
        level: LogLevel.ALL,
        includeExecutionData: false,
      },
    });
  }
}
