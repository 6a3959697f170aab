import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * LOCAL ONLY: how a folder stand-in of a provider (SMS, Zalo ZNS) accepts a message the way the
 * provider does, accepting and recording it as one event. The message waits as pending, the
 * provider's record of it (the event its status feed or webhook would carry) is appended to the
 * events log, then it is delivered. A process killed in between leaves a pending file that the next
 * start delivers when its record was written (accepted: its claim is settled from the record, never
 * sent again) or deletes when not (never accepted: the claim, stale with no evidence, is sent
 * again). A kill costs neither a duplicate nor a loss.
 */
export async function acceptInto(delivered: string, body: string, messageId: string, eventsLog: string, record: object): Promise<void> {
  const pending = `${delivered}.${messageId}${PENDING}`;
  await writeFile(pending, body, 'utf8');
  // One small append, synchronous: no other write of this process comes between its bytes.
  mkdirSync(dirname(eventsLog), { recursive: true });
  appendFileSync(eventsLog, `${JSON.stringify(record)}\n`, 'utf8');
  renameSync(pending, delivered);
}

const PENDING = '.pending';

/**
 * LOCAL ONLY, at the stand-in's start: the messages of one kind (their files end in `suffix`) a
 * killed process left pending are delivered when the events log holds their record (`idOf` reads a
 * record's message id), deleted when not. Returns how many of each.
 */
export function settlePending(dir: string, eventsLog: string, suffix: string, idOf: (record: unknown) => unknown): { delivered: number; dropped: number } {
  const accepted = new Set<string>();
  if (existsSync(eventsLog)) {
    for (const line of readFileSync(eventsLog, 'utf8').split('\n')) {
      try {
        const id = idOf(JSON.parse(line));
        if (typeof id === 'string') accepted.add(id);
      } catch {
        // A line cut off by a kill: no record of acceptance.
      }
    }
  }
  const result = { delivered: 0, dropped: 0 };
  const walk = (d: string) => {
    if (!existsSync(d)) return;
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith(PENDING) && name.includes(`${suffix}.`)) {
        const cut = name.lastIndexOf(`${suffix}.`) + suffix.length;
        const id = name.slice(cut + 1, -PENDING.length);
        if (accepted.has(id)) {
          renameSync(path, join(d, name.slice(0, cut)));
          result.delivered++;
        } else {
          rmSync(path, { force: true });
          result.dropped++;
        }
      }
    }
  };
  walk(dir);
  return result;
}
