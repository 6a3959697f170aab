import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoForTests } from '../support/dynamo.ts';
import { fixedClock } from '../../functions/commons/clock.ts';
import { RunInProgressError } from '../../functions/commons/errors.ts';
import { LEASE_MARGIN_MS, withRunLease } from '../../functions/commons/run-lease.ts';
import type { RunLease } from '../../functions/commons/store.ts';
import { keys } from '../../functions/commons/table.ts';
import { GetCommand } from '@aws-sdk/lib-dynamodb';

/** The run lease on dynalite (no TTL there, as none is relied on): expiry is decided in the put's condition. */
describe('run lease', () => {
  let db: Awaited<ReturnType<typeof dynamoForTests>>;
  beforeAll(async () => { db = await dynamoForTests(); });
  afterAll(async () => { await db.close(); });

  const T0 = new Date('2026-11-02T06:00:00+07:00');
  const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
  const lease = (owner: string, now: Date, minutes = 16, scope = '2026-11'): RunLease => ({ scope, kind: 'SUMMARY#all', owner, now, expiresAt: new Date(now.getTime() + minutes * 60_000) });

  it('refuses a second holder while the first holds it; the holder takes its own lease again (its retry)', async () => {
    expect(await db.store.takeLease(lease('first', at(0)))).toBe(true);
    expect(await db.store.takeLease(lease('second', at(1)))).toBe(false);
    expect(await db.store.takeLease(lease('second', at(15.9)))).toBe(false);
    expect(await db.store.takeLease(lease('first', at(2)))).toBe(true);
    // Another cycle, or another kind of run, is another lease.
    expect(await db.store.takeLease(lease('second', at(3), 16, '2026-12'))).toBe(true);
    expect(await db.store.takeLease({ ...lease('second', at(3)), kind: 'DISCLOSURE' })).toBe(true);
  });

  it('an expired lease (its holder crashed) is taken over, and the old holder can no longer renew or release it', async () => {
    // 'first' took it again at minute 2 for 16 minutes: live until minute 18.
    expect(await db.store.takeLease(lease('second', at(17.9)))).toBe(false);
    expect(await db.store.takeLease(lease('second', at(18)))).toBe(true);
    expect(await db.store.renewLease(lease('first', at(19)))).toBe(false);
    expect(await db.store.releaseLease({ scope: '2026-11', kind: 'SUMMARY#all', owner: 'first', now: at(19) })).toBe(false);
    const item = (await db.dynamo.doc.send(new GetCommand({ TableName: db.tableName, Key: keys.runLock('2026-11', 'SUMMARY#all') }))).Item;
    expect(item).toMatchObject({ pk: 'RUN#2026-11', sk: 'LOCK#SUMMARY#all', owner: 'second', expiresAt: at(34).toISOString() });
  });

  it('the holder renews it (pushing the expiry on), then releases it, and it is taken again at once', async () => {
    expect(await db.store.renewLease(lease('second', at(30), 16))).toBe(true);
    // Renewed at minute 30 for 16: still live at minute 40, when the first lease would have lapsed.
    expect(await db.store.takeLease(lease('third', at(40)))).toBe(false);
    expect(await db.store.releaseLease({ scope: '2026-11', kind: 'SUMMARY#all', owner: 'second', now: at(41) })).toBe(true);
    expect(await db.store.takeLease(lease('third', at(41)))).toBe(true);
    expect(await db.store.renewLease(lease('second', at(42)))).toBe(false);
  });

  describe('withRunLease (what every run function goes through)', () => {
    const deps = (now: Date) => ({ runs: db.store, clock: fixedClock(now) });
    const run = { name: 'quarterly list', scope: '2026-Q3', kind: 'QUARTERLY-LIST' } as const;

    it('a second run while the first works is refused with RunInProgress and does nothing; after it, a run goes ahead', async () => {
      let secondRan = false;
      let refusal: unknown;
      const first = await withRunLease(deps(at(0)), run, { runId: 'invocation-1', timeLeftMs: () => 15 * 60_000 }, async () => {
        refusal = await withRunLease(deps(at(1)), run, { runId: 'invocation-2' }, async () => { secondRan = true; }).catch((e: unknown) => e);
        return 'done';
      });
      expect(first).toBe('done');
      expect(secondRan).toBe(false);
      expect(refusal).toBeInstanceOf(RunInProgressError);
      expect(refusal).toMatchObject({ name: 'RunInProgress', category: 'conflict' });
      expect((refusal as Error).message).toMatch(/Another quarterly list run of 2026-Q3 is in progress/);
      // Released when the first finished: the next run (an hour later, or a rerun) takes it.
      expect(await withRunLease(deps(at(2)), run, { runId: 'invocation-3' }, async () => 'again')).toBe('again');
    });

    it('is released when the run fails, and lasts the invocation\'s time left and the margin', async () => {
      await expect(withRunLease(deps(at(10)), run, { runId: 'failing' }, async () => { throw new Error('boom'); })).rejects.toThrow('boom');
      expect(await db.store.takeLease({ scope: run.scope, kind: run.kind, owner: 'next', now: at(10), expiresAt: at(11) })).toBe(true);
      await db.store.releaseLease({ scope: run.scope, kind: run.kind, owner: 'next', now: at(10) });

      await withRunLease(deps(at(20)), run, { runId: 'timed', timeLeftMs: () => 5 * 60_000 }, async () => {
        const item = (await db.dynamo.doc.send(new GetCommand({ TableName: db.tableName, Key: keys.runLock(run.scope, run.kind), ConsistentRead: true }))).Item;
        expect(item).toMatchObject({ owner: 'timed', expiresAt: new Date(at(25).getTime() + LEASE_MARGIN_MS).toISOString() });
      });
    });
  });
});
