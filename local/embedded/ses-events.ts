import { existsSync, readFileSync } from 'node:fs';
import type { LocalLambda } from './lambda.ts';

/**
 * Locally, what SES's configuration set does in AWS: each message the SES stand-in accepted (the
 * fault harness's wire stand-in records them, with their tags, in a JSONL file that outlives a
 * killed run) becomes a `Send` event for the email-feedback function, which records it on the
 * message's claim. Called when the stack starts (a rerun first learns what went out before the
 * kill) and before each scheduled run; each call publishes only the lines it has not seen.
 */
export function sesEventPublisher(log: string | undefined, emailFeedback: LocalLambda): () => Promise<number> {
  let seen = 0;
  return async () => {
    if (!log || !existsSync(log)) return 0;
    const lines = readFileSync(log, 'utf8').split('\n').filter((l) => l.trim() !== '');
    const fresh = lines.slice(seen);
    seen = lines.length;
    const records = fresh.flatMap((line) => {
      try {
        const r = JSON.parse(line) as { at: string; messageId: string; tags?: Record<string, string>; claimKeyHeader?: string };
        const claim = r.tags?.claim ?? r.claimKeyHeader;
        return claim ? [{ Sns: { Message: JSON.stringify({ eventType: 'Send', mail: { messageId: r.messageId, timestamp: r.at, tags: { claim: [claim] } } }) } }] : [];
      } catch {
        // A line cut short by a kill mid-write: the message's own claim decides.
        return [];
      }
    });
    for (let i = 0; i < records.length; i += 100) await emailFeedback({ Records: records.slice(i, i + 100) });
    return records.length;
  };
}
