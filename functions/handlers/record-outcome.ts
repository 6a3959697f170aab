import { z } from 'zod';
import { lambdaHandler } from '../commons/handler.ts';
import { awsDeps } from '../commons/deps.ts';
import { outcomeInputSchema } from '../steps/payloads.ts';
import { recordOutcome } from '../steps/record-outcome.ts';

/** An officer's outcome for a task (the staff API calls the same step). */
export const inputSchema = outcomeInputSchema.and(z.object({ actor: z.string().min(1) }));

export const handler = lambdaHandler(inputSchema, (input) => recordOutcome(awsDeps(), input));
