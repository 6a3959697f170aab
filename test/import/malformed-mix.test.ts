import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFile, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { paginateScan } from '@aws-sdk/lib-dynamodb';
import { dynamoForTests } from '../support/dynamo.ts';
import { importFolder, type ImportReport } from '../../functions/import/csv-import.ts';

/**
 * 1,000 malformed rows of every kind the import refuses, generated (seeded) into a copy of the
 * sample: each is reported with file, line and reason, and the store ends up holding exactly what
 * the clean sample's import holds (no good row lost or altered).
 */

const SAMPLE = 'data/sample';
const FILES = ['employers.csv', 'contribution-periods.csv', 'payments.csv', 'officers.csv', 'targets.csv'] as const;
type File = (typeof FILES)[number];
/** How many bad rows go into each file (1,000 in all). */
const SHARE: Record<File, number> = { 'employers.csv': 150, 'contribution-periods.csv': 400, 'payments.csv': 400, 'officers.csv': 25, 'targets.csv': 25 };

interface Bad {
  line: Buffer;
  /** What the reason must say. */
  reason: string | ((lineOf: (goodIndex: number) => number) => string);
}

/** mulberry32: the same 1,000 rows every run. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const text = (s: string) => Buffer.from(s);
const withCell = (cells: string[], i: number, value: string) => cells.map((c, j) => (j === i ? value : c)).join(',');

/** The kinds of bad row for a file, made from one of its good rows (`cells`, at good index `g`). */
function badKinds(file: File, columns: string[], n: number): ((cells: string[], g: number) => Bad)[] {
  const col = (name: string) => columns.indexOf(name);
  const common: ((cells: string[], g: number) => Bad)[] = [
    (c) => ({ line: text(`${c.join(',')},extra`), reason: `row has ${columns.length + 1} fields but the header has ${columns.length}` }),
    (c) => ({ line: text(withCell(c, 0, '')), reason: `${columns[0]} ` }),
    (c) => ({ line: text(withCell(c, 1, `"${c[1]}`)), reason: 'a quote opened in this row is not closed' }),
    (c) => ({ line: text(withCell(c, 0, `"${c[0]}"z`)), reason: 'a closing quote is followed by other text' }),
    (c) => ({ line: Buffer.concat([text(`${c[0]},`), Buffer.from([0xc3, 0x28, 0xff]), text(`,${c.slice(2).join(',')}`)]), reason: 'is not UTF-8 text' }),
    (c) => ({ line: text(`${c.join(',')}${'x'.repeat(70_000)}`), reason: 'line is longer than 64 KiB' }),
    // The same key as a good row, after it: refused, naming the line of the row kept.
    (c, g) => ({ line: text(c.join(',')), reason: (lineOf) => `repeat${file === 'employers.csv' || file === 'officers.csv' ? 's' : ''} line ${lineOf(g)} (the row kept)` }),
  ];
  const unknown = () => `ZZ${String(n).padStart(6, '0')}`;
  const specific: Record<File, ((cells: string[], g: number) => Bad)[]> = {
    'employers.csv': [
      (c) => ({ line: text(withCell(c, col('email'), 'not-an-email')), reason: 'email must be an email address' }),
      (c) => ({ line: text(withCell(c, col('unit_code'), 'td-1')), reason: 'unit_code must be 4–12 capital letters or digits' }),
      (c) => ({ line: text(withCell(c, col('tax_code'), '123')), reason: 'tax_code must be a 10-digit tax code' }),
      (c) => ({ line: text(withCell(c, col('locale'), 'fr')), reason: 'locale must be one of vi, en' }),
    ],
    'contribution-periods.csv': [
      (c) => ({ line: text(withCell(c, col('amount_due'), '1.5')), reason: 'amount_due must be whole dong' }),
      (c) => ({ line: text(withCell(c, col('amount_due'), '25.000.000')), reason: 'amount_due must be whole dong' }),
      (c) => ({ line: text(withCell(c, col('period'), '2026-13')), reason: 'period must be a contribution period' }),
      (c) => ({ line: text(withCell(c, col('due_date'), '2026-02-30')), reason: 'due_date must be a calendar date' }),
      (c) => ({ line: text(withCell(c, col('unit_code'), unknown())), reason: 'unit_code is not a known unit' }),
      (c) => ({ line: text(withCell(c, col('amount_due'), String(Number(c[col('amount_due')]) + 1))), reason: '' }),
    ],
    'payments.csv': [
      (c) => ({ line: text(withCell(c, col('amount'), '0')), reason: 'amount must be more than zero' }),
      (c) => ({ line: text(withCell(c, col('amount'), '-5')), reason: 'amount must be whole dong' }),
      (c) => ({ line: text(withCell(c, col('paid_on'), '2026-02-30')), reason: 'paid_on must be a calendar date' }),
      (c) => ({ line: text(withCell(c, col('reference'), 'Chuyển khoản')), reason: 'reference must be 1–64' }),
      (c) => ({ line: text(withCell(c, col('unit_code'), unknown())), reason: 'unit_code is not a known unit' }),
      (c) => ({ line: text(withCell(c, col('amount'), String(Number(c[col('amount')]) + 1))), reason: '' }),
    ],
    'officers.csv': [
      (c) => ({ line: text(withCell(c, col('role'), 'chief')), reason: 'role must be one of' }),
      (c) => ({ line: text(withCell(c, col('active'), 'yes')), reason: 'active must be true or false' }),
    ],
    'targets.csv': [
      (c) => ({ line: text(withCell(c, col('year'), '26')), reason: 'year must be a year YYYY' }),
      (c) => ({ line: text(withCell(withCell(c, col('collected'), '').split(','), col('max_debt_ratio_percent'), '')), reason: 'needs a collected target, a max debt ratio or a compulsory participants target' }),
    ],
  };
  return [...common, ...specific[file]];
}

interface Expected { file: File; line: number; reason: string }

/** Writes the sample with its bad rows into `dir`; returns the errors each bad row must raise. */
async function corruptedCopy(dir: string): Promise<Expected[]> {
  const next = random(11);
  const expected: Expected[] = [];
  let n = 0;
  for (const file of FILES) {
    const [header, ...good] = (await readFile(join(SAMPLE, file), 'utf8')).split('\n').filter((l) => l !== '');
    const columns = header!.split(',');
    // Bad rows after each good row (index -1: right after the header).
    const after = new Map<number, Bad[]>();
    let made = 0;
    while (made < SHARE[file]) {
      const g = Math.floor(next() * good.length);
      const kinds = badKinds(file, columns, n);
      const bad = kinds[Math.floor(next() * kinds.length)]!(good[g]!.split(','), g);
      // A row that changes a value but keeps its key is a repeat: it goes after the row it repeats.
      if (bad.reason === '') bad.reason = (lineOf) => `line ${lineOf(g)} (the row kept)`;
      const repeat = typeof bad.reason === 'function';
      const at = repeat ? Math.min(good.length - 1, g + Math.floor(next() * 40)) : Math.floor(next() * (good.length + 1)) - 1;
      after.set(at, [...(after.get(at) ?? []), bad]);
      made++;
      n++;
    }
    const lines: Buffer[] = [text(header!)];
    const goodLine: number[] = [];
    const placed: { bad: Bad; line: number }[] = [];
    const place = (bads: Bad[] | undefined) => {
      for (const bad of bads ?? []) {
        lines.push(bad.line);
        placed.push({ bad, line: lines.length });
      }
    };
    place(after.get(-1));
    good.forEach((row, g) => {
      lines.push(text(row));
      goodLine[g] = lines.length;
      place(after.get(g));
    });
    for (const { bad, line } of placed) {
      expected.push({ file, line, reason: typeof bad.reason === 'function' ? bad.reason((g) => goodLine[g]!) : bad.reason });
    }
    await writeFile(join(dir, file), Buffer.concat(lines.flatMap((l) => [l, text('\n')])));
  }
  // The sample's other files (reconciliation: rosters, tax data, the register) go in unchanged.
  for (const name of await readdir(SAMPLE)) {
    if (name.endsWith('.csv') && !(FILES as readonly string[]).includes(name)) await copyFile(join(SAMPLE, name), join(dir, name));
  }
  return expected;
}

async function tableItems(env: Awaited<ReturnType<typeof dynamoForTests>>) {
  const items: Record<string, unknown>[] = [];
  // Where an item came from (file and line) differs between the two files by design; its content may not.
  for await (const page of paginateScan({ client: env.dynamo.doc }, { TableName: env.tableName })) {
    // The import's own run records (one per file, under the folder's path) are left out too.
    items.push(...(page.Items ?? []).filter((i) => !String(i.pk).startsWith('RUN#')).map(({ importSource: _s, importLine: _l, ...item }) => item));
  }
  return items.sort((a, b) => `${a.pk as string} ${a.sk as string}`.localeCompare(`${b.pk as string} ${b.sk as string}`));
}

let clean: Awaited<ReturnType<typeof dynamoForTests>>;
let mixed: Awaited<ReturnType<typeof dynamoForTests>>;
let cleanReport: ImportReport;
let report: ImportReport;
let expected: Expected[];

beforeAll(async () => {
  [clean, mixed] = await Promise.all([dynamoForTests(), dynamoForTests()]);
  const dir = await mkdtemp(join(tmpdir(), 'malformed-mix-'));
  expected = await corruptedCopy(dir);
  [cleanReport, report] = await Promise.all([importFolder(SAMPLE, clean.store), importFolder(dir, mixed.store)]);
}, 180_000);
afterAll(async () => {
  await clean?.close();
  await mixed?.close();
});

describe('the sample with 1,000 malformed rows mixed in', () => {
  it('names every bad row with file, line and reason, and nothing else', () => {
    expect(expected).toHaveLength(1_000);
    expect(cleanReport.errors).toEqual([]);
    const byPlace = new Map(report.errors.map((e) => [`${e.file}:${e.line}`, e]));
    const missing = expected.filter((x) => !byPlace.get(`${x.file}:${x.line}`)?.reason.includes(x.reason));
    expect(missing.map((x) => ({ ...x, got: byPlace.get(`${x.file}:${x.line}`)?.reason }))).toEqual([]);
    expect(report.errors).toHaveLength(1_000);
    // Every kind is there.
    for (const kind of ['not closed', 'not UTF-8', 'longer than 64 KiB', 'the row kept', 'not a known unit', 'fields but the header', 'closing quote']) {
      expect(report.errors.some((e) => e.reason.includes(kind)), kind).toBe(true);
    }
    expect(report.unknownUnits.rows).toBe(report.errors.filter((e) => e.reason.includes('not a known unit')).length);
  });

  it('loses and alters no good row: the store holds what the clean sample import holds, and the counts say so', async () => {
    expect(report.loaded).toEqual(cleanReport.loaded);
    expect(report.loaded).toEqual({ employers: 300, periods: 7_200, payments: 6_658, officers: 11, targets: 34, roster: 21, taxOrganisations: 6, taxEmployees: 14, register: 5 });
    const [want, got] = await Promise.all([tableItems(clean), tableItems(mixed)]);
    expect(got.length).toBe(want.length);
    expect(got).toEqual(want);
  });
});
