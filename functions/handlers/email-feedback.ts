import { lambdaHandler } from '../commons/handler.ts';
import { awsDeps } from '../commons/deps.ts';
import { recordEmailFeedback, snsEventSchema } from '../steps/delivery-feedback.ts';

/** Subscribed to the SNS topic SES publishes the reminder sender's bounces and complaints to. */
export const handler = lambdaHandler(snsEventSchema, (event) => recordEmailFeedback(awsDeps(), event));
