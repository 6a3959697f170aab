import { z } from 'zod';

/**
 * How this deployment is operated, apart from the policy (the law, versioned by date,
 * functions/core/policy.ts): how the scans are split and when the alarms go off. Changing one of
 * these changes no notice, amount or date; it changes how the work is spread and who is told.
 * The stack reads it (defaults here, overridden by the CDK context `deployment`, e.g.
 * `npx cdk deploy -c deployment='{"scan":{"segments":16}}'`) and gives each function what it needs
 * through its environment (functions/commons/operations.ts); the local run uses the same values.
 * No AWS import: the local runner and the functions' fallbacks read it too.
 */
const ssmParameterName = z.string().regex(/^\/[A-Za-z0-9_.\-/]{1,1000}$/, 'must be an SSM parameter name starting with /');

export const deploymentConfigSchema = z.object({
  scan: z.object({
    /**
     * Segments of the parallel scan of every ledger in one invocation (monthly run, quarterly list,
     * disclosure run, collection report): enough to keep DynamoDB busy, each segment one reader.
     */
    segments: z.number().int().min(1).max(64),
  }),
  /**
   * A PDF per unit is CPU work: in AWS the statement run is split into this many scan segments,
   * each its own invocation, this many at once (a Step Functions Map), so each stays well inside
   * Lambda's 15 minutes.
   */
  statementRun: z.object({
    segments: z.number().int().min(1).max(256),
    concurrency: z.number().int().min(1).max(40),
    /**
     * After the segments, the redrive runs up to this many times, each after the claims' takeover
     * age (the policy's), while anything is still due: an outage of minutes is caught up the same day.
     */
    catchUpAttempts: z.number().int().min(0).max(10),
  }),
  /**
   * The import: a chunk (one invocation) stops two minutes before the Lambda's timeout, and also
   * after this many rows when not 0 (shorter chunks: more, cheaper retries of a failed one).
   */
  import: z.object({ maxRowsPerChunk: z.number().int().min(0) }),
  /**
   * The monthly run in AWS: this many scan segments, each its own invocation, this many at once (a
   * Step Functions Map), then a summary. The account's StartExecution quota is shared out between
   * the segments running at once (`stepFunctions`), so more at once reads faster but starts no faster.
   */
  monthlyRun: z.object({ segments: z.number().int().min(1).max(256), concurrency: z.number().int().min(1).max(40) }),
  /**
   * The account's Step Functions quotas in the deployment's region, as Service Quotas shows them
   * (raise them there, then here): StartExecution of Standard workflows is a token bucket of
   * `bucket` tokens refilled at `perSecond`.
   */
  stepFunctions: z.object({ startExecution: z.object({ bucket: z.number().int().min(1), perSecond: z.number().positive() }) }),
  alarms: z.object({
    /** SES account reputation (AWS/SES Reputation.BounceRate and ComplaintRate, a fraction 0–1) at which the alarm goes off. */
    sesBounceRate: z.number().positive().max(1),
    sesComplaintRate: z.number().positive().max(1),
    /** Where alarms are also sent by email (context `alarmEmail`); the topic alone otherwise. */
    email: z.string().email().optional(),
  }),
  /**
   * Zalo ZNS (README "Zalo ZNS"): the SSM SecureString parameter the operator keeps the Official
   * Account's access token in, the webhook's app id and secret parameter, and the customer managed KMS key it is encrypted with (none: the
   * AWS managed aws/ssm key, which needs no grant). Absent: no ZNS, the reminders go by SMS.
   */
  zns: z.object({
    tokenParameter: ssmParameterName,
    /**
     * Zalo's webhook, without which a message Zalo took just before its worker died would be sent
     * again: the Zalo app id its calls carry, and the SSM SecureString parameter holding the OA
     * secret key they are signed with (same KMS key as the token).
     */
    appId: z.string().regex(/^\d{1,32}$/, 'must be the Zalo app id (digits)'),
    webhookSecretParameter: ssmParameterName,
    kmsKeyArn: z.string().regex(/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[0-9a-f-]+$/, 'must be a KMS key ARN').optional(),
  }).optional(),
});

export type DeploymentConfig = z.infer<typeof deploymentConfigSchema>;

export const DEFAULT_DEPLOYMENT: DeploymentConfig = deploymentConfigSchema.parse({
  // Eight readers keep the scan of a district's table short without throttling an on-demand table.
  scan: { segments: 8 },
  // About 35 ms of CPU per PDF: 400,000 units in 32 segments is 12,500 units (7–8 minutes) per invocation.
  statementRun: { segments: 32, concurrency: 8, catchUpAttempts: 3 },
  // The time limit alone: a 2 GB file is then a few chunks of 13 minutes.
  import: { maxRowsPerChunk: 0 },
  // 0.5 M units and 100,000 to escalate: 32 segments of ~16,000 units and ~3,100 starts; 16 at once
  // each start at 150/16 a second, so a segment takes ~5.5 minutes, well inside Lambda's 15.
  monthlyRun: { segments: 32, concurrency: 16 },
  // ap-southeast-1's defaults for Standard workflows (us-east-1, us-west-2 and eu-west-1 have more).
  stepFunctions: { startExecution: { bucket: 800, perSecond: 150 } },
  // AWS reviews (and may pause) an account's sending at a 5% bounce or 0.1% complaint rate: the
  // alarm goes off well before, while there is time to find the bad addresses.
  alarms: { sesBounceRate: 0.03, sesComplaintRate: 0.0005 },
});

type Overrides = { [K in keyof DeploymentConfig]?: Partial<DeploymentConfig[K]> };

/**
 * The monthly run's state machine may run this long, and its run lease is held as long: at the
 * default quota a national cycle's starts take about 11 minutes; the rest is room for retries.
 */
export const MONTHLY_RUN_TIMEOUT_MS = 2 * 60 * 60_000;

/**
 * One segment's share of the account's StartExecution quota: the segments running at once split it
 * evenly (the monthly run is the only caller that starts many; anyone else's start is absorbed by
 * the backoff on ThrottlingException, functions/commons/workflow.ts).
 */
export function startExecutionShare(config: Pick<DeploymentConfig, 'monthlyRun' | 'stepFunctions'>): { bucket: number; perSecond: number } {
  const { bucket, perSecond } = config.stepFunctions.startExecution;
  const n = config.monthlyRun.concurrency;
  return { bucket: Math.max(1, Math.floor(bucket / n)), perSecond: perSecond / n };
}

/**
 * The defaults with the given overrides (the context `deployment`, an object or its JSON, and the
 * context `alarmEmail`), validated: a wrong value fails synth, naming the field.
 */
export function deploymentConfig(overrides: unknown = undefined, alarmEmail?: unknown): DeploymentConfig {
  const given = (typeof overrides === 'string' ? JSON.parse(overrides) : (overrides ?? {})) as Overrides;
  const merged = {
    scan: { ...DEFAULT_DEPLOYMENT.scan, ...given.scan },
    statementRun: { ...DEFAULT_DEPLOYMENT.statementRun, ...given.statementRun },
    import: { ...DEFAULT_DEPLOYMENT.import, ...given.import },
    monthlyRun: { ...DEFAULT_DEPLOYMENT.monthlyRun, ...given.monthlyRun },
    stepFunctions: { startExecution: { ...DEFAULT_DEPLOYMENT.stepFunctions.startExecution, ...given.stepFunctions?.startExecution } },
    alarms: { ...DEFAULT_DEPLOYMENT.alarms, ...given.alarms, ...(alarmEmail === undefined ? {} : { email: alarmEmail }) },
    ...(given.zns ? { zns: given.zns } : {}),
  };
  const parsed = deploymentConfigSchema.safeParse(merged);
  if (!parsed.success) {
    throw new Error(`Invalid deployment configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return parsed.data;
}
