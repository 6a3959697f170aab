import { createSign, generateKeyPairSync } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { authorizeSession, cognitoSessionVerifier } from '../../functions/inbox/session.ts';
import { signIn, signedIn, signOut } from '../../functions/inbox/hosted-ui.ts';
import { csrfTokenOf } from '../../functions/api/edge.ts';
import { staffOf, type StaffEvent } from '../../functions/api/http.ts';
import { html, trusted } from '../../functions/commons/html.ts';
import { amountOf, outcomeBodyOf } from '../../functions/inbox/forms.ts';
import { staffEvent } from '../support/staff-event.ts';

/**
 * The inbox in AWS: its session authorizer verifies the Cognito access token in the session
 * cookie and passes on only the verified sign-in id and groups; the sign-in is the Hosted UI's code
 * flow with PKCE. Plus the pages' escaping and the outcome form's reading of amounts.
 */
const POOL = 'ap-southeast-1_TESTPOOL';
const CLIENT = 'inboxclient123';
const ISSUER = `https://cognito-idp.ap-southeast-1.amazonaws.com/${POOL}`;
const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });

function token(claims: Record<string, unknown>, key = privateKey): string {
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const body = `${b64({ alg: 'RS256', kid: 'k1', typ: 'JWT' })}.${b64({ iss: ISSUER, client_id: CLIENT, token_use: 'access', iat: now, exp: now + 3600, sub: 'abc', jti: 'session-1', ...claims })}`;
  return `${body}.${createSign('RSA-SHA256').update(body).sign(key).toString('base64url')}`;
}

const verifier = cognitoSessionVerifier(POOL, CLIENT);
verifier.cacheJwks({ keys: [{ ...(publicKey.export({ format: 'jwk' }) as Record<string, string>), kid: 'k1', alg: 'RS256', use: 'sig' }] as never });
const withCookie = (value: string) => ({ cookies: ['other=1', `inbox_session=${value}`], headers: {} });
/** The revocation list: session id → expiry (epoch seconds), checked on read as the DynamoDB one is. */
const revoked = new Map<string, number>();
const revocations = {
  revoke: async (id: string, exp: number) => { revoked.set(id, exp); },
  isRevoked: async (id: string, now: number) => (revoked.get(id) ?? 0) > now,
};

describe('inbox session authorizer', () => {
  it("passes on the verified token's sign-in id and groups", async () => {
    const r = await authorizeSession(verifier, withCookie(token({ username: 'cb.tran.thi.b', 'cognito:groups': ['officer', 'team-lead'] })), revocations);
    expect(r).toEqual({ isAuthorized: true, context: { username: 'cb.tran.thi.b', groups: 'officer team-lead', sessionId: 'session-1' } });
  });

  it('refuses no cookie, a forged signature, another client, an id token and an expired token', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const claims = { username: 'cb.tran.thi.b', 'cognito:groups': ['officer'] };
    for (const event of [
      { cookies: ['other=1'], headers: {} },
      withCookie(token(claims, other)),
      withCookie(token({ ...claims, client_id: 'someone-else' })),
      withCookie(token({ ...claims, token_use: 'id' })),
      withCookie(token({ ...claims, exp: Math.floor(Date.now() / 1000) - 60 })),
      withCookie('not-a-token'),
    ]) {
      expect((await authorizeSession(verifier, event, revocations)).isAuthorized).toBe(false);
    }
  });

  it('refuses a signed-out session until its token expires; an entry past its expiry no longer counts (no TTL locally)', async () => {
    const cookie = withCookie(token({ username: 'cb.tran.thi.b', 'cognito:groups': ['officer'], jti: 'signed-out' }));
    const now = Math.floor(Date.now() / 1000);
    revoked.set('signed-out', now + 3600);
    expect((await authorizeSession(verifier, cookie, revocations)).isAuthorized).toBe(false);
    revoked.set('signed-out', now - 1);
    expect((await authorizeSession(verifier, cookie, revocations)).isAuthorized).toBe(true);
  });

  it('the staff API refuses an id token passed on by the JWT authorizer (access tokens only)', () => {
    const event = staffEvent({ method: 'GET', path: '/tasks', staffId: 'cb.tran.thi.b', groups: ['officer'] });
    event.requestContext.authorizer.jwt.claims.token_use = 'id';
    expect(() => staffOf(event)).toThrow(/access token/);
    delete event.requestContext.authorizer.jwt.claims.token_use;
    expect(() => staffOf(event)).toThrow(/access token/);
  });

  it("the staff API reads who is calling from the session authorizer's context", () => {
    const event = staffEvent({ method: 'GET', path: '/inbox' });
    (event.requestContext as unknown as { authorizer: unknown }).authorizer = { lambda: { username: 'tl.vo.van.d', groups: 'team-lead' } };
    expect(staffOf(event)).toEqual({ staffId: 'tl.vo.van.d', groups: ['team-lead'] });
  });
});

describe('inbox sign-in with the Hosted UI', () => {
  afterEach(() => { delete process.env.INBOX_AUTH_DOMAIN; delete process.env.INBOX_CLIENT_ID; });

  it('sends the browser to the Hosted UI with a PKCE challenge and keeps the verifier in an HttpOnly cookie', () => {
    process.env.INBOX_AUTH_DOMAIN = 'https://arrears-inbox.auth.ap-southeast-1.amazoncognito.com';
    process.env.INBOX_CLIENT_ID = CLIENT;
    const event = { ...staffEvent({ method: 'GET', path: '/inbox/sign-in' }) } as StaffEvent;
    event.requestContext.domainName = 'abc123.execute-api.ap-southeast-1.amazonaws.com';
    const r = signIn(event) as { statusCode: number; headers: Record<string, string>; cookies: string[] };
    expect(r.statusCode).toBe(303);
    const location = new URL(r.headers.location!);
    expect(location.origin + location.pathname).toBe('https://arrears-inbox.auth.ap-southeast-1.amazoncognito.com/oauth2/authorize');
    expect(Object.fromEntries(location.searchParams)).toMatchObject({
      response_type: 'code', client_id: CLIENT, code_challenge_method: 'S256', scope: 'openid',
      redirect_uri: 'https://abc123.execute-api.ap-southeast-1.amazonaws.com/inbox/signed-in',
    });
    expect(r.cookies[0]).toMatch(/^inbox_pkce=[\w-]+\.[\w-]+; Path=\/inbox\/signed-in; Max-Age=600; HttpOnly; Secure; SameSite=Lax$/);
    expect(r.cookies[0]).toContain(location.searchParams.get('state'));
  });

  it('signing out revokes the session: on the revocation list until its expiry, the refresh token revoked at Cognito; a wrong CSRF token is 403', async () => {
    process.env.INBOX_AUTH_DOMAIN = 'https://arrears-inbox.auth.ap-southeast-1.amazoncognito.com';
    process.env.INBOX_CLIENT_ID = CLIENT;
    const exp = Math.floor(Date.now() / 1000) + 1800;
    const access = token({ username: 'cb.tran.thi.b', 'cognito:groups': ['officer'], jti: 'to-sign-out', exp });
    const posted: { url: string; body: string }[] = [];
    const ports = { verifier, revocations, fetch: (async (url: string, init: { body: URLSearchParams }) => { posted.push({ url, body: String(init.body) }); return new Response('', { status: 200 }); }) as unknown as typeof fetch };
    const request = (csrf: string) => {
      const event = staffEvent({ method: 'POST', path: '/inbox/sign-out', body: `csrf=${encodeURIComponent(csrf)}` });
      event.cookies = [`inbox_session=${access}`, 'inbox_refresh=refresh-1'];
      return event;
    };
    const refused = (await signOut(request('forged'), ports)) as { statusCode: number };
    expect(refused.statusCode).toBe(403);
    expect(revoked.has('to-sign-out')).toBe(false);
    const r = (await signOut(request(csrfTokenOf('to-sign-out')), ports)) as { statusCode: number; cookies: string[]; headers: Record<string, string> };
    expect(r.statusCode).toBe(303);
    expect(revoked.get('to-sign-out')).toBe(exp);
    expect(posted).toEqual([{ url: 'https://arrears-inbox.auth.ap-southeast-1.amazoncognito.com/oauth2/revoke', body: `token=refresh-1&client_id=${CLIENT}` }]);
    expect(r.cookies).toEqual([expect.stringMatching(/^inbox_session=; Path=\/; Max-Age=0/), expect.stringMatching(/^inbox_refresh=; Path=\/inbox\/sign-out; Max-Age=0/)]);
    // The old cookie replayed: the authorizer refuses it.
    expect((await authorizeSession(verifier, withCookie(access), revocations)).isAuthorized).toBe(false);
  });

  it('refuses a callback whose state is not the one it issued', async () => {
    process.env.INBOX_AUTH_DOMAIN = 'https://arrears-inbox.auth.ap-southeast-1.amazoncognito.com';
    process.env.INBOX_CLIENT_ID = CLIENT;
    const event = staffEvent({ method: 'GET', path: '/inbox/signed-in', query: { code: 'c', state: 'forged' } });
    event.cookies = ['inbox_pkce=issued.verifier'];
    expect(((await signedIn(event)) as { statusCode: number }).statusCode).toBe(400);
  });
});

describe('inbox pages and forms', () => {
  it('escapes every value unless it is markup of the code base', () => {
    const name = '<script>alert("x")</script> & Co\'s';
    expect(html`<h1 title="${name}">${name}${trusted('<br>')}${[html`<i>${'<b>'}</i>`, null, undefined, false]}</h1>`.text)
      .toBe('<h1 title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co&#39;s">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co&#39;s<br><i>&lt;b&gt;</i></h1>');
  });

  it('reads amounts as officers write them, leaving anything else for the schema to refuse', () => {
    expect(amountOf('25.000.000')).toBe(25_000_000);
    expect(amountOf('25 000 000 ₫')).toBe(25_000_000);
    expect(amountOf('')).toBeUndefined();
    expect(amountOf('12abc')).toBe('12abc');
    expect(outcomeBodyOf({ outcome: 'plan-agreed', payBy: '2026-11-20', amount: '5', instalments: [{ dueDate: '2026-12-01', amount: '1.000' }], note: ' ' }))
      .toEqual({ outcome: 'plan-agreed', instalments: [{ dueDate: '2026-12-01', amount: 1000 }] });
  });
});
