import { lambdaHandler } from '../commons/handler.ts';
import { awsDeps } from '../commons/deps.ts';
import { escalationInputSchema, taskSpecSchema } from '../steps/payloads.ts';
import { assignOfficer } from '../steps/assign-officer.ts';

export const inputSchema = escalationInputSchema.extend({ task: taskSpecSchema });

export const handler = lambdaHandler(inputSchema, (input) => assignOfficer(awsDeps(), input));
