import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayRequestAuthorizerEventV2, APIGatewaySimpleAuthorizerWithContextResult } from 'aws-lambda';
import { z } from 'zod';
import { logger } from '../commons/logger.ts';
import { parseInput } from '../commons/handler.ts';
import { clients } from '../commons/clients.ts';
import { authorizeSession, cognitoSessionVerifier, type SessionContext } from '../inbox/session.ts';
import { dynamoRevocations, type Revocations } from '../inbox/revocations.ts';

/**
 * The staff inbox's authorizer: the session cookie's Cognito access token, verified, and not on the
 * revocation list (inbox/session.ts). Not cached by API Gateway: a signed-out session is refused at once.
 */
let verifier: ReturnType<typeof cognitoSessionVerifier> | undefined;
let revocations: Revocations | undefined;

export const handler = middy<APIGatewayRequestAuthorizerEventV2, APIGatewaySimpleAuthorizerWithContextResult<SessionContext>>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event) => {
    if (!verifier) {
      const env = parseInput(z.object({ USER_POOL_ID: z.string().min(1), INBOX_CLIENT_ID: z.string().min(1), TABLE_NAME: z.string().min(3) }), process.env);
      verifier = cognitoSessionVerifier(env.USER_POOL_ID, env.INBOX_CLIENT_ID);
      revocations = dynamoRevocations(clients.dynamo(), env.TABLE_NAME);
    }
    const result = await authorizeSession(verifier, event, revocations!);
    if (!result.isAuthorized) logger.info('Inbox session refused');
    return result;
  });
