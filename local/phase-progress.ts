import { Presets, SingleBar } from 'cli-progress';

/**
 * LOCAL ONLY: progress of a long phase of `npm start` (the import, a cycle's escalations, its
 * statements, its reminder days), on stderr so the summary on stdout stays clean. On a terminal a
 * bar; otherwise (CI, a log file, the fault harness) one line every few seconds, and one at the end.
 * The figure is read from where the work shows (a counter, the SES stand-in, the import's reports),
 * polled: the phase's code is not changed to report it.
 */
export interface PhaseProgress {
  /** Reads the figure now (and prints it, off a terminal, when the interval has passed). */
  update(): Promise<void>;
  /** The final figure, then the bar or the line ends. */
  stop(): Promise<void>;
}

export interface PhaseOptions {
  label: string;
  total: number;
  /** Done so far (at most total). */
  read: () => number | Promise<number>;
  /** What the figure counts ("units", "files"...). */
  unit?: string;
  stream?: NodeJS.WriteStream;
  /** Whether to draw a bar: by default when the stream is a terminal. */
  bar?: boolean;
  pollMs?: number;
  lineEveryMs?: number;
}

/** A line for a log: `  2026-11 statements: 120/300 units (40%)`. */
export function progressLine(label: string, value: number, total: number, unit = ''): string {
  const percent = total > 0 ? Math.floor((Math.min(value, total) * 100) / total) : 100;
  return `  ${label}: ${value}/${total}${unit ? ` ${unit}` : ''} (${percent}%)`;
}

export function startPhase(o: PhaseOptions): PhaseProgress {
  const stream = o.stream ?? process.stderr;
  const asBar = o.bar ?? Boolean(stream.isTTY);
  const lineEvery = o.lineEveryMs ?? 5_000;
  const read = async () => Math.min(Math.max(0, await o.read()), o.total);
  let lastLine = Date.now();
  let value = 0;
  const bar = asBar ? new SingleBar({ format: `  ${o.label} [{bar}] {value}/{total}${o.unit ? ` ${o.unit}` : ''}`, hideCursor: true, clearOnComplete: false, stream }, Presets.shades_classic) : undefined;
  bar?.start(o.total, 0);
  const update = async () => {
    value = await read();
    if (bar) return void bar.update(value);
    if (Date.now() - lastLine >= lineEvery) {
      lastLine = Date.now();
      stream.write(`${progressLine(o.label, value, o.total, o.unit)}\n`);
    }
  };
  let polling: Promise<void> = Promise.resolve();
  const timer = setInterval(() => { polling = polling.then(update, update); }, o.pollMs ?? 500);
  timer.unref();
  return {
    update,
    async stop() {
      clearInterval(timer);
      await polling.catch(() => undefined);
      value = await read();
      if (bar) {
        bar.update(value);
        bar.stop();
      } else {
        stream.write(`${progressLine(o.label, value, o.total, o.unit)}\n`);
      }
    },
  };
}

/** Runs a phase with its progress shown, and ends the progress however the phase ends. */
export async function withProgress<T>(o: PhaseOptions, run: () => Promise<T>): Promise<T> {
  const progress = startPhase(o);
  try {
    return await run();
  } finally {
    await progress.stop();
  }
}
