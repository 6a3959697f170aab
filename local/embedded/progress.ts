import { existsSync, readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

/**
 * How far the local run's timeline got on a store (`npm start -- --store DIR`), kept in the store's
 * folder beside its tables, so a run killed or stopped half-way continues where it was and a run
 * repeated on a completed store runs nothing again: in AWS a schedule never fires twice for the same
 * time, and time never goes back. Each step of the timeline (the import, a cycle's monthly run, a
 * schedule's firing, the simulated payments) has a key (its kind and instant); a step is recorded
 * done once it has returned. The step that was cut off runs again, on a clock that continues from
 * the store's last instant (claims taken before the cut age as they would in AWS, and no record is
 * dated before one already written). LevelDB ignores files it did not make.
 */
export const PROGRESS_FILE = 'local-timeline.json';

const progressSchema = z.object({
  version: z.literal(1),
  /**
   * What the timeline was started with: a rerun must give the same, or use another store. Whether
   * it simulates people (false: `--no-simulation`; a timeline saved before the flag existed did) is
   * kept too, and a continued run keeps it.
   */
  started: z.object({ asOf: z.string(), seed: z.number().int(), data: z.string(), simulation: z.boolean().default(true) }),
  /** Keys of the steps that returned. */
  done: z.array(z.string()),
  /** The latest instant the run's clock read (ISO): a resumed run's clock never starts before it. */
  clockAt: z.string(),
  /** The runner's own state between steps (cycle reports, counters), as it saved it. */
  state: z.record(z.string(), z.unknown()),
});
export type Progress = z.infer<typeof progressSchema>;

export class TimelineMismatchError extends Error {}

export interface Timeline {
  /** True when an earlier run on this store had started the timeline. */
  readonly resumed: boolean;
  /** Steps done earlier on this store (when resumed). */
  readonly doneBefore: number;
  /** The instant the clock must not start before (the store's last instant); epoch 0 on a fresh store. */
  readonly floor: Date;
  /** Whether this run simulates people: as asked on a fresh store, as the store was started when continued. */
  readonly simulation: boolean;
  isDone(key: string): boolean;
  /** The state saved with the last step. */
  state<T>(name: string): T | undefined;
  /** Records a step as done, with the runner's state and the clock's instant, atomically. */
  complete(key: string, state: Record<string, unknown>, clockAt: Date): Promise<void>;
  /** Records the clock's instant alone (while a long step runs). */
  touch(clockAt: Date): Promise<void>;
}

/** What a run asks for: `simulation` undefined when not said (a fresh run simulates; a continued one keeps its store's mode). */
export type StartedWith = Omit<Progress['started'], 'simulation'> & { simulation?: boolean | undefined };

/** The timeline of the store at `dir` (undefined: an in-memory store, which always starts afresh). */
export function openTimeline(dir: string | undefined, asked: StartedWith): Timeline {
  const file = dir ? join(dir, PROGRESS_FILE) : undefined;
  const started: Progress['started'] = { asOf: asked.asOf, seed: asked.seed, data: asked.data, simulation: asked.simulation ?? true };
  let progress: Progress = { version: 1, started, done: [], clockAt: new Date(0).toISOString(), state: {} };
  let resumed = false;
  if (file && existsSync(file)) {
    const parsed = progressSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (!parsed.success) throw new TimelineMismatchError(`${file} cannot be read as a local timeline (${parsed.error.issues[0]?.message}); use another --store, or delete the folder to start afresh`);
    const s = parsed.data.started;
    if (s.asOf !== started.asOf || s.seed !== started.seed || s.data !== started.data) {
      throw new TimelineMismatchError(`The store ${dir} holds a run started with --as-of ${s.asOf} --seed ${s.seed} --data ${s.data}: continue it with the same options, or use another --store (this run changed nothing)`);
    }
    // A store's mode is its own: said otherwise on a store that simulates, the run is refused; not
    // said, the run continues in the store's mode (a store started with --no-simulation stays so).
    if (asked.simulation !== undefined && asked.simulation !== s.simulation) {
      throw new TimelineMismatchError(`The store ${dir} holds a run started ${s.simulation ? 'with the simulation on' : 'with --no-simulation'}: a continued run keeps its mode; use another --store for ${asked.simulation ? 'a simulated run' : 'a run without the simulation'} (this run changed nothing)`);
    }
    progress = parsed.data;
    resumed = true;
  }
  const done = new Set(progress.done);
  let writing = Promise.resolve();
  const save = () => {
    if (!file) return Promise.resolve();
    // Written whole to a temporary file and renamed: a kill leaves the old file or the new one.
    const text = JSON.stringify(progress);
    writing = writing.then(async () => { await writeFile(`${file}.tmp`, text, 'utf8'); await rename(`${file}.tmp`, file); });
    return writing;
  };
  const later = (at: Date) => (at.getTime() > Date.parse(progress.clockAt) ? at.toISOString() : progress.clockAt);
  return {
    resumed,
    doneBefore: done.size,
    floor: new Date(progress.clockAt),
    simulation: progress.started.simulation,
    isDone: (key) => done.has(key),
    state: <T>(name: string) => progress.state[name] as T | undefined,
    complete(key, state, clockAt) {
      done.add(key);
      progress = { ...progress, done: [...done], clockAt: later(clockAt), state };
      return save();
    },
    touch(clockAt) {
      progress = { ...progress, clockAt: later(clockAt) };
      return save();
    },
  };
}

/** A step's key: its kind and its instant on the timeline. */
export const stepKey = (kind: string, at: Date): string => `${kind}@${at.toISOString()}`;
