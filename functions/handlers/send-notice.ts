import { lambdaHandler } from '../commons/handler.ts';
import { awsDeps } from '../commons/deps.ts';
import { escalationInputSchema } from '../steps/payloads.ts';
import { sendNotice } from '../steps/send-notice.ts';

export const handler = lambdaHandler(escalationInputSchema, (input) => sendNotice(awsDeps(), input));
