import { z } from 'zod';
import { DEFAULT_DEPLOYMENT, startExecutionShare } from '../../infra/deployment-config.ts';
import { parseInput } from './handler.ts';

/**
 * Operational settings a function is given through its environment by the stack (and the local
 * stack), from the deployment configuration (infra/deployment-config.ts): how the work is split,
 * never what the law says (that is the policy). Called outside a deployment (tests, scripts), a
 * step falls back to the configuration's defaults, so it splits its work the same way.
 */
const operationsSchema = z.object({
  /** Segments of the parallel scan of every ledger in one invocation (monthly run, quarterly list, disclosure run, collection report). */
  SCAN_SEGMENTS: z.coerce.number().int().min(1).max(64).default(DEFAULT_DEPLOYMENT.scan.segments),
  /** The statement run's segments (its state machine's fan-out), read when an invocation names none. */
  STATEMENT_RUN_SEGMENTS: z.coerce.number().int().min(1).max(256).default(DEFAULT_DEPLOYMENT.statementRun.segments),
  /** An import chunk stops after this many rows (0: only before the Lambda's timeout). */
  IMPORT_MAX_ROWS_PER_CHUNK: z.coerce.number().int().min(0).default(DEFAULT_DEPLOYMENT.import.maxRowsPerChunk),
  /** The monthly run's segments (its state machine's fan-out). */
  MONTHLY_RUN_SEGMENTS: z.coerce.number().int().min(1).max(256).default(DEFAULT_DEPLOYMENT.monthlyRun.segments),
  /** This invocation's share of the account's StartExecution token bucket (infra/deployment-config.ts `startExecutionShare`). */
  START_EXECUTION_BUCKET: z.coerce.number().int().min(1).default(startExecutionShare(DEFAULT_DEPLOYMENT).bucket),
  START_EXECUTION_PER_SECOND: z.coerce.number().positive().default(startExecutionShare(DEFAULT_DEPLOYMENT).perSecond),
});

export type Operations = z.infer<typeof operationsSchema>;

export function operations(): Operations {
  return parseInput(operationsSchema, process.env);
}
