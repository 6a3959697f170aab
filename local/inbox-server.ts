import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { officerSchema, type Officer } from '../functions/commons/records.ts';
import type { StaffGroup } from '../functions/core/staff-access.ts';
import { STAFF_ROUTES } from '../functions/api/route-table.ts';
import { html } from '../functions/commons/html.ts';
import { layout, messagePage } from '../functions/inbox/pages.ts';
import type { LocalLambda } from './embedded/lambda.ts';

/**
 * LOCAL ONLY: the staff inbox on this machine. A node:http server turns each browser request into
 * the API Gateway (HTTP API, payload 2.0) event the staff API's handler receives in AWS, with the
 * JWT claims the authorizer would have put there (`username`, `cognito:groups`), taken from a local
 * session: a sign-in page lists the officers of the roster in the store, and signing in as one
 * issues an HMAC-signed cookie (a random secret per process; HttpOnly, SameSite=Strict). This
 * sign-in is not part of the deployed product: in AWS, Cognito signs staff in.
 */

const SESSION_COOKIE = 'inbox_local_session';
const SESSION_HOURS = 12;

export const GROUP_OF_ROLE: Record<Officer['role'], StaffGroup> = { collector: 'officer', 'team-lead': 'team-lead', inspector: 'inspector', 'collection-agent': 'officer' };

export interface InboxServerOptions {
  /** The staff API handler (`stack.lambdas.staffApi`). */
  handler: LocalLambda;
  /** The embedded table, for the roster. */
  doc: DynamoDBDocumentClient;
  tableName: string;
  port?: number | undefined;
  host?: string | undefined;
}

export interface InboxServer {
  url: string;
  /** The roster the sign-in page lists (active officers), read when asked. */
  roster(): Promise<Officer[]>;
  close(): Promise<void>;
}

interface Session { staffId: string; groups: StaffGroup[]; exp: number }

export async function startInboxServer(options: InboxServerOptions): Promise<InboxServer> {
  const secret = randomBytes(32);
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
    return session.exp > Date.now() ? session : undefined;
  };

  const roster = async (): Promise<Officer[]> => {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const r = await options.doc.send(new ScanCommand({
        TableName: options.tableName, FilterExpression: 'begins_with(pk, :p) AND sk = :s',
        ExpressionAttributeValues: { ':p': 'OFFICER#', ':s': 'PROFILE' }, ExclusiveStartKey: start,
      }));
      items.push(...(r.Items ?? []));
      start = r.LastEvaluatedKey;
    } while (start);
    return items
      .map((i) => officerSchema.safeParse({ ...i, officerId: String(i.pk).slice('OFFICER#'.length) }))
      .flatMap((r) => (r.success && r.data.active ? [r.data] : []))
      .sort((a, b) => a.role.localeCompare(b.role) || a.officerId.localeCompare(b.officerId));
  };

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
    const cookies = (req.headers.cookie ?? '').split(';').map((c) => c.trim()).filter(Boolean);
    const session = verify(cookies.find((c) => c.startsWith(`${SESSION_COOKIE}=`))?.slice(SESSION_COOKIE.length + 1));

    if (url.pathname === '/' || url.pathname === '/inbox/') return send(res, { statusCode: 303, headers: { location: '/inbox' } });
    // The local stand-ins for Cognito's sign-in and sign-out.
    if (url.pathname === '/inbox/sign-in' && method === 'GET') return send(res, htmlResult(200, signInPage(await roster())));
    if (url.pathname === '/inbox/sign-in' && method === 'POST') {
      const officerId = new URLSearchParams(body.toString('utf8')).get('officerId') ?? '';
      const officer = (await roster()).find((o) => o.officerId === officerId);
      if (!officer) return send(res, htmlResult(400, signInPage(await roster(), 'Hãy chọn một cán bộ trong danh sách. (Choose an officer.)')));
      const cookie = issue({ staffId: officer.officerId, groups: [GROUP_OF_ROLE[officer.role]], exp: Date.now() + SESSION_HOURS * 3_600_000 });
      return send(res, { statusCode: 303, headers: { location: '/inbox' }, cookies: [`${SESSION_COOKIE}=${cookie}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${SESSION_HOURS * 3600}`] });
    }
    if (url.pathname === '/inbox/sign-out' && method === 'POST') {
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
  return {
    url: `http://${address.address}:${address.port}`,
    roster,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 1_000_000) throw new Error('Request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** The request as API Gateway passes it on (payload 2.0), with the claims of the local session. */
function toEvent(req: IncomingMessage, url: URL, body: Buffer, cookies: string[], session: Session | undefined): APIGatewayProxyEventV2WithJWTAuthorizer {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined && k !== 'cookie') headers[k] = Array.isArray(v) ? v.join(',') : v;
  const query = Object.fromEntries(url.searchParams);
  const claims: Record<string, string> = session ? { username: session.staffId, 'cognito:groups': `[${session.groups.join(' ')}]` } : {};
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

function signInPage(officers: Officer[], error?: string): string {
  if (officers.length === 0) return messagePage('Đăng nhập (sign in)', 'Chưa có cán bộ nào trong danh sách. (No officers in the roster.)');
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
<button type="submit">Đăng nhập (sign in)</button>
</form>`);
}
