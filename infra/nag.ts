import { Validations, type CfnElement } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { ArrearsStack } from './arrears-stack.ts';
import { FUNCTION_KEYS, FUNCTION_SPECS, type FunctionKey } from './registry/functions.ts';
import { SCHEDULED_FUNCTIONS } from './registry/schedules.ts';
import { ESCALATION_FUNCTIONS } from '../workflows/state-names.ts';

/**
 * The cdk-nag AwsSolutions findings this stack acknowledges, each on the narrowest construct (the
 * one CfnPolicy or CfnQueue it is reported on) and for one exact finding, with its reason. Everything else
 * is fixed in the stack itself.
 */
export interface Acknowledgement {
  /** The constructs the finding is acknowledged on. */
  on: (stack: ArrearsStack) => IConstruct[];
  /** The exact finding id, e.g. `AwsSolutions-IAM5[Resource::*]`. */
  id: (stack: ArrearsStack) => string;
  reason: string;
}

/** The CfnPolicy of a role's default policy: findings on the role's statements are reported there. */
const policyOf = (role: IConstruct): IConstruct => role.node.findChild('DefaultPolicy').node.defaultChild!;
const functionPolicies = (s: ArrearsStack) => [
  ...(Object.keys(s.functions) as FunctionKey[]).map((k) => s.functions[k]),
  s.staffApi.sessionAuthorizer,
].map((f) => policyOf(f.role));
const stateMachinePolicy = (s: ArrearsStack) => [policyOf(s.workflow.stateMachine.role)];
/** The finding on `<function arn>:*` (versions and aliases of one function), by its logical id. */
const qualifiedArnsOf = (fn: FunctionKey) => (s: ArrearsStack) =>
  `AwsSolutions-IAM5[Resource::<${s.getLogicalId(s.functions[fn].fn.node.defaultChild as CfnElement)}.Arn>:*]`;

/** The functions writing reports, each under its own prefix of the bucket. */
const REPORTING = FUNCTION_KEYS.filter((k) => FUNCTION_SPECS[k].access.documents);
/** The functions reading the import bucket. */
const IMPORTING = FUNCTION_KEYS.filter((k) => FUNCTION_SPECS[k].access.imports);
const IMPORT_PREFIXES = {
  'imports/': 'reads the uploaded files, whose keys are the batch and file names the office chose (imports/<batch>/<file>.csv)',
  'reports/': 'writes and reads back each file\'s report and its parts of errors, named after the uploaded file (reports/<batch>/<file>.json)',
  'checkpoints/': 'writes and reads back the state a long file\'s checkpoint carries (its kept keys), named after the uploaded file and version',
} as const;

export const ACKNOWLEDGED: readonly Acknowledgement[] = [
  ...IMPORTING.flatMap((fn) => Object.entries(IMPORT_PREFIXES).map(([prefix, what]): Acknowledgement => ({
    on: (s) => [policyOf(s.functions[fn].role)],
    id: (s) => `AwsSolutions-IAM5[Resource::<${s.getLogicalId(s.imports.node.defaultChild as CfnElement)}.Arn>/${prefix}*]`,
    reason: `The ${fn} function ${what}: granted on that one prefix of the import bucket, not on the bucket's other objects.`,
  }))),
  ...(['importRun', 'importCollections', 'rosterSync'] as const).map((fn): Acknowledgement => ({
    on: (s) => [policyOf(s.importRun.stateMachine.role)],
    id: qualifiedArnsOf(fn),
    reason: `The import's state machine may invoke the ${fn} function and its versions and aliases (<arn>:*), as CDK's LambdaInvoke grants, and no other function: the wildcard is the version qualifier of one named function.`,
  })),
  {
    on: (s) => [policyOf(s.importRun.stateMachine.role)],
    id: () => 'AwsSolutions-IAM5[Resource::*]',
    reason: 'The import\'s state machine logs to its encrypted log group and is traced: the CloudWatch Logs delivery actions (logs:CreateLogDelivery and the rest) and the X-Ray actions Step Functions uses support only Resource "*".',
  },
  {
    on: functionPolicies,
    id: () => 'AwsSolutions-IAM5[Resource::*]',
    reason: 'X-Ray active tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions, so AWS requires Resource "*". Every other statement of the role names its log group, table, index, key, identity, configuration set, sender ID or state machine.',
  },
  {
    on: stateMachinePolicy,
    id: () => 'AwsSolutions-IAM5[Resource::*]',
    reason: 'Step Functions logging and tracing: logs:CreateLogDelivery/GetLogDelivery/UpdateLogDelivery/DeleteLogDelivery/ListLogDeliveries/PutResourcePolicy/DescribeResourcePolicies/DescribeLogGroups and xray:PutTraceSegments/PutTelemetryRecords/GetSamplingRules/GetSamplingTargets support only Resource "*".',
  },
  ...ESCALATION_FUNCTIONS.map((fn): Acknowledgement => ({
    on: stateMachinePolicy,
    id: qualifiedArnsOf(fn),
    reason: `The state machine may invoke the ${fn} function and its versions and aliases (<arn>:*), as CDK's LambdaInvoke grants, and no other function: the wildcard is the version qualifier of one named function.`,
  })),
  {
    on: (s) => [policyOf(s.statementRun.stateMachine.role), policyOf(s.monthlyRun.stateMachine.role)],
    id: qualifiedArnsOf('redriveRun'),
    reason: 'The statement run\'s and the monthly run\'s catch-ups invoke the redriveRun function and its versions and aliases (<arn>:*), as CDK\'s LambdaInvoke grants: the wildcard is the version qualifier of one named function.',
  },
  {
    on: (s) => [policyOf(s.statementRun.stateMachine.role)],
    id: qualifiedArnsOf('statementRun'),
    reason: 'The statement run\'s state machine may invoke the statementRun function and its versions and aliases (<arn>:*), as CDK\'s LambdaInvoke grants, and no other function: the wildcard is the version qualifier of one named function.',
  },
  {
    on: (s) => [policyOf(s.statementRun.stateMachine.role)],
    id: () => 'AwsSolutions-IAM5[Resource::*]',
    reason: 'The statement run\'s state machine logs to its encrypted log group and is traced: the CloudWatch Logs delivery actions (logs:CreateLogDelivery and the rest) and the X-Ray actions Step Functions uses support only Resource "*".',
  },
  {
    on: (s) => [policyOf(s.monthlyRun.stateMachine.role)],
    id: qualifiedArnsOf('monthlyRun'),
    reason: 'The monthly run\'s state machine may invoke the monthlyRun function (and, for its catch-up, the redriveRun function) and its versions and aliases (<arn>:*), as CDK\'s LambdaInvoke grants, and no other function: the wildcard is the version qualifier of one named function.',
  },
  {
    on: (s) => [policyOf(s.monthlyRun.stateMachine.role)],
    id: () => 'AwsSolutions-IAM5[Resource::*]',
    reason: 'The monthly run\'s state machine logs to its encrypted log group and is traced: the CloudWatch Logs delivery actions (logs:CreateLogDelivery and the rest) and the X-Ray actions Step Functions uses support only Resource "*".',
  },
  ...SCHEDULED_FUNCTIONS.map((fn): Acknowledgement => ({
    on: (s) => [policyOf(s.scheduleRole)],
    id: qualifiedArnsOf(fn),
    reason: `The scheduler role may invoke the ${fn} function and its versions and aliases (<arn>:*), as the LambdaInvoke target of its schedule grants: the wildcard is the version qualifier of one named function.`,
  })),
  ...REPORTING.map((fn): Acknowledgement => ({
    on: (s) => [policyOf(s.functions[fn].role)],
    id: (s) => `AwsSolutions-IAM5[Resource::<${s.getLogicalId(s.documents.node.defaultChild as CfnElement)}.Arn>/${FUNCTION_SPECS[fn].access.documents!.prefix}*]`,
    reason: `The ${fn} function ${FUNCTION_SPECS[fn].access.documents!.actions.includes('s3:PutObject') ? 'writes' : 'reads'} objects whose names carry the quarter or date of the report (${FUNCTION_SPECS[fn].access.documents!.prefix}<period>/...), so it is granted ${FUNCTION_SPECS[fn].access.documents!.actions.join(' and ')} on that one prefix of the reports bucket and nothing else in it${FUNCTION_SPECS[fn].access.documents!.lists ? ', and lists the bucket only under that prefix (an s3:prefix condition)' : ''}.`,
  })),
  {
    on: (s) => s.staffApi.publicRoutes.map((r) => r.node.defaultChild!),
    id: () => 'AwsSolutions-APIG4',
    reason: 'The staff inbox\'s stylesheet and its sign-in steps (to the Cognito Hosted UI, back with the code, sign-out) are reached before anyone has a session, so they cannot require one; they read no data and act on no task or case. Every other route requires a Cognito token (JWT authorizer) or the inbox session carrying one (Lambda authorizer).',
  },
  {
    on: (s) => s.zaloWebhookRoutes.map((r) => r.node.defaultChild!),
    id: () => 'AwsSolutions-APIG4',
    reason: 'Zalo\'s webhook (POST /zalo/events, only with the deployment\'s zns) cannot carry a Cognito token: each call is signed with the Official Account\'s secret key (X-ZEvent-Signature), which the znsFeedback function checks, with the app id, before it reads the body; an unsigned or foreign call is answered 401 and changes nothing. It can only mark a known ZNS attempt received.',
  },
  {
    on: (s) => [s.deadLetters.node.defaultChild!],
    id: () => 'AwsSolutions-SQS3',
    reason: 'This queue is itself the dead-letter queue of the schedules (monthly run, collection report, quarterly list, disclosure run, reminder run, renewal report, statement run); a dead-letter queue for it would only move the same undeliverable schedule events a second time.',
  },
];

export function acknowledgeFindings(stack: ArrearsStack): void {
  for (const { on, id, reason } of ACKNOWLEDGED) {
    for (const construct of on(stack)) Validations.of(construct).acknowledge({ id: id(stack), reason });
  }
}
