import { Duration, Stack, TimeZone } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Schedule, ScheduleExpression, ScheduleTargetInput, type IScheduleTarget } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke, StepFunctionsStartExecution } from 'aws-cdk-lib/aws-scheduler-targets';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { Policy } from '../../functions/core/policy.ts';
import type { FunctionKey } from '../registry/functions.ts';
import { scheduleConstructId, type ScheduleSpec, type ScheduledStateMachine } from '../registry/schedules.ts';

export interface SchedulesProps {
  /** The list (infra/registry/schedules.ts): one schedule each. */
  schedules: readonly ScheduleSpec[];
  /** Whose days, hours and time zone the schedules follow. */
  policy: Policy;
  /** The stack's key: the dead-letter queue is encrypted with it. */
  key: Key;
  functions: Record<FunctionKey, IFunction>;
  stateMachines: Record<ScheduledStateMachine, IStateMachine>;
}

/**
 * The schedules, each made by the one helper: office time, its own role (scoped to this account's
 * default schedule group), the same retries, and an encrypted dead-letter queue for a run that
 * could not be started.
 */
export class Schedules extends Construct {
  readonly deadLetters: Queue;
  readonly role: Role;
  readonly schedules: Record<string, Schedule> = {};

  constructor(scope: Construct, id: string, props: SchedulesProps) {
    super(scope, id);
    const { account, region, partition } = Stack.of(this);
    this.deadLetters = new Queue(this, 'MonthlyRunDeadLetters', {
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: props.key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.role = new Role(this, 'MonthlyRunScheduleRole', {
      description: 'EventBridge Scheduler: invoke the monthly run, quarterly list and disclosure run; dead-letter what could not be delivered',
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: {
            'aws:SourceAccount': account,
            'aws:SourceArn': `arn:${partition}:scheduler:${region}:${account}:schedule-group/default`,
          },
        },
      }),
    });
    // Sending to a KMS-encrypted queue needs the key (SQS SSE); the target adds sqs:SendMessage.
    this.role.addToPrincipalPolicy(new PolicyStatement({
      actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
      resources: [props.key.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `sqs.${region}.amazonaws.com` } },
    }));
    for (const spec of props.schedules) this.schedules[spec.id] = this.schedule(spec, props);
  }

  /** Every schedule: office time, its input, the same retries and dead-letter queue. */
  private schedule(spec: ScheduleSpec, props: SchedulesProps): Schedule {
    const targetProps = { role: this.role, input: ScheduleTargetInput.fromObject(spec.input ?? {}), deadLetterQueue: this.deadLetters, retryAttempts: 3, maxEventAge: Duration.hours(6) };
    const target: IScheduleTarget = 'function' in spec.starts
      ? new LambdaInvoke(props.functions[spec.starts.function], targetProps)
      : new StepFunctionsStartExecution(props.stateMachines[spec.starts.stateMachine], targetProps);
    return new Schedule(this, scheduleConstructId(spec), {
      description: spec.description,
      schedule: ScheduleExpression.cron({ minute: '0', ...spec.when(props.policy), timeZone: TimeZone.of(props.policy.timeZone) }),
      target,
    });
  }
}
