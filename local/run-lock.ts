import { mkdir, open, readFile, rmdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * One `npm start` per folder. The embedded DynamoDB on disk (`--store`) can be opened by one process
 * only, and the outbox and reports (`--out`) are cleared and rewritten by a run: a second run on
 * either must refuse before it touches anything, not delete the first run's outbox and then fail
 * with "Database is closed". The lock is a file in the folder created exclusively (`wx`) with the
 * holder's pid and start time; a lock whose pid is gone (a run killed or crashed) is stale and is
 * taken over, saying so. Taking over is itself guarded (an exclusive `mkdir`), so two runs finding
 * the same stale lock cannot both take it.
 */

export const LOCK_FILE = 'npm-start.lock';
/** A takeover guard older than this was left by a process that died while taking over. */
const TAKEOVER_STALE_MS = 10_000;

export interface LockHolder {
  pid: number;
  startedAt: string;
  /** What the folder is to the holder (`--store`, `--out`). */
  role: string;
}

export interface FolderLock {
  dir: string;
  file: string;
  release(): Promise<void>;
}

/** The folder is another live run's: nothing was changed. */
export class FolderLockedError extends Error {
  override readonly name = 'FolderLocked';
  constructor(public readonly dir: string, public readonly holder: LockHolder | undefined, role: string) {
    super(holder
      ? `${role} ${dir} is in use by another npm start (pid ${holder.pid}, started ${holder.startedAt}): this run is refused and changed nothing. Wait for that run to finish or stop it, or use another ${role}.`
      : `${role} ${dir} is being locked by another npm start at this moment: this run is refused and changed nothing. Try again.`);
  }
}

export interface LockOptions {
  /** What the folder is, for the messages: `--store`, `--out`. */
  role: string;
  pid?: number;
  now?: () => Date;
  /** Whether a pid is a running process (default: signal 0). */
  isAlive?: (pid: number) => boolean;
  /** Where the takeover of a stale lock is told. */
  log?: (message: string) => void;
}

/** Takes the folder's lock (creating the folder), or refuses with FolderLockedError; a stale lock is taken over. */
export async function lockFolder(dir: string, options: LockOptions): Promise<FolderLock> {
  const pid = options.pid ?? process.pid;
  const isAlive = options.isAlive ?? processIsAlive;
  const log = options.log ?? ((m: string) => console.error(m));
  await mkdir(dir, { recursive: true });
  const file = join(dir, LOCK_FILE);
  const me: LockHolder = { pid, startedAt: (options.now?.() ?? new Date()).toISOString(), role: options.role };
  for (let attempt = 0; attempt < 3; attempt++) {
    if (await createExclusive(file, me)) return { dir, file, release: () => releaseIfMine(file, me) };
    const holder = await readHolder(file);
    if (holder === 'gone') continue;
    if (holder && isAlive(holder.pid)) throw new FolderLockedError(dir, holder, options.role);
    // Unreadable and just made: its holder is writing it this moment.
    if (!holder && (await ageMs(file)) < TAKEOVER_STALE_MS) throw new FolderLockedError(dir, undefined, options.role);
    // Stale (its process is gone) or unreadable (a run killed while writing it): take it over, one taker at a time.
    const guard = `${file}.takeover`;
    if (!(await takeGuard(guard))) throw new FolderLockedError(dir, undefined, options.role);
    try {
      const again = await readHolder(file);
      if (again !== 'gone' && JSON.stringify(again) === JSON.stringify(holder)) {
        log(holder
          ? `Taking over the lock on ${options.role} ${dir}: the run that held it (pid ${holder.pid}, started ${holder.startedAt}) is no longer running.`
          : `Taking over the unreadable lock on ${options.role} ${dir} (${file}).`);
        await unlink(file).catch(ignoreMissing);
      }
    } finally {
      await rmdir(guard).catch(ignoreMissing);
    }
  }
  throw new FolderLockedError(dir, undefined, options.role);
}

/** Locks each folder once (the same folder given as --store and --out is locked once), in order; all or none. */
export async function lockFolders(folders: readonly { dir: string; role: string }[], options: Omit<LockOptions, 'role'> = {}): Promise<FolderLock[]> {
  const held: FolderLock[] = [];
  try {
    for (const f of folders) {
      if (held.some((h) => h.dir === f.dir)) continue;
      held.push(await lockFolder(f.dir, { ...options, role: f.role }));
    }
    return held;
  } catch (error) {
    await releaseAll(held);
    throw error;
  }
}

export async function releaseAll(locks: readonly FolderLock[]): Promise<void> {
  for (const l of [...locks].reverse()) await l.release();
}

async function createExclusive(file: string, holder: LockHolder): Promise<boolean> {
  let handle;
  try {
    handle = await open(file, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    await handle.writeFile(`${JSON.stringify(holder)}\n`);
  } finally {
    await handle.close();
  }
  return true;
}

/** The lock's holder; undefined when the file cannot be read as one; 'gone' when there is no file any more. */
async function readHolder(file: string): Promise<LockHolder | undefined | 'gone'> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    throw error;
  }
  try {
    const h = JSON.parse(text) as Partial<LockHolder>;
    return Number.isInteger(h.pid) && typeof h.startedAt === 'string' ? { pid: h.pid!, startedAt: h.startedAt, role: String(h.role ?? '') } : undefined;
  } catch {
    // Being written this very moment, or cut off by a crash: treated as stale only if it stays so (the guard re-reads).
    return undefined;
  }
}

async function takeGuard(guard: string): Promise<boolean> {
  try {
    await mkdir(guard);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  // A guard left by a process that died while taking over: removed, then tried once more.
  if ((await ageMs(guard)) < TAKEOVER_STALE_MS) return false;
  await rmdir(guard).catch(ignoreMissing);
  try {
    await mkdir(guard);
    return true;
  } catch {
    return false;
  }
}

async function releaseIfMine(file: string, me: LockHolder): Promise<void> {
  const holder = await readHolder(file);
  if (holder !== 'gone' && holder?.pid === me.pid && holder.startedAt === me.startedAt) await unlink(file).catch(ignoreMissing);
}

/** How long ago the file was last written (0 when it is gone: nothing to take over yet). */
function ageMs(path: string): Promise<number> {
  return stat(path).then((s) => Date.now() - s.mtimeMs, () => 0);
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, owned by someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function ignoreMissing(error: unknown): void {
  if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
}
