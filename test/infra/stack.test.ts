import { describe, expect, it } from 'vitest';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { synthesizeTemplate, escalationDefinition } from '../../infra/definition.ts';
import { POLICY_VERSIONS } from '../../functions/core/policy.ts';
import { TABLE_DESIGN } from '../../functions/commons/table.ts';

const template = Template.fromJSON(synthesizeTemplate());
const resources = synthesizeTemplate().Resources;
const policy = POLICY_VERSIONS.at(-1)!;

/** Every IAM statement, with the logical id of the policy it belongs to. */
function statements(): { policy: string; Action: string | string[]; Resource: unknown }[] {
  return Object.entries(resources)
    .filter(([, r]) => r.Type === 'AWS::IAM::Policy')
    .flatMap(([id, r]) => ((r.Properties as { PolicyDocument: { Statement: { Action: string | string[]; Resource: unknown }[] } }).PolicyDocument.Statement)
      .map((s) => ({ policy: id, ...s })));
}
const actionsOf = (s: { Action: string | string[] }) => [s.Action].flat();
const policiesWith = (action: string) => [...new Set(statements().filter((s) => actionsOf(s).includes(action)).map((s) => s.policy))];

describe('ArrearsFollowUp stack', () => {
  it('keeps the one table encrypted with the customer-managed key, recoverable, with its index', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: TABLE_DESIGN.partitionKey, KeyType: 'HASH' }, { AttributeName: TABLE_DESIGN.sortKey, KeyType: 'RANGE' }],
      BillingMode: 'PAY_PER_REQUEST',
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: Match.anyValue() },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: true,
      GlobalSecondaryIndexes: [Match.objectLike({ IndexName: 'gsi1' })],
    });
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  it('schedules the monthly run in Asia/Ho_Chi_Minh time from the policy', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: `cron(0 ${policy.monthlyRun.hour} ${policy.monthlyRun.dayOfMonth} * ? *)`,
      ScheduleExpressionTimezone: 'Asia/Ho_Chi_Minh',
      Target: Match.objectLike({ DeadLetterConfig: Match.objectLike({ Arn: Match.anyValue() }), RetryPolicy: Match.objectLike({ MaximumRetryAttempts: 3 }) }),
    });
  });

  it('defines the escalation in JSONPath with a callback task that times out on its due date', () => {
    const asl = escalationDefinition(synthesizeTemplate());
    const text = JSON.stringify(asl);
    expect(text).not.toContain('JSONata');
    expect(text).not.toContain('"Assign"');
    const wait = (asl.States as Record<string, Record<string, unknown>>).WaitForOfficerOutcome!;
    expect(wait.Resource).toContain('lambda:invoke.waitForTaskToken');
    expect(wait.TimeoutSecondsPath).toBe('$.assignment.timeoutSeconds');
    expect(asl.TimeoutSeconds).toBe((Math.max(...policy.stages.map((s) => s.task?.dueDays ?? 0)) + policy.taskEscalation.dueDays + 1) * 86_400);
    expect((asl.States as Record<string, Record<string, unknown>>).WaitForTeamLeadOutcome!.TimeoutSecondsPath).toBe('$.assignment.timeoutSeconds');
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: Match.objectLike({ Level: 'ALL', IncludeExecutionData: false }),
    });
  });

  it('gives each role only the calls it makes', () => {
    expect(policiesWith('ses:SendEmail').sort()).toEqual([expect.stringMatching(/^recordPaymentRole/), expect.stringMatching(/^sendNoticeRole/)]);
    expect(policiesWith('states:StartExecution')).toEqual([expect.stringMatching(/^monthlyRunRole/)]);
    expect(policiesWith('states:SendTaskSuccess').sort()).toEqual([expect.stringMatching(/^recordOutcomeRole/), expect.stringMatching(/^recordPaymentRole/)]);
    expect(policiesWith('dynamodb:Scan')).toEqual([expect.stringMatching(/^monthlyRunRole/)]);
    for (const s of statements()) {
      for (const action of actionsOf(s)) expect(action === '*' || action.endsWith(':*'), `${s.policy} allows ${action}`).toBe(false);
    }
    // Sending is scoped to the sender's domain identity (a Ref to it resolves to the domain on deploy).
    for (const ses of statements().filter((s) => actionsOf(s).includes('ses:SendEmail'))) {
      expect(JSON.stringify(ses.Resource)).toMatch(/:identity\/",\{"Ref":"SenderIdentity[0-9A-F]+"\}/);
    }
    template.hasResourceProperties('AWS::SES::EmailIdentity', { EmailIdentity: policy.notice.sender.split('@')[1] });
  });

  it('runs every function on the newest Node runtime, arm64, traced, with its own encrypted log group', () => {
    const functions = Object.values(resources).filter((r) => r.Type === 'AWS::Lambda::Function');
    expect(functions).toHaveLength(10);
    for (const f of functions) {
      expect(f.Properties).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'], TracingConfig: { Mode: 'Active' } });
    }
    template.resourcePropertiesCountIs('AWS::Logs::LogGroup', { KmsKeyId: Match.anyValue() }, 11);
  });
});
