import { z } from 'zod';
import { lambdaHandler } from '../commons/handler.ts';
import { awsDeps } from '../commons/deps.ts';
import { isoDateSchema } from '../commons/records.ts';
import { runReconciliationFollowUp } from '../steps/reconciliation-run.ts';

/** Scheduled quarterly (Asia/Ho_Chi_Minh); `asOf` and `year` only for reruns. */
export const inputSchema = z.object({ asOf: isoDateSchema.optional(), year: z.number().int().min(2000).max(2100).optional() });

export const handler = lambdaHandler(inputSchema, (input) => runReconciliationFollowUp(awsDeps(), input));
