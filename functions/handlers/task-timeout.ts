import { z } from 'zod';
import { lambdaHandler } from '../commons/handler.ts';
import { awsDeps } from '../commons/deps.ts';
import { escalationInputSchema } from '../steps/payloads.ts';
import { recordTaskTimeout } from '../steps/task-timeout.ts';

export const inputSchema = escalationInputSchema.extend({ taskId: z.string().min(1), escalating: z.boolean() });

export const handler = lambdaHandler(inputSchema, (input) => recordTaskTimeout(awsDeps(), input));
