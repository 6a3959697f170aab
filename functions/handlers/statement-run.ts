import { z } from 'zod';
import { lambdaHandler } from '../commons/handler.ts';
import { awsDeps } from '../commons/deps.ts';
import { isoDateSchema } from '../commons/records.ts';
import { runStatements } from '../steps/statement-run.ts';

/**
 * Scheduled monthly after the monthly run (Asia/Ho_Chi_Minh); `asOf` only for reruns. Like the
 * monthly run it can fan out by scan segment (a PDF per unit is CPU work: national volumes split).
 */
export const inputSchema = z.object({
  asOf: isoDateSchema.optional(),
  segments: z.array(z.number().int().min(0)).optional(),
  totalSegments: z.number().int().min(1).max(64).optional(),
}).refine((i) => !i.segments || (i.totalSegments !== undefined && i.segments.every((s) => s < i.totalSegments!)), {
  message: 'segments need totalSegments, and each must be below it', path: ['segments'],
});

export const handler = lambdaHandler(inputSchema, (input) => runStatements(awsDeps(), input));
