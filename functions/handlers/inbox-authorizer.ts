import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayRequestAuthorizerEventV2, APIGatewaySimpleAuthorizerWithContextResult } from 'aws-lambda';
import { z } from 'zod';
import { logger } from '../commons/logger.ts';
import { parseInput } from '../commons/handler.ts';
import { authorizeSession, cognitoSessionVerifier, type SessionContext } from '../inbox/session.ts';

/** The staff inbox's authorizer: the session cookie's Cognito access token, verified (inbox/session.ts). */
let verifier: ReturnType<typeof cognitoSessionVerifier> | undefined;

export const handler = middy<APIGatewayRequestAuthorizerEventV2, APIGatewaySimpleAuthorizerWithContextResult<SessionContext>>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event) => {
    if (!verifier) {
      const env = parseInput(z.object({ USER_POOL_ID: z.string().min(1), INBOX_CLIENT_ID: z.string().min(1) }), process.env);
      verifier = cognitoSessionVerifier(env.USER_POOL_ID, env.INBOX_CLIENT_ID);
    }
    const result = await authorizeSession(verifier, event);
    if (!result.isAuthorized) logger.info('Inbox session refused');
    return result;
  });
