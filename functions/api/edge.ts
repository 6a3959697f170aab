import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/**
 * What every request to the staff API and the inbox passes before any route runs (the handler's
 * first middleware, and the local server's own sign-in and sign-out): well-formed percent-encoding,
 * a body within the limit, and for a state-changing request sent with cookies, the inbox's own
 * origin. Pure: the handler and local/inbox-server.ts answer the refusal in their own format.
 */

/** The largest request body taken (an outcome with twelve instalments and a note is under 4 KB). */
export const BODY_LIMIT_BYTES = 64 * 1024;

/** Task ids are `<unit>-<cycle>-<type>[-escalated]` or a renewal visit's `RV-…` (functions/commons/ids.ts): well under this. */
export const ID_MAX_CHARS = 80;
export const taskIdSchema = z.string().min(1, 'is required').max(ID_MAX_CHARS, `must be at most ${ID_MAX_CHARS} characters`);

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface EdgeRequest {
  method: string;
  /** The path as sent, still percent-encoded. */
  rawPath: string;
  rawQueryString?: string | undefined;
  headers: Record<string, string | undefined>;
  hasCookies: boolean;
  bodyBytes: number;
}

export type EdgeRefusal = { status: 400 | 403 | 413; error: 'InvalidInput' | 'Forbidden' | 'PayloadTooLarge'; field?: string; message: string };

function decodes(text: string): boolean {
  try {
    decodeURIComponent(text.replace(/\+/g, ' '));
    return true;
  } catch {
    return false;
  }
}

/** The origin a request says it comes from: Origin, or the Referer's origin when Origin is absent. */
export function originOf(headers: Record<string, string | undefined>): string | undefined {
  if (headers.origin !== undefined) return headers.origin;
  if (!headers.referer) return undefined;
  try {
    return new URL(headers.referer).origin;
  } catch {
    return undefined;
  }
}

/**
 * Cross-site request forgery rides on cookies: a request with an `Authorization: Bearer` token and
 * no cookie is not forgeable (a page on another site cannot set that header without a CORS
 * preflight, which this API never grants), so only requests that carry cookies are checked.
 */
export function needsOriginCheck(request: Pick<EdgeRequest, 'method' | 'headers' | 'hasCookies'>): boolean {
  if (!STATE_CHANGING.has(request.method.toUpperCase())) return false;
  const bearer = /^Bearer\s+\S/i.test(request.headers.authorization ?? '');
  return !(bearer && !request.hasCookies);
}

/** The inbox's own origin as configured (`INBOX_ORIGIN`: the API's URL in AWS, the local server's locally). */
export function configuredOrigin(value = process.env.INBOX_ORIGIN): string | undefined {
  if (!value) return undefined;
  try {
    return new URL(value).origin;
  } catch {
    return undefined;
  }
}

export function edgeRefusal(request: EdgeRequest, expectedOrigin: string | undefined): EdgeRefusal | undefined {
  if (!decodes(request.rawPath)) return { status: 400, error: 'InvalidInput', field: '(path)', message: 'The path has malformed percent-encoding' };
  if (request.rawQueryString && !request.rawQueryString.split('&').every(decodes)) {
    return { status: 400, error: 'InvalidInput', field: '(query)', message: 'The query has malformed percent-encoding' };
  }
  if (request.bodyBytes > BODY_LIMIT_BYTES) return { status: 413, error: 'PayloadTooLarge', message: `The request body is over ${BODY_LIMIT_BYTES / 1024} KB` };
  if (needsOriginCheck(request)) {
    // No configured origin refuses every such request: closed, not open, when misconfigured.
    const origin = originOf(request.headers);
    if (!expectedOrigin || origin !== expectedOrigin) return { status: 403, error: 'Forbidden', message: 'The request does not come from the inbox\'s own pages (Origin or Referer check)' };
  }
  return undefined;
}

/**
 * The inbox's per-session CSRF token: an HMAC keyed by the session's id (the Cognito access token's
 * `jti` in AWS, the local session's id locally). The id is known only to the browser holding the
 * session's HttpOnly cookie and to the server; the token reveals nothing of it. Every inbox form
 * carries it in a hidden field `csrf`.
 */
export const CSRF_FIELD = 'csrf';

export function csrfTokenOf(sessionId: string): string {
  return createHmac('sha256', sessionId).update('arrears-inbox-csrf-v1').digest('base64url');
}

export function csrfMatches(sessionId: string | undefined, given: string | null | undefined): boolean {
  if (!sessionId || !given) return false;
  const expected = Buffer.from(csrfTokenOf(sessionId));
  const actual = Buffer.from(given);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
