import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateDataset } from '../../local/generate.ts';
import { importFolder } from '../../functions/import/csv-import.ts';
import { ledgerStatus } from '../../functions/core/ledger.ts';
import { policyFor } from '../../functions/core/policy.ts';
import { dynamoForTests } from '../support/dynamo.ts';
import type { LedgerScan } from '../../functions/commons/store.ts';

const AS_OF = '2026-11-02';
let env: Awaited<ReturnType<typeof dynamoForTests>>;
beforeAll(async () => { env = await dynamoForTests(); });
afterAll(() => env.close());

describe('synthetic data generator', () => {
  it('writes the same files for the same seed', async () => {
    const options = { units: 120, seed: 7, asOf: AS_OF, months: 12, districts: 2 };
    const [a, b] = [await mkdtemp(join(tmpdir(), 'gen-a-')), await mkdtemp(join(tmpdir(), 'gen-b-'))];
    await generateDataset(options, a);
    await generateDataset(options, b);
    for (const file of ['employers.csv', 'contribution-periods.csv', 'payments.csv', 'officers.csv']) {
      expect(await readFile(join(a, file), 'utf8')).toBe(await readFile(join(b, file), 'utf8'));
    }
  });

  it('the committed sample loads cleanly and holds the mix the product must handle', async () => {
    const report = await importFolder('data/sample', env.store);
    expect(report.errors).toEqual([]);
    expect(report.loaded.employers).toBe(300);
    const policy = policyFor(AS_OF);
    const ledgers: LedgerScan[] = [];
    for await (const l of env.store.scanLedgers(0, 1, () => {})) ledgers.push(l);
    const statuses = ledgers.map((l) => ledgerStatus(l.periods, l.payments, AS_OF, policy));
    const months = statuses.map((s) => s.monthsOverdue);
    expect(months.filter((m) => m === 0).length).toBeGreaterThan(150);
    for (const m of [1, 2, 3]) expect(months.filter((x) => x === m).length).toBeGreaterThan(0);
    expect(months.filter((m) => m >= 6).length).toBeGreaterThan(0);
    expect(statuses.some((s) => s.periods.some((p) => p.amountPaid > 0 && p.balance > 0))).toBe(true); // part payments
    expect(statuses.some((s) => s.credit > 0)).toBe(true); // overpayments
    expect(ledgers.every((l) => l.hasProfile)).toBe(true);
    expect((await env.store.getLedger(ledgers[0]!.unitCode)).employer?.district).toBe('Tam Điệp');
  });
});
