import { lambdaHandler } from '../commons/handler.ts';
import { awsDeps } from '../commons/deps.ts';
import { escalationInputSchema } from '../steps/payloads.ts';
import { closeCase } from '../steps/close-case.ts';

export const handler = lambdaHandler(escalationInputSchema, (input) =>
  closeCase(awsDeps(), { ...input, reason: 'debt-cleared', actor: 'system:escalation' }));
