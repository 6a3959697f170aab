import type { Ports } from '../commons/deps.ts';
import { logger } from '../commons/logger.ts';
import type { LedgerScan, MalformedItem } from '../commons/store.ts';
import { operations } from '../commons/operations.ts';

/** Which scan segments an invocation reads: all of the configured ones unless it names some (a fanned-out run). */
export interface ScanPart {
  segments: readonly number[];
  totalSegments: number;
}

export function scanPart(input: { segments?: readonly number[] | undefined; totalSegments?: number | undefined } = {}, configured = operations().SCAN_SEGMENTS): ScanPart {
  const totalSegments = input.totalSegments ?? configured;
  return { totalSegments, segments: input.segments ?? Array.from({ length: totalSegments }, (_, i) => i) };
}

/**
 * Every employer's ledger in the part's scan segments, read in parallel, one employer at a time
 * per segment. What `visit` returns (a notice to send, an execution to start) runs alongside the
 * scan, at most `inFlight` at once per segment: enough to hide latency, few enough that memory
 * stays bounded whatever the table's size; all of it has finished when this returns.
 */
export async function forEachLedger(
  deps: Ports<'ledgers'>,
  part: ScanPart,
  onMalformed: (m: MalformedItem) => void,
  visit: (ledger: LedgerScan) => Promise<unknown> | void,
  inFlight = 8,
): Promise<void> {
  await Promise.all(part.segments.map(async (segment) => {
    const running = new Set<Promise<unknown>>();
    for await (const ledger of deps.ledgers.scanLedgers(segment, part.totalSegments, onMalformed)) {
      const work = visit(ledger);
      if (!work) continue;
      running.add(work);
      void work.finally(() => running.delete(work)).catch(() => {});
      if (running.size >= inFlight) await Promise.race(running);
    }
    await Promise.all(running);
  }));
}

/**
 * What a run keeps of the malformed items its scan meets: each key once, logged (keys and field
 * names only: the stores never put a value in a reason), and the first `samples` for its summary.
 */
export function malformedCollector(what: string, samples: number): { items: MalformedItem[]; report: (m: MalformedItem) => void } {
  const items: MalformedItem[] = [];
  const seen = new Set<string>();
  return {
    items,
    report: (m) => {
      if (seen.has(m.key)) return;
      seen.add(m.key);
      if (items.length < samples) items.push(m);
      logger.warn(`Malformed item left out of ${what}`, { ...m });
    },
  };
}
