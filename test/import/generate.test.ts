import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { generateDataset, type DatasetOptions } from '../../local/generate.ts';
import { writeParticipantDataset } from '../../local/generate-participants.ts';
import { NO_ZALO_FILE, localNoZalo } from '../../local/zns-no-zalo.ts';
import { importFolder } from '../../functions/import/csv-import.ts';
import { ledgerStatus, type LedgerStatus } from '../../functions/core/ledger.ts';
import { deadlineOf, policyFor } from '../../functions/core/policy.ts';
import { lastDayOfPeriod } from '../../functions/core/dates.ts';
import { dynamoForTests } from '../support/dynamo.ts';
import type { LedgerScan } from '../../functions/commons/store.ts';

const AS_OF = '2026-11-02';
const FILES = ['employers.csv', 'contribution-periods.csv', 'payments.csv', 'officers.csv'];
/** How data/sample was made (data/sample/README.md). */
const SAMPLE: DatasetOptions = { units: 300, seed: 42, asOf: AS_OF, months: 24, districts: 1 };

const generated = async (options: DatasetOptions) => {
  const dir = await mkdtemp(join(tmpdir(), 'gen-'));
  await generateDataset(options, dir);
  return dir;
};
const csvRows = async (dir: string, file: string) => parse(await readFile(join(dir, file)), { columns: true }) as Record<string, string>[];

/** Every unit's ledger status, read straight from the CSV files (due dates as the import derives them). */
async function statusesOf(dir: string): Promise<LedgerStatus[]> {
  const ledgers = new Map<string, Pick<LedgerScan, 'periods' | 'payments'>>();
  const of = (unit: string) => ledgers.get(unit) ?? ledgers.set(unit, { periods: [], payments: [] }).get(unit)!;
  for (const r of await csvRows(dir, 'contribution-periods.csv')) {
    of(r.unit_code!).periods.push({ period: r.period!, amountDue: Number(r.amount_due), dueDate: r.due_date || deadlineOf(r.period!, policyFor(lastDayOfPeriod(r.period!))) });
  }
  for (const r of await csvRows(dir, 'payments.csv')) of(r.unit_code!).payments.push({ reference: r.reference!, paidOn: r.paid_on!, amount: Number(r.amount) });
  return [...ledgers.values()].map((l) => ledgerStatus(l.periods, l.payments, AS_OF, policyFor(AS_OF)));
}

const partlyPaid = (s: LedgerStatus) => s.periods.some((p) => p.amountPaid > 0 && p.balance > 0);

let env: Awaited<ReturnType<typeof dynamoForTests>>;
beforeAll(async () => { env = await dynamoForTests(); });
afterAll(() => env.close());

describe('synthetic data generator', () => {
  it('writes the same bytes for the same seed, and other data for another seed', async () => {
    const options = { units: 120, seed: 7, asOf: AS_OF, months: 12, districts: 2 };
    const [a, b, c] = await Promise.all([generated(options), generated(options), generated({ ...options, seed: 8 })]);
    for (const file of FILES) expect((await readFile(join(a, file))).equals(await readFile(join(b, file)))).toBe(true);
    expect((await readFile(join(a, 'payments.csv'))).equals(await readFile(join(c, 'payments.csv')))).toBe(false);
  });

  it('reproduces the committed sample', async () => {
    const dir = await generated(SAMPLE);
    for (const file of FILES) expect((await readFile(join(dir, file))).equals(await readFile(join('data/sample', file))), file).toBe(true);
  });

  it('makes the intended mix of payers', async () => {
    const statuses = await statusesOf(await generated({ units: 3_000, seed: 3, asOf: AS_OF, months: 24, districts: 2 }));
    const share = (test: (s: LedgerStatus) => boolean) => statuses.filter(test).length / statuses.length;
    expect(statuses).toHaveLength(3_000);
    // On time and overpayers ~73%; 1 month ~8% plus partial payers (~4%); 2 ~6%; 3–5 ~6%; 6+ ~3%.
    expect(share((s) => s.monthsOverdue === 0)).toBeGreaterThan(0.68);
    expect(share((s) => s.monthsOverdue === 0)).toBeLessThan(0.78);
    expect(share((s) => s.monthsOverdue === 1)).toBeGreaterThan(0.05);
    expect(share((s) => s.monthsOverdue === 2)).toBeGreaterThan(0.04);
    expect(share((s) => s.monthsOverdue >= 3 && s.monthsOverdue <= 5)).toBeGreaterThan(0.04);
    expect(share((s) => s.monthsOverdue >= 6)).toBeGreaterThan(0.015);
    expect(share(partlyPaid)).toBeGreaterThan(0.02);
    expect(share((s) => s.credit > 0)).toBeGreaterThan(0.015);
  });

  it('gives every commune of a district a collector, and every officer a distinct id', async () => {
    const dir = await generated({ units: 100, seed: 5, asOf: AS_OF, months: 3, districts: 1 });
    const officers = await csvRows(dir, 'officers.csv');
    const communes = new Set((await csvRows(dir, 'employers.csv')).map((e) => e.commune));
    const owned = officers.filter((o) => o.role === 'collector').flatMap((o) => o.communes!.split(';'));
    for (const c of communes) expect(owned).toContain(c);
    expect(officers.filter((o) => o.role === 'collector').every((o) => o.communes!.split(';').length <= 3)).toBe(true);
    expect(officers.map((o) => o.role).sort()).toEqual(['collector', 'collector', 'collector', 'inspector', 'inspector', 'team-lead']);
    // With seed 9, collector 8 of district 11 and collector 108 of district 1 draw the same name.
    const many = await csvRows(await generated({ units: 60_000, seed: 9, asOf: AS_OF, months: 1, districts: 12 }), 'officers.csv');
    expect(new Set(many.map((o) => o.officer_id)).size).toBe(many.length);
  });
});

describe('the committed sample', () => {
  it('loads without errors and holds every case the product must handle', async () => {
    const report = await importFolder('data/sample', env.store);
    expect(report.errors).toEqual([]);
    expect(report.loaded).toEqual({ employers: 300, periods: 7_200, payments: 6_658, officers: 11, targets: 34, roster: 21, taxOrganisations: 6, taxEmployees: 14, register: 5 });
    const ledgers: LedgerScan[] = [];
    for await (const l of env.store.scanLedgers(0, 1, () => {})) ledgers.push(l);
    expect(ledgers).toHaveLength(300);
    expect(ledgers.every((l) => l.hasProfile)).toBe(true);
    const statuses = ledgers.map((l) => ledgerStatus(l.periods, l.payments, AS_OF, policyFor(AS_OF)));
    const months = statuses.map((s) => s.monthsOverdue);
    for (const m of [0, 1, 2]) expect(months.filter((x) => x === m).length, `${m} months overdue`).toBeGreaterThan(0);
    expect(months.filter((m) => m >= 3).length).toBeGreaterThan(0);
    expect(months.filter((m) => m >= 6).length).toBeGreaterThan(0);
    expect(statuses.some(partlyPaid)).toBe(true);
    expect(statuses.some((s) => s.credit > 0)).toBe(true);
    expect((await env.store.getLedger('TD000001')).employer?.district).toBe('Tam Điệp');
  });
});

describe('participant generator', () => {
  const PARTICIPANT_FILES = ['collection-agents.csv', 'participants.csv', 'households.csv', 'hi-cards.csv', 'renewals.csv', 'renewal-targets.csv', NO_ZALO_FILE];

  it('reproduces the committed sample (its defaults, data/sample/README.md)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gen-participants-'));
    await writeParticipantDataset(dir, { participants: 160, households: 40, seed: 1, asOf: AS_OF });
    for (const file of PARTICIPANT_FILES) expect((await readFile(join(dir, file))).equals(await readFile(join('data/sample/participants', file))), file).toBe(true);
  });

  it('marks about a third of the payers zalo = yes, and lists a few of those phones as having no Zalo locally', async () => {
    const rows = await Promise.all(['participants.csv', 'households.csv'].map((f) => csvRows('data/sample/participants', f)));
    const payers = rows.flat();
    const zalo = payers.filter((r) => r.zalo === 'yes');
    expect(payers.every((r) => r.zalo === 'yes' || r.zalo === 'no')).toBe(true);
    expect(zalo.length / payers.length).toBeGreaterThan(0.25);
    expect(zalo.length / payers.length).toBeLessThan(0.42);
    const noZalo = localNoZalo('data/sample/participants', '');
    expect(noZalo.length).toBeGreaterThanOrEqual(3);
    expect(noZalo.length).toBeLessThan(zalo.length / 3);
    for (const phone of noZalo) expect(zalo.map((r) => r.phone)).toContain(phone);
    // LOCAL_ZNS_NO_ZALO's phones are added to the file's.
    expect(localNoZalo('data/sample/participants', '0900000001, 0900000002')).toEqual([...noZalo, '0900000001', '0900000002']);
  });
});
