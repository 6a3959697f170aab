import { STAFF_ROUTES } from '../../functions/api/route-table.ts';
import { describe, expect, it } from 'vitest';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { synthesizeTemplate, escalationDefinition } from '../../infra/definition.ts';
import { OFFICE_TIME_ZONE, policyFor } from '../../functions/core/policy.ts';
import { localDate } from '../../functions/core/dates.ts';
import { TABLE_DESIGN } from '../../functions/commons/table.ts';
import { FUNCTION_KEYS, type FunctionKey } from '../../infra/registry/functions.ts';
import { METRICS, METRICS_NAMESPACE, SERVICE_NAME } from '../../functions/core/metric-names.ts';
import { SCHEDULED_RUNS } from '../../infra/registry/schedules.ts';
import { DEFAULT_DEPLOYMENT } from '../../infra/deployment-config.ts';
import { SMS_EVENT_TYPES } from '../../functions/core/sms-events.ts';
import { loadOffice } from '../../infra/office-config.ts';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../../infra/app-builder.ts';
import { deploymentConfig } from '../../infra/deployment-config.ts';

/** The sample office's settings: the senders the stack is built with. */
const office = loadOffice();

/** One synth for the file (in-process, bundling off, cdk-nag on): the template `cdk synth` writes. */
const json = synthesizeTemplate();
const template = Template.fromJSON(json);
const policy = policyFor(localDate(new Date(), OFFICE_TIME_ZONE));
const KEYS: string[] = FUNCTION_KEYS;
const ALARMS = DEFAULT_DEPLOYMENT.alarms;

type Statement = { Action: string | string[]; Resource: unknown; Condition?: unknown };
/** Every IAM statement, with the logical id of the policy it belongs to. */
const statements = Object.entries(json.Resources)
  .filter(([, r]) => r.Type === 'AWS::IAM::Policy')
  .flatMap(([id, r]) => (r.Properties as { PolicyDocument: { Statement: Statement[] } }).PolicyDocument.Statement.map((s) => ({ policy: id, ...s })));
const actionsOf = (s: { Action: string | string[] }) => [s.Action].flat();
/** The functions (by key) whose role's policy allows the action. */
const functionsAllowed = (action: string) =>
  [...new Set(statements.filter((s) => actionsOf(s).includes(action)).map((s) => s.policy))]
    .map((id) => KEYS.find((k) => new RegExp(`^${k}RoleDefaultPolicy`).test(id)) ?? id)
    .sort();
const logicalId = (type: string, prefix: string) => {
  const ids = Object.keys(json.Resources).filter((id) => json.Resources[id]!.Type === type && id.startsWith(prefix));
  expect(ids, `${type} ${prefix}*`).toHaveLength(1);
  return ids[0]!;
};
const keyId = logicalId('AWS::KMS::Key', 'DataKey');

describe('ArrearsFollowUp stack', () => {
  it('keeps the one table encrypted with the customer-managed key, recoverable, retained, with its index', () => {
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        KeySchema: [{ AttributeName: TABLE_DESIGN.partitionKey, KeyType: 'HASH' }, { AttributeName: TABLE_DESIGN.sortKey, KeyType: 'RANGE' }],
        BillingMode: 'PAY_PER_REQUEST',
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
        GlobalSecondaryIndexes: TABLE_DESIGN.indexes.map((i) => ({
          IndexName: i.name,
          KeySchema: [{ AttributeName: i.partitionKey, KeyType: 'HASH' }, { AttributeName: i.sortKey, KeyType: 'RANGE' }],
          Projection: { ProjectionType: 'ALL' },
        })),
      },
    });
    expect(TABLE_DESIGN.indexes.map((i) => i.name)).toContain('gsi1');
    template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain', Properties: { EnableKeyRotation: true } });
  });

  it('schedules the monthly run from the policy, in Asia/Ho_Chi_Minh time, with retries and an encrypted dead-letter queue', () => {
    const queueId = logicalId('AWS::SQS::Queue', 'MonthlyRunDeadLetters');
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: `cron(0 ${policy.monthlyRun.hour} ${policy.monthlyRun.dayOfMonth} * ? *)`,
      ScheduleExpressionTimezone: 'Asia/Ho_Chi_Minh',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: Match.objectLike({
        // Through its state machine (plan, a Map over the scan segments, summary).
        Arn: { Ref: logicalId('AWS::StepFunctions::StateMachine', 'MonthlyRun') },
        Input: '{}',
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queueId, 'Arn'] } },
        RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 6 * 3600 },
      }),
    });
    expect(policy.timeZone).toBe('Asia/Ho_Chi_Minh');
    template.hasResourceProperties('AWS::SQS::Queue', { KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } });
    // The scheduler's role: trusted by the scheduler for this account only, and able to use the queue's key.
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'scheduler.amazonaws.com' }, Condition: { StringEquals: Match.objectLike({ 'aws:SourceAccount': Match.anyValue() }) } })] },
    });
    expect(statements.filter((s) => s.policy.startsWith('MonthlyRunScheduleRole') && actionsOf(s).some((a) => a.startsWith('kms:')))).toEqual([
      expect.objectContaining({ Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Condition: { StringEquals: { 'kms:ViaService': 'sqs.ap-southeast-1.amazonaws.com' } } }),
    ]);
  });

  it('schedules the quarterly list, the disclosure run and the collection report from the policy, in office time, with the same retries and dead-letter queue', () => {
    const queueId = logicalId('AWS::SQS::Queue', 'MonthlyRunDeadLetters');
    const target = (fn: string) => Match.objectLike({
      Arn: { 'Fn::GetAtt': [logicalId('AWS::Lambda::Function', `${fn}Function`), 'Arn'] },
      Input: '{}',
      DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queueId, 'Arn'] } },
      RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 6 * 3600 },
    });
    // The first month of each quarter, before the 15th (Decree 274/2025).
    expect(policy.quarterlyList.dayOfMonth).toBeLessThan(15);
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: `cron(0 ${policy.quarterlyList.hour} ${policy.quarterlyList.dayOfMonth} 1,4,7,10 ? *)`,
      ScheduleExpressionTimezone: 'Asia/Ho_Chi_Minh',
      Target: target('quarterlyList'),
    });
    expect(policy.disclosure.dayOfMonth).toBeGreaterThan(policy.monthlyRun.dayOfMonth);
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: `cron(0 ${policy.disclosure.hour} ${policy.disclosure.dayOfMonth} * ? *)`,
      ScheduleExpressionTimezone: 'Asia/Ho_Chi_Minh',
      Target: target('disclosureRun'),
    });
    // The collection report, the monthly run's day, after it.
    expect(policy.report.hour).toBeGreaterThan(policy.monthlyRun.hour);
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: `cron(0 ${policy.report.hour} ${policy.monthlyRun.dayOfMonth} * ? *)`,
      ScheduleExpressionTimezone: 'Asia/Ho_Chi_Minh',
      Target: target('collectionReport'),
    });
    // Participant reminders: daily at the policy's time; the renewal report monthly.
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: `cron(${policy.reminders.dailyRun.minute} ${policy.reminders.dailyRun.hour}-${policy.reminders.dailyRun.rerunUntilHour} * * ? *)`,
      ScheduleExpressionTimezone: 'Asia/Ho_Chi_Minh',
      Target: target('reminderRun'),
    });
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: `cron(0 ${policy.reminders.report.hour} ${policy.reminders.report.dayOfMonth} * ? *)`,
      ScheduleExpressionTimezone: 'Asia/Ho_Chi_Minh',
      Target: target('renewalReport'),
    });
    // Every unit's statement, after the monthly run (the urging notices point to it), through its
    // state machine: one invocation per scan segment.
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: `cron(0 ${policy.statement.hour} ${policy.statement.dayOfMonth} * ? *)`,
      ScheduleExpressionTimezone: 'Asia/Ho_Chi_Minh',
      Target: Match.objectLike({
        Arn: { Ref: logicalId('AWS::StepFunctions::StateMachine', 'StatementRun') },
        Input: '{}',
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queueId, 'Arn'] } },
        RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 6 * 3600 },
      }),
    });
    // What did not go out, sent again daily from the monthly run's day to the day after the latest deadline (employees' notices: the 15th).
    expect(policy.delivery['employee-notice'].deadlineDayOfMonth).toBeGreaterThan(policy.delivery.urging.deadlineDayOfMonth!);
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: `cron(0 ${policy.redrive.hour} ${policy.monthlyRun.dayOfMonth}-${policy.delivery['employees-informed'].deadlineDayOfMonth! + 1} * ? *)`,
      ScheduleExpressionTimezone: 'Asia/Ho_Chi_Minh',
      Target: target('redriveRun'),
    });
    // Employees' right to know: on the policy's day (the 10th), then hourly reruns through its last hour.
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: `cron(0 ${policy.employeeNotice.hour}-${policy.employeeNotice.rerunUntilHour} ${policy.employeeNotice.dayOfMonth} * ? *)`,
      ScheduleExpressionTimezone: 'Asia/Ho_Chi_Minh',
      Target: target('employeeNoticeRun'),
    });
    template.resourceCountIs('AWS::Scheduler::Schedule', 10);
  });

  it('keeps the reports in a private, versioned, access-logged bucket encrypted with the key, TLS only', () => {
    const logsId = logicalId('AWS::S3::Bucket', 'DocumentsAccessLogs');
    const importsId = logicalId('AWS::S3::Bucket', 'Imports');
    const bucketId = Object.keys(json.Resources).find((id) => json.Resources[id]!.Type === 'AWS::S3::Bucket' && id !== logsId && id !== importsId)!;
    const privateBucket = {
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      VersioningConfiguration: { Status: 'Enabled' },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
    };
    template.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        ...privateBucket,
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [keyId, 'Arn'] } } }] },
        LoggingConfiguration: { DestinationBucketName: { Ref: logsId }, LogFilePrefix: 'documents/' },
      }),
    });
    template.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Retain', Properties: Match.objectLike(privateBucket) });
    // Both buckets refuse requests without TLS.
    for (const id of [bucketId, logsId]) {
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: id },
        PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
      });
    }
    // Only the report functions touch it, each on its own prefix, with only the calls it makes; the staff API reads the
    // managers' collection report (and lists its dates, only under reports/).
    const s3 = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('s3:')) && s.policy.match(/RoleDefaultPolicy/) && !JSON.stringify(s.Resource).includes(importsId));
    expect(s3.filter((s) => actionsOf(s).includes('s3:ListBucket')).map((s) => s.Condition)).toEqual([{ StringLike: { 's3:prefix': 'reports/*' } }]);
    const byFunction = (a: { fn?: string }, b: { fn?: string }) => KEYS.indexOf(a.fn as FunctionKey) - KEYS.indexOf(b.fn as FunctionKey);
    expect(s3.map((s) => ({ fn: KEYS.find((k) => s.policy.startsWith(`${k}Role`)), actions: actionsOf(s).sort(), resource: JSON.stringify(s.Resource) })).sort(byFunction)).toEqual([
      { fn: 'staffApi', actions: ['s3:GetObject'], resource: JSON.stringify({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/reports/*']] }) },
      { fn: 'staffApi', actions: ['s3:ListBucket'], resource: JSON.stringify({ 'Fn::GetAtt': [bucketId, 'Arn'] }) },
      { fn: 'quarterlyList', actions: ['s3:PutObject'], resource: JSON.stringify({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/quarterly/*']] }) },
      { fn: 'disclosureRun', actions: ['s3:GetObject', 's3:PutObject'], resource: JSON.stringify({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/disclosure/*']] }) },
      { fn: 'collectionReport', actions: ['s3:PutObject'], resource: JSON.stringify({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/reports/*']] }) },
      { fn: 'renewalReport', actions: ['s3:PutObject'], resource: JSON.stringify({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/renewals/*']] }) },
    ]);
  });

  it('keeps the uploads in a private, versioned, access-logged import bucket encrypted with the key, TLS only, whose uploads start the import', () => {
    const importsId = logicalId('AWS::S3::Bucket', 'Imports');
    const logsId = logicalId('AWS::S3::Bucket', 'DocumentsAccessLogs');
    template.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        VersioningConfiguration: { Status: 'Enabled' },
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [keyId, 'Arn'] } } }] },
        LoggingConfiguration: { DestinationBucketName: { Ref: logsId }, LogFilePrefix: 'imports/' },
        NotificationConfiguration: { EventBridgeConfiguration: { EventBridgeEnabled: true } },
      }),
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: importsId },
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
    // No custom resource configures the notification: no function beyond the registry's.
    expect(Object.values(json.Resources).filter((r) => r.Type === 'Custom::S3BucketNotifications')).toEqual([]);
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['aws.s3'], 'detail-type': ['Object Created'], detail: { bucket: { name: [{ Ref: importsId }] }, object: { key: [{ wildcard: 'imports/*/*.csv' }] } } },
      Targets: [Match.objectLike({
        Arn: { Ref: logicalId('AWS::StepFunctions::StateMachine', 'ImportRun') },
        InputTransformer: { InputPathsMap: { 'detail-object-key': '$.detail.object.key' }, InputTemplate: '{"key":<detail-object-key>}' },
      })],
    });
    // The import functions: the uploads read, reports and checkpoints written and read, the batch listed (importRun only).
    const onImports = statements.filter((s) => JSON.stringify(s.Resource).includes(importsId));
    const grants = onImports.map((s) => ({ fn: KEYS.find((k) => s.policy.startsWith(`${k}Role`)), actions: actionsOf(s).sort(), resource: JSON.stringify(s.Resource) }));
    const objects = (prefix: string) => JSON.stringify({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [importsId, 'Arn'] }, `/${prefix}*`]] });
    for (const fn of ['importRun', 'importCollections']) {
      expect(grants.filter((g) => g.fn === fn && g.resource.includes('imports/*'))).toEqual([{ fn, actions: ['s3:GetObject'], resource: objects('imports/') }]);
      expect(grants.filter((g) => g.fn === fn && g.resource.includes('reports/*'))).toEqual([{ fn, actions: ['s3:GetObject', 's3:PutObject'], resource: JSON.stringify([JSON.parse(objects('checkpoints/')), JSON.parse(objects('reports/'))]) }]);
    }
    const list = onImports.filter((s) => actionsOf(s).includes('s3:ListBucket'));
    expect(list.map((s) => [KEYS.find((k) => s.policy.startsWith(`${k}Role`)), s.Condition])).toEqual([['importRun', { StringLike: { 's3:prefix': 'imports/*' } }]]);
    expect(new Set(grants.map((g) => g.fn))).toEqual(new Set(['importRun', 'importCollections']));
  });

  it('defines the escalation in JSONPath with callback tasks that time out on their due date', () => {
    const asl = escalationDefinition(json);
    const text = JSON.stringify(asl);
    expect(asl.QueryLanguage).toBeUndefined();
    expect(text).not.toMatch(/JSONata|QueryLanguage/);
    expect(text).not.toContain('"Assign"');
    const states = asl.States as Record<string, Record<string, unknown>>;
    for (const name of ['WaitForOfficerOutcome', 'WaitForTeamLeadOutcome']) {
      expect(states[name]!.Resource).toMatch(/:lambda:invoke\.waitForTaskToken$/);
      expect(states[name]!.TimeoutSecondsPath).toBe('$.assignment.timeoutSeconds');
    }
    expect(asl.TimeoutSeconds).toBe((Math.max(...policy.stages.map((s) => s.task?.dueDays ?? 0)) + policy.taskEscalation.dueDays + 1) * 86_400);
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: Match.objectLike({ Level: 'ALL', IncludeExecutionData: false }),
    });
  });

  it('gives each role only the calls it makes', () => {
    // The functions that send email: urging notices, payment confirmations, overdue-task notes to officers.
    // ... staff recording payments, and pre-disclosure notices.
    // A collection file's payments are confirmed as staff's are (importCollections, as recordPayment).
    // The collection report tells the office's managers of it.
    expect(functionsAllowed('ses:SendEmail')).toEqual(['collectionReport', 'disclosureRun', 'employeeNoticeRun', 'importCollections', 'openTask', 'recordPayment', 'redriveRun', 'reminderRun', 'rosterSync', 'sendNotice', 'staffApi', 'taskTimeout']);
    // SMS: only the reminder run, the employee notice run and the redrive (employees' notices sent again), by End User
    // Messaging SMS on its configuration set and the policy's sender ID; no SNS publishing at all.
    expect(functionsAllowed('sns:Publish')).toEqual([]);
    expect(functionsAllowed('sms-voice:SendTextMessage')).toEqual(['employeeNoticeRun', 'redriveRun', 'reminderRun']);
    // Each of the three on the same set and sender ID only.
    expect([...new Set(statements.filter((s) => actionsOf(s).includes('sms-voice:SendTextMessage')).map((s) => JSON.stringify(s.Resource)))].map((r) => JSON.parse(r) as unknown)).toEqual([[
      { 'Fn::GetAtt': [logicalId('AWS::SMSVOICE::ConfigurationSet', 'SmsConfigurationSet'), 'Arn'] },
      { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sms-voice:ap-southeast-1:', { Ref: 'AWS::AccountId' }, `:sender-id/${office.sms.senderId}/VN`]] },
    ]]);
    // The reminder run queries the reminder index (gsi2) only; the report the due-month index (gsi1).
    const indexOf = (fn: string) => JSON.stringify(statements.filter((s) => s.policy.startsWith(`${fn}Role`) && JSON.stringify(s.Resource).includes('/index/')).map((s) => s.Resource));
    expect(indexOf('reminderRun')).toContain('/index/gsi2');
    expect(indexOf('reminderRun')).not.toContain('/index/gsi1');
    expect(indexOf('renewalReport')).toContain('/index/gsi1');
    // Only the statement run sends a MIME message (its PDF attached), from the notices' sender.
    expect(functionsAllowed('ses:SendRawEmail')).toEqual(['redriveRun', 'statementRun']);
    // Executions are started by the monthly run (escalations), the scheduler's role (the monthly and statement runs) and the upload rule's role (the import), each on its own machine.
    expect(functionsAllowed('states:StartExecution')).toEqual(['ImportRunStateMachineEventsRoleDefaultPolicy', 'MonthlyRunScheduleRoleDefaultPolicy', 'monthlyRun'].map((k) => expect.stringMatching(new RegExp(`^${k}`))));
    expect(statements.find((st) => actionsOf(st).includes('states:StartExecution') && st.policy.startsWith('ImportRunStateMachineEventsRole'))!.Resource)
      .toEqual({ Ref: logicalId('AWS::StepFunctions::StateMachine', 'ImportRun') });
    expect(statements.filter((st) => actionsOf(st).includes('states:StartExecution') && st.policy.startsWith('MonthlyRunScheduleRole')).flatMap((st) => [st.Resource].flat()))
      .toEqual(expect.arrayContaining([{ Ref: logicalId('AWS::StepFunctions::StateMachine', 'StatementRun') }, { Ref: logicalId('AWS::StepFunctions::StateMachine', 'MonthlyRun') }]));
    expect(statements.find((st) => actionsOf(st).includes('states:StartExecution') && st.policy.startsWith('monthlyRun'))!.Resource)
      .toEqual({ Ref: logicalId('AWS::StepFunctions::StateMachine', 'Escalation') });
    expect(functionsAllowed('states:SendTaskSuccess')).toEqual(['importCollections', 'recordOutcome', 'recordPayment', 'staffApi']);
    expect(functionsAllowed('states:SendTaskFailure')).toEqual([]);
    expect(functionsAllowed('dynamodb:Scan')).toEqual(['collectionReport', 'disclosureRun', 'employeeNoticeRun', 'monthlyRun', 'quarterlyList', 'reconciliationRun', 'statementRun']);
    // Nothing deletes: a lifted hold is marked cleared (an update), which IAM needs no DeleteItem for.
    expect(functionsAllowed('dynamodb:DeleteItem')).toEqual([]);
    for (const s of statements) {
      for (const action of actionsOf(s)) {
        expect(action === '*' || action.endsWith(':*'), `${s.policy} allows ${action}`).toBe(false);
        expect(action.startsWith('dynamodb:') && action.includes('*'), `${s.policy} allows ${action}`).toBe(false);
      }
    }
    // Sending is scoped to the sender's domain identity and to the sender address itself.
    for (const ses of statements.filter((s) => actionsOf(s).some((a) => a === 'ses:SendEmail' || a === 'ses:SendRawEmail'))) {
      if (JSON.stringify(ses.Resource).includes(':configuration-set/')) {
        // The identities' configuration set (bounce and complaint events), used by every send.
        expect(ses.Condition).toBeUndefined();
        continue;
      }
      expect(JSON.stringify(ses.Resource)).toMatch(/:identity\/",\{"Ref":"SenderIdentity[0-9A-F]+"\}/);
      const sender = ses.policy.startsWith('reminderRun') ? office.email.reminders : office.email.notices;
      expect(ses.Condition).toEqual({ StringEquals: { 'ses:FromAddress': [sender] } });
    }
    template.hasResourceProperties('AWS::SES::EmailIdentity', { EmailIdentity: office.email.domain });
    // The key, only through DynamoDB, or through S3 for the report and import functions.
    for (const kms of statements.filter((s) => s.policy.match(/^[a-z]\w+RoleDefaultPolicy/) && actionsOf(s).some((a) => a.startsWith('kms:')))) {
      const via = /^(quarterlyList|disclosureRun|collectionReport|renewalReport|importRun|importCollections|staffApi)Role/.test(kms.policy) && actionsOf(kms).every((a) => a === 'kms:GenerateDataKey' || a === 'kms:Decrypt')
        ? ['dynamodb', 's3'] : ['dynamodb'];
      expect(via.map((v) => `${v}.ap-southeast-1.amazonaws.com`), kms.policy).toContain((kms.Condition as { StringEquals: Record<string, string> }).StringEquals['kms:ViaService']);
    }
    // No managed policies (no AWSLambdaBasicExecutionRole): each role holds only its own statements.
    for (const [id, r] of Object.entries(json.Resources)) {
      if (r.Type === 'AWS::IAM::Role') expect((r.Properties as { ManagedPolicyArns?: unknown }).ManagedPolicyArns, id).toBeUndefined();
    }
  });

  it('runs every function on Node 24, arm64, traced, with its own encrypted log group and the Powertools settings', () => {
    // The inbox's session authorizer is the staff API's own (no table): checked with it below.
    const functions = Object.entries(json.Resources).filter(([id, r]) => r.Type === 'AWS::Lambda::Function' && !id.startsWith('StaffAccessInboxSession'));
    expect(functions.map(([id]) => KEYS.find((k) => id.startsWith(`${k}Function`))).sort()).toEqual([...KEYS].sort());
    for (const [id, f] of functions) {
      const monthly = id.startsWith('monthlyRunFunction');
      // The functions that read every ledger get more memory and Lambda's 15 minutes.
      // So do the import's: a chunk reads a file for up to 13 minutes.
      const scanning = /^(monthlyRun|quarterlyList|disclosureRun|collectionReport|statementRun|importRun|importCollections|reconciliationRun|employeeNoticeRun)Function/.test(id);
      expect(f.Properties, id).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        Handler: 'index.handler',
        MemorySize: scanning ? 1024 : 512,
        Timeout: scanning || id.startsWith('reminderRunFunction') ? 900 : id.startsWith('rosterSyncFunction') ? 300 : 30,
        LoggingConfig: { LogGroup: { Ref: expect.stringMatching(/Logs[0-9A-F]{8}$/) } },
        Environment: {
          Variables: {
            POWERTOOLS_SERVICE_NAME: 'arrears-follow-up',
            POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
            POWERTOOLS_LOG_LEVEL: 'INFO',
            NODE_OPTIONS: '--enable-source-maps',
            TABLE_NAME: { Ref: expect.stringMatching(/^Table/) },
          },
        },
      });
      const variables = (f.Properties as { Environment: { Variables: Record<string, unknown> } }).Environment.Variables;
      expect('STATE_MACHINE_ARN' in variables, id).toBe(monthly);
      // The user pool's id: the roster sync's directory, the staff API's sign-out check, the report's managers.
      expect('USER_POOL_ID' in variables, id).toBe(/^(rosterSync|staffApi|collectionReport)Function/.test(id));
      // The statement run reads its PDF fonts from its bundle (copied there at synth), never from the network.
      expect(variables.STATEMENT_FONTS_DIR, id).toBe(id.startsWith('statementRunFunction') || id.startsWith('redriveRunFunction') ? '/var/task/fonts' : undefined);
      // Operations, from the deployment configuration: the scans' segments, and the statement run's fan-out.
      expect(variables.SCAN_SEGMENTS, id).toBe(/^(monthlyRun|quarterlyList|disclosureRun|collectionReport|employeeNoticeRun)Function/.test(id) ? String(DEFAULT_DEPLOYMENT.scan.segments) : undefined);
      expect(variables.STATEMENT_RUN_SEGMENTS, id).toBe(id.startsWith('statementRunFunction') ? String(DEFAULT_DEPLOYMENT.statementRun.segments) : undefined);
      // The monthly run's split, and each segment's share of the StartExecution quota (800 and 150/s shared by 16 at once).
      expect(variables.MONTHLY_RUN_SEGMENTS, id).toBe(monthly ? String(DEFAULT_DEPLOYMENT.monthlyRun.segments) : undefined);
      expect([variables.START_EXECUTION_BUCKET, variables.START_EXECUTION_PER_SECOND], id).toEqual(monthly ? ['50', '9.375'] : [undefined, undefined]);
      expect('DOCUMENTS_BUCKET' in variables, id).toBe(/^(quarterlyList|disclosureRun|collectionReport|renewalReport|staffApi)Function/.test(id));
      expect('IMPORT_BUCKET' in variables, id).toBe(/^(importRun|importCollections)Function/.test(id));
    }
    // The functions' and the session authorizer's log groups, the four state machines' and the staff API's access logs, all with the key and a retention.
    template.resourcePropertiesCountIs('AWS::Logs::LogGroup', { KmsKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] }, RetentionInDays: 365 }, KEYS.length + 6);
    const [, authorizer] = Object.entries(json.Resources).find(([id, r]) => r.Type === 'AWS::Lambda::Function' && id.startsWith('StaffAccessInboxSession'))!;
    expect(authorizer.Properties).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'], TracingConfig: { Mode: 'Active' } });
    expect(Object.keys((authorizer.Properties as { Environment: { Variables: Record<string, unknown> } }).Environment.Variables).sort())
      .toEqual(['INBOX_CLIENT_ID', 'NODE_OPTIONS', 'POWERTOOLS_LOG_LEVEL', 'POWERTOOLS_METRICS_NAMESPACE', 'POWERTOOLS_SERVICE_NAME', 'TABLE_NAME', 'USER_POOL_ID']);
  });

  it('sends reminder SMS through a configuration set whose events (the evidence table) reach sms-feedback through a topic encrypted with the key', () => {
    const setId = logicalId('AWS::SMSVOICE::ConfigurationSet', 'SmsConfigurationSet');
    const topicId = logicalId('AWS::SNS::Topic', 'SmsEvents');
    const set = json.Resources[setId]!;
    expect(set.Properties).toEqual({
      ConfigurationSetName: 'ArrearsFollowUp-sms',
      EventDestinations: [{ EventDestinationName: 'ClaimEvidence', Enabled: true, MatchingEventTypes: SMS_EVENT_TYPES, SnsDestination: { TopicArn: { Ref: topicId } } }],
    });
    expect(json.Resources[topicId]!.Properties).toMatchObject({ KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } });
    // Only this account's configuration set may publish to the topic, over TLS; the topic's policy exists before the set.
    const topicPolicyId = logicalId('AWS::SNS::TopicPolicy', 'SmsEventsPolicy');
    expect(set.DependsOn).toContain(topicPolicyId);
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: topicId }],
      PolicyDocument: { Statement: Match.arrayWith([
        Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        Match.objectLike({
          Effect: 'Allow', Action: 'sns:Publish', Principal: { Service: 'sms-voice.amazonaws.com' },
          Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } }, ArnEquals: { 'aws:SourceArn': Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([':configuration-set/ArrearsFollowUp-sms'])] }) } },
        }),
      ]) },
    });
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'lambda', TopicArn: { Ref: topicId }, Endpoint: { 'Fn::GetAtt': [logicalId('AWS::Lambda::Function', 'smsFeedbackFunction'), 'Arn'] } });
    // The reminder run, the employee notice run and the redrive send through the set by its name; no other function is told it.
    const named = Object.entries(json.Resources).filter(([, r]) => r.Type === 'AWS::Lambda::Function' && JSON.stringify(r.Properties).includes('SMS_CONFIGURATION_SET')).map(([id]) => id);
    expect(named.sort()).toEqual([expect.stringMatching(/^employeeNoticeRunFunction/), expect.stringMatching(/^redriveRunFunction/), expect.stringMatching(/^reminderRunFunction/)]);
  });

  it('outputs what operators and the staff tools need', () => {
    for (const name of [
      'TableName', 'StateMachineArn', 'MonthlyRunFunctionName', 'RecordOutcomeFunctionName', 'RecordPaymentFunctionName',
      'StaffApiUrl', 'StaffInboxUrl', 'StaffUserPoolId', 'StaffUserPoolClientId',
      'DocumentsBucketName', 'QuarterlyListFunctionName', 'DisclosureRunFunctionName', 'AlarmTopicArn',
    ]) {
      template.hasOutput(name, { Value: Match.anyValue() });
    }
  });

  it('watches the runs: alarms on failed executions, dead letters, run function errors and SES reputation, to a topic encrypted with the key', () => {
    const topicId = logicalId('AWS::SNS::Topic', 'MonitoringAlarms');
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } });
    expect(json.Resources[topicId]!.Properties).toMatchObject({ KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } });
    // CloudWatch may use the key to publish to the topic.
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'] })]) },
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: topicId }],
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Allow', Action: 'sns:Publish', Principal: { Service: 'cloudwatch.amazonaws.com' } })]) },
    });
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties as Record<string, unknown>);
    for (const a of alarms) expect(a.AlarmActions, String(a.AlarmDescription)).toEqual([{ Ref: topicId }]);
    const named = (namespace: string, metricName: string) => alarms.filter((a) => a.Namespace === namespace && a.MetricName === metricName);
    // An escalation that failed, an import that failed, and a monthly run that did not finish (a segment given up).
    expect(named('AWS/States', 'ExecutionsFailed').map((a) => (a.Dimensions as { Value: { Ref: string } }[])[0]!.Value.Ref).sort())
      .toEqual(['Escalation', 'ImportRun', 'MonthlyRun', 'StatementRun'].map((m) => logicalId('AWS::StepFunctions::StateMachine', m)).sort());
    for (const a of named('AWS/States', 'ExecutionsFailed')) expect(a).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
    // A run whose catch-up outlasted the machine's timeout ends TIMED_OUT: alarmed as a failure is.
    expect(named('AWS/States', 'ExecutionsTimedOut').map((a) => (a.Dimensions as { Value: { Ref: string } }[])[0]!.Value.Ref).sort())
      .toEqual(['MonthlyRun', 'StatementRun'].map((m) => logicalId('AWS::StepFunctions::StateMachine', m)).sort());
    // A row refused by an import: its report says which and why.
    expect(named(METRICS_NAMESPACE, 'ImportErrors')).toEqual([expect.objectContaining({ Threshold: 1, Statistic: 'Sum', Period: 300 })]);
    expect(named('AWS/SQS', 'ApproximateNumberOfMessagesVisible')).toEqual([expect.objectContaining({ Threshold: 1, Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalId('AWS::SQS::Queue', 'MonthlyRunDeadLetters'), 'QueueName'] } }] })]);
    expect(named('AWS/Lambda', 'Errors')).toHaveLength(SCHEDULED_RUNS.length);
    // Messages past their deadline (every kind, the redrive's count); statements and employees' notices that will not go out by
    // themselves (refused, a bad record, given up); employees' notices still not sent past their deadline (the 15th).
    expect(named(METRICS_NAMESPACE, METRICS.messagesPastDeadline.name)).toEqual([expect.objectContaining({ Threshold: 1, Statistic: 'Maximum', ComparisonOperator: 'GreaterThanOrEqualToThreshold' })]);
    expect(named(METRICS_NAMESPACE, METRICS.statementsNotSent.name)).toEqual([expect.objectContaining({ Threshold: 1, Statistic: 'Sum' })]);
    expect(named(METRICS_NAMESPACE, METRICS.employeeNoticesNotSent.name)).toEqual([expect.objectContaining({ Threshold: 1, Statistic: 'Sum', ComparisonOperator: 'GreaterThanOrEqualToThreshold' })]);
    expect(named(METRICS_NAMESPACE, METRICS.employeeNoticesPastDeadline.name)).toEqual([expect.objectContaining({ Threshold: 1, Statistic: 'Maximum', ComparisonOperator: 'GreaterThanOrEqualToThreshold' })]);
    for (const key of ['messagesPastDeadline', 'employeeNoticesNotSent', 'employeeNoticesPastDeadline'] as const) {
      expect(named(METRICS_NAMESPACE, METRICS[key].name)[0]).toMatchObject({ Dimensions: [{ Name: 'service', Value: SERVICE_NAME }], TreatMissingData: 'notBreaching' });
    }
    expect(named('AWS/SES', 'Reputation.BounceRate')).toEqual([expect.objectContaining({ Threshold: ALARMS.sesBounceRate, ComparisonOperator: 'GreaterThanThreshold' })]);
    expect(named('AWS/SES', 'Reputation.ComplaintRate')).toEqual([expect.objectContaining({ Threshold: ALARMS.sesComplaintRate })]);
    // Earlier than AWS's own review levels (5% bounces, 0.1% complaints).
    expect(ALARMS.sesBounceRate).toBeLessThan(0.05);
    expect(ALARMS.sesComplaintRate).toBeLessThan(0.001);
  });

  it('draws a dashboard of the collection figures, the runs, the reminders and the machinery', () => {
    const [dashboard] = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
    const body = JSON.stringify(dashboard!.Properties.DashboardBody);
    for (const key of ['debtRatio', 'receivable', 'collected', 'arrears', 'unitsOverdue', 'evadingUnits', 'openTasks', 'escalationsStarted', 'noticesSent', 'malformedRecords', 'remindersSent', 'remindersFailed', 'agentTasks', 'renewalRate',
      'employeeNoticesSentSms', 'employeeNoticesSentEmail', 'employeeNoticesAlreadySent', 'employeeNoticesNoChannel', 'employeeNoticesOptedOut',
      'employeeNoticesNotSent', 'employeeNoticesPending', 'employeeNoticesPastDeadline', 'unitsInformed'] as const) {
      expect(body, key).toContain(METRICS[key].name);
    }
    for (const name of [METRICS_NAMESPACE, 'ExecutionsFailed', 'ApproximateNumberOfMessagesVisible', 'Errors', 'Reputation.BounceRate', 'Reputation.ComplaintRate']) expect(body, name).toContain(name);
  });

  it('puts the staff API behind Cognito: every route needs a token of the staff pool (or the inbox session holding one), one group per role', () => {
    const routes = template.findResources('AWS::ApiGatewayV2::Route');
    expect(Object.values(routes).map((r) => (r.Properties as { RouteKey: string }).RouteKey).sort())
      .toEqual(Object.values(STAFF_ROUTES).map((r) => `${r.method} ${r.path}`).sort());
    const authOf = new Map(Object.values(STAFF_ROUTES).map((r) => [`${r.method} ${r.path}`, r.auth]));
    for (const route of Object.values(routes)) {
      const props = route.Properties as { RouteKey: string };
      const auth = authOf.get(props.RouteKey);
      // Access tokens only: an id token carries no scope.
      if (auth === 'token') expect(props).toMatchObject({ AuthorizationType: 'JWT', AuthorizerId: { Ref: expect.stringMatching(/StaffToken/) }, AuthorizationScopes: ['openid', 'aws.cognito.signin.user.admin'] });
      else if (auth === 'session') expect(props).toMatchObject({ AuthorizationType: 'CUSTOM', AuthorizerId: { Ref: expect.stringMatching(/InboxSession/) } });
      else expect([props.RouteKey, (props as { AuthorizationType?: string }).AuthorizationType ?? 'NONE']).toEqual([expect.stringMatching(/^(GET|POST) \/inbox\/(inbox\.css|sign-in|signed-in|sign-out)$/), 'NONE']);
    }
    // Only the stylesheet and the sign-in steps are open.
    expect([...authOf.values()].filter((a) => a === 'public')).toHaveLength(4);
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      JwtConfiguration: { Audience: [{ Ref: Match.stringLikeRegexp('UserPoolInbox') }], Issuer: Match.anyValue() },
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'REQUEST', AuthorizerPayloadFormatVersion: '2.0', EnableSimpleResponses: true, IdentitySource: ['$request.header.Cookie'],
      // Not cached: a revoked session is refused on its next request.
      AuthorizerResultTtlInSeconds: 0,
    });
    // Sign-out revokes tokens; the revocation list expires with the table's TTL; the handler knows its own origin.
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', { EnableTokenRevocation: true });
    template.hasResourceProperties('AWS::DynamoDB::Table', { TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true } });
    const [, staffApiFn] = Object.entries(json.Resources).find(([id, r]) => r.Type === 'AWS::Lambda::Function' && id.startsWith('staffApiFunction'))!;
    expect((staffApiFn.Properties as { Environment: { Variables: Record<string, unknown> } }).Environment.Variables).toMatchObject({ INBOX_ORIGIN: { "Fn::GetAtt": [expect.stringMatching(/^StaffAccessApi/), "ApiEndpoint"] }, USER_POOL_ID: { Ref: expect.stringMatching(/^StaffAccessUserPool/) } });
    // Officers' emails link to their task on the inbox's URL: the functions that tell them of an assignment.
    const inboxUrlOf = Object.entries(json.Resources).filter(([, r]) => r.Type === 'AWS::Lambda::Function'
      && (r.Properties as { Environment?: { Variables?: Record<string, unknown> } }).Environment?.Variables?.INBOX_URL !== undefined);
    // And the collection report, whose email to the managers links to the report in the inbox.
    expect(inboxUrlOf.map(([id]) => id.replace(/Function.*$/, '')).sort()).toEqual(['collectionReport', 'openTask', 'redriveRun', 'rosterSync', 'staffApi']);
    expect(JSON.stringify((inboxUrlOf[0]![1].Properties as { Environment: { Variables: Record<string, unknown> } }).Environment.Variables.INBOX_URL)).toMatch(/StaffAccessApi.*ApiEndpoint.*\/inbox/);
    // The inbox signs in with the Hosted UI: code flow, public client, callback on the API's own URL.
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      AllowedOAuthFlows: ['code'], AllowedOAuthScopes: ['openid'], GenerateSecret: false, SupportedIdentityProviders: ['COGNITO'],
      CallbackURLs: [Match.objectLike({ 'Fn::Join': Match.anyValue() })],
    });
    template.resourceCountIs('AWS::Cognito::UserPoolDomain', 1);
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      MfaConfiguration: 'ON',
      UserPoolTier: 'PLUS',
    });
    expect(Object.values(template.findResources('AWS::Cognito::UserPoolGroup')).map((g) => (g.Properties as { GroupName: string }).GroupName).sort())
      .toEqual(['inspector', 'manager', 'officer', 'team-lead']);
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', { StageName: '$default', AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('authorizer.claims.sub') } });
  });
});

describe('Zalo ZNS access', () => {
  it('without a token parameter configured: no SSM read and no ZNS setting anywhere', () => {
    expect(functionsAllowed('ssm:GetParameter')).toEqual([]);
    expect(JSON.stringify(json)).not.toContain('ZNS_TOKEN_PARAMETER');
  });

  it('with one: the reminder run reads the token, the webhook function the secret key, each its one parameter, decrypted through SSM with its key only; the webhook route is public', () => {
    const kmsKeyArn = 'arn:aws:kms:ap-southeast-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const { app } = buildApp({
      bundling: false, outdir: mkdtempSync(join(tmpdir(), 'arrears-synth-zns-')), env: { region: 'ap-southeast-1' },
      deployment: deploymentConfig({ zns: { tokenParameter: '/arrears/zalo/oa-access-token', appId: '1234567890123456789', webhookSecretParameter: '/arrears/zalo/oa-secret-key', kmsKeyArn } }),
    });
    const zns = app.synth().stacks[0]!.template as typeof json;
    const all = Object.entries(zns.Resources).filter(([, r]) => r.Type === 'AWS::IAM::Policy')
      .flatMap(([id, r]) => (r.Properties as { PolicyDocument: { Statement: Statement[] } }).PolicyDocument.Statement.map((st) => ({ policy: id, ...st })));
    const reads = all.filter((st) => actionsOf(st).includes('ssm:GetParameter'));
    // The reminder run reads the token, Zalo's webhook the secret key: each its own parameter only.
    expect(reads.map((st) => st.policy).sort()).toEqual([expect.stringMatching(/^reminderRunRoleDefaultPolicy/), expect.stringMatching(/^znsFeedbackRoleDefaultPolicy/)]);
    const [reminderRead, webhookRead] = [...reads].sort((a, b) => a.policy.localeCompare(b.policy));
    expect(actionsOf(reminderRead!)).toEqual(['ssm:GetParameter']);
    expect(JSON.stringify(reminderRead!.Resource)).toContain(':parameter/arrears/zalo/oa-access-token');
    expect(JSON.stringify(reminderRead!.Resource)).not.toContain('oa-secret-key');
    expect(JSON.stringify(webhookRead!.Resource)).toContain(':parameter/arrears/zalo/oa-secret-key');
    expect(JSON.stringify(webhookRead!.Resource)).not.toContain('oa-access-token');
    const decrypt = all.filter((st) => st.policy.startsWith('reminderRunRole') && JSON.stringify(st.Resource) === JSON.stringify(kmsKeyArn));
    expect(decrypt).toHaveLength(1);
    expect(actionsOf(decrypt[0]!)).toEqual(['kms:Decrypt']);
    expect(JSON.stringify(decrypt[0])).toContain('ssm.ap-southeast-1.amazonaws.com');
    const reminderFn = Object.values(zns.Resources).find((r) => r.Type === 'AWS::Lambda::Function' && JSON.stringify(r.Properties).includes('ZNS_TOKEN_PARAMETER'));
    expect(JSON.stringify(reminderFn)).toContain('/arrears/zalo/oa-access-token');
    // The webhook's route is public (the calls are signed) and goes to its own function only.
    const route = Object.values(zns.Resources).find((r) => r.Type === 'AWS::ApiGatewayV2::Route' && (r.Properties as { RouteKey: string }).RouteKey === 'POST /zalo/events');
    expect((route!.Properties as { AuthorizationType: string }).AuthorizationType).toBe('NONE');
    const webhookFn = Object.values(zns.Resources).find((r) => r.Type === 'AWS::Lambda::Function' && JSON.stringify(r.Properties).includes('ZNS_WEBHOOK_SECRET_PARAMETER'));
    expect(JSON.stringify(webhookFn)).toContain('1234567890123456789');
    expect(Object.keys(zns.Outputs ?? {})).toContain('ZaloWebhookUrl');
  }, 120_000);
});
