import { z } from 'zod';
import { lambdaHandler } from '../commons/handler.ts';
import { awsDeps } from '../commons/deps.ts';
import { QUARTER } from '../core/quarterly-list.ts';
import { runQuarterlyList } from '../steps/quarterly-list.ts';
import { invocationLease } from '../commons/run-lease.ts';

/** Scheduled early in each quarter's first month (Asia/Ho_Chi_Minh); `quarter` only for reruns. */
export const inputSchema = z.object({
  quarter: z.string().regex(QUARTER, 'must be a quarter YYYY-Qn').optional(),
});

export const handler = lambdaHandler(inputSchema, (input, context) => runQuarterlyList(awsDeps(), input, invocationLease(context)));
