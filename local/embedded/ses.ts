import { createRequire } from 'node:module';
import { mkdir, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { toEml } from './eml.ts';

// aws-ses-v2-local is CommonJS; its store and .eml writer are used in-process for the outbox.
const require = createRequire(import.meta.url);
const startSes = (require('aws-ses-v2-local') as { default: (c: { host: string; port: number }) => Promise<Server> }).default;
const sesStore = require('aws-ses-v2-local/dist/store.js') as {
  getStoreReadonly(): { emails: { messageId: string; from: string; subject: string; destination: { to: string[] }; body: { text?: string; html?: string } }[] };
  clearStore(): void;
};

export interface LocalSes {
  endpoint: string;
  /** Emails sent since the last drain: recipients and subjects (for tests). */
  peek(): { to: string[]; subject: string; text: string }[];
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
    peek: () => sesStore.getStoreReadonly().emails.map((e) => ({ to: [...e.destination.to], subject: e.subject, text: e.body.text ?? e.body.html ?? '' })),
    async drainTo(dir, date) {
      const emails = [...sesStore.getStoreReadonly().emails];
      sesStore.clearStore();
      if (emails.length === 0) return 0;
      await mkdir(dir, { recursive: true });
      for (const email of emails) {
        const eml = toEml({ messageId: email.messageId, from: email.from, to: email.destination.to, subject: email.subject, text: email.body.text ?? email.body.html ?? '', date });
        // File names carry the unit code from the subject, never the address.
        const unit = /([A-Z0-9]{4,12})\s*$/.exec(email.subject)?.[1] ?? 'unit';
        await writeFile(join(dir, `${unit}-${email.messageId.slice(0, 8)}.eml`), eml, 'utf8');
      }
      return emails.length;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
