import { join } from 'node:path';
import { CfnOutput, Duration, RemovalPolicy, Stack, TimeZone, type StackProps } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { EmailIdentity, Identity } from 'aws-cdk-lib/aws-ses';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Schedule, ScheduleExpression, ScheduleTargetInput, type CronOptionsWithTimezone, type IScheduleTarget } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke, StepFunctionsStartExecution } from 'aws-cdk-lib/aws-scheduler-targets';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { LambdaSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { ConfigurationSet, EmailSendingEvent, EventDestination } from 'aws-cdk-lib/aws-ses';
import type { Construct } from 'constructs';
import { GSI1, TABLE_DESIGN } from '../functions/commons/table.ts';
import { localDate } from '../functions/core/dates.ts';
import { OFFICE_TIME_ZONE, POLICY_VERSIONS, policyFor, type Policy } from '../functions/core/policy.ts';
import { QUARTER_FIRST_MONTHS } from '../functions/core/quarterly-list.ts';
import { FONT_FILES, fontPackageDir } from '../functions/report/statement-fonts.ts';
import { EscalationWorkflow } from '../workflows/escalation.ts';
import { StatementRunWorkflow } from '../workflows/statement-run.ts';
import { ESCALATION_FUNCTIONS, FUNCTION_ENTRY, type EscalationFunction } from '../workflows/state-names.ts';
import { ArrearsFunction } from './constructs/arrears-function.ts';
import { StaffApi } from './constructs/staff-api.ts';
import { Monitoring } from './constructs/monitoring.ts';

export type FunctionKey = keyof typeof FUNCTION_ENTRY;
type DynamoAction = 'dynamodb:Scan' | 'dynamodb:Query' | 'dynamodb:GetItem' | 'dynamodb:PutItem' | 'dynamodb:UpdateItem' | 'dynamodb:DeleteItem';

/**
 * What each function may do, read off the code it runs (functions/steps → commons/dynamo-store):
 * the DynamoDB calls on the table and on its index, whether it sends email, and its Step Functions
 * calls. The roles are built from this and nothing else; test/infra/access.test.ts runs every
 * function on the local stack and checks each call it makes against the synthesized policies.
 */
export interface FunctionAccess {
  table: readonly DynamoAction[];
  index?: readonly DynamoAction[];
  /** The indexes `index` applies to (default: gsi1 only). */
  indexNames?: readonly (typeof TABLE_DESIGN.indexes)[number]['name'][];
  /** ses:SendEmail (or SendRawEmail), from the policy's sender address only (the notices' or, for `reminders`, the reminders'). */
  sendsEmail?: boolean;
  emailSender?: 'notices' | 'reminders';
  /** ses:SendRawEmail instead of ses:SendEmail: a MIME message with an attachment (the statement's PDF). */
  rawEmail?: boolean;
  /** sns:Publish straight to phone numbers (SMS). */
  sendsSms?: boolean;
  stateMachine?: readonly ('states:StartExecution' | 'states:SendTaskSuccess')[];
  /** Objects of the reports bucket under one prefix, encrypted with the stack's key. */
  documents?: { prefix: 'quarterly/' | 'disclosure/' | 'reports/' | 'renewals/'; actions: readonly ('s3:PutObject' | 's3:GetObject')[] };
}

export const ACCESS: Record<FunctionKey, FunctionAccess> = {
  // Parallel scan of ledgers; closes cleared cases (query ledger, put case and event); run summary.
  monthlyRun: { table: ['dynamodb:Scan', 'dynamodb:Query', 'dynamodb:PutItem'], stateMachine: ['states:StartExecution'] },
  // Ledger query; case and event puts.
  // Ledger query, case and event puts; on a referral, the cycle's inspection task get.
  assessCase: { table: ['dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:PutItem'] },
  // Notice claim (conditional put, get on conflict), ledger query, claim completion (update), event.
  sendNotice: { table: ['dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'], sendsEmail: true },
  // Ledger query, officers of the district on the index, case and event puts.
  assignOfficer: { table: ['dynamodb:Query', 'dynamodb:PutItem'], index: ['dynamodb:Query'] },
  // Officer get, task put (or token update on retry), event.
  openTask: { table: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'] },
  // Task get and close, officer get and count update, event; tells the officer the task went on.
  taskTimeout: { table: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'], sendsEmail: true },
  closeCase: { table: ['dynamodb:Query', 'dynamodb:PutItem'] },
  recordFailure: { table: ['dynamodb:PutItem'] },
  // Task get and close, officer count update, event; resumes the waiting workflow.
  recordOutcome: { table: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem'], stateMachine: ['states:SendTaskSuccess'] },
  // Payment put (get on conflict), ledger query, the case's tasks (gsi2) closed, case closed; confirms by email, resumes.
  recordPayment: {
    table: ['dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
    index: ['dynamodb:Query'],
    indexNames: ['gsi2'],
    stateMachine: ['states:SendTaskSuccess'],
    sendsEmail: true,
  },
  // Staff API: tasks (get, query by officer on the index, reassign/acknowledge/close updates),
  // ledger and history queries, officers, outcome/payment/hold puts and hold delete; resumes
  // workflows, confirms payments and tells officers by email. A payment closes the case's tasks (gsi2).
  staffApi: {
    table: ['dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
    index: ['dynamodb:Query'],
    indexNames: ['gsi1', 'gsi2'],
    stateMachine: ['states:SendTaskSuccess'],
    sendsEmail: true,
  },
  // Parallel scan of ledgers, profile gets of the listed units, the run record; the CSV under quarterly/.
  quarterlyList: { table: ['dynamodb:Scan', 'dynamodb:GetItem', 'dynamodb:PutItem'], documents: { prefix: 'quarterly/', actions: ['s3:PutObject'] } },
  // Parallel scan; publication get; notice claim (put, get on conflict), ledger query, completion and
  // lapse (update); publication, events, run record (put). The list under disclosure/, written only if
  // absent, read back when an earlier run wrote it.
  disclosureRun: {
    table: ['dynamodb:Scan', 'dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
    sendsEmail: true,
    documents: { prefix: 'disclosure/', actions: ['s3:PutObject', 's3:GetObject'] },
  },
  // Parallel scan of ledgers; the year's targets (query); officers of each district and their open
  // tasks (index); the participants' cycles of the month before (due-month index) and their renewal
  // targets (query); the report's HTML, CSV and JSON under reports/.
  collectionReport: {
    table: ['dynamodb:Scan', 'dynamodb:Query'],
    index: ['dynamodb:Query'],
    documents: { prefix: 'reports/', actions: ['s3:PutObject'] },
  },
  // The reminder index (gsi2) for everything due by today; each participant's collection
  // (query), cycle, suppression and agent gets; claims, the agent's task and the run record (put);
  // claim completion, counters, lapse and the index moves (update). Email from the reminders' sender, SMS by SNS.
  reminderRun: {
    table: ['dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
    index: ['dynamodb:Query'],
    indexNames: ['gsi2'],
    sendsEmail: true,
    emailSender: 'reminders',
    sendsSms: true,
  },
  // The participant's collection (query), the renewal (put), paid-through, cards and cycles (update);
  // the agent's open visit closed (get, update).
  recordRenewal: { table: ['dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'] },
  // A suppression put per bounced or complaining address; an opt-out put per STOP reply.
  emailFeedback: { table: ['dynamodb:PutItem'] },
  smsReplies: { table: ['dynamodb:PutItem'] },
  // The month's cycles on the due-month index (gsi1), its targets (query), the run record; the report under renewals/.
  renewalReport: {
    table: ['dynamodb:Query', 'dynamodb:PutItem'],
    index: ['dynamodb:Query'],
    documents: { prefix: 'renewals/', actions: ['s3:PutObject'] },
  },
  // Parallel scan listing the units; per unit the statement claim (put, get on conflict), the ledger
  // (query), the claim's completion (update); the run record (put). The statement with its PDF by SendRawEmail.
  statementRun: {
    table: ['dynamodb:Scan', 'dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
    sendsEmail: true,
    rawEmail: true,
  },
};

/** Functions that read every ledger: more memory, and up to Lambda's 15 minutes. */
const SCANNING: readonly FunctionKey[] = ['monthlyRun', 'quarterlyList', 'disclosureRun', 'collectionReport', 'statementRun'];
/** The runs, each on its own schedule (the statement run through its state machine), watched by the alarms. */
export const SCHEDULED: readonly FunctionKey[] = ['monthlyRun', 'quarterlyList', 'disclosureRun', 'collectionReport', 'reminderRun', 'renewalReport', 'statementRun'];
/** The runs the scheduler invokes itself (the others through a state machine). */
export const SCHEDULER_INVOKED: readonly FunctionKey[] = SCHEDULED.filter((k) => k !== 'statementRun');
/** The statement run draws its PDFs with these fonts, carried in its bundle (never fetched). */
const STATEMENT_FONTS_DIR = 'fonts';
/** Functions that work through many participants in one invocation (not a scan): Lambda's 15 minutes. */
const LONG_RUNNING: readonly FunctionKey[] = ['reminderRun'];

/** What a report function needs of the key for its S3 calls, only through S3 (SSE-KMS). */
const DOCUMENT_KEY_ACTIONS: Record<'s3:PutObject' | 's3:GetObject', string> = { 's3:PutObject': 'kms:GenerateDataKey', 's3:GetObject': 'kms:Decrypt' };

/**
 * What a caller of a table encrypted with a customer-managed key needs of the key, and only when
 * DynamoDB uses it on the caller's behalf (kms:ViaService): DynamoDB decrypts the table key for
 * each caller (again after five idle minutes, so a revoked permission takes effect). The set is
 * Table.grantReadWriteData's without its wildcards (kms:ReEncrypt*, kms:GenerateDataKey*).
 */
export const TABLE_KEY_ACTIONS = ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'];

export interface ArrearsStackProps extends StackProps {
  /** The policy the deployment is built with (schedule, sender); by default the one in force today in the office's zone. */
  policy?: Policy;
}

/** Arrears follow-up: table, functions, the escalation state machine and the monthly schedule. */
export class ArrearsStack extends Stack {
  readonly policy: Policy;
  readonly key: Key;
  readonly table: Table;
  readonly functions: Record<FunctionKey, ArrearsFunction>;
  readonly workflow: EscalationWorkflow;
  readonly statementRun: StatementRunWorkflow;
  readonly scheduleRole: Role;
  readonly deadLetters: Queue;
  readonly staffApi: StaffApi;
  readonly documents: Bucket;
  readonly monitoring: Monitoring;
  readonly accessLogs: Bucket;
  emailFeedbackTopic!: Topic;
  smsRepliesTopic!: Topic;

  constructor(scope: Construct, id: string, props: ArrearsStackProps = {}) {
    super(scope, id, props);
    const policy = (this.policy = props.policy ?? policyFor(localDate(new Date(), OFFICE_TIME_ZONE)));

    const key = (this.key = new Key(this, 'DataKey', {
      alias: 'alias/arrears-follow-up',
      description: 'Arrears follow-up: table, logs and dead letters (personal data of employers and officers)',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    }));
    // CloudWatch Logs encrypts this account's log groups in this region with the key, and nothing else.
    key.addToResourcePolicy(new PolicyStatement({
      effect: Effect.ALLOW,
      principals: [new ServicePrincipal(`logs.${this.region}.amazonaws.com`)],
      actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      resources: ['*'],
      conditions: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${this.partition}:logs:${this.region}:${this.account}:*` } },
    }));

    const table = (this.table = new Table(this, 'Table', {
      partitionKey: { name: TABLE_DESIGN.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE_DESIGN.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: key,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    }));
    for (const index of TABLE_DESIGN.indexes) {
      table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        projectionType: ProjectionType.ALL,
      });
    }

    // Reports for the authorities and the published disclosure lists: private, encrypted with the
    // key, TLS only, every version kept, every access logged.
    const accessLogs = (this.accessLogs = new Bucket(this, 'DocumentsAccessLogs', {
      // S3 server access logs can be delivered only to a bucket encrypted with S3-managed keys.
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      versioned: true,
      removalPolicy: RemovalPolicy.RETAIN,
    }));
    const documents = (this.documents = new Bucket(this, 'Documents', {
      encryption: BucketEncryption.KMS,
      encryptionKey: key,
      bucketKeyEnabled: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      versioned: true,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'documents/',
      removalPolicy: RemovalPolicy.RETAIN,
    }));

    const make = (name: FunctionKey) =>
      new ArrearsFunction(this, name, {
        entry: FUNCTION_ENTRY[name],
        key,
        environment: {
          TABLE_NAME: table.tableName,
          ...(ACCESS[name].documents ? { DOCUMENTS_BUCKET: documents.bucketName, DOCUMENTS_KEY_ARN: key.keyArn } : {}),
        },
        ...(SCANNING.includes(name) ? { memorySize: 1024, timeout: Duration.minutes(15) } : {}),
        ...(name === 'statementRun'
          ? { copyFiles: { from: Object.values(FONT_FILES).map((f) => join(fontPackageDir(), f)), to: STATEMENT_FONTS_DIR } }
          : {}),
        ...(LONG_RUNNING.includes(name) ? { timeout: Duration.minutes(15) } : {}),
      });
    const functions = (this.functions = Object.fromEntries(
      (Object.keys(FUNCTION_ENTRY) as FunctionKey[]).map((name) => [name, make(name)]),
    ) as Record<FunctionKey, ArrearsFunction>);

    const workflow = (this.workflow = new EscalationWorkflow(this, 'Escalation', {
      functions: Object.fromEntries(ESCALATION_FUNCTIONS.map((k) => [k, functions[k].fn])) as Record<EscalationFunction, ArrearsFunction['fn']>,
      policy,
      logKey: key,
    }));
    const stateMachine = workflow.stateMachine;
    // Only the monthly run starts executions; the others resume one with the task token they hold.
    functions.monthlyRun.fn.addEnvironment('STATE_MACHINE_ARN', stateMachine.stateMachineArn);
    functions.statementRun.fn.addEnvironment('STATEMENT_FONTS_DIR', `/var/task/${STATEMENT_FONTS_DIR}`);

    // Senders of the policy in force and of versions that take effect later: a deployment made
    // before a new version's date keeps working on that date.
    const senders = [...new Set([policy, ...POLICY_VERSIONS.filter((v) => v.effectiveFrom > policy.effectiveFrom)].map((p) => p.notice.sender))];
    const domains = [...new Set(senders.map((s) => s.slice(s.lastIndexOf('@') + 1)))];
    const reminderSenders = [...new Set([policy, ...POLICY_VERSIONS.filter((v) => v.effectiveFrom > policy.effectiveFrom)].map((p) => p.reminders.sender))];
    const allDomains = [...new Set([...domains, ...reminderSenders.map((s) => s.slice(s.lastIndexOf('@') + 1))])];

    // Bounces and complaints of every email sent from these identities reach the email-feedback
    // function through an encrypted topic; the reminder run skips suppressed addresses.
    const emailFeedback = (this.emailFeedbackTopic = new Topic(this, 'EmailFeedback', { masterKey: key, enforceSSL: true, displayName: 'SES bounces and complaints' }));
    const feedbackSet = new ConfigurationSet(this, 'SendingFeedback', {});
    feedbackSet.addEventDestination('BouncesAndComplaints', {
      destination: EventDestination.snsTopic(emailFeedback),
      events: [EmailSendingEvent.BOUNCE, EmailSendingEvent.COMPLAINT],
    });
    // Replies to reminder SMS (two-way SMS of the origination number, configured on the number) arrive here.
    const smsReplies = (this.smsRepliesTopic = new Topic(this, 'SmsReplies', { masterKey: key, enforceSSL: true, displayName: 'Replies to reminder SMS' }));
    smsReplies.addToResourcePolicy(new PolicyStatement({
      actions: ['sns:Publish'],
      principals: [new ServicePrincipal('sms-voice.amazonaws.com')],
      resources: [smsReplies.topicArn],
      conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
    }));
    // SES and End User Messaging SMS publish to the encrypted topics: they need the key, for this account only.
    key.addToResourcePolicy(new PolicyStatement({
      effect: Effect.ALLOW,
      principals: [new ServicePrincipal('ses.amazonaws.com'), new ServicePrincipal('sms-voice.amazonaws.com')],
      actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
    }));

    const identityArns = allDomains.map((domain, i) => {
      const identity = new EmailIdentity(this, i === 0 ? 'SenderIdentity' : `SenderIdentity${i}`, { identity: Identity.domain(domain), configurationSet: feedbackSet });
      return `arn:${this.partition}:ses:${this.region}:${this.account}:identity/${identity.emailIdentityName}`;
    });

    for (const [name, access] of Object.entries(ACCESS) as [FunctionKey, FunctionAccess][]) {
      const role = functions[name].role;
      role.addToPrincipalPolicy(new PolicyStatement({ actions: [...access.table], resources: [table.tableArn] }));
      if (access.index) {
        role.addToPrincipalPolicy(new PolicyStatement({
          actions: [...access.index],
          resources: (access.indexNames ?? [GSI1]).map((name) => `${table.tableArn}/index/${name}`),
        }));
      }
      role.addToPrincipalPolicy(new PolicyStatement({
        actions: TABLE_KEY_ACTIONS,
        resources: [key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${this.region}.amazonaws.com` } },
      }));
      if (access.stateMachine) {
        role.addToPrincipalPolicy(new PolicyStatement({ actions: [...access.stateMachine], resources: [stateMachine.stateMachineArn] }));
      }
      if (access.documents) {
        role.addToPrincipalPolicy(new PolicyStatement({ actions: [...access.documents.actions], resources: [documents.arnForObjects(`${access.documents.prefix}*`)] }));
        role.addToPrincipalPolicy(new PolicyStatement({
          actions: access.documents.actions.map((a) => DOCUMENT_KEY_ACTIONS[a]),
          resources: [key.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': `s3.${this.region}.amazonaws.com` } },
        }));
      }
      if (access.sendsEmail) {
        const send = access.rawEmail ? 'ses:SendRawEmail' : 'ses:SendEmail';
        role.addToPrincipalPolicy(new PolicyStatement({
          actions: [send],
          resources: identityArns,
          conditions: { StringEquals: { 'ses:FromAddress': access.emailSender === 'reminders' ? reminderSenders : senders } },
        }));
        // Sending through the identity's configuration set (bounce and complaint events) is authorised on the set too.
        role.addToPrincipalPolicy(new PolicyStatement({
          actions: [send],
          resources: [`arn:${this.partition}:ses:${this.region}:${this.account}:configuration-set/${feedbackSet.configurationSetName}`],
        }));
      }
      if (access.sendsSms) {
        // Publishing an SMS straight to a phone number has no resource to name: SNS authorises it on "*".
        role.addToPrincipalPolicy(new PolicyStatement({ actions: ['sns:Publish'], resources: ['*'] }));
      }
    }

    // The schedule: its own role (scoped to this account's default schedule group), retries, and
    // an encrypted dead-letter queue for a run that could not be started.
    const deadLetters = (this.deadLetters = new Queue(this, 'MonthlyRunDeadLetters', {
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    }));
    const scheduleRole = (this.scheduleRole = new Role(this, 'MonthlyRunScheduleRole', {
      description: 'EventBridge Scheduler: invoke the monthly run, quarterly list and disclosure run; dead-letter what could not be delivered',
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: {
            'aws:SourceAccount': this.account,
            'aws:SourceArn': `arn:${this.partition}:scheduler:${this.region}:${this.account}:schedule-group/default`,
          },
        },
      }),
    }));
    // Sending to a KMS-encrypted queue needs the key (SQS SSE); the target adds sqs:SendMessage.
    scheduleRole.addToPrincipalPolicy(new PolicyStatement({
      actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
      resources: [key.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `sqs.${this.region}.amazonaws.com` } },
    }));
    // Every schedule: office time, no input, the same retries and dead-letter queue.
    const targetProps = { role: scheduleRole, input: ScheduleTargetInput.fromObject({}), deadLetterQueue: deadLetters, retryAttempts: 3, maxEventAge: Duration.hours(6) };
    const invoke = (name: FunctionKey) => new LambdaInvoke(functions[name].fn, targetProps);
    const schedule = (id: string, description: string, when: Omit<CronOptionsWithTimezone, 'timeZone'>, target: IScheduleTarget) =>
      new Schedule(this, id, { description, schedule: ScheduleExpression.cron({ minute: '0', ...when, timeZone: TimeZone.of(policy.timeZone) }), target });
    schedule('MonthlyRunSchedule', 'Monthly notice run, early in the month, office time',
      { hour: String(policy.monthlyRun.hour), day: String(policy.monthlyRun.dayOfMonth) }, invoke('monthlyRun'));

    const staffApi = (this.staffApi = new StaffApi(this, 'StaffAccess', { handler: functions.staffApi.fn, key }));
    // The quarterly list for the authorities: early in each quarter's first month (the law: before the 15th).
    schedule('QuarterlyListSchedule', 'Quarterly list of late and evading employers, first month of each quarter, office time',
      { hour: String(policy.quarterlyList.hour), day: String(policy.quarterlyList.dayOfMonth), month: QUARTER_FIRST_MONTHS.join(',') }, invoke('quarterlyList'));
    // Disclosure: monthly, days after the monthly run (notices sent, then the publication a month later).
    schedule('DisclosureRunSchedule', 'Monthly disclosure run: pre-disclosure notices and publication, office time',
      { hour: String(policy.disclosure.hour), day: String(policy.disclosure.dayOfMonth) }, invoke('disclosureRun'));

    // The collection report, the same day as the monthly run, once its notices have gone out.
    schedule('CollectionReportSchedule', 'Monthly collection report for managers, after the monthly run, office time',
      { hour: String(policy.report.hour), day: String(policy.monthlyRun.dayOfMonth) }, invoke('collectionReport'));
    // Every unit's monthly statement, after the monthly run (its urging notices point to the statement).
    this.statementRun = new StatementRunWorkflow(this, 'StatementRun', { statementRun: functions.statementRun.fn, policy, logKey: key });
    // Through its state machine: one invocation per scan segment, a few at once.
    schedule('StatementRunSchedule', 'Monthly statement of contribution results to every employer, after the monthly run, office time',
      { hour: String(policy.statement.hour), day: String(policy.statement.dayOfMonth) }, new StepFunctionsStartExecution(this.statementRun.stateMachine, targetProps));
    // Participant reminders: the daily run, and the renewal report of the month before.
    schedule('ReminderRunSchedule', 'Daily reminder run for voluntary SI and household HI, repeated hourly through the day, office time',
      { minute: String(policy.reminders.dailyRun.minute), hour: `${policy.reminders.dailyRun.hour}-${policy.reminders.dailyRun.rerunUntilHour}` }, invoke('reminderRun'));
    schedule('RenewalReportSchedule', 'Monthly renewal report (voluntary SI and household HI) of the month before, office time',
      { hour: String(policy.reminders.report.hour), day: String(policy.reminders.report.dayOfMonth) }, invoke('renewalReport'));
    emailFeedback.addSubscription(new LambdaSubscription(functions.emailFeedback.fn));
    smsReplies.addSubscription(new LambdaSubscription(functions.smsReplies.fn));

    this.monitoring = new Monitoring(this, 'Monitoring', {
      key, policy, stateMachine,
      deadLetterQueues: { ScheduleDeadLetters: deadLetters },
      runFunctions: Object.fromEntries(SCHEDULED.map((k) => [k, functions[k].fn])),
      alarmEmail: this.node.tryGetContext('alarmEmail') as string | undefined,
    });

    new CfnOutput(this, 'TableName', { value: table.tableName });
    new CfnOutput(this, 'ReminderRunFunctionName', { value: functions.reminderRun.fn.functionName });
    new CfnOutput(this, 'RecordRenewalFunctionName', { value: functions.recordRenewal.fn.functionName });
    new CfnOutput(this, 'SmsRepliesTopicArn', { value: smsReplies.topicArn });
    new CfnOutput(this, 'StaffApiUrl', { value: staffApi.stage.url });
    new CfnOutput(this, 'StaffInboxUrl', { value: `${staffApi.inboxUrl}/sign-in` });
    new CfnOutput(this, 'StaffUserPoolId', { value: staffApi.userPool.userPoolId });
    new CfnOutput(this, 'StaffUserPoolClientId', { value: staffApi.client.userPoolClientId });
    new CfnOutput(this, 'StateMachineArn', { value: stateMachine.stateMachineArn });
    new CfnOutput(this, 'MonthlyRunFunctionName', { value: functions.monthlyRun.fn.functionName });
    new CfnOutput(this, 'RecordOutcomeFunctionName', { value: functions.recordOutcome.fn.functionName });
    new CfnOutput(this, 'RecordPaymentFunctionName', { value: functions.recordPayment.fn.functionName });
    new CfnOutput(this, 'DocumentsBucketName', { value: documents.bucketName });
    new CfnOutput(this, 'QuarterlyListFunctionName', { value: functions.quarterlyList.fn.functionName });
    new CfnOutput(this, 'DisclosureRunFunctionName', { value: functions.disclosureRun.fn.functionName });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.monitoring.topic.topicArn });
  }
}
