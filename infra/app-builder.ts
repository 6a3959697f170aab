import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ArrearsStack, type ArrearsStackProps } from './arrears-stack.ts';
import { acknowledgeFindings } from './nag.ts';

export const STACK_NAME = 'ArrearsFollowUp';

export interface BuildOptions {
  /** Bundle the functions with esbuild (off for tests and the local run: the template is otherwise the same). */
  bundling?: boolean;
  outdir?: string;
  policy?: ArrearsStackProps['policy'];
}

/** The CDK app, with cdk-nag's AwsSolutions checks: any unacknowledged finding fails synth. */
export function buildApp(options: BuildOptions = {}): { app: App; stack: ArrearsStack } {
  const app = new App({
    ...(options.outdir ? { outdir: options.outdir } : {}),
    context: options.bundling === false ? { 'aws:cdk:bundling-stacks': [] } : {},
  });
  const stack = new ArrearsStack(app, STACK_NAME, {
    description: 'Arrears follow-up: monthly notice run and escalation of employers in arrears',
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION ?? 'ap-southeast-1' },
    ...(options.policy ? { policy: options.policy } : {}),
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  acknowledgeFindings(stack);
  return { app, stack };
}
