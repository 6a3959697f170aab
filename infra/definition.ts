import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp, STACK_NAME } from './app-builder.ts';

type Template = { Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }> };

export const STAND_IN = { partition: 'aws', region: 'ap-southeast-1', account: '000000000000' };

let cached: Template | undefined;

/**
 * The stack's CloudFormation template, synthesized in this process by the same app `cdk synth`
 * runs (cdk-nag included). Bundling is skipped: it changes asset hashes, not the definition.
 */
export function synthesizeTemplate(): Template {
  if (!cached) {
    const { app } = buildApp({ bundling: false, outdir: mkdtempSync(join(tmpdir(), 'arrears-synth-')) });
    cached = app.synth().getStackByName(STACK_NAME).template as Template;
  }
  return cached;
}

/**
 * The escalation state machine's definition as plain ASL: its DefinitionString resolved, with
 * each Lambda ARN turned into a stand-in ARN (the local stack maps Task states by name).
 */
export function escalationDefinition(template: Template): Record<string, unknown> {
  const machines = Object.entries(template.Resources).filter(([, r]) => r.Type === 'AWS::StepFunctions::StateMachine');
  if (machines.length !== 1) throw new Error(`Expected one state machine in the template, found ${machines.length}`);
  const definition = machines[0]![1].Properties?.DefinitionString;
  return JSON.parse(resolveIntrinsic(definition)) as Record<string, unknown>;
}

export async function loadEscalationDefinition(): Promise<Record<string, unknown>> {
  return escalationDefinition(synthesizeTemplate());
}

function resolveIntrinsic(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    const [fn, args] = Object.entries(value)[0] ?? [];
    if (fn === 'Fn::Join' && Array.isArray(args)) {
      const [separator, parts] = args as [string, unknown[]];
      return parts.map(resolveIntrinsic).join(separator);
    }
    if (fn === 'Fn::GetAtt' && Array.isArray(args) && args[1] === 'Arn') {
      return `arn:${STAND_IN.partition}:lambda:${STAND_IN.region}:${STAND_IN.account}:function:${String(args[0])}`;
    }
    if (fn === 'Ref') {
      const pseudo: Record<string, string> = { 'AWS::Partition': STAND_IN.partition, 'AWS::Region': STAND_IN.region, 'AWS::AccountId': STAND_IN.account, 'AWS::URLSuffix': 'amazonaws.com' };
      if (typeof args === 'string' && pseudo[args]) return pseudo[args];
    }
  }
  throw new Error(`Cannot resolve ${JSON.stringify(value)} in the state machine definition`);
}
