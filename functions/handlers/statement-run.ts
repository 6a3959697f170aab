import { z } from 'zod';
import { lambdaHandler } from '../commons/handler.ts';
import { awsDeps } from '../commons/deps.ts';
import { isoDateSchema } from '../commons/records.ts';
import { runStatements } from '../steps/statement-run.ts';

/**
 * Started monthly after the monthly run (Asia/Ho_Chi_Minh) by the statement run's state machine,
 * one invocation per scan segment (a PDF per unit is CPU work: national volumes split); invoked
 * directly with `asOf` (and segments, or none for all) for a rerun.
 */
export const inputSchema = z.object({
  asOf: isoDateSchema.optional(),
  segments: z.array(z.number().int().min(0)).optional(),
  totalSegments: z.number().int().min(1).max(256).optional(),
}).refine((i) => !i.segments || (i.totalSegments !== undefined && i.segments.every((s) => s < i.totalSegments!)), {
  message: 'segments need totalSegments, and each must be below it', path: ['segments'],
});

export const handler = lambdaHandler(inputSchema, (input) => runStatements(awsDeps(), input));
