import { z } from 'zod';
import { lambdaHandler } from '../commons/handler.ts';
import { awsDeps } from '../commons/deps.ts';
import { escalationInputSchema, taskSpecSchema } from '../steps/payloads.ts';
import { assignOfficer } from '../steps/assign-officer.ts';

export const inputSchema = escalationInputSchema.extend({
  task: taskSpecSchema,
  /** Set when the task went past its due date: the officer whose team lead takes it over. */
  escalateFrom: z.object({ officerId: z.string().min(1) }).optional(),
});

export const handler = lambdaHandler(inputSchema, (input) => assignOfficer(awsDeps(), input));
