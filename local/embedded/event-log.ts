import { existsSync, readFileSync } from 'node:fs';

/**
 * A stand-in provider's event log (one JSON line per event, appended; it outlives a killed run),
 * read as its feed delivers it: each call gives the lines written since the last call.
 */
export function logFeed(log: string): () => string[] {
  let seen = 0;
  return () => {
    if (!existsSync(log)) return [];
    const lines = readFileSync(log, 'utf8').split('\n').filter((l) => l.trim() !== '');
    const fresh = lines.slice(seen);
    seen = lines.length;
    return fresh;
  };
}
