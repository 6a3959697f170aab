import { z } from 'zod';
import { lambdaHandler } from '../commons/handler.ts';
import { awsDeps } from '../commons/deps.ts';
import { isoDateSchema } from '../commons/records.ts';
import { REDRIVEN, runRedrive } from '../steps/redrive-run.ts';

/**
 * Scheduled daily (Asia/Ho_Chi_Minh) through the notices' deadline: sends again what is pending.
 * A run's catch-up names the kinds it sends (the monthly run: urging notices); all of them otherwise.
 */
export const inputSchema = z.object({ asOf: isoDateSchema.optional(), kinds: z.array(z.enum(REDRIVEN)).min(1).optional() });

export const handler = lambdaHandler(inputSchema, (input) => runRedrive(awsDeps(), input));
