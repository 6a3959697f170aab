import { CfnOutput, Duration, RemovalPolicy, Stack, TimeZone, type StackProps } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { EmailIdentity, Identity } from 'aws-cdk-lib/aws-ses';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type { Construct } from 'constructs';
import { TABLE_DESIGN } from '../functions/commons/table.ts';
import { localDate } from '../functions/core/dates.ts';
import { OFFICE_TIME_ZONE, policyFor, type Policy } from '../functions/core/policy.ts';
import { EscalationWorkflow } from '../workflows/escalation.ts';
import { ESCALATION_FUNCTIONS, FUNCTION_ENTRY, type EscalationFunction } from '../workflows/state-names.ts';
import { ArrearsFunction } from './constructs/arrears-function.ts';

type FunctionKey = keyof typeof FUNCTION_ENTRY;

/** The DynamoDB calls each function makes (on the table, and on the index where it queries it). */
export const TABLE_ACCESS: Record<FunctionKey, { table: readonly string[]; index?: readonly string[] }> = {
  monthlyRun: { table: ['dynamodb:Scan', 'dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:PutItem'] },
  assessCase: { table: ['dynamodb:Query', 'dynamodb:PutItem'] },
  sendNotice: { table: ['dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'] },
  assignOfficer: { table: ['dynamodb:Query', 'dynamodb:PutItem'], index: ['dynamodb:Query'] },
  openTask: { table: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'] },
  taskTimeout: { table: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'] },
  closeCase: { table: ['dynamodb:Query', 'dynamodb:PutItem'] },
  recordFailure: { table: ['dynamodb:PutItem'] },
  recordOutcome: { table: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'] },
  recordPayment: { table: ['dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'] },
};

/** What a caller needs of the table's customer-managed key to read and write items. */
const TABLE_KEY_ACTIONS = ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'];

export interface ArrearsStackProps extends StackProps {
  /** The policy the deployment is built with (schedule, timeouts); the newest in effect today by default. */
  policy?: Policy;
}

/** Arrears follow-up: table, functions, the escalation state machine and the monthly schedule. */
export class ArrearsStack extends Stack {
  readonly functions: Record<FunctionKey, ArrearsFunction>;

  constructor(scope: Construct, id: string, props: ArrearsStackProps = {}) {
    super(scope, id, props);
    const policy = props.policy ?? policyFor(localDate(new Date(), OFFICE_TIME_ZONE));

    const key = new Key(this, 'DataKey', {
      alias: 'alias/arrears-follow-up',
      description: 'Arrears follow-up: table, logs and queues (personal data of employers and officers)',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // CloudWatch Logs encrypts this account's log groups with the key.
    key.addToResourcePolicy(new PolicyStatement({
      effect: Effect.ALLOW,
      principals: [new ServicePrincipal(`logs.${this.region}.amazonaws.com`)],
      actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      resources: ['*'],
      conditions: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${this.partition}:logs:${this.region}:${this.account}:*` } },
    }));

    const table = new Table(this, 'Table', {
      partitionKey: { name: TABLE_DESIGN.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE_DESIGN.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: key,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const index of TABLE_DESIGN.indexes) {
      table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
      });
    }

    const make = (name: FunctionKey, extra: { memorySize?: number; timeout?: Duration } = {}) => {
      const f = new ArrearsFunction(this, name, { entry: FUNCTION_ENTRY[name], key, environment: { TABLE_NAME: table.tableName }, ...extra });
      const access = TABLE_ACCESS[name];
      f.role.addToPrincipalPolicy(new PolicyStatement({ actions: [...access.table], resources: [table.tableArn] }));
      if (access.index) {
        f.role.addToPrincipalPolicy(new PolicyStatement({
          actions: [...access.index],
          resources: TABLE_DESIGN.indexes.map((i) => `${table.tableArn}/index/${i.name}`),
        }));
      }
      f.role.addToPrincipalPolicy(new PolicyStatement({ actions: TABLE_KEY_ACTIONS, resources: [key.keyArn] }));
      return f;
    };
    this.functions = Object.fromEntries(
      (Object.keys(FUNCTION_ENTRY) as FunctionKey[]).map((name) => [
        name,
        name === 'monthlyRun' ? make(name, { memorySize: 1024, timeout: Duration.minutes(15) }) : make(name),
      ]),
    ) as Record<FunctionKey, ArrearsFunction>;

    const workflow = new EscalationWorkflow(this, 'Escalation', {
      functions: Object.fromEntries(ESCALATION_FUNCTIONS.map((k) => [k, this.functions[k].fn])) as Record<EscalationFunction, ArrearsFunction['fn']>,
      policy,
      logKey: key,
    });
    const stateMachine = workflow.stateMachine;
    for (const name of ['monthlyRun', 'recordOutcome', 'recordPayment'] as const) {
      this.functions[name].fn.addEnvironment('STATE_MACHINE_ARN', stateMachine.stateMachineArn);
    }
    stateMachine.grantStartExecution(this.functions.monthlyRun.role);
    stateMachine.grantTaskResponse(this.functions.recordOutcome.role);
    stateMachine.grantTaskResponse(this.functions.recordPayment.role);

    const senderDomain = policy.notice.sender.split('@')[1]!;
    const sender = new EmailIdentity(this, 'SenderIdentity', { identity: Identity.domain(senderDomain) });
    for (const name of ['sendNotice', 'recordPayment'] as const) {
      this.functions[name].role.addToPrincipalPolicy(new PolicyStatement({
        actions: ['ses:SendEmail'],
        resources: [`arn:${this.partition}:ses:${this.region}:${this.account}:identity/${sender.emailIdentityName}`],
      }));
    }

    const deadLetters = new Queue(this, 'MonthlyRunDeadLetters', {
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    new Schedule(this, 'MonthlyRunSchedule', {
      description: 'Monthly notice run, early in the month, office time',
      schedule: ScheduleExpression.cron({
        minute: '0',
        hour: String(policy.monthlyRun.hour),
        day: String(policy.monthlyRun.dayOfMonth),
        timeZone: TimeZone.of(policy.timeZone),
      }),
      target: new LambdaInvoke(this.functions.monthlyRun.fn, {
        role: new Role(this, 'MonthlyRunScheduleRole', { assumedBy: new ServicePrincipal('scheduler.amazonaws.com') }),
        input: ScheduleTargetInput.fromObject({}),
        deadLetterQueue: deadLetters,
        retryAttempts: 3,
        maxEventAge: Duration.hours(6),
      }),
    });

    new CfnOutput(this, 'TableName', { value: table.tableName });
    new CfnOutput(this, 'StateMachineArn', { value: stateMachine.stateMachineArn });
    new CfnOutput(this, 'MonthlyRunFunctionName', { value: this.functions.monthlyRun.fn.functionName });
    new CfnOutput(this, 'RecordOutcomeFunctionName', { value: this.functions.recordOutcome.fn.functionName });
    new CfnOutput(this, 'RecordPaymentFunctionName', { value: this.functions.recordPayment.fn.functionName });
  }
}
