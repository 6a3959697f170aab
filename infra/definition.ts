import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp, DEFAULT_REGION, STACK_NAME } from './app-builder.ts';

export interface CfnTemplate {
  Resources: Record<string, { Type: string; Properties?: Record<string, unknown>; [k: string]: unknown }>;
  Outputs?: Record<string, unknown>;
  [k: string]: unknown;
}

/** The stand-in partition, region and account of the resolved definition (the local stack's). */
export const STAND_IN = { partition: 'aws', region: DEFAULT_REGION, account: '000000000000' } as const;

/** The stand-in ARN a Lambda function's `Fn::GetAtt [LogicalId, Arn]` resolves to. */
export const standInFunctionArn = (logicalId: string) =>
  `arn:${STAND_IN.partition}:lambda:${STAND_IN.region}:${STAND_IN.account}:function:${logicalId}`;

let cached: CfnTemplate | undefined;

/**
 * The stack's CloudFormation template, synthesized in this process by the same app `cdk synth`
 * runs (cdk-nag included, so a finding fails here too), in an environment-agnostic account and the
 * default region, whatever the machine's AWS settings. Bundling is off: it changes asset hashes,
 * not the definition. Cached per process.
 */
export function synthesizeTemplate(): CfnTemplate {
  if (!cached) {
    const { app } = buildApp({
      bundling: false,
      outdir: mkdtempSync(join(tmpdir(), 'arrears-synth-')),
      env: { region: DEFAULT_REGION },
    });
    cached = app.synth().getStackByName(STACK_NAME).template as CfnTemplate;
  }
  return cached;
}

/**
 * A state machine's definition as plain ASL (an object), the machine found by the start of its
 * logical id (its construct's id): its DefinitionString (an Fn::Join over strings, Fn::GetAtt and
 * Ref) resolved, each Lambda function's ARN becoming a stand-in ARN that names the function's
 * logical id. Anything else fails loudly.
 */
export function stateMachineDefinition(template: CfnTemplate, logicalIdPrefix: string): Record<string, unknown> {
  const machines = Object.entries(template.Resources).filter(([id, r]) => r.Type === 'AWS::StepFunctions::StateMachine' && id.startsWith(logicalIdPrefix));
  if (machines.length !== 1) throw new Error(`Expected one AWS::StepFunctions::StateMachine ${logicalIdPrefix}… in the template, found ${machines.length}`);
  const [id, machine] = machines[0]!;
  const definition = machine.Properties?.DefinitionString;
  if (definition === undefined) throw new Error(`State machine ${id} has no DefinitionString (a DefinitionS3Location cannot be resolved here)`);
  const text = resolve(definition, template, id);
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch (error) {
    throw new Error(`State machine ${id}: the resolved DefinitionString is not JSON (${(error as Error).message})`);
  }
}

/** The escalation workflow's definition (workflows/escalation.ts). */
export const escalationDefinition = (template: CfnTemplate) => stateMachineDefinition(template, 'Escalation');
/** The statement run's fan-out (workflows/statement-run.ts). */
export const statementRunDefinition = (template: CfnTemplate) => stateMachineDefinition(template, 'StatementRun');

/** The import of an uploaded batch (workflows/import-run.ts). */
export const importRunDefinition = (template: CfnTemplate) => stateMachineDefinition(template, 'ImportRun');
/** The monthly run's fan-out (workflows/monthly-run.ts). */
export const monthlyRunDefinition = (template: CfnTemplate) => stateMachineDefinition(template, 'MonthlyRun');

/** The escalation state machine definition `cdk synth` produces, as plain ASL. */
export function loadEscalationDefinition(): Record<string, unknown> {
  return escalationDefinition(synthesizeTemplate());
}

const PSEUDO: Record<string, string> = {
  'AWS::Partition': STAND_IN.partition,
  'AWS::Region': STAND_IN.region,
  'AWS::AccountId': STAND_IN.account,
  'AWS::URLSuffix': 'amazonaws.com',
};

function resolve(value: unknown, template: CfnTemplate, machineId: string): string {
  if (typeof value === 'string') return value;
  const fail = (why: string): never => {
    throw new Error(`Cannot resolve ${JSON.stringify(value)} in the DefinitionString of ${machineId}: ${why}`);
  };
  if (!value || typeof value !== 'object' || Array.isArray(value)) return fail('not a string or an intrinsic function');
  const entries = Object.entries(value);
  if (entries.length !== 1) return fail('not a single intrinsic function');
  const [fn, args] = entries[0]!;
  switch (fn) {
    case 'Fn::Join': {
      if (!Array.isArray(args) || args.length !== 2 || typeof args[0] !== 'string' || !Array.isArray(args[1])) return fail('malformed Fn::Join');
      const [separator, parts] = args as [string, unknown[]];
      return parts.map((p) => resolve(p, template, machineId)).join(separator);
    }
    case 'Fn::GetAtt': {
      if (!Array.isArray(args) || args.length !== 2 || args[1] !== 'Arn') return fail('only Fn::GetAtt [LogicalId, "Arn"] is resolved');
      const logicalId = String(args[0]);
      const type = template.Resources[logicalId]?.Type;
      if (type !== 'AWS::Lambda::Function') return fail(`${logicalId} is ${type ?? 'not in the template'}, not an AWS::Lambda::Function`);
      return standInFunctionArn(logicalId);
    }
    case 'Ref': {
      if (typeof args === 'string' && PSEUDO[args]) return PSEUDO[args];
      return fail('only the pseudo parameters AWS::Partition, AWS::Region, AWS::AccountId and AWS::URLSuffix are resolved');
    }
    default:
      return fail(`${fn} is not resolved (only Fn::Join, Fn::GetAtt of a Lambda ARN and pseudo-parameter Refs)`);
  }
}
