import { createRequire } from 'node:module';
import { mkdir, writeFile } from 'node:fs/promises';
import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { toEml, toMimeEml } from './eml.ts';
import { clock } from '../../functions/commons/clock.ts';
import { claimTag, type MessageRef } from '../../functions/commons/message-claims.ts';

// aws-ses-v2-local is CommonJS; its store and .eml writer are used in-process for the outbox.
const require = createRequire(import.meta.url);
const startSes = (require('aws-ses-v2-local') as { default: (c: { host: string; port: number }) => Promise<Server> }).default;
const sesStore = require('aws-ses-v2-local/dist/store.js') as {
  getStoreReadonly(): { emails: {
    messageId: string; from: string; subject: string; destination: { to: string[] }; body: { text?: string; html?: string };
    /** Sent raw (SendRawEmail): the parts the stand-in parsed out, content in base64. */
    attachments?: { filename?: string; contentType: string; content: string }[];
  }[] };
  clearStore(): void;
};

export interface LocalSes {
  endpoint: string;
  /** Emails sent since the last drain: recipients, subjects and attachments' names (for tests). */
  peek(): { to: string[]; subject: string; text: string; attachments: string[] }[];
  /**
   * Writes every email sent since the last drain as one .eml file in `dir`; returns how many. Each
   * is dated when it was sent, on the run's clock (`date` only for one the stand-in saw no send of),
   * and its file is named after its recipient's key (outboxName).
   */
  drainTo(dir: string, date: Date): Promise<number>;
  close(): Promise<void>;
}

/** What the stand-in does not keep of a message it accepted: when it was sent, on the run's clock, and its SES tags. */
export interface SendRecord { at: Date; tags: Record<string, string> }

/** The SES tags of a SendEmail / SendRawEmail request (query protocol: Tags.member.N.Name / .Value). */
export function tagsOfRequest(body: unknown): Record<string, string> {
  const tags: Record<string, string> = {};
  if (!body || typeof body !== 'object') return tags;
  const fields = body as Record<string, unknown>;
  for (const [k, name] of Object.entries(fields)) {
    const m = /^Tags\.member\.(\d+)\.Name$/.exec(k);
    const value = m ? fields[`Tags.member.${m[1]}.Value`] : undefined;
    if (m && typeof name === 'string' && typeof value === 'string') tags[name] = value;
  }
  return tags;
}

/**
 * The key of whom a message is for, from its claim (the SES tag every claimed message carries),
 * never from its address or text: the unit code (urging notice, statement, pre-disclosure notice,
 * payment confirmation), the participant's SI code or the household's code (reminder), the task
 * (an officer's email: its claim names the task, whose officer it goes to), an employee notice's
 * opaque id, the unit told its employees were informed.
 */
export function recipientKey(ref: MessageRef): string {
  switch (ref.message) {
    case 'urging':
    case 'statement':
    case 'pre-disclosure':
    case 'payment-confirmation':
      return ref.unitCode;
    case 'reminder':
      return ref.cycle.code;
    case 'officer-email':
      return ref.taskId;
    case 'manager-email':
      return ref.managerId;
    case 'employee-notice':
      // The notice's opaque id (EN-…): the employee's SI code is not written in a file name.
      return ref.employee;
    case 'employees-informed':
      return ref.unitCode;
  }
}

/** An outbox file's name (without extension): the recipient's key, the kind of message, the SES message id. */
export function outboxName(tags: Record<string, string>, messageId: string): string {
  const ref = tags[claimTag.NAME] ? claimTag.read(tags[claimTag.NAME]!) : undefined;
  const safe = (text: string) => text.replace(/[^A-Za-z0-9._-]/g, '_');
  return ref ? `${safe(recipientKey(ref))}-${ref.message}-${safe(messageId)}` : `untagged-${safe(messageId)}`;
}

/**
 * Records, for each message the stand-in accepts, the run's clock and the request's tags: its
 * responses name the message id it gave (`<MessageId>…</MessageId>`), when the request's body has
 * been read.
 */
function recordSends(server: Server, sent: Map<string, SendRecord>, now: () => Date): void {
  const listeners = server.listeners('request') as RequestListener[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage & { body?: unknown }, res: ServerResponse) => {
    const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
    res.end = ((...args: unknown[]) => {
      const chunk = args[0];
      const id = typeof chunk === 'string' || Buffer.isBuffer(chunk) ? /<MessageId>([^<]+)<\/MessageId>/.exec(chunk.toString())?.[1] : undefined;
      if (id) sent.set(id, { at: now(), tags: tagsOfRequest(req.body) });
      return end(...args);
    }) as ServerResponse['end'];
    for (const listener of listeners) listener.call(server, req, res);
  });
}

/** The SES stand-in, in this process: the handlers' SESClient sends to it over HTTP. */
export async function startLocalSes(options: { now?: () => Date } = {}): Promise<LocalSes> {
  const server = await startSes({ host: '127.0.0.1', port: 0 });
  const sent = new Map<string, SendRecord>();
  recordSends(server, sent, options.now ?? (() => clock.now()));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    peek: () => sesStore.getStoreReadonly().emails.map((e) => ({
      to: [...e.destination.to], subject: e.subject, text: e.body.text ?? e.body.html ?? '', attachments: (e.attachments ?? []).map((a) => a.filename ?? ''),
    })),
    async drainTo(dir, fallbackDate) {
      const emails = [...sesStore.getStoreReadonly().emails];
      sesStore.clearStore();
      if (emails.length === 0) return 0;
      await mkdir(dir, { recursive: true });
      for (const email of emails) {
        // Named after whom it is for, from its claim's tag (never the address); dated when it was sent.
        const record = sent.get(email.messageId);
        sent.delete(email.messageId);
        const name = outboxName(record?.tags ?? {}, email.messageId);
        const date = record?.at ?? fallbackDate;
        const attachments = (email.attachments ?? []).map((a) => ({ ...a, content: Buffer.from(a.content, 'base64') }));
        if (attachments.length === 0) {
          const eml = toEml({ messageId: email.messageId, from: email.from, to: email.destination.to, subject: email.subject, text: email.body.text ?? email.body.html ?? '', date });
          await writeFile(join(dir, `${name}.eml`), eml, 'utf8');
          continue;
        }
        // The statement: the whole MIME message, and its PDF beside it to open at once.
        await writeFile(join(dir, `${name}.eml`), await toMimeEml({ messageId: email.messageId, from: email.from, to: email.destination.to, subject: email.subject, text: email.body.text, html: email.body.html, date, attachments }));
        for (const a of attachments) if (a.filename?.endsWith('.pdf')) await writeFile(join(dir, `${name}.pdf`), a.content);
      }
      return emails.length;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * An SES stand-in running elsewhere (LOCAL_SES_ENDPOINT, e.g. the fault harness's wire stand-in in
 * its own process, local/faults/ses-wire.ts): the handlers send to it; what it accepted is in its
 * own record, so there is nothing here to peek at or drain into the outbox.
 */
export function externalSes(endpoint: string): LocalSes {
  return { endpoint, peek: () => [], drainTo: async () => 0, close: async () => {} };
}
