/** The inbox's session cookie in AWS: the Cognito access token, HttpOnly. */
export const SESSION_COOKIE = 'inbox_session';

/** A cookie's value from an API Gateway v2 event (its `cookies`, or a Cookie header). */
export function cookieOf(event: { cookies?: string[] | undefined; headers?: Record<string, string | undefined> | undefined }, name: string): string | undefined {
  const all = event.cookies ?? (event.headers?.cookie ?? '').split(';');
  for (const c of all) {
    const [k, ...v] = c.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}
