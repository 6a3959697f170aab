import { lambdaHandler } from '../commons/handler.ts';
import { awsDeps } from '../commons/deps.ts';
import { recordSmsFeedback, snsEventSchema } from '../steps/delivery-feedback.ts';

/** Subscribed to the SNS topic the reminder SMS's End User Messaging configuration set publishes its events to. */
export const handler = lambdaHandler(snsEventSchema, (event) => recordSmsFeedback(awsDeps(), event));
