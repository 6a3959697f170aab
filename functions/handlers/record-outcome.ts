import { z } from 'zod';
import { lambdaHandler } from '../commons/handler.ts';
import { awsDeps } from '../commons/deps.ts';
import { TASK_OUTCOMES } from '../commons/records.ts';
import { recordOutcome } from '../steps/record-outcome.ts';

/** An officer's outcome for a task (the staff API of the casework issue calls the same step). */
export const inputSchema = z.object({
  taskId: z.string().min(1),
  outcome: z.enum(TASK_OUTCOMES),
  note: z.string().max(1000).optional(),
  actor: z.string().min(1),
});

export const handler = lambdaHandler(inputSchema, (input) => recordOutcome(awsDeps(), input));
