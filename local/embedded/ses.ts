import { createRequire } from 'node:module';
import { mkdir, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

// aws-ses-v2-local is CommonJS; its store and .eml writer are used in-process for the outbox.
const require = createRequire(import.meta.url);
const startSes = (require('aws-ses-v2-local') as { default: (c: { host: string; port: number }) => Promise<Server> }).default;
const sesStore = require('aws-ses-v2-local/dist/store.js') as {
  getStoreReadonly(): { emails: { messageId: string; subject: string; destination: { to: string[] } }[] };
  clearStore(): void;
};
const { createEmlContent } = require('aws-ses-v2-local/dist/emlFile.js') as {
  createEmlContent(email: unknown): Promise<{ messageId: string; body: Buffer }>;
};

export interface LocalSes {
  endpoint: string;
  /** Emails sent since the last drain: recipients and subjects (for tests). */
  peek(): { to: string[]; subject: string }[];
  /** Writes every email sent since the last drain as one .eml file in `dir`; returns how many. */
  drainTo(dir: string): Promise<number>;
  close(): Promise<void>;
}

/** The SES stand-in, in this process: the handlers' SESClient sends to it over HTTP. */
export async function startLocalSes(): Promise<LocalSes> {
  const server = await startSes({ host: '127.0.0.1', port: 0 });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    peek: () => sesStore.getStoreReadonly().emails.map((e) => ({ to: [...e.destination.to], subject: e.subject })),
    async drainTo(dir) {
      const emails = [...sesStore.getStoreReadonly().emails];
      sesStore.clearStore();
      if (emails.length === 0) return 0;
      await mkdir(dir, { recursive: true });
      for (const email of emails) {
        const eml = await createEmlContent(email);
        // File names carry the unit code from the subject, never the address.
        const unit = /([A-Z0-9]{4,12})\s*$/.exec(email.subject)?.[1] ?? 'unit';
        await writeFile(join(dir, `${unit}-${email.messageId.slice(0, 8)}.eml`), eml.body);
      }
      return emails.length;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
