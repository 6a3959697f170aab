import { z } from 'zod';
import { lambdaHandler } from '../commons/handler.ts';
import { awsDeps } from '../commons/deps.ts';
import { escalationInputSchema } from '../steps/payloads.ts';
import { recordFailure } from '../steps/record-failure.ts';

export const inputSchema = escalationInputSchema.extend({ error: z.object({ Error: z.string().optional(), Cause: z.string().optional() }) });

export const handler = lambdaHandler(inputSchema, (input) => recordFailure(awsDeps(), input));
