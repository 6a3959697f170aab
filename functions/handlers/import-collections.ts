import { z } from 'zod';
import { lambdaHandler } from '../commons/handler.ts';
import { awsDeps } from '../commons/deps.ts';
import { importFileChunk } from '../steps/import-run.ts';
import { kindOf } from '../import/file-import.ts';
import { STOP_BEFORE_TIMEOUT_MS } from './import-run.ts';

/**
 * One chunk of a bank's or a post office's collection file (`collections/*.csv` of a batch): each
 * payment through the record-payment step, so this function has its grants (confirmation email,
 * resuming a waiting task) and the import function has none of them.
 */
export const inputSchema = z.object({
  action: z.literal('chunk'),
  prefix: z.string().min(1),
  file: z.object({ key: z.string().min(1), name: z.string().min(1) }).refine((f) => kindOf(f.name) === 'collection', 'must be a collection file (collections/*.csv)'),
  runId: z.string().min(1),
});

export const handler = lambdaHandler(inputSchema, (input, context) =>
  importFileChunk(awsDeps(), input, () => context.getRemainingTimeInMillis() < STOP_BEFORE_TIMEOUT_MS));
