import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { dynamoForTests } from '../support/dynamo.ts';
import { importFolder } from '../../functions/import/csv-import.ts';
import { storePorts } from '../../functions/commons/deps.ts';
import { policyFor } from '../../functions/core/policy.ts';
import { runReconciliation, type ReconciliationSummary } from '../../functions/steps/reconciliation.ts';

/** The reconciliation step on the committed sample district, through the store's ports on dynalite. */
describe('reconciliation step on the sample district', () => {
  let env: Awaited<ReturnType<typeof dynamoForTests>>;
  let s: ReconciliationSummary;
  beforeAll(async () => {
    env = await dynamoForTests();
    const report = await importFolder('data/sample', env.store);
    expect(report.errors).toEqual([]);
    s = await runReconciliation({ ...storePorts(env.store), policyFor }, { year: 2025, asOf: '2026-11-02' });
  }, 60_000);
  afterAll(() => env.close());

  it('finds each kind the sample was written for (data/sample/README.md "This sample")', () => {
    expect(s.unitsRead).toBe(300);
    expect(s.counts).toEqual({ 'unregistered-organisation': 2, 'unregistered-employee': 2, 'under-declared-wage': 4, 'closed-with-debt': 2 });
    expect(s.unchecked).toBe(1);
    expect(s.malformed).toEqual([]);
    const by = (kind: string) => s.findings.filter((f) => f.kind === kind);
    expect(by('unregistered-organisation').map((f) => [f.taxCode, f.basis])).toEqual([['2711111111', 'per-employee'], ['2722222222', 'wage-fund']]);
    // The employee on TD000002's roster, also paid 3 months by TD000001: found at TD000001 only.
    expect(by('unregistered-employee').map((f) => [f.unitCode, f.employee, f.months])).toEqual([['TD000001', '********0301', 3], ['TD000001', '********0201', 12]]);
    // In tax-code order: TD000005 (2706821441) before TD000002 (2729735285).
    expect(by('under-declared-wage').map((f) => [f.unitCode, f.basis])).toEqual([
      ['TD000005', 'wage-fund'], ['TD000002', 'per-employee'], ['TD000002', 'per-employee'], ['TD000002', 'per-employee'],
    ]);
    // TD000004, suspended but paid up, is not one.
    expect(by('closed-with-debt').map((f) => f.unitCode).sort()).toEqual(['TD000006', 'TD000007']);
    for (const f of s.findings) {
      expect(Number.isInteger(f.notPaid) && f.notPaid > 0).toBe(true);
      expect(f.evasionFrom === null || /^\d{4}-\d{2}-\d{2}$/.test(f.evasionFrom)).toBe(true);
    }
  });

  it('returns no whole personal ID (a step result is kept in workflow history)', async () => {
    const ids = (await readFile('data/sample/tax-employees.csv', 'utf8')).split('\n').slice(1).filter(Boolean).map((l) => l.split(',')[0]!);
    const text = JSON.stringify(s);
    for (const id of ids) expect(text).not.toContain(id);
  });
});
