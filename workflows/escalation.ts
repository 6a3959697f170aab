import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  Choice, Condition, DefinitionBody, Fail, Pass, IntegrationPattern, JsonPath, LogLevel, StateMachine, StateMachineType, Succeed,
  TaskInput, Timeout, type IChainable,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import type { Policy } from '../functions/core/policy.ts';
import { STATE, type EscalationFunction } from './state-names.ts';

export interface EscalationWorkflowProps {
  functions: Record<EscalationFunction, IFunction>;
  policy: Policy;
  logKey: IKey;
}

const cycle = { 'unitCode.$': '$.unitCode', 'cycle.$': '$.cycle', 'asOf.$': '$.asOf' };

/**
 * One employer's escalation for one cycle, in JSONPath (runs unchanged in aws-local-stepfunctions):
 * assess → urging notice (sent once) → officer or inspector task that waits for an outcome →
 * reassess; a cleared debt closes the case at any point. Case state lives in DynamoDB, so each
 * execution ends within its cycle, far below the one-year and 25,000-event limits.
 */
export class EscalationWorkflow extends Construct {
  readonly stateMachine: StateMachine;

  constructor(scope: Construct, id: string, props: EscalationWorkflowProps) {
    super(scope, id);
    const { functions: fn, policy } = props;

    const invoke = (name: string, lambda: IFunction, payload: Record<string, unknown>, resultPath: string) =>
      new LambdaInvoke(this, name, {
        stateName: name,
        lambdaFunction: lambda,
        payload: TaskInput.fromObject(payload),
        payloadResponseOnly: true,
        resultPath,
        retryOnServiceExceptions: true,
      });

    const failed = new Fail(this, STATE.escalationFailed, { stateName: STATE.escalationFailed, error: 'EscalationFailed', cause: 'A step failed; see the case history' });
    const recordFailure = invoke(STATE.recordFailure, fn.recordFailure, { ...cycle, 'error.$': '$.error' }, '$.failure').next(failed);
    const catchAll = (task: LambdaInvoke) => task.addCatch(recordFailure, { errors: ['States.ALL'], resultPath: '$.error' });

    const done = new Succeed(this, STATE.cycleDone, { stateName: STATE.cycleDone });
    const closeCase = catchAll(invoke(STATE.closeCase, fn.closeCase, cycle, '$.closed')).next(new Succeed(this, STATE.caseClosed, { stateName: STATE.caseClosed }));

    // After an outcome: a cleared debt closes the case, a referral to inspection opens the
    // inspector's task (branch added below, once AssignOfficer exists), anything else ends the cycle.
    const afterOutcome = new Choice(this, STATE.afterOutcome, { stateName: STATE.afterOutcome })
      .when(Condition.booleanEquals('$.assessment.cleared', true), closeCase);
    const reassess = catchAll(invoke(STATE.reassessAfterOutcome, fn.assessCase, { ...cycle, phase: 'after-outcome', 'outcome.$': '$.outcome.outcome' }, '$.assessment')).next(afterOutcome);

    // Opens the assigned task with this state's callback token and waits for its outcome; the task's
    // due date decides the wait, which then ends with States.Timeout.
    const waitFor = (name: string, onTimeout: IChainable) =>
      new LambdaInvoke(this, name, {
        stateName: name,
        lambdaFunction: fn.openTask,
        integrationPattern: IntegrationPattern.WAIT_FOR_TASK_TOKEN,
        payload: TaskInput.fromObject({ ...cycle, 'assignment.$': '$.assignment', token: JsonPath.taskToken }),
        taskTimeout: Timeout.at('$.assignment.timeoutSeconds'),
        resultPath: '$.outcome',
      })
        .addCatch(onTimeout, { errors: ['States.Timeout'], resultPath: '$.error' })
        .addCatch(recordFailure, { errors: ['States.ALL'], resultPath: '$.error' })
        .next(reassess);

    // Past its due date, the task goes to the officer's team lead (the officer is told); if the team
    // lead's task runs out too, the cycle ends and the next one takes the case up again.
    // An answer recorded as the due date passed (the wait had ended, the task was closed with its
    // outcome): that outcome is taken, as if it had come in time; otherwise the timeout's path.
    const answeredInTime = (choice: string, use: string, otherwise: IChainable) =>
      new Choice(this, choice, { stateName: choice })
        .when(Condition.isPresent('$.timeout.answered'), new Pass(this, use, { stateName: use, inputPath: '$.timeout.answered', resultPath: '$.outcome' }).next(reassess))
        .otherwise(otherwise);
    const recordLeadTimeout = catchAll(invoke(STATE.recordTeamLeadTimeout, fn.taskTimeout, { ...cycle, 'taskId.$': '$.assignment.taskId', escalating: false }, '$.timeout'))
      .next(answeredInTime(STATE.teamLeadAnsweredInTime, STATE.useTeamLeadOutcome, done));
    const assignTeamLead = catchAll(invoke(STATE.assignTeamLead, fn.assignOfficer, {
      ...cycle, 'task.$': '$.assessment.task', escalateFrom: { 'officerId.$': '$.timeout.officerId' },
    }, '$.assignment')).next(
      new Choice(this, STATE.teamLeadAvailable, { stateName: STATE.teamLeadAvailable })
        .when(Condition.booleanEquals('$.assignment.assigned', true), waitFor(STATE.waitForTeamLead, recordLeadTimeout))
        .otherwise(done),
    );
    const recordTimeout = catchAll(invoke(STATE.recordTaskTimeout, fn.taskTimeout, { ...cycle, 'taskId.$': '$.assignment.taskId', escalating: true }, '$.timeout'))
      .next(answeredInTime(STATE.answeredInTime, STATE.useRecordedOutcome, assignTeamLead));
    const waitForOutcome = waitFor(STATE.waitForOutcome, recordTimeout);

    const assignOfficer = catchAll(invoke(STATE.assignOfficer, fn.assignOfficer, { ...cycle, 'task.$': '$.assessment.task' }, '$.assignment')).next(
      new Choice(this, STATE.officerAvailable, { stateName: STATE.officerAvailable })
        .when(Condition.booleanEquals('$.assignment.assigned', true), waitForOutcome)
        .otherwise(done),
    );
    afterOutcome.when(Condition.booleanEquals('$.assessment.needsTask', true), assignOfficer).otherwise(done);

    const sendNotice = catchAll(
      withNoticeRetry(invoke(STATE.sendUrgingNotice, fn.sendNotice, cycle, '$.notice'), policy),
    ).next(
      new Choice(this, STATE.afterNotice, { stateName: STATE.afterNotice })
        .when(Condition.stringEquals('$.notice.outcome', 'not-needed'), closeCase)
        .when(Condition.stringEquals('$.notice.outcome', 'on-hold'), done)
        .when(Condition.booleanEquals('$.assessment.needsTask', true), assignOfficer)
        .otherwise(done),
    );

    const definition: IChainable = catchAll(invoke(STATE.assessCase, fn.assessCase, { ...cycle, phase: 'start' }, '$.assessment')).next(
      new Choice(this, STATE.debtCleared, { stateName: STATE.debtCleared })
        .when(Condition.booleanEquals('$.assessment.cleared', true), closeCase)
        .when(Condition.booleanEquals('$.assessment.onHold', true), done)
        .otherwise(sendNotice),
    );

    const longestTaskDays = Math.max(0, ...policy.stages.map((s) => s.task?.dueDays ?? 0)) + policy.taskEscalation.dueDays;
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      definitionBody: DefinitionBody.fromChainable(definition),
      stateMachineType: StateMachineType.STANDARD,
      // Each cycle's execution must end before the next cycle starts.
      timeout: Duration.days(longestTaskDays + 1),
      tracingEnabled: true,
      logs: {
        destination: new LogGroup(this, 'Logs', { retention: RetentionDays.ONE_YEAR, encryptionKey: props.logKey, removalPolicy: RemovalPolicy.RETAIN }),
        level: LogLevel.ALL,
        // Execution data stays out of the logs: payloads carry unit codes only, but keep it so.
        includeExecutionData: false,
      },
    });
  }
}

function withNoticeRetry(task: LambdaInvoke, policy: Policy): LambdaInvoke {
  task.addRetry({ errors: ['NoticeInProgress'], interval: Duration.minutes(policy.notice.claimStaleAfterMinutes), maxAttempts: 2 });
  // SES throttling or a passing fault: the claim was released, so a retry sends at most once.
  task.addRetry({ errors: ['NoticeDeliveryFailed'], interval: Duration.seconds(30), backoffRate: 2, maxAttempts: 3 });
  return task;
}
