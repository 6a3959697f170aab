import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';

/**
 * An HTTP API (payload 2.0) request as API Gateway passes it on after the JWT authorizer has
 * verified a Cognito access token: the claims the staff API reads are `token_use`, `username` and
 * `cognito:groups` (which API Gateway flattens to "[a b]").
 */
export function staffEvent(
  request: { method: string; path: string; staffId?: string; groups?: string[]; body?: unknown; query?: Record<string, string> },
): APIGatewayProxyEventV2WithJWTAuthorizer {
  const claims: Record<string, string> = { token_use: 'access' };
  if (request.staffId) claims.username = request.staffId;
  if (request.groups) claims['cognito:groups'] = `[${request.groups.join(' ')}]`;
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: request.path,
    rawQueryString: new URLSearchParams(request.query ?? {}).toString(),
    // The token the JWT authorizer verified (the staff API reads only its claims); no cookie.
    headers: { 'content-type': 'application/json', authorization: 'Bearer verified.by.api-gateway' },
    ...(request.query && { queryStringParameters: request.query }),
    requestContext: {
      accountId: '000000000000', apiId: 'local', domainName: 'localhost', domainPrefix: 'localhost', requestId: 'r', routeKey: '$default', stage: '$default',
      time: '', timeEpoch: 0,
      http: { method: request.method, path: request.path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
      authorizer: { principalId: '', integrationLatency: 0, jwt: { claims, scopes: [] } },
    },
    body: request.body === undefined ? undefined : typeof request.body === 'string' ? request.body : JSON.stringify(request.body),
    isBase64Encoded: false,
  } as APIGatewayProxyEventV2WithJWTAuthorizer;
}
