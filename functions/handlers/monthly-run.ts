import { z } from 'zod';
import { lambdaHandler } from '../commons/handler.ts';
import { awsDeps } from '../commons/deps.ts';
import { isoDateSchema } from '../commons/records.ts';
import { runMonthlyCycle } from '../steps/monthly-run.ts';

/** Scheduled by EventBridge Scheduler early each month (Asia/Ho_Chi_Minh); `asOf` only for reruns. */
export const inputSchema = z.object({
  asOf: isoDateSchema.optional(),
  segments: z.array(z.number().int().min(0)).optional(),
  totalSegments: z.number().int().min(1).max(64).optional(),
}).refine((i) => !i.segments || (i.totalSegments !== undefined && i.segments.every((s) => s < i.totalSegments!)), {
  message: 'segments need totalSegments, and each must be below it', path: ['segments'],
});

export const handler = lambdaHandler(inputSchema, (input) => runMonthlyCycle(awsDeps(), input));
