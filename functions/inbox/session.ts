import { CognitoJwtVerifier } from 'aws-jwt-verify';
import type { APIGatewayRequestAuthorizerEventV2, APIGatewaySimpleAuthorizerWithContextResult } from 'aws-lambda';
import { cookieOf, SESSION_COOKIE } from './cookies.ts';

/**
 * The staff inbox's authorizer (an HTTP API Lambda authorizer, simple responses): the session
 * cookie holds the Cognito access token the Hosted UI issued; it is verified here (signature against
 * the pool's published keys, issuer, expiry, token use "access", this client), and only its
 * verified claims go on as the authorizer's context: the sign-in id and the groups. The staff API
 * reads nothing else about who is calling.
 */

export interface SessionContext {
  [key: string]: string;
  username: string;
  /** The Cognito groups, space-separated. */
  groups: string;
}

export type SessionVerifier = { verify(token: string): Promise<object> };

export function cognitoSessionVerifier(userPoolId: string, clientId: string) {
  return CognitoJwtVerifier.create({ userPoolId, clientId, tokenUse: 'access' });
}

export async function authorizeSession(
  verifier: SessionVerifier,
  event: Pick<APIGatewayRequestAuthorizerEventV2, 'cookies' | 'headers'>,
): Promise<APIGatewaySimpleAuthorizerWithContextResult<SessionContext>> {
  const denied = { isAuthorized: false, context: { username: '', groups: '' } };
  const token = cookieOf(event, SESSION_COOKIE);
  if (!token) return denied;
  try {
    const claims = (await verifier.verify(token)) as Record<string, unknown>;
    const groups = claims['cognito:groups'];
    if (typeof claims.username !== 'string' || !Array.isArray(groups)) return denied;
    return { isAuthorized: true, context: { username: claims.username, groups: groups.map(String).join(' ') } };
  } catch {
    return denied;
  }
}
