import { lambdaHandler } from '../commons/handler.ts';
import { awsDeps } from '../commons/deps.ts';
import { scanRunInputSchema } from '../commons/run-input.ts';
import { runMonthlyCycle } from '../steps/monthly-run.ts';
import { invocationLease } from '../commons/run-lease.ts';

/** Scheduled by EventBridge Scheduler early each month (Asia/Ho_Chi_Minh); `asOf` only for reruns. */
export const inputSchema = scanRunInputSchema;

export const handler = lambdaHandler(inputSchema, (input, context) => runMonthlyCycle(awsDeps(), input, {}, invocationLease(context, input.runId)));
