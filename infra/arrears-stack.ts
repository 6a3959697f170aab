import { CfnOutput, Duration, Stack, type CfnElement, type StackProps } from 'aws-cdk-lib';
import { PolicyStatement, type Role } from 'aws-cdk-lib/aws-iam';
import type { Key } from 'aws-cdk-lib/aws-kms';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import type { Topic } from 'aws-cdk-lib/aws-sns';
import { LambdaSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct, IConstruct } from 'constructs';
import { GSI1 } from '../functions/commons/table.ts';
import { ZNS_WEBHOOK_PATH } from '../functions/commons/zns-webhook.ts';
import { HttpMethod, type HttpRoute } from 'aws-cdk-lib/aws-apigatewayv2';
import { localDate } from '../functions/core/dates.ts';
import { OFFICE_TIME_ZONE, policyFor, type Policy } from '../functions/core/policy.ts';
import { EscalationWorkflow } from '../workflows/escalation.ts';
import { StatementRunWorkflow } from '../workflows/statement-run.ts';
import { ImportRunWorkflow } from '../workflows/import-run.ts';
import { Rule, RuleTargetInput, EventField } from 'aws-cdk-lib/aws-events';
import { SfnStateMachine } from 'aws-cdk-lib/aws-events-targets';
import { MonthlyRunWorkflow, noticeCatchUpWaits } from '../workflows/monthly-run.ts';
import { ESCALATION_FUNCTIONS, type EscalationFunction } from '../workflows/state-names.ts';
import { ArrearsFunction } from './constructs/arrears-function.ts';
import { Data } from './constructs/data.ts';
import { Messaging } from './constructs/messaging.ts';
import { Monitoring } from './constructs/monitoring.ts';
import { Schedules } from './constructs/schedules.ts';
import { StaffApi } from './constructs/staff-api.ts';
import { deploymentConfig, type DeploymentConfig } from './deployment-config.ts';
import { loadOffice, officeEnvironment } from './office-config.ts';
import type { OfficeSettings } from '../functions/core/office.ts';
import { FUNCTION_KEYS, FUNCTION_SPECS, type FunctionAccess, type FunctionKey } from './registry/functions.ts';
import { SCHEDULED_RUNS, SCHEDULES } from './registry/schedules.ts';

export type { FunctionAccess, FunctionKey } from './registry/functions.ts';

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
  /** How it is operated (scan segments, alarms); by default infra/deployment-config.ts's, with the CDK context `deployment` over it. */
  deployment?: DeploymentConfig;
  /** The office it serves (name, accounts, senders, phones); by default config/offices/<context `office`, else sample>.json. */
  office?: OfficeSettings;
}

/**
 * Arrears follow-up: the data (key, table, reports bucket), the functions of the registry
 * (infra/registry/functions.ts) with their roles, the escalation and statement-run state machines,
 * messaging (SES, End User Messaging SMS, SNS), the staff API, the schedules of the registry (infra/registry/schedules.ts)
 * and monitoring.
 */
export class ArrearsStack extends Stack {
  readonly policy: Policy;
  readonly deployment: DeploymentConfig;
  readonly office: OfficeSettings;
  /** What every function is given of the office (OFFICE_SETTINGS), validated and sized once. */
  private readonly officeEnv: Record<string, string>;
  readonly data: Data;
  readonly key: Key;
  readonly table: Table;
  readonly documents: Bucket;
  readonly accessLogs: Bucket;
  readonly functions: Record<FunctionKey, ArrearsFunction>;
  readonly workflow: EscalationWorkflow;
  readonly statementRun: StatementRunWorkflow;
  readonly importRun: ImportRunWorkflow;
  readonly imports: Bucket;
  readonly importRule: Rule;
  readonly monthlyRun: MonthlyRunWorkflow;
  readonly messaging: Messaging;
  readonly emailFeedbackTopic: Topic;
  readonly smsRepliesTopic: Topic;
  readonly staffApi: StaffApi;
  /** Zalo's webhook route (POST /zalo/events), when the deployment has `zns`: no authorizer, the calls are signed. */
  readonly zaloWebhookRoutes: HttpRoute[] = [];
  readonly schedules: Schedules;
  readonly scheduleRole: Role;
  readonly deadLetters: Queue;
  readonly monitoring: Monitoring;
  /**
   * Constructs that group the stack's code, not its template (data, messaging, schedules): their
   * resources keep the logical ids they had as the stack's own children, so no table, key or
   * bucket is replaced by the grouping.
   */
  private readonly layout = new Set<IConstruct>();

  constructor(scope: Construct, id: string, props: ArrearsStackProps = {}) {
    super(scope, id, props);
    const policy = (this.policy = props.policy ?? policyFor(localDate(new Date(), OFFICE_TIME_ZONE)));
    const office = (this.office = props.office ?? loadOffice(this.node.tryGetContext('office') as string | undefined));
    this.officeEnv = officeEnvironment(office);
    const deployment = (this.deployment = props.deployment ?? deploymentConfig(this.node.tryGetContext('deployment'), this.node.tryGetContext('alarmEmail') ?? office.alarmEmail));

    const data = (this.data = this.grouping(new Data(this, 'Data')));
    const { key, table, documents } = data;
    this.key = key;
    this.table = table;
    this.documents = documents;
    this.accessLogs = data.accessLogs;
    this.imports = data.imports;

    const functions = (this.functions = Object.fromEntries(FUNCTION_KEYS.map((name) => [name, this.makeFunction(name)])) as Record<FunctionKey, ArrearsFunction>);

    const workflow = (this.workflow = new EscalationWorkflow(this, 'Escalation', {
      functions: Object.fromEntries(ESCALATION_FUNCTIONS.map((k) => [k, functions[k].fn])) as Record<EscalationFunction, ArrearsFunction['fn']>,
      policy,
      logKey: key,
    }));
    const stateMachine = workflow.stateMachine;
    // Only the monthly run starts executions; the others resume one with the task token they hold.
    functions.monthlyRun.fn.addEnvironment('STATE_MACHINE_ARN', stateMachine.stateMachineArn);

    const messaging = (this.messaging = this.grouping(new Messaging(this, 'Messaging', { office, key })));
    this.emailFeedbackTopic = messaging.emailFeedbackTopic;
    this.smsRepliesTopic = messaging.smsRepliesTopic;
    for (const name of FUNCTION_KEYS) this.grant(functions[name].role, FUNCTION_SPECS[name].access);
    for (const name of FUNCTION_KEYS.filter((k) => FUNCTION_SPECS[k].access.sendsSms)) {
      functions[name].fn.addEnvironment('SMS_CONFIGURATION_SET', messaging.smsConfigurationSetName);
    }
    if (deployment.zns) {
      for (const name of FUNCTION_KEYS.filter((k) => FUNCTION_SPECS[k].access.sendsZns)) functions[name].fn.addEnvironment('ZNS_TOKEN_PARAMETER', deployment.zns.tokenParameter);
    }

    const staffApi = (this.staffApi = new StaffApi(this, 'StaffAccess', { handler: functions.staffApi.fn, key, table }));
    if (deployment.zns) {
      // Zalo's webhook posts here (README "Zalo ZNS": set this URL in the Zalo app's webhook settings).
      this.zaloWebhookRoutes.push(...staffApi.addSignedRoute('ZaloEvents', ZNS_WEBHOOK_PATH, HttpMethod.POST, functions.znsFeedback.fn));
      functions.znsFeedback.fn.addEnvironment('ZNS_APP_ID', deployment.zns.appId);
      functions.znsFeedback.fn.addEnvironment('ZNS_WEBHOOK_SECRET_PARAMETER', deployment.zns.webhookSecretParameter);
      new CfnOutput(this, 'ZaloWebhookUrl', { value: `${staffApi.api.apiEndpoint}${ZNS_WEBHOOK_PATH}` });
    }
    // Officers' emails link to their task in the inbox, on the staff API's URL.
    for (const name of FUNCTION_KEYS.filter((k) => FUNCTION_SPECS[k].linksToInbox)) functions[name].fn.addEnvironment('INBOX_URL', staffApi.inboxUrl);
    // The roster sync's calls on the user pool, on that pool only.
    for (const name of FUNCTION_KEYS) {
      const actions = FUNCTION_SPECS[name].access.staffDirectory;
      if (!actions) continue;
      functions[name].role.addToPrincipalPolicy(new PolicyStatement({ actions: [...actions], resources: [staffApi.userPool.userPoolArn] }));
      functions[name].fn.addEnvironment('USER_POOL_ID', staffApi.userPool.userPoolId);
    }
    // Every unit's monthly statement, after the monthly run: one invocation per scan segment, a few at once.
    this.statementRun = new StatementRunWorkflow(this, 'StatementRun', {
      statementRun: functions.statementRun.fn,
      redriveRun: functions.redriveRun.fn,
      fanOut: deployment.statementRun,
      // A claim left by a dead segment is taken over once this old (the policy's takeover age).
      catchUp: { waitSeconds: (policy.notice.claimStaleAfterMinutes + 1) * 60, attempts: deployment.statementRun.catchUpAttempts },
      logKey: key,
    });

    // Each upload under imports/<batch>/ starts the batch's import; one already running takes the file too.
    this.importRun = new ImportRunWorkflow(this, 'ImportRun', { importRun: functions.importRun.fn, importCollections: functions.importCollections.fn, rosterSync: functions.rosterSync.fn, logKey: key });
    this.importRule = new Rule(this, 'ImportUploads', {
      description: 'A CSV file uploaded under imports/<batch>/ starts the import of the batch',
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created'],
        detail: { bucket: { name: [data.imports.bucketName] }, object: { key: [{ wildcard: 'imports/*/*.csv' }] } },
      },
      targets: [new SfnStateMachine(this.importRun.stateMachine, { input: RuleTargetInput.fromObject({ key: EventField.fromPath('$.detail.object.key') }) })],
    });
    // The monthly run: plan, one invocation per scan segment (each starting its escalations at its share of the quota), summary.
    // Then the catch-up of its urging notices, with backoff until the notices' deadline (then it fails: the MonthlyRunFailed alarm).
    this.monthlyRun = new MonthlyRunWorkflow(this, 'MonthlyRun', {
      monthlyRun: functions.monthlyRun.fn,
      redriveRun: functions.redriveRun.fn,
      catchUpWaits: noticeCatchUpWaits(policy),
      fanOut: deployment.monthlyRun,
      logKey: key,
    });

    const schedules = (this.schedules = this.grouping(new Schedules(this, 'Schedules', {
      schedules: SCHEDULES,
      policy,
      key,
      functions: Object.fromEntries(FUNCTION_KEYS.map((k) => [k, functions[k].fn])) as Record<FunctionKey, ArrearsFunction['fn']>,
      stateMachines: { statementRun: this.statementRun.stateMachine, monthlyRun: this.monthlyRun.stateMachine },
    })));
    this.scheduleRole = schedules.role;
    this.deadLetters = schedules.deadLetters;

    messaging.emailFeedbackTopic.addSubscription(new LambdaSubscription(functions.emailFeedback.fn));
    messaging.smsRepliesTopic.addSubscription(new LambdaSubscription(functions.smsReplies.fn));
    messaging.smsEventsTopic.addSubscription(new LambdaSubscription(functions.smsFeedback.fn));

    this.monitoring = new Monitoring(this, 'Monitoring', {
      key, alarms: deployment.alarms, stateMachine,
      deadLetterQueues: { ScheduleDeadLetters: schedules.deadLetters },
      importStateMachine: this.importRun.stateMachine,
      runFunctions: Object.fromEntries(SCHEDULED_RUNS.map((k) => [k, functions[k].fn])),
      runStateMachines: { MonthlyRun: this.monthlyRun.stateMachine, StatementRun: this.statementRun.stateMachine },
    });

    new CfnOutput(this, 'TableName', { value: table.tableName });
    new CfnOutput(this, 'ReminderRunFunctionName', { value: functions.reminderRun.fn.functionName });
    new CfnOutput(this, 'RecordRenewalFunctionName', { value: functions.recordRenewal.fn.functionName });
    new CfnOutput(this, 'SmsRepliesTopicArn', { value: messaging.smsRepliesTopic.topicArn });
    new CfnOutput(this, 'StaffApiUrl', { value: staffApi.stage.url });
    new CfnOutput(this, 'StaffInboxUrl', { value: `${staffApi.inboxUrl}/sign-in` });
    new CfnOutput(this, 'StaffUserPoolId', { value: staffApi.userPool.userPoolId });
    new CfnOutput(this, 'StaffUserPoolClientId', { value: staffApi.client.userPoolClientId });
    new CfnOutput(this, 'RosterSyncFunctionName', { value: functions.rosterSync.fn.functionName });
    new CfnOutput(this, 'StateMachineArn', { value: stateMachine.stateMachineArn });
    new CfnOutput(this, 'MonthlyRunFunctionName', { value: functions.monthlyRun.fn.functionName });
    new CfnOutput(this, 'MonthlyRunStateMachineArn', { value: this.monthlyRun.stateMachine.stateMachineArn });
    new CfnOutput(this, 'RecordOutcomeFunctionName', { value: functions.recordOutcome.fn.functionName });
    new CfnOutput(this, 'RecordPaymentFunctionName', { value: functions.recordPayment.fn.functionName });
    new CfnOutput(this, 'DocumentsBucketName', { value: documents.bucketName });
    new CfnOutput(this, 'QuarterlyListFunctionName', { value: functions.quarterlyList.fn.functionName });
    new CfnOutput(this, 'DisclosureRunFunctionName', { value: functions.disclosureRun.fn.functionName });
    new CfnOutput(this, 'ImportBucketName', { value: data.imports.bucketName });
    new CfnOutput(this, 'ImportStateMachineArn', { value: this.importRun.stateMachine.stateMachineArn });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.monitoring.topic.topicArn });
  }

  /** A function of the registry: its entry, size, time, bundled files and environment. */
  private makeFunction(name: FunctionKey): ArrearsFunction {
    const spec = FUNCTION_SPECS[name];
    return new ArrearsFunction(this, name, {
      entry: spec.entry,
      key: this.key,
      environment: {
        TABLE_NAME: this.table.tableName,
        // Every function is given the office's settings (functions/commons/office.ts): in the environment,
        // not the bundle, so every province deploys the same bundles and only this variable differs.
        ...this.officeEnv,
        ...(spec.access.documents ? { DOCUMENTS_BUCKET: this.documents.bucketName, DOCUMENTS_KEY_ARN: this.key.keyArn } : {}),
        ...(spec.access.imports ? { IMPORT_BUCKET: this.imports.bucketName, DOCUMENTS_KEY_ARN: this.key.keyArn } : {}),
        ...spec.operations?.(this.deployment),
        ...(spec.files ? { [spec.files.env]: `/var/task/${spec.files.to}` } : {}),
      },
      ...(spec.memorySize ? { memorySize: spec.memorySize } : {}),
      ...(spec.timeoutSeconds ? { timeout: Duration.seconds(spec.timeoutSeconds) } : {}),
      ...(spec.files ? { copyFiles: { from: spec.files.from, to: spec.files.to } } : {}),
    });
  }

  /** A function's role: its access record and nothing else. */
  private grant(role: Role, access: FunctionAccess): void {
    const { table, key, documents } = this;
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
      role.addToPrincipalPolicy(new PolicyStatement({ actions: [...access.stateMachine], resources: [this.workflow.stateMachine.stateMachineArn] }));
    }
    if (access.documents) {
      role.addToPrincipalPolicy(new PolicyStatement({ actions: [...access.documents.actions], resources: [documents.arnForObjects(`${access.documents.prefix}*`)] }));
      if (access.documents.lists) {
        role.addToPrincipalPolicy(new PolicyStatement({ actions: ['s3:ListBucket'], resources: [documents.bucketArn], conditions: { StringLike: { 's3:prefix': `${access.documents.prefix}*` } } }));
      }
      role.addToPrincipalPolicy(new PolicyStatement({
        actions: access.documents.actions.map((a) => DOCUMENT_KEY_ACTIONS[a]),
        resources: [key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `s3.${this.region}.amazonaws.com` } },
      }));
    }
    if (access.imports) {
      const imports = this.imports;
      role.addToPrincipalPolicy(new PolicyStatement({ actions: ['s3:GetObject'], resources: [imports.arnForObjects('imports/*')] }));
      role.addToPrincipalPolicy(new PolicyStatement({ actions: ['s3:PutObject', 's3:GetObject'], resources: [imports.arnForObjects('reports/*'), imports.arnForObjects('checkpoints/*')] }));
      if (access.imports.lists) {
        role.addToPrincipalPolicy(new PolicyStatement({ actions: ['s3:ListBucket'], resources: [imports.bucketArn], conditions: { StringLike: { 's3:prefix': 'imports/*' } } }));
      }
      role.addToPrincipalPolicy(new PolicyStatement({
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: [key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `s3.${this.region}.amazonaws.com` } },
      }));
    }
    if (access.sendsEmail) {
      const send = (access.emailForms ?? ['plain']).map((form) => (form === 'raw' ? 'ses:SendRawEmail' : 'ses:SendEmail'));
      role.addToPrincipalPolicy(new PolicyStatement({
        actions: send,
        resources: this.messaging.identityArns,
        conditions: { StringEquals: { 'ses:FromAddress': access.emailSender === 'reminders' ? this.messaging.reminderSenders : this.messaging.senders } },
      }));
      // Sending through the identity's configuration set (bounce and complaint events) is authorised on the set too.
      role.addToPrincipalPolicy(new PolicyStatement({ actions: send, resources: [this.messaging.configurationSetArn] }));
    }
    if (access.sendsZns) this.grantZnsParameter(role, 'tokenParameter');
    if (access.readsZnsWebhookSecret) this.grantZnsParameter(role, 'webhookSecretParameter');
    if (access.sendsSms) {
      // SendTextMessage is authorised on the configuration set and on the origination identity (the sender ID).
      role.addToPrincipalPolicy(new PolicyStatement({
        actions: ['sms-voice:SendTextMessage'],
        resources: [this.messaging.smsConfigurationSet.attrArn, ...this.messaging.smsSenderIdArns],
      }));
    }
  }

  /** Zalo ZNS: read one parameter (the token, the webhook's secret), decrypt it through SSM when its key is the office's own. */
  private grantZnsParameter(role: Role, parameter: 'tokenParameter' | 'webhookSecretParameter'): void {
    const zns = this.deployment.zns;
    if (!zns) return;
    role.addToPrincipalPolicy(new PolicyStatement({
      actions: ['ssm:GetParameter'],
      resources: [this.formatArn({ service: 'ssm', resource: 'parameter', resourceName: zns[parameter].slice(1) })],
    }));
    if (zns.kmsKeyArn) {
      role.addToPrincipalPolicy(new PolicyStatement({
        actions: ['kms:Decrypt'], resources: [zns.kmsKeyArn], conditions: { StringEquals: { 'kms:ViaService': `ssm.${this.region}.amazonaws.com` } },
      }));
    }
  }

  private grouping<T extends IConstruct>(construct: T): T {
    this.layout.add(construct);
    return construct;
  }

  /** The logical id as if the grouping constructs were not in the path (Stack's own scheme otherwise). */
  protected override allocateLogicalId(element: CfnElement): string {
    if (!this.layout?.size || !element.node.scopes.some((s) => this.layout.has(s))) return super.allocateLogicalId(element);
    const scopes = element.node.scopes.filter((s) => !this.layout.has(s));
    return super.allocateLogicalId(Object.create(element, { node: { value: { scopes } } }) as CfnElement);
  }
}
