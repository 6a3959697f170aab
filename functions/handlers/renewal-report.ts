import { z } from 'zod';
import { lambdaHandler } from '../commons/handler.ts';
import { awsDeps } from '../commons/deps.ts';
import { isoDateSchema, periodSchema } from '../commons/records.ts';
import { runRenewalReport } from '../steps/renewal-report.ts';

/** Scheduled monthly (the month before); `month` and `asOf` for a report on demand. */
export const inputSchema = z.object({ month: periodSchema.optional(), asOf: isoDateSchema.optional() });

export const handler = lambdaHandler(inputSchema, (input) => runRenewalReport(awsDeps(), input));
