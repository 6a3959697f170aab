import { z } from 'zod';
import { parseInput } from './handler.ts';

const envSchema = z.object({
  TABLE_NAME: z.string().min(3),
  STATE_MACHINE_ARN: z.string().optional(),
});

/** Environment read and validated once; a missing setting fails loudly at cold start. */
export function config() {
  return parseInput(envSchema, process.env);
}
