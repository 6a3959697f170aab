import { CognitoJwtVerifier } from 'aws-jwt-verify';
import type { APIGatewayRequestAuthorizerEventV2, APIGatewaySimpleAuthorizerWithContextResult } from 'aws-lambda';
import { cookieOf, SESSION_COOKIE } from './cookies.ts';
import type { Revocations } from './revocations.ts';

/**
 * The staff inbox's authorizer (an HTTP API Lambda authorizer, simple responses): the session
 * cookie holds the Cognito access token the Hosted UI issued; it is verified here (signature against
 * the pool's published keys, issuer, expiry, token use "access", this client), and only its
 * verified claims go on as the authorizer's context: the sign-in id, the groups and the session's id
 * (the token's jti, from which the forms' CSRF tokens derive). A session signed out before its
 * token expired is on the revocation list and refused. The staff API reads nothing else about who
 * is calling.
 */

export interface SessionContext {
  [key: string]: string;
  username: string;
  /** The Cognito groups, space-separated. */
  groups: string;
  /** The access token's jti. */
  sessionId: string;
}

export type SessionVerifier = { verify(token: string): Promise<object> };

export function cognitoSessionVerifier(userPoolId: string, clientId: string) {
  return CognitoJwtVerifier.create({ userPoolId, clientId, tokenUse: 'access' });
}

export async function authorizeSession(
  verifier: SessionVerifier,
  event: Pick<APIGatewayRequestAuthorizerEventV2, 'cookies' | 'headers'>,
  revocations: Pick<Revocations, 'isRevoked'>,
  nowSeconds = Math.floor(Date.now() / 1000),
): Promise<APIGatewaySimpleAuthorizerWithContextResult<SessionContext>> {
  const denied = { isAuthorized: false, context: { username: '', groups: '', sessionId: '' } };
  const token = cookieOf(event, SESSION_COOKIE);
  if (!token) return denied;
  try {
    const claims = (await verifier.verify(token)) as Record<string, unknown>;
    const groups = claims['cognito:groups'];
    if (typeof claims.username !== 'string' || !Array.isArray(groups) || typeof claims.jti !== 'string') return denied;
    if (await revocations.isRevoked(claims.jti, nowSeconds)) return denied;
    return { isAuthorized: true, context: { username: claims.username, groups: groups.map(String).join(' '), sessionId: claims.jti } };
  } catch {
    return denied;
  }
}
