import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cp, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { paginateScan } from '@aws-sdk/lib-dynamodb';
import { dynamoForTests } from '../support/dynamo.ts';
import { storePorts } from '../../functions/commons/deps.ts';
import { FolderImportBucket } from '../../functions/commons/documents.ts';
import { DynamoReminderStore } from '../../functions/commons/reminder-store.ts';
import { clock } from '../../functions/commons/clock.ts';
import { policyFor } from '../../functions/core/policy.ts';
import type { ArrearsStore } from '../../functions/commons/store.ts';
import type { ContributionPeriodRecord } from '../../functions/commons/records.ts';
import { importChunk, planBatch, readReport, reportKeyOf, type BatchFile, type FileReport, type ImportDeps } from '../../functions/import/file-import.ts';
import { importWholeFile } from '../../functions/import/csv-import.ts';
import { pendingFiles, planImport, releaseImport } from '../../functions/steps/import-run.ts';

/**
 * The bucket's import in chunks, on dynalite: a file stopped after N rows and continued from its
 * checkpoint loads every row exactly once and reports what a one-shot import reports; a chunk that
 * crashes mid-way is replayed from the last checkpoint; the same version imported again writes
 * nothing; the batch's files come in load order.
 */
type Env = Awaited<ReturnType<typeof dynamoForTests>>;
const PREFIX = 'imports/2026-11/';
const UNITS = 400;

let root: string;
const envs: Env[] = [];

/** The periods file: three months per unit, a repeat far from its first row, a bad row, an unknown unit. */
function periodsFile(): string {
  const rows = ['unit_code,period,amount_due,due_date'];
  for (let u = 1; u <= UNITS; u++) for (const p of ['2026-07', '2026-08', '2026-09']) rows.push(`TD${String(u).padStart(6, '0')},${p},${1_000_000 + u},`);
  rows.splice(700, 0, 'TD000003,2026-08,99,'); // repeats line 9 (TD000003 2026-08), read in a later chunk
  rows.splice(900, 0, 'TD000004,2026-13,5,'); // not a month
  rows.push('ZZ000001,2026-09,5,'); // no such unit
  return `${rows.join('\n')}\n`;
}

function employersFile(): string {
  const rows = ['unit_code,name,tax_code,district,commune,email,phone,locale'];
  for (let u = 1; u <= UNITS; u++) rows.push(`TD${String(u).padStart(6, '0')},Công ty ${u},2700${String(u).padStart(6, '0')},Tam Điệp,Bắc Sơn,u${u}@example.vn,0912${String(u).padStart(6, '0')},vi`);
  return `${rows.join('\n')}\n`;
}

const unused = (what: string) => new Proxy({}, { get: () => () => { throw new Error(`${what} is not used by these files`); } }) as never;

async function depsFor(store: ArrearsStore, env: Env): Promise<ImportDeps> {
  return {
    ...storePorts(store), imports: new FolderImportBucket(root), clock, policyFor,
    reminders: new DynamoReminderStore(env.dynamo.doc, env.tableName), workflow: unused('workflow'), mailer: unused('mailer'),
  };
}

async function freshEnv(): Promise<Env> {
  const env = await dynamoForTests();
  envs.push(env);
  return env;
}

/** The store with every period written counted by key. */
function countingPeriods(env: Env, writes: Map<string, number>, failOnBatch?: number): ArrearsStore {
  let batches = 0;
  return Object.assign(Object.create(env.store) as ArrearsStore, {
    async putPeriods(batch: ContributionPeriodRecord[]) {
      if (++batches === failOnBatch) throw new Error('the table is gone for a moment');
      await env.store.putPeriods(batch);
      for (const p of batch) writes.set(`${p.unitCode} ${p.period}`, (writes.get(`${p.unitCode} ${p.period}`) ?? 0) + 1);
    },
  });
}

const file = (name: string): BatchFile => ({ key: `${PREFIX}${name}`, name });

async function ledgerItems(env: Env) {
  const items: Record<string, unknown>[] = [];
  for await (const page of paginateScan({ client: env.dynamo.doc }, { TableName: env.tableName })) items.push(...(page.Items ?? []).filter((i) => String(i.pk).startsWith('EMP#')));
  return items.sort((a, b) => `${a.pk as string} ${a.sk as string}`.localeCompare(`${b.pk as string} ${b.sk as string}`));
}

/** What a report says about the data, whatever the chunks and times it took. */
const content = ({ loaded, unknownUnits, errorCount, errors }: FileReport) => ({ loaded, unknownUnits, errorCount, errors });

let oneShot: { env: Env; report: FileReport };

beforeAll(async () => {
  clock.setNow(new Date('2026-11-02T06:00:00+07:00'));
  root = await mkdtemp(join(tmpdir(), 'import-bucket-'));
  await mkdir(join(root, PREFIX), { recursive: true });
  await writeFile(join(root, PREFIX, 'employers.csv'), employersFile());
  await writeFile(join(root, PREFIX, 'contribution-periods.csv'), periodsFile());
  await cp('data/sample/participants', join(root, PREFIX, 'participants'), { recursive: true });
  const env = await freshEnv();
  const deps = await depsFor(env.store, env);
  await importWholeFile(deps, PREFIX, file('employers.csv'));
  oneShot = { env, report: await importWholeFile(deps, PREFIX, file('contribution-periods.csv')) };
}, 60_000);
afterAll(async () => {
  for (const env of envs) await env.close();
});

describe('import in chunks, from a checkpoint', () => {
  it('reports what the file holds: a repeat across chunks, a bad row, an unknown unit', () => {
    expect(oneShot.report.loaded).toEqual({ periods: UNITS * 3 });
    expect(oneShot.report.unknownUnits).toEqual({ units: 1, rows: 1 });
    expect(oneShot.report.errors).toEqual([
      { file: 'contribution-periods.csv', line: 701, key: 'TD000003 2026-08', reason: 'unit_code and period repeat line 9 (the row kept); not loaded' },
      { file: 'contribution-periods.csv', line: 901, key: 'TD000004 2026-13', reason: expect.stringMatching(/^period /) },
      { file: 'contribution-periods.csv', line: 1_204, key: 'ZZ000001 2026-09', reason: expect.stringContaining('not a known unit') },
    ]);
  });

  it('stopped every 250 rows and continued, loads every row exactly once and reports the same', async () => {
    const env = await freshEnv();
    const writes = new Map<string, number>();
    const deps = await depsFor(countingPeriods(env, writes), env);
    await importWholeFile(await depsFor(env.store, env), PREFIX, file('employers.csv'));
    const statuses: string[] = [];
    for (;;) {
      const r = await importChunk(deps, PREFIX, file('contribution-periods.csv'), { maxRows: 250 });
      statuses.push(r.status);
      if (r.status !== 'more') break;
      expect(r.checkpoint!.line).toBeGreaterThan(1);
    }
    expect(statuses).toEqual(['more', 'more', 'more', 'more', 'done']);
    expect(writes.size).toBe(UNITS * 3);
    expect([...writes.values()].every((n) => n === 1)).toBe(true);
    const report = (await readReport(deps, reportKeyOf(file('contribution-periods.csv').key)))!;
    expect(content(report)).toEqual(content(oneShot.report));
    expect(report.chunks).toBe(5);
    expect(await ledgerItems(env)).toEqual(await ledgerItems(oneShot.env));
  });

  it('replays a chunk that crashed from the last checkpoint: the report is still complete, the kept row still the first', async () => {
    const env = await freshEnv();
    const writes = new Map<string, number>();
    await importWholeFile(await depsFor(env.store, env), PREFIX, file('employers.csv'));
    expect((await importChunk(await depsFor(countingPeriods(env, writes), env), PREFIX, file('contribution-periods.csv'), { maxRows: 600 })).status).toBe('more');
    // The next chunk writes two batches, then the table refuses one: the invocation dies.
    const crashing = await depsFor(countingPeriods(env, writes, 2), env);
    await expect(importChunk(crashing, PREFIX, file('contribution-periods.csv'))).rejects.toThrow('the table is gone');
    const report = await importWholeFile(await depsFor(countingPeriods(env, writes), env), PREFIX, file('contribution-periods.csv'));
    expect(content(report)).toEqual(content(oneShot.report));
    expect(writes.size).toBe(UNITS * 3);
    expect((await env.store.getLedger('TD000003')).periods.find((p) => p.period === '2026-08')).toMatchObject({ amountDue: 1_000_003 });
  });

  it('imports the same version again without writing anything; a changed file is imported afresh', async () => {
    const writes = new Map<string, number>();
    const deps = await depsFor(countingPeriods(oneShot.env, writes), oneShot.env);
    const again = await importChunk(deps, PREFIX, file('contribution-periods.csv'));
    expect(again).toMatchObject({ status: 'already-imported', rows: 0, report: reportKeyOf(`${PREFIX}contribution-periods.csv`) });
    expect(writes.size).toBe(0);
    // Uploaded again with one amount corrected: a new version, read from the top.
    await writeFile(join(root, PREFIX, 'contribution-periods.csv'), periodsFile().replace('TD000002,2026-09,1000002,', 'TD000002,2026-09,1500000,'));
    const changed = await importChunk(deps, PREFIX, file('contribution-periods.csv'));
    expect(changed).toMatchObject({ status: 'done', rows: UNITS * 3 + 3 });
    expect((await oneShot.env.store.getLedger('TD000002')).periods.find((p) => p.period === '2026-09')).toMatchObject({ amountDue: 1_500_000 });
  });

  it('carries participants, their cards and renewals across chunks as one import does', async () => {
    const [a, b] = [await freshEnv(), await freshEnv()];
    const names = ['collection-agents.csv', 'participants.csv', 'households.csv', 'hi-cards.csv', 'renewal-targets.csv', 'renewals.csv'].map((n) => `participants/${n}`);
    const whole: FileReport[] = [];
    const chunked: FileReport[] = [];
    for (const name of names) whole.push(await importWholeFile(await depsFor(a.store, a), PREFIX, file(name)));
    for (const name of names) chunked.push(await importWholeFile(await depsFor(b.store, b), PREFIX, file(name), { maxRows: 7 }));
    expect(chunked.map((r) => r.chunks).some((n) => n > 5)).toBe(true);
    const rows = (r: FileReport) => ({ ...content(r), loaded: { ...r.loaded, scheduled: undefined } });
    expect(chunked.map(rows)).toEqual(whole.map(rows));
    expect(whole[1]!.loaded.participants).toBe(160);
    expect(whole[5]!.loaded.renewals).toBeGreaterThan(0);
  });
});

describe('a batch of files', () => {
  it('comes in load order, whatever order the keys are listed in; an unknown name last', () => {
    const keys = ['participants/renewals.csv', 'payments.csv', 'collections/post-2026-11.csv', 'employers.csv', 'notes.csv', 'participants/participants.csv', 'contribution-periods.csv', 'collections/bank-2026-11.csv', 'readme.txt']
      .map((n) => `${PREFIX}${n}`);
    expect(planBatch(PREFIX, keys).map((f) => f.name)).toEqual([
      'employers.csv', 'contribution-periods.csv', 'payments.csv', 'participants/participants.csv', 'participants/renewals.csv',
      'collections/bank-2026-11.csv', 'collections/post-2026-11.csv', 'notes.csv',
    ]);
  });

  it('is planned under one lease: a second execution finds it busy; after the release nothing imported is pending again', async () => {
    const env = await freshEnv();
    const deps = await depsFor(env.store, env);
    const first = await planImport(deps, { key: `${PREFIX}employers.csv`, runId: 'exec-1' });
    expect(first).toMatchObject({ status: 'next', prefix: PREFIX, file: { name: 'employers.csv', kind: 'ledger' } });
    expect(await planImport(deps, { key: `${PREFIX}contribution-periods.csv`, runId: 'exec-2' })).toEqual({ status: 'busy', prefix: PREFIX });
    await importWholeFile(deps, PREFIX, file('employers.csv'));
    expect((await planImport(deps, { key: `${PREFIX}employers.csv`, runId: 'exec-1' }))).toMatchObject({ status: 'next', file: { name: 'contribution-periods.csv' } });
    const pending = (await pendingFiles(deps, PREFIX)).map((f) => f.name);
    expect(pending[0]).toBe('contribution-periods.csv');
    expect(await releaseImport(deps, { prefix: PREFIX, runId: 'exec-1' })).toEqual({ prefix: PREFIX, pending: pending.length });
    expect(await planImport(deps, { key: `${PREFIX}employers.csv`, runId: 'exec-2' })).toMatchObject({ status: 'next' });
  });
});
