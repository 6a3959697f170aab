import { Validations, type CfnElement } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { ArrearsStack } from './arrears-stack.ts';
import { ESCALATION_FUNCTIONS } from '../workflows/state-names.ts';

/**
 * The cdk-nag AwsSolutions findings this stack acknowledges, each at the narrowest construct and
 * finding, with its reason. Everything else is fixed in the stack itself.
 */
type Acknowledgement = { path: (stack: ArrearsStack) => IConstruct[]; id: (stack: ArrearsStack) => string; reason: string };

/** A finding on the qualified ARNs (`<arn>:*`) of one function, named by its logical id. */
const qualifiedArnsOf = (fn: keyof ArrearsStack['functions']) => (s: ArrearsStack) =>
  `AwsSolutions-IAM5[Resource::<${s.getLogicalId(s.functions[fn].fn.node.defaultChild as CfnElement)}.Arn>:*]`;

export const ACKNOWLEDGED: readonly Acknowledgement[] = [
  {
    path: (s) => Object.values(s.functions).map((f) => f.role),
    id: () => 'AwsSolutions-IAM5[Resource::*]',
    reason: 'X-Ray tracing: xray:PutTraceSegments and xray:PutTelemetryRecords do not support resource-level permissions, so AWS requires Resource "*". Every other statement of the role names its table, index, key, identity or state machine.',
  },
  {
    path: (s) => [s.node.findChild('Escalation').node.findChild('StateMachine')],
    id: () => 'AwsSolutions-IAM5[Resource::*]',
    reason: 'Step Functions logging and tracing: logs:CreateLogDelivery/GetLogDelivery/UpdateLogDelivery/DeleteLogDelivery/ListLogDeliveries/PutResourcePolicy/DescribeResourcePolicies/DescribeLogGroups and xray:PutTraceSegments/PutTelemetryRecords/GetSamplingRules/GetSamplingTargets support only Resource "*".',
  },
  ...ESCALATION_FUNCTIONS.map((fn) => ({
    path: (s: ArrearsStack) => [s.node.findChild('Escalation').node.findChild('StateMachine')],
    id: qualifiedArnsOf(fn),
    reason: `The state machine may invoke the ${fn} function and its versions and aliases (<arn>:*) and nothing else: the wildcard is the version qualifier of one named function.`,
  })),
  {
    path: (s) => [s.node.findChild('MonthlyRunScheduleRole')],
    id: qualifiedArnsOf('monthlyRun'),
    reason: 'The scheduler role may invoke the monthly-run function and its versions and aliases (<arn>:*) and nothing else: the wildcard is the version qualifier of one named function.',
  },
  {
    path: (s) => [s.node.findChild('MonthlyRunDeadLetters')],
    id: () => 'AwsSolutions-SQS3',
    reason: 'This queue is itself the dead-letter queue of the monthly-run schedule; a dead-letter queue of a dead-letter queue would only move the same failed events again.',
  },
];

export function acknowledgeFindings(stack: ArrearsStack): void {
  for (const { path, id, reason } of ACKNOWLEDGED) {
    for (const construct of path(stack)) Validations.of(construct).acknowledge({ id: id(stack), reason });
  }
}
