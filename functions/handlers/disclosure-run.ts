import { z } from 'zod';
import { lambdaHandler } from '../commons/handler.ts';
import { awsDeps } from '../commons/deps.ts';
import { isoDateSchema } from '../commons/records.ts';
import { runDisclosure } from '../steps/disclosure-run.ts';
import { invocationLease } from '../commons/run-lease.ts';

/** Scheduled monthly, some days after the monthly run (Asia/Ho_Chi_Minh); `asOf` only for reruns. */
export const inputSchema = z.object({ asOf: isoDateSchema.optional() });

export const handler = lambdaHandler(inputSchema, (input, context) => runDisclosure(awsDeps(), input, invocationLease(context)));
