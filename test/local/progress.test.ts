import { mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openTimeline, PROGRESS_FILE, stepKey, TimelineMismatchError } from '../../local/embedded/progress.ts';

const started = { asOf: '2026-11-02', seed: 1, data: '/data/sample' };
const at = (iso: string) => new Date(iso);

describe('the local timeline (npm start --store continues where it stopped)', () => {
  it('a fresh store starts afresh; a reopened one knows its done steps, its state and its last instant', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'timeline-'));
    const first = openTimeline(dir, started);
    expect(first.resumed).toBe(false);
    expect(first.floor.getTime()).toBe(0);
    const monthly = stepKey('monthly-run', at('2026-11-01T23:00:00Z'));
    await first.complete(stepKey('import', at('2026-11-01T23:00:00Z')), { runner: { cycles: [] } }, at('2026-11-01T23:00:05Z'));
    await first.complete(monthly, { runner: { cycles: [{ cycle: '2026-11' }] } }, at('2026-11-01T23:03:00Z'));
    await first.touch(at('2026-11-02T02:10:00Z'));

    const again = openTimeline(dir, started);
    expect(again.resumed).toBe(true);
    expect(again.doneBefore).toBe(2);
    expect(again.isDone(monthly)).toBe(true);
    expect(again.isDone(stepKey('statement-run', at('2026-11-02T02:00:00Z')))).toBe(false);
    expect(again.state<{ cycles: unknown[] }>('runner')).toEqual({ cycles: [{ cycle: '2026-11' }] });
    // The clock of the continued run starts at the last instant saved, a running step's included.
    expect(again.floor.toISOString()).toBe('2026-11-02T02:10:00.000Z');
  });

  it('never moves the saved instant back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'timeline-'));
    const t = openTimeline(dir, started);
    await t.touch(at('2026-11-05T10:00:00Z'));
    await t.complete('x@1', {}, at('2026-11-03T10:00:00Z'));
    await t.touch(at('2026-11-04T10:00:00Z'));
    expect(openTimeline(dir, started).floor.toISOString()).toBe('2026-11-05T10:00:00.000Z');
  });

  it('refuses a store started with other options, and an unreadable timeline, changing nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'timeline-'));
    await openTimeline(dir, started).complete('x@1', {}, at('2026-11-03T10:00:00Z'));
    expect(() => openTimeline(dir, { ...started, seed: 2 })).toThrow(TimelineMismatchError);
    expect(() => openTimeline(dir, { ...started, asOf: '2026-12-02' })).toThrow(/--as-of 2026-11-02 --seed 1/);
    expect(openTimeline(dir, started).isDone('x@1')).toBe(true);
    writeFileSync(join(dir, PROGRESS_FILE), '{"version":1}');
    expect(() => openTimeline(dir, started)).toThrow(/cannot be read as a local timeline/);
  });

  it('an in-memory store keeps no timeline', async () => {
    const t = openTimeline(undefined, started);
    await t.complete('x@1', {}, new Date());
    expect(t.resumed).toBe(false);
    expect(existsSync(PROGRESS_FILE)).toBe(false);
  });
});
