import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { officerSchema, type Officer } from '../functions/commons/records.ts';
import type { StaffGroup } from '../functions/core/staff-access.ts';
import { STAFF_ROUTES } from '../functions/api/route-table.ts';
import { html } from '../functions/commons/html.ts';
import { layout, messagePage } from '../functions/inbox/pages.ts';
import { GSI1, keys } from '../functions/commons/table.ts';
import { BODY_LIMIT_BYTES, CSRF_FIELD, csrfMatches, edgeRefusal } from '../functions/api/edge.ts';
import type { LocalLambda } from './embedded/lambda.ts';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readRows } from '../functions/import/csv-rows.ts';
import { TableStaffDirectory } from '../functions/commons/staff-directory.ts';

/**
 * LOCAL ONLY: the staff inbox on this machine. A node:http server turns each browser request into
 * the API Gateway (HTTP API, payload 2.0) event the staff API's handler receives in AWS, with the
 * JWT claims the authorizer would have put there (`username`, `cognito:groups`), taken from a local
 * session: a sign-in page lists the officers of the districts it is given (a query of the officer
 * index per district, never a scan) whose user in the staff directory's stand-in is enabled (the
 * roster sync creates and disables them, as it does Cognito's in AWS), and signing in as one issues an HMAC-signed cookie (a random
 * secret per process; HttpOnly, SameSite=Strict) naming a session kept in a server-side list:
 * signing out removes it, so a replayed cookie is refused. The server's own form posts (sign-in,
 * sign-out) pass the same Origin check as the handler's, and sign-out the session's CSRF token;
 * the handler is told the server's URL as the inbox's origin (`INBOX_ORIGIN`). This sign-in is not
 * part of the deployed product: in AWS, Cognito signs staff in.
 */

const SESSION_COOKIE = 'inbox_local_session';
const SESSION_HOURS = 12;


export interface InboxServerOptions {
  /** The staff API handler (`stack.lambdas.staffApi`). */
  handler: LocalLambda;
  /** The embedded table, for the roster. */
  doc: DynamoDBDocumentClient;
  tableName: string;
  /** The districts whose officers the sign-in page lists (the imported roster's). */
  districts: readonly string[];
  port?: number | undefined;
  host?: string | undefined;
}

export interface InboxServer {
  url: string;
  /** Whom the sign-in page lists: the roster's active officers whose directory user is enabled, read when asked. */
  roster(): Promise<SignInOfficer[]>;
  close(): Promise<void>;
}

interface Session { sid: string; staffId: string; groups: StaffGroup[]; exp: number }

/** An officer the sign-in accepts: enabled in the staff directory, with the groups a Cognito token would carry. */
type SignInOfficer = Officer & { groups: StaffGroup[] };
/** A manager outside the roster, signed in by their directory user name. */
interface SignInManager { officerId: string; name: string; groups: StaffGroup[] }

export async function startInboxServer(options: InboxServerOptions): Promise<InboxServer> {
  const secret = randomBytes(32);
  /** The live sessions by id: signing out removes one, and its cookie is refused from then on. */
  const sessions = new Map<string, number>();
  const sign = (payload: string) => createHmac('sha256', secret).update(payload).digest('base64url');
  const issue = (session: Session) => {
    const payload = Buffer.from(JSON.stringify(session)).toString('base64url');
    return `${payload}.${sign(payload)}`;
  };
  const verify = (cookie: string | undefined): Session | undefined => {
    if (!cookie) return undefined;
    const [payload, mac] = cookie.split('.');
    if (!payload || !mac) return undefined;
    const expected = Buffer.from(sign(payload));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    const session = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Session;
    return session.exp > Date.now() && sessions.get(session.sid) === session.exp ? session : undefined;
  };

  const directory = new TableStaffDirectory(options.doc, options.tableName);
  const roster = async (): Promise<SignInOfficer[]> => {
    // As Cognito would: only enabled users sign in (a leaver or an inactive officer is disabled by the roster sync).
    const enabled = new Map((await directory.enabledUsers()).map((u) => [u.username, u.groups]));
    const items: Record<string, unknown>[] = [];
    for (const district of options.districts) {
      let start: Record<string, unknown> | undefined;
      do {
        const r = await options.doc.send(new QueryCommand({
          TableName: options.tableName, IndexName: GSI1, KeyConditionExpression: 'gsi1pk = :d',
          ExpressionAttributeValues: { ':d': keys.officerIndex(district, '', '').gsi1pk }, ExclusiveStartKey: start,
        }));
        items.push(...(r.Items ?? []));
        start = r.LastEvaluatedKey;
      } while (start);
    }
    return items
      .map((i) => officerSchema.safeParse(i))
      .flatMap((r) => (r.success && r.data.active && enabled.has(r.data.officerId) ? [{ ...r.data, groups: enabled.get(r.data.officerId)! }] : []))
      .sort((a, b) => a.role.localeCompare(b.role) || a.officerId.localeCompare(b.officerId));
  };

  /**
   * The managers who may sign in: enabled users of the directory's `manager` group (the
   * administrators', not the roster's) who are not among the roster's officers, by their user name.
   */
  const managers = async (officers: readonly SignInOfficer[]): Promise<SignInManager[]> => {
    const known = new Set(officers.map((o) => o.officerId));
    return (await directory.enabledUsers())
      .filter((u) => u.groups.includes('manager') && !known.has(u.username))
      .map((u) => ({ officerId: u.username, name: u.username, groups: u.groups }))
      .sort((a, b) => a.officerId.localeCompare(b.officerId));
  };
  const signInList = async () => {
    const officers = await roster();
    return { officers, managers: await managers(officers) };
  };

  let origin: string | undefined;
  const publicPaths = new Set(Object.values(STAFF_ROUTES).filter((r) => r.auth === 'public').map((r) => `${r.method} ${r.path}`));

  const server: Server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      console.error('[inbox] request failed:', (error as Error).name);
      if (!res.headersSent) send(res, { statusCode: 500, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'Internal error' });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = req.method ?? 'GET';
    const body = await readBody(req);
    if (!body) return send(res, htmlResult(413, messagePage('Yêu cầu quá lớn (request too large)', `The request body is over ${BODY_LIMIT_BYTES / 1024} KB`)));
    const cookies = (req.headers.cookie ?? '').split(';').map((c) => c.trim()).filter(Boolean);
    const session = verify(cookies.find((c) => c.startsWith(`${SESSION_COOKIE}=`))?.slice(SESSION_COOKIE.length + 1));
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : v]));
    // The server's own form posts: the Origin check always (a forged sign-in is a forgery too).
    const own = method === 'POST' && (url.pathname === '/inbox/sign-in' || url.pathname === '/inbox/sign-out');
    const refusal = own ? edgeRefusal({ method, rawPath: url.pathname, headers, hasCookies: true, bodyBytes: body.length }, origin) : undefined;
    if (refusal) return send(res, htmlResult(refusal.status, messagePage('Không có quyền (forbidden)', refusal.message)));

    if (url.pathname === '/' || url.pathname === '/inbox/') return send(res, { statusCode: 303, headers: { location: '/inbox' } });
    // The local stand-ins for Cognito's sign-in and sign-out.
    if (url.pathname === '/inbox/sign-in' && method === 'GET') return send(res, htmlResult(200, signInPage(await signInList())));
    if (url.pathname === '/inbox/sign-in' && method === 'POST') {
      const officerId = new URLSearchParams(body.toString('utf8')).get('officerId') ?? '';
      const list = await signInList();
      const officer = [...list.officers, ...list.managers].find((o) => o.officerId === officerId);
      if (!officer) return send(res, htmlResult(400, signInPage(list, 'Hãy chọn một cán bộ trong danh sách. (Choose an officer.)')));
      const fresh: Session = { sid: randomBytes(16).toString('base64url'), staffId: officer.officerId, groups: officer.groups, exp: Date.now() + SESSION_HOURS * 3_600_000 };
      sessions.set(fresh.sid, fresh.exp);
      const cookie = issue(fresh);
      return send(res, { statusCode: 303, headers: { location: '/inbox' }, cookies: [`${SESSION_COOKIE}=${cookie}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${SESSION_HOURS * 3600}`] });
    }
    if (url.pathname === '/inbox/sign-out' && method === 'POST') {
      if (session) {
        if (!csrfMatches(session.sid, new URLSearchParams(body.toString('utf8')).get(CSRF_FIELD))) {
          return send(res, htmlResult(403, messagePage('Không có quyền (forbidden)', 'Thiếu hoặc sai mã bảo vệ biểu mẫu (missing or wrong CSRF token).')));
        }
        sessions.delete(session.sid);
      }
      return send(res, { statusCode: 303, headers: { location: '/inbox/sign-in' }, cookies: [`${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`] });
    }
    if (url.pathname === '/inbox/signed-in') return send(res, { statusCode: 303, headers: { location: '/inbox' } });

    const isPublic = publicPaths.has(`${method} ${url.pathname}`);
    if (!session && !isPublic) {
      if (url.pathname.startsWith('/inbox')) return send(res, { statusCode: 303, headers: { location: '/inbox/sign-in' } });
      return send(res, { statusCode: 401, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: 'Unauthorized' }) });
    }
    const event = toEvent(req, url, body, cookies, session);
    send(res, (await options.handler(event)) as APIGatewayProxyStructuredResultV2);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const url = `http://${address.address}:${address.port}`;
  origin = url;
  // The handler runs in this process: the inbox's origin it checks state-changing requests against.
  process.env.INBOX_ORIGIN = url;
  return {
    url,
    roster,
    close: () => new Promise<void>((resolve) => {
      if (process.env.INBOX_ORIGIN === url) delete process.env.INBOX_ORIGIN;
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** The body, or undefined when it is over the limit (answered 413; the rest is not kept). */
/** The districts of an import folder's roster (officers.csv, collection-agents.csv): whose officers the sign-in page lists. */
export async function rosterDistricts(dir: string): Promise<string[]> {
  const districts = new Set<string>();
  for (const file of ['officers.csv', 'collection-agents.csv']) {
    const path = join(dir, file);
    if (!existsSync(path)) continue;
    await readRows(path, () => {}, { header: () => undefined, reportKey: () => '', row: async (row) => { if (row.district) districts.add(row.district); } });
  }
  return [...districts].sort();
}

async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size <= BODY_LIMIT_BYTES) chunks.push(chunk as Buffer);
  }
  return size > BODY_LIMIT_BYTES ? undefined : Buffer.concat(chunks);
}

/** The request as API Gateway passes it on (payload 2.0), with the claims of the local session. */
function toEvent(req: IncomingMessage, url: URL, body: Buffer, cookies: string[], session: Session | undefined): APIGatewayProxyEventV2WithJWTAuthorizer {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined && k !== 'cookie') headers[k] = Array.isArray(v) ? v.join(',') : v;
  const query = Object.fromEntries(url.searchParams);
  // As from a Cognito access token: its use, the sign-in id, the groups, and its id (the session's).
  const claims: Record<string, string> = session ? { token_use: 'access', jti: session.sid, username: session.staffId, 'cognito:groups': `[${session.groups.join(' ')}]` } : {};
  const text = body.length > 0 ? body.toString('utf8') : undefined;
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: url.pathname,
    rawQueryString: url.search.replace(/^\?/, ''),
    headers,
    cookies,
    ...(Object.keys(query).length > 0 && { queryStringParameters: query }),
    requestContext: {
      accountId: '000000000000', apiId: 'local', domainName: url.host, domainPrefix: 'local', requestId: randomBytes(8).toString('hex'), routeKey: '$default', stage: '$default',
      time: new Date().toISOString(), timeEpoch: Date.now(),
      http: { method: req.method ?? 'GET', path: url.pathname, protocol: 'HTTP/1.1', sourceIp: req.socket.remoteAddress ?? '127.0.0.1', userAgent: req.headers['user-agent'] ?? '' },
      authorizer: { principalId: '', integrationLatency: 0, jwt: { claims, scopes: [] } },
    },
    body: text,
    isBase64Encoded: false,
  } as APIGatewayProxyEventV2WithJWTAuthorizer;
}

function send(res: ServerResponse, result: APIGatewayProxyStructuredResultV2) {
  const headers: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(result.headers ?? {})) headers[k] = String(v);
  if (result.cookies?.length) headers['set-cookie'] = result.cookies;
  res.writeHead(result.statusCode ?? 200, headers);
  res.end(result.body === undefined ? '' : result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body);
}

function htmlResult(statusCode: number, body: string): APIGatewayProxyStructuredResultV2 {
  return { statusCode, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }, body };
}

const ROLE_LABELS: Record<Officer['role'], string> = {
  collector: 'Cán bộ thu (officer)', 'team-lead': 'Tổ trưởng (team lead)', inspector: 'Thanh tra viên (inspector)', 'collection-agent': 'Đại lý thu (collection agent)',
};

function signInPage({ officers, managers }: { officers: Officer[]; managers: SignInManager[] }, error?: string): string {
  if (officers.length === 0 && managers.length === 0) return messagePage('Đăng nhập (sign in)', 'Chưa có cán bộ nào trong danh sách. (No officers in the roster.)');
  return layout('Đăng nhập', undefined, html`
<h1>Đăng nhập <span lang="en" class="en">(local sign-in)</span></h1>
<p>Máy cục bộ: chọn một cán bộ mẫu trong danh sách để làm việc với nhiệm vụ của họ. Trên AWS, nhân viên đăng nhập bằng Cognito.
<span lang="en">(Local run: sign in as one of the sample officers. In AWS, staff sign in with Cognito.)</span></p>
<form method="post" action="/inbox/sign-in" class="signin">
${error ? html`<p class="error" role="alert" id="officer-error">${error}</p>` : ''}
${(['collector', 'team-lead', 'inspector'] as const).map((role) => {
    const group = officers.filter((o) => o.role === role);
    return group.length === 0 ? '' : html`<fieldset${error ? html` aria-describedby="officer-error"` : ''}><legend>${ROLE_LABELS[role]}</legend><ul class="plain">
${group.map((o) => html`<li><input type="radio" name="officerId" id="officer-${o.officerId}" value="${o.officerId}" required> <label for="officer-${o.officerId}">${o.name} <span class="id">${o.officerId}</span></label></li>`)}
</ul></fieldset>`;
  })}
${managers.length === 0 ? '' : html`<fieldset${error ? html` aria-describedby="officer-error"` : ''}><legend>Lãnh đạo (manager)</legend><ul class="plain">
${managers.map((m) => html`<li><input type="radio" name="officerId" id="officer-${m.officerId}" value="${m.officerId}" required> <label for="officer-${m.officerId}">${m.name}</label></li>`)}
</ul></fieldset>`}
<button type="submit">Đăng nhập (sign in)</button>
</form>`);
}
