import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Validations, type Environment } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ArrearsStack, type ArrearsStackProps } from './arrears-stack.ts';
import { REPO_ROOT } from './constructs/arrears-function.ts';
import { acknowledgeFindings } from './nag.ts';

export const STACK_NAME = 'ArrearsFollowUp';
/** The agency's region. The CLI's CDK_DEFAULT_REGION is not used: with no region configured it is us-east-1. */
export const DEFAULT_REGION = 'ap-southeast-1';

/**
 * cdk.json's context (feature flags such as @aws-cdk/aws-iam:minimizePolicies): the CLI passes it to
 * the app, and so does buildApp, so a synth in a test or the local run makes the CLI's template.
 */
const CDK_JSON_CONTEXT = (JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')) as { context?: Record<string, unknown> }).context ?? {};

/**
 * Where the stack goes: CDK_DEPLOY_REGION, else ap-southeast-1; the account of the CLI's credentials
 * (CDK_DEFAULT_ACCOUNT) unless CDK_DEPLOY_ACCOUNT says otherwise, else environment-agnostic.
 */
export function deploymentEnv(env: NodeJS.ProcessEnv = process.env): Environment {
  const account = env.CDK_DEPLOY_ACCOUNT ?? env.CDK_DEFAULT_ACCOUNT;
  return { region: env.CDK_DEPLOY_REGION ?? DEFAULT_REGION, ...(account ? { account } : {}) };
}

export interface BuildOptions {
  /** Bundle the functions with esbuild (default on). Off, the template differs only in asset hashes. */
  bundling?: boolean;
  /** Where the cloud assembly goes (default: CDK_OUTDIR from the CLI, else a temporary directory). */
  outdir?: string;
  /** Default: deploymentEnv(). */
  env?: Environment;
  policy?: ArrearsStackProps['policy'];
  /** Default: infra/deployment-config.ts's, with the context `deployment` over it. */
  deployment?: ArrearsStackProps['deployment'];
  /** The office's settings file: a name in config/offices/ or a path (what `-c office=` gives); default: the context's, else sample. */
  office?: string;
  /** Apply the acknowledgements of infra/nag.ts (default on; off, the findings show, as nag.test.ts checks). */
  acknowledge?: boolean;
}

/** The CDK app, with cdk-nag's AwsSolutions checks: any unacknowledged finding fails synth. */
export function buildApp(options: BuildOptions = {}): { app: App; stack: ArrearsStack } {
  const app = new App({
    ...(options.outdir ? { outdir: options.outdir } : {}),
    context: {
      ...CDK_JSON_CONTEXT,
      // No stack is bundled: NodejsFunction then skips esbuild and stages a placeholder asset.
      ...(options.bundling === false ? { 'aws:cdk:bundling-stacks': [] } : {}),
      ...(options.office ? { office: options.office } : {}),
    },
  });
  const stack = new ArrearsStack(app, STACK_NAME, {
    description: 'Arrears follow-up: monthly notice run and escalation of employers in arrears',
    env: options.env ?? deploymentEnv(),
    ...(options.policy ? { policy: options.policy } : {}),
    ...(options.deployment ? { deployment: options.deployment } : {}),
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  if (options.acknowledge !== false) acknowledgeFindings(stack);
  return { app, stack };
}
