import { z } from 'zod';
import { lambdaHandler } from '../commons/handler.ts';
import { awsDeps } from '../commons/deps.ts';
import { escalationInputSchema } from '../steps/payloads.ts';
import { assessCase } from '../steps/assess-case.ts';

export const inputSchema = escalationInputSchema.extend({ phase: z.enum(['start', 'after-outcome']) });

export const handler = lambdaHandler(inputSchema, (input) => assessCase(awsDeps(), input));
