import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../../functions/core/metric-names.ts';

/** The repository root: handler entries and the lock file are found from here, whatever the cwd. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The Lambda runtime. cdk-nag's AwsSolutions-L1 asks for the newest runtime of the family that this
 * aws-cdk-lib knows (`Runtime.ALL`), which in 2.276 is nodejs24.x: nodejs22.x would be a finding.
 */
export const LAMBDA_RUNTIME = Runtime.NODEJS_24_X;
const ESBUILD_TARGET = 'node24';

export interface ArrearsFunctionProps {
  /** Handler source, relative to the repository root (FUNCTION_ENTRY). */
  entry: string;
  /** The customer-managed key the function's log group is encrypted with. */
  key: IKey;
  /** Function-specific settings (TABLE_NAME, STATE_MACHINE_ARN). */
  environment: Record<string, string>;
  /** @default 512 */
  memorySize?: number;
  /** @default 30 seconds */
  timeout?: Duration;
  /** @default one year */
  logRetention?: RetentionDays;
  /** Files the code reads at run time (the statement's fonts), copied into the bundle's folder `to`. */
  copyFiles?: { from: readonly string[]; to: string };
}

/**
 * The one place Lambda defaults live (as in Powertools' examples/app): Node on arm64, an ESM
 * bundle built by the locally installed esbuild (no Docker), X-Ray tracing, its own log group
 * encrypted with the CMK, and a role that starts empty (no AWSLambdaBasicExecutionRole): writing
 * to its own log group is granted here, and each grant the stack adds is the whole of the rest.
 *
 * The AWS SDK is bundled (`externalModules: []`), not taken from the runtime: the versions the
 * tests ran with (package-lock) are the versions that run, whatever SDK the runtime ships that
 * week, and a tree-shaken, minified ESM bundle loads faster than the runtime's full SDK tree.
 */
export class ArrearsFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: ArrearsFunctionProps) {
    super(scope, id);
    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention ?? RetentionDays.ONE_YEAR,
      encryptionKey: props.key,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Arrears follow-up ${id}: only the calls this function makes`,
    });
    this.logGroup.grantWrite(this.role);
    this.fn = new NodejsFunction(this, 'Function', {
      entry: join(REPO_ROOT, props.entry),
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
      handler: 'handler',
      runtime: LAMBDA_RUNTIME,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(30),
      tracing: Tracing.ACTIVE,
      role: this.role,
      logGroup: this.logGroup,
      environment: {
        POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        POWERTOOLS_LOG_LEVEL: 'INFO',
        NODE_OPTIONS: '--enable-source-maps',
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        target: ESBUILD_TARGET,
        minify: true,
        sourceMap: true,
        // Stack traces map to file:line without shipping every dependency's source (4 MB → 1 MB).
        sourcesContent: false,
        mainFields: ['module', 'main'],
        externalModules: [],
        forceDockerBundling: false,
        // esbuild speaks up only for warnings and errors: `cdk synth --quiet` stays quiet.
        logLevel: LogLevel.WARNING,
        banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
        ...(props.copyFiles ? { commandHooks: copyInto(props.copyFiles) } : {}),
      },
    });
  }
}

/** Bundling hooks that copy files into the asset (local commands, no Docker). */
function copyInto(files: { from: readonly string[]; to: string }) {
  const quote = (path: string) => `'${path.replace(/'/g, "'\\''")}'`;
  return {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (_inputDir: string, outputDir: string) => [
      `mkdir -p ${quote(join(outputDir, files.to))}`,
      ...files.from.map((f) => `cp ${quote(f)} ${quote(join(outputDir, files.to))}/`),
    ],
  };
}
