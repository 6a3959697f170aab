import { z } from 'zod';
import { lambdaHandler } from '../commons/handler.ts';
import { awsDeps } from '../commons/deps.ts';
import { isoDateSchema } from '../commons/records.ts';
import { runEmployeeNotices } from '../steps/employee-notice-run.ts';

/** Scheduled on the policy's day (the 10th), hourly for a few hours (Asia/Ho_Chi_Minh); `asOf` and segments only for reruns. */
export const inputSchema = z.object({
  asOf: isoDateSchema.optional(),
  segments: z.array(z.number().int().min(0)).min(1).optional(),
  totalSegments: z.number().int().min(1).optional(),
});

export const handler = lambdaHandler(inputSchema, (input) => runEmployeeNotices(awsDeps(), input));
