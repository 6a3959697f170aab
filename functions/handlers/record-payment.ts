import { z } from 'zod';
import { lambdaHandler } from '../commons/handler.ts';
import { awsDeps } from '../commons/deps.ts';
import { paymentSchema } from '../commons/records.ts';
import { recordPayment } from '../steps/record-payment.ts';

/** A payment recorded by staff or a collection file: idempotent on its reference. */
export const inputSchema = paymentSchema.extend({ actor: z.string().min(1) });

export const handler = lambdaHandler(inputSchema, (input) => recordPayment(awsDeps(), input));
