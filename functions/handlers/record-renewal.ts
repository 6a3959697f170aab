import { z } from 'zod';
import { lambdaHandler } from '../commons/handler.ts';
import { awsDeps } from '../commons/deps.ts';
import { renewalSchema } from '../commons/reminder-records.ts';
import { recordRenewal } from '../steps/record-renewal.ts';

/** A renewal from a collection system or the import: `actor` says who recorded it. */
export const inputSchema = z.intersection(renewalSchema, z.object({ actor: z.string().min(1).max(80) }));

export const handler = lambdaHandler(inputSchema, (input) => recordRenewal(awsDeps(), input));
