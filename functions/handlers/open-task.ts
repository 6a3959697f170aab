import { z } from 'zod';
import { lambdaHandler } from '../commons/handler.ts';
import { awsDeps } from '../commons/deps.ts';
import { assignmentSchema, escalationInputSchema } from '../steps/payloads.ts';
import { openTask } from '../steps/open-task.ts';

const assigned = assignmentSchema.options[1];
export const inputSchema = escalationInputSchema.extend({ assignment: assigned, token: z.string().min(1) });

export const handler = lambdaHandler(inputSchema, (input) => openTask(awsDeps(), input));
