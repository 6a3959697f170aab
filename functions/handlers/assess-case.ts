import { z } from 'zod';
import { lambdaHandler } from '../commons/handler.ts';
import { awsDeps } from '../commons/deps.ts';
import { escalationInputSchema } from '../steps/payloads.ts';
import { TASK_OUTCOMES } from '../commons/records.ts';
import { assessCase } from '../steps/assess-case.ts';

export const inputSchema = escalationInputSchema.extend({ phase: z.enum(['start', 'after-outcome']), outcome: z.enum(TASK_OUTCOMES).optional() });

export const handler = lambdaHandler(inputSchema, (input) => assessCase(awsDeps(), input));
