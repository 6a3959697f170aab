import { mkdir, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FolderLockedError, LOCK_FILE, lockFolder, lockFolders } from '../../local/run-lock.ts';

/** Two local runs on one --store (or --out): the second is refused before it touches anything. */
describe('npm start folder lock', () => {
  let root: string;
  beforeAll(async () => { root = await mkdtemp(join(tmpdir(), 'arrears-run-lock-')); });
  afterAll(async () => { await rm(root, { recursive: true, force: true }); });

  const alive = new Set<number>();
  const options = (pid: number, role = '--store') => ({ role, pid, isAlive: (p: number) => alive.has(p), log: () => {} });

  it('the second run on the same store is refused with who holds it; after the first releases, a run takes it', async () => {
    const store = join(root, 'store');
    alive.add(101).add(102);
    const first = await lockFolder(store, options(101));
    expect(JSON.parse(await readFile(join(store, LOCK_FILE), 'utf8'))).toMatchObject({ pid: 101, role: '--store' });
    const refused = await lockFolder(store, options(102)).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(FolderLockedError);
    expect((refused as Error).message).toMatch(/--store .*store is in use by another npm start \(pid 101, started .*\): this run is refused and changed nothing/);
    // The refused run changed nothing: the lock is still the first's.
    expect(JSON.parse(await readFile(join(store, LOCK_FILE), 'utf8'))).toMatchObject({ pid: 101 });
    await first.release();
    const second = await lockFolder(store, options(102));
    expect(JSON.parse(await readFile(join(store, LOCK_FILE), 'utf8'))).toMatchObject({ pid: 102 });
    await second.release();
  });

  it('two runs locking the same store at the same moment: exactly one gets it', async () => {
    const store = join(root, 'race');
    for (let i = 200; i < 210; i++) alive.add(i);
    const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => lockFolder(store, options(200 + i))));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected').every((r) => (r as PromiseRejectedResult).reason instanceof FolderLockedError)).toBe(true);
  });

  it('a stale lock (its pid is gone: a killed run) is taken over, with a message', async () => {
    const store = join(root, 'stale');
    const killed = await lockFolder(store, options(301));
    void killed; // never released: the process was killed
    alive.add(302);
    const said: string[] = [];
    const taker = await lockFolder(store, { ...options(302), log: (m) => said.push(m) });
    expect(said).toEqual([expect.stringMatching(/Taking over the lock on --store .*stale: the run that held it \(pid 301, started .*\) is no longer running/)]);
    expect(JSON.parse(await readFile(join(store, LOCK_FILE), 'utf8'))).toMatchObject({ pid: 302 });
    // The killed run's release (were it to come) leaves the new holder's lock alone.
    await killed.release();
    expect(JSON.parse(await readFile(join(store, LOCK_FILE), 'utf8'))).toMatchObject({ pid: 302 });
    await taker.release();
  });

  it('two runs finding the same stale lock: only one takes it over', async () => {
    const store = join(root, 'stale-race');
    await lockFolder(store, options(401));
    for (let i = 410; i < 416; i++) alive.add(i);
    const results = await Promise.allSettled(Array.from({ length: 6 }, (_, i) => lockFolder(store, options(410 + i))));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  });

  it('a lock file that cannot be read is taken over once it is old, refused while it may still be being written', async () => {
    const store = join(root, 'torn');
    await lockFolder(store, options(501)).then((l) => l.release());
    await writeFile(join(store, LOCK_FILE), '{"pid":');
    alive.add(502);
    await expect(lockFolder(store, options(502))).rejects.toBeInstanceOf(FolderLockedError);
    const old = new Date(Date.now() - 60_000);
    await utimes(join(store, LOCK_FILE), old, old);
    const l = await lockFolder(store, options(502));
    expect(JSON.parse(await readFile(join(store, LOCK_FILE), 'utf8'))).toMatchObject({ pid: 502 });
    await l.release();
  });

  it('--store and --out: both locked, the same folder once; a refused --out gives back the --store lock', async () => {
    const store = join(root, 'both-store');
    const out = join(root, 'both-out');
    alive.add(601).add(602);
    const held = await lockFolders([{ dir: store, role: '--store' }, { dir: out, role: '--out' }], options(601));
    expect(held).toHaveLength(2);
    const same = await lockFolders([{ dir: join(root, 'one'), role: '--store' }, { dir: join(root, 'one'), role: '--out' }], options(601));
    expect(same).toHaveLength(1);
    // A second run on another store but the same out folder: refused, and its store is not left locked.
    const other = join(root, 'other-store');
    await expect(lockFolders([{ dir: other, role: '--store' }, { dir: out, role: '--out' }], options(602))).rejects.toThrow(/--out .*both-out is in use/);
    await lockFolder(other, options(603)).then((l) => l.release());
  });

  it('npm start on a locked --out refuses with exit code 1 and deletes nothing', async () => {
    const out = join(root, 'busy-out');
    // Held by this (live) test process.
    const held = await lockFolder(out, { role: '--out' });
    await mkdir(join(out, 'outbox', '2026-11'), { recursive: true });
    await writeFile(join(out, 'outbox', '2026-11', 'notice.eml'), 'the first run\'s outbox');
    const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'local/start.ts', '--out', out, '--months', '1'], { stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
      child.on('close', (c) => resolve({ code: c, stderr: err }));
    });
    expect(code).toBe(1);
    expect(stderr).toMatch(/--out .*busy-out is in use by another npm start \(pid \d+/);
    expect(await readFile(join(out, 'outbox', '2026-11', 'notice.eml'), 'utf8')).toBe('the first run\'s outbox');
    await held.release();
  });
});
