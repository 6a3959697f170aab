import { lambdaHandler } from '../commons/handler.ts';
import { awsDeps } from '../commons/deps.ts';
import { scanRunInputSchema } from '../commons/run-input.ts';
import { runStatements } from '../steps/statement-run.ts';
import { invocationLease } from '../commons/run-lease.ts';

/**
 * Started monthly after the monthly run (Asia/Ho_Chi_Minh) by the statement run's state machine,
 * one invocation per scan segment (a PDF per unit is CPU work: national volumes split); invoked
 * directly with `asOf` (and segments, or none for all) for a rerun.
 */
export const inputSchema = scanRunInputSchema;

export const handler = lambdaHandler(inputSchema, (input, context) => runStatements(awsDeps(), input, invocationLease(context, input.runId)));
