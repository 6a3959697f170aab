import { describe, expect, it } from 'vitest';
import { BODY_LIMIT_BYTES, csrfMatches, csrfTokenOf, edgeRefusal, needsOriginCheck, type EdgeRequest } from '../../functions/api/edge.ts';

/**
 * The edge every request passes before a route: percent-encoding, body size, and the Origin check
 * of state-changing requests sent with cookies (a bearer token without cookies is not forgeable).
 */
const ORIGIN = 'https://abc123.execute-api.ap-southeast-1.amazonaws.com';
const post = (headers: Record<string, string | undefined>, more: Partial<EdgeRequest> = {}): EdgeRequest => ({
  method: 'POST', rawPath: '/inbox/tasks/T1/outcome', headers, hasCookies: true, bodyBytes: 10, ...more,
});

describe('request edge', () => {
  it('lets a form post from the inbox\'s own origin through (Origin, or Referer when Origin is absent)', () => {
    expect(edgeRefusal(post({ origin: ORIGIN }), ORIGIN)).toBeUndefined();
    expect(edgeRefusal(post({ referer: `${ORIGIN}/inbox/tasks/T1` }), ORIGIN)).toBeUndefined();
  });

  it('refuses a cookie-carrying state change from elsewhere, or saying nothing of where it is from, with 403', () => {
    for (const headers of [{ origin: 'https://evil.example' }, { origin: 'null' }, { referer: 'https://evil.example/x' }, { referer: 'not a url' }, {}, { origin: `${ORIGIN}.evil.example` }]) {
      expect(edgeRefusal(post(headers), ORIGIN), JSON.stringify(headers)).toMatchObject({ status: 403, error: 'Forbidden' });
    }
    for (const method of ['PUT', 'PATCH', 'DELETE']) expect(edgeRefusal(post({ origin: 'https://evil.example' }, { method }), ORIGIN)?.status).toBe(403);
    // No configured origin: closed.
    expect(edgeRefusal(post({ origin: ORIGIN }), undefined)?.status).toBe(403);
  });

  it('does not check reads, nor API calls with a bearer token and no cookie', () => {
    expect(edgeRefusal(post({ origin: 'https://evil.example' }, { method: 'GET' }), ORIGIN)).toBeUndefined();
    expect(needsOriginCheck({ method: 'POST', headers: { authorization: 'Bearer eyJ' }, hasCookies: false })).toBe(false);
    expect(needsOriginCheck({ method: 'POST', headers: { authorization: 'Bearer eyJ' }, hasCookies: true })).toBe(true);
    expect(needsOriginCheck({ method: 'POST', headers: { authorization: 'Basic abc' }, hasCookies: false })).toBe(true);
  });

  it('answers malformed percent-encoding in the path or query with 400, and a body over the limit with 413', () => {
    expect(edgeRefusal(post({ origin: ORIGIN }, { rawPath: '/tasks/%E0%A4%A' }), ORIGIN)).toMatchObject({ status: 400, field: '(path)' });
    expect(edgeRefusal(post({ origin: ORIGIN }, { rawPath: '/tasks/%zz' }), ORIGIN)).toMatchObject({ status: 400 });
    expect(edgeRefusal(post({ origin: ORIGIN }, { rawQueryString: 'officerId=%' }), ORIGIN)).toMatchObject({ status: 400, field: '(query)' });
    expect(edgeRefusal(post({ origin: ORIGIN }, { rawQueryString: 'a=b%20c&d=e+f' }), ORIGIN)).toBeUndefined();
    expect(edgeRefusal(post({ origin: ORIGIN }, { bodyBytes: BODY_LIMIT_BYTES + 1 }), ORIGIN)).toMatchObject({ status: 413, error: 'PayloadTooLarge' });
    expect(edgeRefusal(post({ origin: ORIGIN }, { bodyBytes: BODY_LIMIT_BYTES }), ORIGIN)).toBeUndefined();
  });

  it('derives a CSRF token per session that matches only its own session', () => {
    expect(csrfMatches('s1', csrfTokenOf('s1'))).toBe(true);
    expect(csrfMatches('s1', csrfTokenOf('s2'))).toBe(false);
    expect(csrfMatches('s1', '')).toBe(false);
    expect(csrfMatches('s1', null)).toBe(false);
    expect(csrfMatches(undefined, csrfTokenOf('s1'))).toBe(false);
    expect(csrfTokenOf('s1')).not.toContain('s1');
  });
});
