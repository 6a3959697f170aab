import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Choice, Condition, DefinitionBody, Fail, JsonPath, LogLevel, StateMachine, StateMachineType, Succeed, TaskInput } from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { IMPORT_RUN_STATE as STATE } from './state-names.ts';

export interface ImportRunWorkflowProps {
  /** Plans the batch, imports a chunk of any file but a collection file, releases the batch. */
  importRun: IFunction;
  /** A chunk of a collection file (payments recorded as staff record them). */
  importCollections: IFunction;
  /** The staff's sign-in accounts made to match officers.csv, once it is imported (steps/sync-staff.ts). */
  rosterSync: IFunction;
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
        // The roster's ids (null but after officers.csv) go to the roster sync.
        resultSelector: { 'status.$': '$.status', 'rows.$': '$.rows', 'then.$': '$.then', 'roster.$': '$.roster' },
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

    // officers.csv in: the accounts follow it, once per version (a file already imported is not
    // chunked again, so not synced again). Its grants are the rosterSync function's, not the import's.
    const syncRoster = new LambdaInvoke(this, STATE.syncRoster, {
      stateName: STATE.syncRoster,
      lambdaFunction: props.rosterSync,
      payload: TaskInput.fromObject({
        officerIds: JsonPath.listAt('$.chunk.roster.officerIds'),
        refused: JsonPath.listAt('$.chunk.roster.refused'),
        unidentified: JsonPath.numberAt('$.chunk.roster.unidentified'),
      }),
      payloadResponseOnly: true,
      resultSelector: { 'changes.$': '$.changes', 'tasksMoved.$': '$.tasksMoved', 'tasksUnassigned.$': '$.tasksUnassigned' },
      resultPath: '$.staff',
    });
    // Cognito throttles; the sync is idempotent (a retry makes only the changes still missing).
    syncRoster.addRetry({ errors: ['States.ALL'], interval: Duration.seconds(30), backoffRate: 2, maxAttempts: 3 });
    // A sync that still fails does not stop the batch: the other files are imported, the lease
    // released, and the execution then fails (RosterSyncFailed, the ImportFailed alarm). Importing
    // officers.csv again (a new version) syncs again.
    syncRoster.addCatch(plan, { errors: ['States.ALL'], resultPath: '$.rosterSyncError' });
    syncRoster.next(plan);

    const afterChunk = (name: string, again: LambdaInvoke) =>
      new Choice(this, name, { stateName: name })
        .when(Condition.stringEquals('$.chunk.status', 'more'), again)
        .when(Condition.stringEquals('$.chunk.then', 'sync-roster'), syncRoster)
        .otherwise(plan);
    chunk.next(afterChunk(STATE.afterChunk, chunk));
    collectionChunk.next(afterChunk(STATE.afterCollectionChunk, collectionChunk));
    release.next(new Choice(this, STATE.anythingNew, { stateName: STATE.anythingNew })
      .when(Condition.numberGreaterThan('$.release.pending', 0), plan)
      .otherwise(new Choice(this, STATE.anySyncFailed, { stateName: STATE.anySyncFailed })
        .when(Condition.isPresent('$.rosterSyncError'), new Fail(this, STATE.rosterSyncFailed, {
          stateName: STATE.rosterSyncFailed, error: 'RosterSyncFailed',
          cause: 'officers.csv was imported but the staff accounts could not be synced; see the rosterSync function\'s logs',
        }))
        .otherwise(new Succeed(this, STATE.done, { stateName: STATE.done }))));
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
