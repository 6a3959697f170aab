import { z } from 'zod';
import { isoDateSchema } from './records.ts';

/**
 * The input of a run that reads every employer with a parallel scan (the monthly run, the
 * statement run): scheduled with none; `asOf` for a rerun of a date; `segments` of
 * `totalSegments` when the run is split over invocations; `runId` when the invoker names the run.
 */
export const scanRunInputSchema = z.object({
  asOf: isoDateSchema.optional(),
  segments: z.array(z.number().int().min(0)).optional(),
  totalSegments: z.number().int().min(1).max(256).optional(),
  /** Who runs, when the invoker names it (the statement run's execution): its retries hold the same lease. */
  runId: z.string().min(1).max(200).optional(),
}).refine((i) => !i.segments || (i.totalSegments !== undefined && i.segments.every((s) => s < i.totalSegments!)), {
  message: 'segments need totalSegments, and each must be below it', path: ['segments'],
});
