/**
 * The SES wire stand-in of the fault harness: its own process, so it outlives a killed `npm start`.
 * It speaks enough of the SES v1 Query API for what the SDK's SESClient sends (form-encoded
 * `Action=SendEmail` / `Action=SendRawEmail`), records every accepted message durably (one JSON
 * line, appended and fsynced before the answer goes back), and fails on demand:
 *
 * - `POST /_faults` with JSON `{ "phases": [{ "error": "503" | "throttle" | "hang", "ms": 10000 }], "on": "SendRawEmail" }`:
 *   the phases run one after the other, from now, or from the first request of action `on` when given.
 *   `503` answers ServiceUnavailable (5xx), `throttle` answers 400 Throttling (SES error XML), `hang`
 *   accepts and records the message but holds the answer for the phase's length (a caller that dies
 *   meanwhile never learns it was sent).
 * - `GET /_stats`: accepted and refused counts by action.
 * - `--schedule FILE` (the same JSON as POST /_faults, read at start).
 *
 * Usage: tsx local/faults/ses-wire.ts --log FILE [--port N] [--schedule FILE]; prints `{"port":N}` once listening.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { closeSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const libmime = require('libmime') as { decodeWords(s: string): string };

export type FaultError = '503' | 'throttle' | 'hang';
/** `holdMs`: how long a `hang` holds its answer (default 60 s). */
export interface FaultPlan { phases: { error: FaultError; ms: number; holdMs?: number }[]; on?: string }

/** One accepted message, as recorded in the JSONL file. */
export interface WireRecord {
  at: string;
  action: 'SendEmail' | 'SendRawEmail';
  messageId: string;
  from: string;
  to: string[];
  subject: string;
  /** The plain body (SendEmail only), for telling messages apart when they carry no claim tag. */
  text?: string;
  tags: Record<string, string>;
  /** The raw message's X-Claim-Key header, if present. */
  claimKeyHeader?: string;
}

const XMLNS = 'http://ses.amazonaws.com/doc/2010-12-01/';

export function startSesWire(options: { log: string; port?: number; plan?: FaultPlan }) {
  const fd = openSync(options.log, 'a');
  const stats: Record<string, number> = {};
  let plan: { phases: FaultPlan['phases']; on?: string | undefined; startedAt?: number } | undefined;
  const arm = (p: FaultPlan) => { plan = { phases: p.phases, on: p.on, ...(p.on ? {} : { startedAt: Date.now() }) }; };
  if (options.plan) arm(options.plan);

  /** The fault in force for a request of `action` now, if any. */
  const faultFor = (action: string): FaultPlan['phases'][number] | undefined => {
    if (!plan) return undefined;
    if (plan.startedAt === undefined) {
      if (action !== plan.on) return undefined;
      plan.startedAt = Date.now();
    }
    let t = Date.now() - plan.startedAt;
    for (const phase of plan.phases) {
      if (t < phase.ms) return phase;
      t -= phase.ms;
    }
    return undefined;
  };
  const count = (k: string) => { stats[k] = (stats[k] ?? 0) + 1; };

  const server = createServer((req, res) => {
    void body(req).then(async (raw) => {
      if (req.url === '/_faults' && req.method === 'POST') { arm(JSON.parse(raw) as FaultPlan); return send(res, 200, 'application/json', '{"armed":true}'); }
      if (req.url === '/_stats') return send(res, 200, 'application/json', JSON.stringify(stats));
      const form = new URLSearchParams(raw);
      const action = form.get('Action') ?? '';
      if (action !== 'SendEmail' && action !== 'SendRawEmail') {
        count(`unsupported:${action}`);
        return send(res, 400, 'text/xml', errorXml('Sender', 'InvalidAction', `Action ${action} is not supported by the fault harness stand-in`));
      }
      const phase = faultFor(action);
      const fault = phase?.error;
      if (fault === '503') { count(`${action}:503`); return send(res, 503, 'text/xml', errorXml('Receiver', 'ServiceUnavailable', 'Service is unavailable (injected)')); }
      if (fault === 'throttle') { count(`${action}:throttled`); return send(res, 400, 'text/xml', errorXml('Sender', 'Throttling', 'Maximum sending rate exceeded (injected).')); }
      const record = recordOf(action, form);
      // Durable before the caller hears of it: append, fsync, then answer.
      writeSync(fd, JSON.stringify(record) + '\n');
      fsyncSync(fd);
      count(`${action}:accepted`);
      if (fault === 'hang') { count(`${action}:hung`); await new Promise((r) => setTimeout(r, phase?.holdMs ?? 60_000)); }
      const result = `${action}Result`;
      send(res, 200, 'text/xml', `<${action}Response xmlns="${XMLNS}"><${result}><MessageId>${record.messageId}</MessageId></${result}><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`);
    }).catch((error: Error) => send(res, 500, 'text/xml', errorXml('Receiver', 'InternalFailure', error.message)));
  });
  return new Promise<{ port: number; close(): Promise<void> }>((resolve) => {
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve({
      port: (server.address() as AddressInfo).port,
      close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => { closeSync(fd); r(); }); }),
    }));
  });
}

function recordOf(action: 'SendEmail' | 'SendRawEmail', form: URLSearchParams): WireRecord {
  const tags: Record<string, string> = {};
  for (let i = 1; form.has(`Tags.member.${i}.Name`); i++) tags[form.get(`Tags.member.${i}.Name`)!] = form.get(`Tags.member.${i}.Value`) ?? '';
  const members = (prefix: string) => { const out: string[] = []; for (let i = 1; form.has(`${prefix}.member.${i}`); i++) out.push(form.get(`${prefix}.member.${i}`)!); return out; };
  const base = { at: new Date().toISOString(), action, messageId: randomUUID(), tags };
  if (action === 'SendEmail') {
    return {
      ...base, from: form.get('Source') ?? '', to: members('Destination.ToAddresses'),
      subject: form.get('Message.Subject.Data') ?? '', text: (form.get('Message.Body.Text.Data') ?? form.get('Message.Body.Html.Data') ?? '').slice(0, 4000),
    };
  }
  const mime = Buffer.from(form.get('RawMessage.Data') ?? '', 'base64').toString('utf8');
  const headers = parseHeaders(mime.slice(0, Math.max(0, mime.search(/\r?\n\r?\n/))));
  const claimKeyHeader = headers['x-claim-key'];
  return {
    ...base, from: form.get('Source') ?? headers.from ?? '', to: members('Destinations').length > 0 ? members('Destinations') : [headers.to ?? ''],
    subject: libmime.decodeWords(headers.subject ?? ''), ...(claimKeyHeader ? { claimKeyHeader } : {}),
  };
}

/** The top-level headers of a MIME message, folded lines joined, names lower-cased. */
function parseHeaders(head: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0) out[line.slice(0, i).trim().toLowerCase()] ??= line.slice(i + 1).trim();
  }
  return out;
}

function errorXml(type: string, code: string, message: string) {
  return `<ErrorResponse xmlns="${XMLNS}"><Error><Type>${type}</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`;
}

function send(res: ServerResponse, status: number, type: string, text: string) {
  if (res.writableEnded || res.destroyed) return;
  res.writeHead(status, { 'content-type': type, 'x-amzn-requestid': randomUUID() });
  res.end(text);
}

function body(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { log: { type: 'string' }, port: { type: 'string', default: '0' }, schedule: { type: 'string' } } });
  if (!values.log) throw new Error('--log FILE is required');
  const plan = values.schedule ? (JSON.parse(readFileSync(values.schedule, 'utf8')) as FaultPlan) : undefined;
  const wire = await startSesWire({ log: values.log, port: Number(values.port), ...(plan ? { plan } : {}) });
  console.log(JSON.stringify({ port: wire.port }));
  const stop = () => { void wire.close().then(() => process.exit(0)); };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
