import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { APIGatewayProxyResultV2 } from 'aws-lambda';
import type { StaffEvent } from '../api/http.ts';
import { logger } from '../commons/logger.ts';
import { htmlResponse, redirect } from './routes.ts';
import { messagePage } from './pages.ts';
import { cookieOf, SESSION_COOKIE } from './cookies.ts';
import { clients } from '../commons/clients.ts';
import { CSRF_FIELD, csrfMatches } from '../api/edge.ts';
import { formOf } from './forms.ts';
import { cognitoSessionVerifier, type SessionVerifier } from './session.ts';
import { dynamoRevocations, type Revocations } from './revocations.ts';

/**
 * Signing in to the staff inbox in AWS: Cognito's Hosted UI, OAuth authorization code flow with
 * PKCE for the user pool's public client. The verifier and state wait in a short-lived HttpOnly
 * cookie scoped to the callback; the access token then becomes the session cookie, which the
 * inbox's authorizer verifies on every request (the handler reads only the authorizer's claims).
 *
 * Locally these three routes are answered by the local server's own sign-in (local/inbox-server.ts).
 */

const PKCE_COOKIE = 'inbox_pkce';
/** The refresh token, sent only to the sign-out route, which revokes it (RevokeToken). */
const REFRESH_COOKIE = 'inbox_refresh';
const SIGN_OUT_PATH = '/inbox/sign-out';
const CALLBACK_PATH = '/inbox/signed-in';

interface HostedUi {
  /** e.g. https://arrears-inbox-123456789012.auth.ap-southeast-1.amazoncognito.com */
  domain: string;
  clientId: string;
}

function hostedUi(): HostedUi | undefined {
  const domain = process.env.INBOX_AUTH_DOMAIN;
  const clientId = process.env.INBOX_CLIENT_ID;
  return domain && clientId ? { domain: domain.replace(/\/$/, ''), clientId } : undefined;
}

const base64url = (bytes: Buffer) => bytes.toString('base64url');
const origin = (event: StaffEvent) => `https://${event.requestContext.domainName}`;

const notConfigured = () => htmlResponse(503, messagePage('Chưa cấu hình đăng nhập (sign-in not configured)', 'INBOX_AUTH_DOMAIN and INBOX_CLIENT_ID are not set.'));

/** GET /inbox/sign-in: to the Hosted UI, with a fresh state and PKCE challenge. */
export function signIn(event: StaffEvent): APIGatewayProxyResultV2 {
  const ui = hostedUi();
  if (!ui) return notConfigured();
  const state = base64url(randomBytes(16));
  const verifier = base64url(randomBytes(32));
  const challenge = base64url(createHash('sha256').update(verifier).digest());
  const query = new URLSearchParams({
    response_type: 'code', client_id: ui.clientId, redirect_uri: origin(event) + CALLBACK_PATH, scope: 'openid',
    state, code_challenge: challenge, code_challenge_method: 'S256',
  });
  // Lax: the Hosted UI sends the browser back here from its own site.
  return redirect(`${ui.domain}/oauth2/authorize?${query}`, [`${PKCE_COOKIE}=${state}.${verifier}; Path=${CALLBACK_PATH}; Max-Age=600; HttpOnly; Secure; SameSite=Lax`]);
}

/** GET /inbox/signed-in?code&state: the code for tokens (with the verifier); the access token becomes the session. */
export async function signedIn(event: StaffEvent): Promise<APIGatewayProxyResultV2> {
  const ui = hostedUi();
  if (!ui) return notConfigured();
  const q = event.queryStringParameters ?? {};
  const [state, verifier] = (cookieOf(event, PKCE_COOKIE) ?? '').split('.');
  const same = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
  if (!q.code || !q.state || !state || !verifier || !same(q.state, state)) {
    return htmlResponse(400, messagePage('Đăng nhập không thành công (sign-in failed)', 'Phiên đăng nhập đã hết hạn; hãy đăng nhập lại.', undefined, { href: '/inbox/sign-in', text: 'Đăng nhập lại (sign in again)' }));
  }
  const r = await fetch(`${ui.domain}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', client_id: ui.clientId, code: q.code, redirect_uri: origin(event) + CALLBACK_PATH, code_verifier: verifier }),
  });
  if (!r.ok) {
    logger.warn('Inbox sign-in: token exchange refused', { status: r.status });
    return htmlResponse(400, messagePage('Đăng nhập không thành công (sign-in failed)', 'Hãy đăng nhập lại.', undefined, { href: '/inbox/sign-in', text: 'Đăng nhập lại (sign in again)' }));
  }
  const tokens = (await r.json()) as { access_token?: string; refresh_token?: string; expires_in?: number };
  if (!tokens.access_token) return htmlResponse(502, messagePage('Đăng nhập không thành công (sign-in failed)', 'No access token.'));
  // Lax rather than Strict: the first request after the Hosted UI's redirect must carry it.
  // Cross-site form posts still do not; every change is a POST.
  return redirect('/inbox', [
    `${SESSION_COOKIE}=${tokens.access_token}; Path=/; Max-Age=${tokens.expires_in ?? 3600}; HttpOnly; Secure; SameSite=Lax`,
    `${PKCE_COOKIE}=; Path=${CALLBACK_PATH}; Max-Age=0; HttpOnly; Secure; SameSite=Lax`,
    ...(tokens.refresh_token ? [`${REFRESH_COOKIE}=${tokens.refresh_token}; Path=${SIGN_OUT_PATH}; Max-Age=${12 * 3600}; HttpOnly; Secure; SameSite=Strict`] : []),
  ]);
}

export interface SignOutPorts {
  verifier: SessionVerifier;
  revocations: Pick<Revocations, 'revoke'>;
  fetch: typeof fetch;
}

let defaultPorts: SignOutPorts | undefined;
function signOutPorts(ui: HostedUi): SignOutPorts | undefined {
  const poolId = process.env.USER_POOL_ID;
  const table = process.env.TABLE_NAME;
  if (!poolId || !table) return undefined;
  return (defaultPorts ??= { verifier: cognitoSessionVerifier(poolId, ui.clientId), revocations: dynamoRevocations(clients.dynamo(), table), fetch });
}

/**
 * POST /inbox/sign-out: the session is revoked, then the cookies go, then the Hosted UI's own
 * session. A valid session's access token goes on the revocation list until it expires (the
 * authorizer refuses it from then on, a replayed cookie included) and its refresh token is revoked
 * at Cognito (RevokeToken). The form's CSRF token must match the session (403 otherwise).
 */
export async function signOut(event: StaffEvent, ports?: SignOutPorts): Promise<APIGatewayProxyResultV2> {
  const ui = hostedUi();
  const clear = [
    `${SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Lax`,
    `${REFRESH_COOKIE}=; Path=${SIGN_OUT_PATH}; Max-Age=0; HttpOnly; Secure; SameSite=Strict`,
  ];
  if (!ui) return redirect('/inbox/sign-in', clear);
  const use = ports ?? signOutPorts(ui);
  const token = cookieOf(event, SESSION_COOKIE);
  if (use && token) {
    const claims = (await use.verifier.verify(token).catch(() => undefined)) as { jti?: unknown; exp?: unknown } | undefined;
    if (claims && typeof claims.jti === 'string' && typeof claims.exp === 'number') {
      if (!csrfMatches(claims.jti, formOf(event).get(CSRF_FIELD))) {
        return htmlResponse(403, messagePage('Không có quyền (forbidden)', 'Thiếu hoặc sai mã bảo vệ biểu mẫu (missing or wrong CSRF token).'));
      }
      await use.revocations.revoke(claims.jti, claims.exp);
      const refresh = cookieOf(event, REFRESH_COOKIE);
      if (refresh) {
        const r = await use.fetch(`${ui.domain}/oauth2/revoke`, {
          method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token: refresh, client_id: ui.clientId }),
        }).catch(() => undefined);
        // The access token is refused by the list either way; a failed revocation is only logged.
        if (!r?.ok) logger.warn('Inbox sign-out: Cognito token revocation failed', { status: r?.status ?? 0 });
      }
    }
  }
  const query = new URLSearchParams({ client_id: ui.clientId, logout_uri: `${origin(event)}/inbox/sign-in` });
  return redirect(`${ui.domain}/logout?${query}`, clear);
}
