import { createRequire } from 'node:module';
import { mkdir, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { toEml, toMimeEml } from './eml.ts';

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
  /** Writes every email sent since the last drain as one .eml file in `dir`, dated `date`; returns how many. */
  drainTo(dir: string, date: Date): Promise<number>;
  close(): Promise<void>;
}

/** The SES stand-in, in this process: the handlers' SESClient sends to it over HTTP. */
export async function startLocalSes(): Promise<LocalSes> {
  const server = await startSes({ host: '127.0.0.1', port: 0 });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    peek: () => sesStore.getStoreReadonly().emails.map((e) => ({
      to: [...e.destination.to], subject: e.subject, text: e.body.text ?? e.body.html ?? '', attachments: (e.attachments ?? []).map((a) => a.filename ?? ''),
    })),
    async drainTo(dir, date) {
      const emails = [...sesStore.getStoreReadonly().emails];
      sesStore.clearStore();
      if (emails.length === 0) return 0;
      await mkdir(dir, { recursive: true });
      for (const email of emails) {
        // File names carry the unit code from the subject, never the address.
        const unit = /([A-Z0-9]{4,12})\s*$/.exec(email.subject)?.[1] ?? 'unit';
        const name = `${unit}-${email.messageId.slice(0, 8)}`;
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
