import { z } from 'zod';
import { lambdaHandler } from '../commons/handler.ts';
import { awsDeps } from '../commons/deps.ts';
import { isoDateSchema } from '../commons/records.ts';
import { runReminders } from '../steps/reminder-run.ts';
import { invocationLease } from '../commons/run-lease.ts';

/** Scheduled daily, repeated hourly, by EventBridge Scheduler (Asia/Ho_Chi_Minh); `asOf` only for reruns. */
export const inputSchema = z.object({ asOf: isoDateSchema.optional() });

export const handler = lambdaHandler(inputSchema, (input, context) => runReminders(awsDeps(), input, invocationLease(context)));
