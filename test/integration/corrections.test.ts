import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mockClient } from 'aws-sdk-client-mock';
import { SESClient, SendEmailCommand } from '@aws-sdk/client-ses';
import { SFNClient } from '@aws-sdk/client-sfn';
import { dynamoForTests } from '../support/dynamo.ts';
import { FolderDocumentStore } from '../../functions/commons/documents.ts';
import { assembleDeps, type Deps } from '../../functions/commons/deps.ts';
import { fixedClock } from '../../functions/commons/clock.ts';
import { addMonths } from '../../functions/core/dates.ts';
import { ledgerStatus } from '../../functions/core/ledger.ts';
import { deadlineOf, policyFor } from '../../functions/core/policy.ts';
import { folderImportDeps, importFolder, importWholeFile } from '../../functions/import/csv-import.ts';
import { runDisclosure } from '../../functions/steps/disclosure-run.ts';

/**
 * Corrections from the core collection system, on dynalite through the import and the disclosure
 * run: payments corrected down make the debt reappear, and the next run acts on it (a
 * pre-disclosure notice); corrected back, the notice lapses at the next run. The same correction
 * file again changes nothing; a correction of a key not on record is refused with its key.
 */
const policy = policyFor('2026-11-10');
const UNIT = 'CORR0001';
const PERIODS = Array.from({ length: 12 }, (_, i) => addMonths('2025-11', i));
const LATE = PERIODS.slice(-5);
const ses = mockClient(SESClient);
let env: Awaited<ReturnType<typeof dynamoForTests>>;
let deps: Deps;
let now = new Date('2026-11-10T08:00:00+07:00');

function folder(files: Record<string, string[]>): string {
  const dir = mkdtempSync(join(tmpdir(), 'corrections-'));
  for (const [name, lines] of Object.entries(files)) writeFileSync(join(dir, name), `${lines.join('\n')}\n`);
  return dir;
}
const paymentsFile = (amount: (p: string) => number, marked: boolean) => [
  `unit_code,reference,paid_on,amount${marked ? ',correction' : ''}`,
  ...(marked ? LATE : PERIODS).map((p) => `${UNIT},UNC-${p},${deadlineOf(p, policy)},${amount(p)}${marked ? ',true' : ''}`),
];
const debt = async () => {
  const ledger = await env.store.getLedger(UNIT);
  return ledgerStatus(ledger.periods, ledger.payments, '2026-11-10', policy).debt;
};

beforeAll(async () => {
  env = await dynamoForTests();
  deps = assembleDeps({ store: env.store, ses: new SESClient({ region: 'ap-southeast-1' }), sfn: new SFNClient({ region: 'ap-southeast-1' }), clock: fixedClock(() => now), documents: new FolderDocumentStore(mkdtempSync(join(tmpdir(), 'docs-'))) });
  ses.on(SendEmailCommand).resolves({ MessageId: 'msg-1' });
  await importFolder(folder({
    'employers.csv': ['unit_code,name,tax_code,district,commune,email,phone', `${UNIT},Công ty Sửa Số,2700123456,Tam Điệp,Bắc Sơn,corr@example.vn,0912345678`],
    'contribution-periods.csv': ['unit_code,period,amount_due', ...PERIODS.map((p) => `${UNIT},${p},20000000`)],
    'payments.csv': paymentsFile(() => 20_000_000, false),
  }), env.store);
});
afterAll(() => env.close());

describe('corrections through the import, seen by the next run', () => {
  it('starts paid up', async () => {
    expect(await debt()).toBe(0);
  });

  it('applies marked rows as corrections, reported by line and key; one with nothing to correct is refused', async () => {
    const dir = folder({ 'payments.csv': [...paymentsFile(() => 1, true), `${UNIT},UNC-NOT-ON-RECORD,2026-10-31,5000,true`] });
    const fileDeps = folderImportDeps(dir, env.store);
    const report = await importWholeFile(fileDeps, `folder:${dir}/`, { key: 'payments.csv', name: 'payments.csv' });
    expect(report.loaded).toMatchObject({ corrected: 5, payments: 5 });
    expect(report.corrections).toEqual(LATE.map((p, i) => ({ file: 'payments.csv', line: i + 2, key: `${UNIT} UNC-${p}` })));
    expect(report.errors).toEqual([{ file: 'payments.csv', line: 7, key: `${UNIT} UNC-NOT-ON-RECORD`, reason: expect.stringContaining('nothing is recorded under this key') }]);
    // Four of the five are past their deadline on 2026-11-10 (2026-10 is due on 2026-11-30).
    expect(await debt()).toBeGreaterThan(4 * 19_999_999);
    // The same file again: already imported, nothing read.
    const again = await importWholeFile(fileDeps, `folder:${dir}/`, { key: 'payments.csv', name: 'payments.csv' });
    expect(again.loaded).toEqual(report.loaded);
    // The same corrections in a new file: unchanged, nothing counted as corrected.
    const copy = folder({ 'payments.csv': paymentsFile(() => 1, true) });
    const repeat = await importWholeFile(folderImportDeps(copy, env.store), `folder:${copy}/`, { key: 'payments.csv', name: 'payments.csv' });
    expect(repeat.loaded).toEqual({ correctionsUnchanged: 5 });
    expect(repeat.corrections).toEqual([]);
  });

  it('the debt that reappeared is acted on by the next run; corrected back, the notice lapses at the next', async () => {
    const first = await runDisclosure(deps, {});
    expect(first.notices.sent).toBe(1);
    expect(await env.store.getPreDisclosure(UNIT)).toMatchObject({ status: 'sent' });
    const back = folder({ 'payments.csv': paymentsFile(() => 20_000_000, true) });
    const report = await importWholeFile(folderImportDeps(back, env.store), `folder:${back}/`, { key: 'payments.csv', name: 'payments.csv' });
    expect(report.loaded).toMatchObject({ corrected: 5 });
    expect(await debt()).toBe(0);
    now = new Date('2026-12-10T08:00:00+07:00');
    await runDisclosure(deps, {});
    expect(await env.store.getPreDisclosure(UNIT)).toMatchObject({ status: 'lapsed' });
  });

  it('a period\'s amount due corrected to 0 takes it out of the debt', async () => {
    const dir = folder({ 'contribution-periods.csv': ['unit_code,period,amount_due,due_date,correction', `${UNIT},2026-06,0,,true`] });
    const report = await importWholeFile(folderImportDeps(dir, env.store), `folder:${dir}/`, { key: 'contribution-periods.csv', name: 'contribution-periods.csv' });
    expect(report.loaded).toMatchObject({ corrected: 1, periods: 1 });
    expect(report.corrections).toEqual([{ file: 'contribution-periods.csv', line: 2, key: `${UNIT} 2026-06` }]);
    expect((await env.store.getLedger(UNIT)).periods.find((p) => p.period === '2026-06')).toMatchObject({ amountDue: 0 });
  });
});
