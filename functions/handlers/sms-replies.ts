import { lambdaHandler } from '../commons/handler.ts';
import { awsDeps } from '../commons/deps.ts';
import { recordSmsReply, snsEventSchema } from '../steps/delivery-feedback.ts';

/** Subscribed to the SNS topic two-way SMS publishes replies to: STOP opts the number out. */
export const handler = lambdaHandler(snsEventSchema, (event) => recordSmsReply(awsDeps(), event));
