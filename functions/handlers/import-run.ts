import { lambdaHandler } from '../commons/handler.ts';
import { awsDeps } from '../commons/deps.ts';
import { importRunInputSchema, runImportStep } from '../steps/import-run.ts';
import { kindOf } from '../import/file-import.ts';

/**
 * The import state machine's function (workflows/import-run.ts): plans a batch, imports one chunk
 * of a file (every kind but the collection files, which record payments as staff do: their own
 * function), releases the batch. A chunk stops two minutes before the timeout: its writes drain,
 * its checkpoint is saved, and the machine calls again.
 */
export const STOP_BEFORE_TIMEOUT_MS = 2 * 60_000;

export const inputSchema = importRunInputSchema.refine((i) => i.action !== 'chunk' || kindOf(i.file.name) !== 'collection', 'a collection file is imported by the importCollections function');

export const handler = lambdaHandler(inputSchema, (input, context) =>
  runImportStep(awsDeps(), input, () => context.getRemainingTimeInMillis() < STOP_BEFORE_TIMEOUT_MS));
