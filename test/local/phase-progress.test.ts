import { describe, expect, it } from 'vitest';
import { progressLine, startPhase, withProgress } from '../../local/phase-progress.ts';

/** `npm start`'s progress off a terminal: a line every few seconds while the phase runs, and its last figure at the end. */
function fakeStream() {
  const written: string[] = [];
  return { written, stream: { isTTY: false, write: (text: string) => { written.push(text); return true; } } as unknown as NodeJS.WriteStream };
}

describe('progress of a long phase of npm start', () => {
  it('writes its figure with the unit and percent, never past the total', () => {
    expect(progressLine('2026-11 statements', 120, 300, 'sent')).toBe('  2026-11 statements: 120/300 sent (40%)');
    expect(progressLine('import 2026-11', 0, 0, 'files')).toBe('  import 2026-11: 0/0 files (100%)');
  });

  it('off a terminal, prints a line per interval while the phase runs and the final figure once it ends', async () => {
    const { written, stream } = fakeStream();
    let done = 0;
    await withProgress({ label: 'escalations', unit: 'ended', total: 4, read: () => done, stream, pollMs: 5, lineEveryMs: 20 }, async () => {
      for (let i = 0; i < 4; i++) {
        await new Promise((r) => setTimeout(r, 30));
        done++;
      }
    });
    expect(written.length).toBeGreaterThanOrEqual(3);
    expect(written.at(-1)).toBe('  escalations: 4/4 ended (100%)\n');
    const values = written.map((l) => Number(/: (\d+)\//.exec(l)![1]));
    expect(values).toEqual([...values].sort((a, b) => a - b));
  });

  it('ends its line when the phase fails, and clamps a figure read past the total', async () => {
    const { written, stream } = fakeStream();
    await expect(withProgress({ label: 'import', total: 2, read: () => 5, stream, lineEveryMs: 60_000 }, async () => { throw new Error('boom'); })).rejects.toThrow('boom');
    expect(written).toEqual(['  import: 2/2 (100%)\n']);
    const p = startPhase({ label: 'x', total: 1, read: () => 0, stream, lineEveryMs: 60_000 });
    await p.stop();
    expect(written.at(-1)).toBe('  x: 0/1 (0%)\n');
  });
});
