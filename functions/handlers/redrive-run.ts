import { z } from 'zod';
import { lambdaHandler } from '../commons/handler.ts';
import { awsDeps } from '../commons/deps.ts';
import { isoDateSchema } from '../commons/records.ts';
import { runRedrive } from '../steps/redrive-run.ts';

/** Scheduled daily (Asia/Ho_Chi_Minh) through the notices' deadline: sends again what is pending. */
export const inputSchema = z.object({ asOf: isoDateSchema.optional() });

export const handler = lambdaHandler(inputSchema, (input) => runRedrive(awsDeps(), input));
