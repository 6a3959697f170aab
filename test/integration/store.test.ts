import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoForTests } from '../support/dynamo.ts';
import { deadlineOf, POLICY_VERSIONS } from '../../functions/core/policy.ts';
import { addMonths } from '../../functions/core/dates.ts';
import type { LedgerScan, MalformedItem } from '../../functions/commons/store.ts';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '../../functions/commons/table.ts';

const policy = POLICY_VERSIONS.at(-1)!;
let env: Awaited<ReturnType<typeof dynamoForTests>>;
const UNITS = 120;
const code = (i: number) => `TA${String(i).padStart(6, '0')}`;

beforeAll(async () => {
  env = await dynamoForTests();
  await env.store.putEmployers(Array.from({ length: UNITS }, (_, i) => ({
    unitCode: code(i), name: `Công ty ${i}`, taxCode: '2700123456', district: 'Tam Điệp', commune: 'Bắc Sơn',
    email: `unit${i}@example.vn`, phone: '0912345678', locale: 'vi' as const,
  })));
  const periods = [];
  for (let i = 0; i < UNITS; i++) for (let m = 0; m < 12; m++) {
    const period = addMonths('2025-11', m);
    periods.push({ unitCode: code(i), period, amountDue: 1_000_000 + i, dueDate: deadlineOf(period, policy) });
  }
  await env.store.putPeriods(periods);
  await env.store.putPayments([{ unitCode: code(0), reference: 'UNC-1', paidOn: '2026-01-05', amount: 5_000_000 }]);
});
afterAll(() => env.close());

describe('DynamoDB store on the real wire protocol (dynalite)', () => {
  it('reads every employer exactly once, whole, across parallel scan segments', async () => {
    const seen = new Map<string, LedgerScan>();
    const malformed: MalformedItem[] = [];
    await Promise.all([0, 1, 2, 3].map(async (segment) => {
      for await (const ledger of env.store.scanLedgers(segment, 4, (m) => malformed.push(m))) {
        expect(seen.has(ledger.unitCode)).toBe(false);
        seen.set(ledger.unitCode, ledger);
      }
    }));
    expect(seen.size).toBe(UNITS);
    expect(malformed).toEqual([]);
    for (const ledger of seen.values()) {
      expect(ledger.hasProfile).toBe(true);
      expect(ledger.periods).toHaveLength(12);
      // The run reads no personal data: names, addresses and phones stay on the server.
      expect(JSON.stringify(ledger)).not.toMatch(/@example\.vn|Công ty|0912345678/);
    }
    expect(seen.get(code(0))!.payments).toEqual([{ reference: 'UNC-1', paidOn: '2026-01-05', amount: 5_000_000 }]);
  });

  it('reports a malformed item by key and reason and keeps the good ones', async () => {
    await env.dynamo.doc.send(new PutCommand({ TableName: env.tableName, Item: { ...keys.period(code(5), '2026-11'), unitCode: code(5), period: '2026-11', amountDue: -3, dueDate: '2026-12-31' } }));
    const malformed: MalformedItem[] = [];
    const ledger = await env.store.getLedger(code(5), (m) => malformed.push(m));
    expect(ledger.periods).toHaveLength(12);
    expect(malformed).toEqual([{ key: `EMP#${code(5)} PERIOD#2026-11`, reason: 'amountDue must not be negative' }]);
  });

  it('lets exactly one worker claim a notice, and a stale claim be taken over', async () => {
    const u = code(1);
    expect(await env.store.claim({ message: 'urging', unitCode: u, cycle: '2026-11' }, new Date('2026-11-02T00:00:00Z'), 15)).toBe('claimed');
    expect(await env.store.claim({ message: 'urging', unitCode: u, cycle: '2026-11' }, new Date('2026-11-02T00:01:00Z'), 15)).toBe('in-progress');
    // Twenty minutes later the first claim is stale: its send never completed.
    expect(await env.store.claim({ message: 'urging', unitCode: u, cycle: '2026-11' }, new Date('2026-11-02T00:20:00Z'), 15)).toBe('claimed');
    await env.store.complete({ message: 'urging', unitCode: u, cycle: '2026-11' }, { status: 'sent', sentAt: '2026-11-02T00:20:01Z', messageId: 'm1' });
    expect(await env.store.claim({ message: 'urging', unitCode: u, cycle: '2026-11' }, new Date('2026-11-03T00:00:00Z'), 15)).toBe('already-sent');
    // A send that failed released its claim: the retry claims it again at once.
    expect(await env.store.claim({ message: 'urging', unitCode: code(6), cycle: '2026-11' }, new Date('2026-11-02T00:00:00Z'), 15)).toBe('claimed');
    await env.store.complete({ message: 'urging', unitCode: code(6), cycle: '2026-11' }, { status: 'failed' });
    expect(await env.store.claim({ message: 'urging', unitCode: code(6), cycle: '2026-11' }, new Date('2026-11-02T00:00:30Z'), 15)).toBe('claimed');
    const claims = await Promise.all(Array.from({ length: 10 }, () => env.store.claim({ message: 'urging', unitCode: code(2), cycle: '2026-11' }, new Date('2026-11-02T00:00:00Z'), 15)));
    expect(claims.filter((c) => c === 'claimed')).toHaveLength(1);
  });

  it('creates a task once, counts the officer load once, and closes it once', async () => {
    await env.store.putOfficers([{ officerId: 'cb.le.van.a', name: 'Lê Văn A', email: 'a@bhxh.example.vn', district: 'Tam Điệp', communes: ['Bắc Sơn'], role: 'collector', active: true }]);
    const task = {
      taskId: `${code(3)}-2026-11-visit`, unitCode: code(3), cycle: '2026-11', type: 'visit' as const, escalated: false, role: 'collector' as const,
      officerId: 'cb.le.van.a', district: 'Tam Điệp', status: 'open' as const, dueDate: '2026-11-12', createdAt: '2026-11-02T00:00:00Z', token: 't1',
    };
    await env.store.createTask(task);
    const retried = await env.store.createTask({ ...task, token: 't2' });
    expect(retried.token).toBe('t2');
    expect(await env.store.openTaskCount('cb.le.van.a')).toBe(1);
    expect(await env.store.openTasksOf('cb.le.van.a')).toHaveLength(1);
    // Re-importing the roster keeps the load.
    await env.store.putOfficers([{ officerId: 'cb.le.van.a', name: 'Lê Văn A', email: 'a@bhxh.example.vn', district: 'Tam Điệp', communes: [], role: 'collector', active: true }]);
    expect((await env.store.officersInDistrict('Tam Điệp'))[0]?.openTasks).toBe(1);
    const closed = await env.store.closeTask(task.taskId, { status: 'done', outcome: 'contacted', closedAt: '2026-11-03T00:00:00Z', closedBy: 'cb.le.van.a' });
    expect(closed?.status).toBe('done');
    expect(await env.store.closeTask(task.taskId, { status: 'timed-out', closedAt: '2026-11-13T00:00:00Z', closedBy: 'system' })).toBeUndefined();
    expect(await env.store.openTaskCount('cb.le.van.a')).toBe(0);
    expect(await env.store.openTasksOf('cb.le.van.a')).toHaveLength(0);
  });

  it('lists an employer\'s notices oldest cycle first, and only that employer\'s', async () => {
    const u = code(7);
    expect(await env.store.noticesOf(u)).toEqual([]);
    for (const cycle of ['2026-12', '2026-10', '2026-11']) {
      expect(await env.store.claim({ message: 'urging', unitCode: u, cycle: cycle }, new Date(`${cycle}-02T00:00:00Z`), 15)).toBe('claimed');
    }
    await env.store.complete({ message: 'urging', unitCode: u, cycle: '2026-10' }, { status: 'sent', sentAt: '2026-10-02T00:00:01Z', messageId: 'm-10', contentSha256: 'a'.repeat(64), stage: 'urging-notice', debt: 1_000 });
    await env.store.complete({ message: 'urging', unitCode: u, cycle: '2026-11' }, { status: 'failed' });
    await env.store.claim({ message: 'urging', unitCode: code(8), cycle: '2026-10' }, new Date('2026-10-02T00:00:00Z'), 15);
    const notices = await env.store.noticesOf(u);
    expect(notices.map((n) => [n.cycle, n.status])).toEqual([['2026-10', 'sent'], ['2026-11', 'failed'], ['2026-12', 'claimed']]);
    expect(notices[0]).toMatchObject({ unitCode: u, kind: 'urging', sentAt: '2026-10-02T00:00:01Z', contentSha256: 'a'.repeat(64), stage: 'urging-notice', debt: 1_000 });
  });

  it('keeps a retried event once: the table key is the event\'s dedupe key, not its kind', async () => {
    const opened = (taskId: string, at: string) => ({
      unitCode: code(4), cycle: '2026-11', at, kind: 'task-opened' as const, actor: 'system',
      detail: { taskId, taskType: 'visit' as const, escalated: false, officerId: 'cb.tran.thi.b', dueDate: '2026-11-12' },
    });
    await env.store.appendEvent(opened('T-1', '2026-11-02T00:00:00Z'));
    await env.store.appendEvent(opened('T-1', '2026-11-02T00:00:05Z'));
    // Same kind, another task: another event.
    await env.store.appendEvent(opened('T-2', '2026-11-02T00:00:06Z'));
    const history = await env.store.caseHistory(code(4));
    expect(history.map((e) => [e.kind, e.kind === 'task-opened' ? e.detail.taskId : null, e.at, e.dedupeKey])).toEqual([
      ['task-opened', 'T-1', '2026-11-02T00:00:00Z', 'task-opened#T-1'],
      ['task-opened', 'T-2', '2026-11-02T00:00:06Z', 'task-opened#T-2'],
    ]);
    const r = await env.dynamo.doc.send(new GetCommand({ TableName: env.tableName, Key: keys.event(code(4), '2026-11', 'task-opened#T-1') }));
    expect(r.Item).toMatchObject({ kind: 'task-opened', dedupeKey: 'task-opened#T-1' });
  });

  it('refuses to write an event whose detail is not its kind\'s, or carries an undeclared field', async () => {
    const base = { unitCode: code(10), cycle: '2026-11', at: '2026-11-02T00:00:00Z', actor: 'system' };
    await expect(env.store.appendEvent({ ...base, kind: 'step-failed', detail: { error: 'Boom', name: 'Nguyễn Văn A' } as { error: string } })).rejects.toThrow(/name/);
    await expect(env.store.appendEvent({ ...base, kind: 'payment-recorded', detail: { reference: 'R1' } as never })).rejects.toThrow();
    expect(await env.store.caseHistory(code(10))).toEqual([]);
  });

  it('reads a case history past a stored event that fails the schema: reported with its key and reason, the rest kept', async () => {
    const u = code(11);
    await env.store.appendEvent({ unitCode: u, cycle: '2026-11', at: '2026-11-02T00:00:00Z', kind: 'step-failed', actor: 'system', detail: { error: 'Boom' } });
    // As an older version wrote it: the kind doubling as key, no dedupe key; and a kind nobody knows.
    await env.dynamo.doc.send(new PutCommand({ TableName: env.tableName, Item: { ...keys.event(u, '2026-10', 'payment-recorded-R9'), unitCode: u, cycle: '2026-10', at: '2026-10-05T00:00:00Z', kind: 'payment-recorded-R9', actor: 'x', detail: {} } }));
    await env.dynamo.doc.send(new PutCommand({ TableName: env.tableName, Item: { ...keys.event(u, '2026-10', 'hold-set#1'), unitCode: u, cycle: '2026-10', at: '2026-10-06T00:00:00Z', kind: 'hold-set', dedupeKey: 'hold-set#1', actor: 'x', detail: { reason: 'flood', until: '2026-10-30', hasNote: true, taskId: null } } }));
    const malformed: MalformedItem[] = [];
    const history = await env.store.caseHistory(u, (m) => malformed.push(m));
    expect(history.map((e) => e.kind)).toEqual(['step-failed']);
    expect(malformed).toEqual([
      { key: `EMP#${u} EVENT#2026-10#hold-set#1`, reason: expect.stringContaining('detail.reason') },
      { key: `EMP#${u} EVENT#2026-10#payment-recorded-R9`, reason: expect.stringContaining('kind') },
    ]);
  });
});
