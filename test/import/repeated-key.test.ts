import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { paginateScan } from '@aws-sdk/lib-dynamodb';
import { dynamoForTests } from '../support/dynamo.ts';
import { storePorts, type Deps } from '../../functions/commons/deps.ts';
import { FolderImportBucket } from '../../functions/commons/documents.ts';
import { DynamoReminderStore } from '../../functions/commons/reminder-store.ts';
import { clock } from '../../functions/commons/clock.ts';
import { policyFor } from '../../functions/core/policy.ts';
import { importChunk, readReport, type BatchFile, type FileReport, type ImportDeps } from '../../functions/import/file-import.ts';
import { importWholeFile } from '../../functions/import/csv-import.ts';
import { importParticipants } from '../../functions/import/participant-import.ts';

/**
 * A key repeated within a participant file (repeat-guard.ts): the first row is loaded and stays as
 * it was, each later row with its key is refused and reported with its line and the line kept,
 * the counts are the rows stored; a repeat in a later chunk than its first row is caught; the same
 * file imported again reports nothing new and changes nothing.
 */
type Env = Awaited<ReturnType<typeof dynamoForTests>>;
const PREFIX = 'imports/2026-11/';
const SAMPLE = 'data/sample/participants';

interface Case {
  file: string;
  count: string;
  /** The data rows of the sample file taken (all, when fewer). */
  rows: number;
  /** The column the repeat changes (its key columns kept). */
  changed: string;
  /** The reason's start: the key columns. */
  repeats: string;
  /** The key the report shows for a row. */
  key(cells: Record<string, string>): string;
  /** The stored value of the changed column for the row of `cells`. */
  stored(env: Env, cells: Record<string, string>): Promise<unknown>;
}

const reminders = (env: Env) => new DynamoReminderStore(env.dynamo.doc, env.tableName);
const CASES: Case[] = [
  {
    file: 'collection-agents.csv', count: 'agents', rows: 3, changed: 'name', repeats: 'officer_id repeats', key: (c) => c.officer_id!,
    stored: async (env, c) => (await env.store.getOfficer(c.officer_id!))?.name,
  },
  {
    file: 'participants.csv', count: 'participants', rows: 8, changed: 'name', repeats: 'si_code repeats', key: (c) => c.si_code!,
    stored: async (env, c) => (await reminders(env).getPayer('vsi', c.si_code!)).participant?.name,
  },
  {
    file: 'households.csv', count: 'households', rows: 8, changed: 'head_name', repeats: 'household_code repeats', key: (c) => c.household_code!,
    stored: async (env, c) => (await reminders(env).getPayer('hi', c.household_code!)).household?.headName,
  },
  {
    file: 'hi-cards.csv', count: 'cards', rows: 8, changed: 'name', repeats: 'household_code and si_code repeat',
    key: (c) => `${c.household_code!} ${c.si_code!}`,
    stored: async (env, c) => (await reminders(env).getPayer('hi', c.household_code!)).cards.find((card) => card.siCode === c.si_code)?.name,
  },
  {
    file: 'renewal-targets.csv', count: 'targets', rows: 8, changed: 'target_renewal_percent', repeats: 'month, commune and agent_id repeat',
    key: (c) => `${c.month!} ${c.agent_id || '(missing)'}`,
    stored: async (env, c) => (await reminders(env).targetsOf(c.month!)).find((t) => t.commune === c.commune && (t.agentId ?? '') === (c.agent_id ?? ''))?.targetRenewalPercent,
  },
];

let root: string;
const envs: Env[] = [];
const texts = new Map<string, { header: string; rows: string[] }>();

async function freshEnv(): Promise<Env> {
  const env = await dynamoForTests();
  envs.push(env);
  return env;
}

const unused = (what: string) => new Proxy({}, { get: () => () => { throw new Error(`${what} is not used by these files`); } }) as never;
function depsFor(env: Env): ImportDeps & Deps {
  return {
    ...storePorts(env.store), imports: new FolderImportBucket(root), clock, policyFor,
    reminders: reminders(env), workflow: unused('workflow'), mailer: unused('mailer'),
  } as unknown as ImportDeps & Deps;
}

const cellsOf = (header: string, row: string) => Object.fromEntries(header.split(',').map((c, i) => [c, row.split(',')[i] ?? '']));
const withCell = (header: string, row: string, column: string, value: string) => {
  const i = header.split(',').indexOf(column);
  return row.split(',').map((v, j) => (j === i ? value : v)).join(',');
};
const changedValue = (c: Case, old: string) => (c.changed === 'target_renewal_percent' ? String((Number(old) % 90) + 5) : `${old} Khác`);

/**
 * The file of a case: its first rows, then the first row again with one value changed (it repeats
 * line 2), then the second row again byte for byte (it repeats line 3).
 */
function fileOf(c: Case): { text: string; lines: number; first: string; second: string } {
  const { header, rows } = texts.get(c.file)!;
  const taken = rows.slice(0, c.rows);
  const first = taken[0]!;
  const changed = withCell(header, first, c.changed, changedValue(c, cellsOf(header, first)[c.changed]!));
  const all = [header, ...taken, changed, taken[1]!];
  return { text: `${all.join('\n')}\n`, lines: all.length, first, second: taken[1]! };
}

const file = (name: string): BatchFile => ({ key: `${PREFIX}participants/${name}`, name: `participants/${name}` });

/** Stored items this file's version wrote (their provenance names it). */
async function itemsFrom(env: Env, source: string) {
  const items: Record<string, unknown>[] = [];
  for await (const page of paginateScan({ client: env.dynamo.doc }, { TableName: env.tableName })) items.push(...(page.Items ?? []).filter((i) => i.importSource === source));
  return items.sort((a, b) => `${a.pk as string} ${a.sk as string}`.localeCompare(`${b.pk as string} ${b.sk as string}`));
}

beforeAll(async () => {
  clock.setNow(new Date('2026-11-02T06:00:00+07:00'));
  root = await mkdtemp(join(tmpdir(), 'import-repeats-'));
  await mkdir(join(root, PREFIX, 'participants'), { recursive: true });
  for (const c of CASES) {
    const [header, ...rows] = (await readFile(join(SAMPLE, c.file), 'utf8')).trimEnd().split('\n');
    texts.set(c.file, { header: header!, rows });
    await writeFile(join(root, PREFIX, 'participants', c.file), fileOf(c).text);
  }
}, 60_000);
afterAll(async () => {
  for (const env of envs) await env.close();
});

describe('a key repeated within a participant file', () => {
  for (const c of CASES) {
    it(`${c.file}: the repeats refused with both lines, in a later chunk too; the first row kept as it was; counts what was stored; imported again, nothing new`, async () => {
      const env = await freshEnv();
      const deps = depsFor(env);
      const { lines, first, second } = fileOf(c);
      const { header } = texts.get(c.file)!;
      // Two rows a chunk: every repeat is read in a later chunk than the row it repeats.
      const statuses: string[] = [];
      for (;;) {
        const r = await importChunk(deps, PREFIX, file(c.file), { maxRows: 2 });
        statuses.push(r.status);
        if (r.status !== 'more') break;
      }
      expect(statuses.length).toBeGreaterThan(2);
      expect(statuses.at(-1)).toBe('done');
      const report = (await importWholeFile(deps, PREFIX, file(c.file)))!;
      const key = (row: string) => c.key(cellsOf(header, row));
      expect(report.errors).toEqual([
        { file: `participants/${c.file}`, line: lines - 1, key: key(first), reason: `${c.repeats} line 2 (the row kept); not loaded` },
        // Byte for byte the same as line 3: still a repeat, reported (repeat-guard.ts).
        { file: `participants/${c.file}`, line: lines, key: key(second), reason: `${c.repeats} line 3 (the row kept); not loaded` },
      ]);
      expect(report.errorCount).toBe(2);
      expect(await c.stored(env, cellsOf(header, first))).toEqual(c.changed === 'target_renewal_percent' ? Number(cellsOf(header, first)[c.changed]) : cellsOf(header, first)[c.changed]);
      expect(await c.stored(env, cellsOf(header, second))).toBeDefined();

      const source = `${file(c.file).key}@${report.version}`;
      const stored = await itemsFrom(env, source);
      expect(report.loaded[c.count]).toBe(Math.min(c.rows, texts.get(c.file)!.rows.length));
      expect(stored.length).toBe(report.loaded[c.count]);
      expect(stored.map((i) => i.importLine).sort((a, b) => Number(a) - Number(b))).toEqual(Array.from({ length: stored.length }, (_, i) => i + 2));

      // The same version again: not read, the same report, the store as it was.
      const again = await importChunk(deps, PREFIX, file(c.file));
      expect(again.status).toBe('already-imported');
      expect((await readReport(deps, again.report!))!.errors).toEqual(report.errors);
      expect(await itemsFrom(env, source)).toEqual(stored);
    }, 60_000);
  }

  it('renewals.csv: a repeated reference refused with both lines, in a later chunk too; the first renewal recorded as it was; imported again, nothing new', async () => {
    const env = await freshEnv();
    const deps = depsFor(env);
    const batch = 'imports/2026-12/';
    const [header, ...rows] = (await readFile(join(SAMPLE, 'renewals.csv'), 'utf8')).trimEnd().split('\n');
    // Line 8 renews line 2's reference for longer; line 9 is line 3 again, byte for byte.
    const all = [header!, ...rows, withCell(header!, rows[0]!, 'paid_through', '2027-09'), rows[1]!];
    await mkdir(join(root, batch, 'participants'), { recursive: true });
    await writeFile(join(root, batch, 'participants', 'participants.csv'), await readFile(join(SAMPLE, 'participants.csv')));
    await writeFile(join(root, batch, 'participants', 'renewals.csv'), `${all.join('\n')}\n`);
    const at = (name: string): BatchFile => ({ key: `${batch}participants/${name}`, name: `participants/${name}` });
    await importWholeFile(deps, batch, at('participants.csv'));
    const report = await importWholeFile(deps, batch, at('renewals.csv'), { maxRows: 2 });
    expect(report.chunks).toBeGreaterThan(2);
    const keyOf = (row: string) => { const c = cellsOf(header!, row); return `${c.code!} ${c.reference!}`; };
    expect(report.errors).toEqual([
      { file: 'participants/renewals.csv', line: 8, key: keyOf(rows[0]!), reason: 'kind, code and reference repeat line 2 (the row kept); not recorded' },
      { file: 'participants/renewals.csv', line: 9, key: keyOf(rows[1]!), reason: 'kind, code and reference repeat line 3 (the row kept); not recorded' },
    ]);
    expect(report.loaded).toMatchObject({ renewals: rows.length });
    expect(report.loaded.renewalsDuplicate ?? 0).toBe(0);
    const first = cellsOf(header!, rows[0]!);
    const payer = await reminders(env).getPayer('vsi', first.code!);
    expect(payer.renewals.find((r) => r.reference === first.reference)?.paidThrough).toBe(first.paid_through);
    expect(payer.participant?.paidThrough).toBe(first.paid_through);

    const again = await importChunk(deps, batch, at('renewals.csv'));
    expect(again.status).toBe('already-imported');
    expect((await readReport(deps, again.report!))!.errors).toEqual(report.errors);
    expect((await reminders(env).getPayer('vsi', first.code!)).participant?.paidThrough).toBe(first.paid_through);

    // A renewal already on record from elsewhere (here: the bucket's import) is a duplicate, each copy of it counted as one.
    const elsewhere = await importParticipants(join(root, batch, 'participants'), deps);
    expect(elsewhere.errors.filter((e) => e.file === 'renewals.csv')).toEqual([]);
    expect(elsewhere.loaded).toMatchObject({ renewals: 0, renewalsDuplicate: rows.length + 2 });

    // From a folder (importParticipants), into a fresh store: the same rule; imported again, the same report.
    const fresh = depsFor(await freshEnv());
    const repeats = [
      { line: 8, reason: 'kind, code and reference repeat line 2 (the row kept); not recorded' },
      { line: 9, reason: 'kind, code and reference repeat line 3 (the row kept); not recorded' },
    ];
    const folder = await importParticipants(join(root, batch, 'participants'), fresh);
    expect(folder.errors.filter((e) => e.file === 'renewals.csv').map(({ line, reason }) => ({ line, reason }))).toEqual(repeats);
    expect(folder.loaded).toMatchObject({ renewals: rows.length, renewalsDuplicate: 0 });
    const twice = await importParticipants(join(root, batch, 'participants'), fresh);
    expect(twice.errors).toEqual(folder.errors);
    expect(twice.loaded).toMatchObject({ renewals: 0, renewalsDuplicate: rows.length });
  }, 120_000);

  it('reports the same as one chunk does', async () => {
    const env = await freshEnv();
    const deps = depsFor(env);
    const inChunks: FileReport[] = [];
    const whole: FileReport[] = [];
    for (const c of CASES) inChunks.push((await importWholeFile(deps, PREFIX, file(c.file), { maxRows: 3 })));
    const other = depsFor(await freshEnv());
    for (const c of CASES) whole.push(await importWholeFile(other, PREFIX, file(c.file)));
    // `scheduled` counts payers scheduled per batch written: a household whose cards fall in two batches is counted twice.
    const content = ({ loaded: { scheduled: _, ...loaded }, errors, errorCount }: FileReport) => ({ loaded, errors, errorCount });
    expect(inChunks.map(content)).toEqual(whole.map(content));
  }, 120_000);

  it('a folder import (importParticipants) keeps the same rule, and imported again reports the same and changes nothing', async () => {
    const env = await freshEnv();
    const deps = depsFor(env);
    const dir = join(root, PREFIX, 'participants');
    const once = await importParticipants(dir, deps);
    const byFile = (file: string) => once.errors.filter((e) => e.file === file);
    for (const c of CASES) {
      const { lines, first } = fileOf(c);
      const { header } = texts.get(c.file)!;
      expect(byFile(c.file).map(({ line, reason }) => ({ line, reason }))).toEqual([
        { line: lines - 1, reason: `${c.repeats} line 2 (the row kept); not loaded` },
        { line: lines, reason: `${c.repeats} line 3 (the row kept); not loaded` },
      ]);
      expect(once.loaded[c.count as keyof typeof once.loaded]).toBe(Math.min(c.rows, texts.get(c.file)!.rows.length));
      expect(await c.stored(env, cellsOf(header, first))).toEqual(c.changed === 'target_renewal_percent' ? Number(cellsOf(header, first)[c.changed]) : cellsOf(header, first)[c.changed]);
    }
    const scan = async () => {
      const items: Record<string, unknown>[] = [];
      for await (const page of paginateScan({ client: env.dynamo.doc }, { TableName: env.tableName })) items.push(...(page.Items ?? []));
      return items.filter((i) => i.importSource !== undefined).sort((a, b) => `${a.pk as string} ${a.sk as string}`.localeCompare(`${b.pk as string} ${b.sk as string}`));
    };
    const before = await scan();
    const twice = await importParticipants(dir, deps);
    expect(twice.errors).toEqual(once.errors);
    expect(twice.loaded).toEqual(once.loaded);
    expect(await scan()).toEqual(before);
  }, 120_000);
});
