import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mockClient } from 'aws-sdk-client-mock';
import { SESClient, SendRawEmailCommand } from '@aws-sdk/client-ses';
import { SFNClient } from '@aws-sdk/client-sfn';
import { dynamoForTests } from '../support/dynamo.ts';
import { assembleDeps, type Deps } from '../../functions/commons/deps.ts';
import { fixedClock } from '../../functions/commons/clock.ts';
import { addMonths } from '../../functions/core/dates.ts';
import { ledgerStatus } from '../../functions/core/ledger.ts';
import { deadlineOf, policyFor } from '../../functions/core/policy.ts';
import { folderImportDeps, formatImportReport, importFolder, importWholeFile } from '../../functions/import/csv-import.ts';
import { runStatements } from '../../functions/steps/statement-run.ts';
import { runMonthlyCycle } from '../../functions/steps/monthly-run.ts';
import { runReconciliation } from '../../functions/steps/reconciliation.ts';

/**
 * Units that close, on dynalite through the import and the runs: CLOS0001 closed on 2026-08-15
 * still owing (2026-06 to 2026-08), CLOS0002 closed the same day paid up, OPEN0003 active and as
 * far behind as CLOS0001 was. The core system went on exporting periods for all three through
 * 2026-10: a closed unit is charged none after its closing month. The one still owing is escalated
 * and flagged by reconciliation (closed-with-debt); the one owing nothing gets no statement.
 */
const policy = policyFor('2026-11-10');
const PERIODS = Array.from({ length: 12 }, (_, i) => addMonths('2025-11', i));
const ses = mockClient(SESClient);
let env: Awaited<ReturnType<typeof dynamoForTests>>;
let deps: Deps;
const now = new Date('2026-11-10T08:00:00+07:00');
const started: string[] = [];
let imported: Awaited<ReturnType<typeof importFolder>>;

function folder(files: Record<string, string[]>): string {
  const dir = mkdtempSync(join(tmpdir(), 'closed-units-'));
  for (const [name, lines] of Object.entries(files)) writeFileSync(join(dir, name), `${lines.join('\n')}\n`);
  return dir;
}
const employer = (unit: string, tax: string, status = '', date = '') => `${unit},Công ty ${unit},${tax},Tam Điệp,Bắc Sơn,${unit.toLowerCase()}@example.vn,0912345678,${status},${date}`;
const HEADER = 'unit_code,name,tax_code,district,commune,email,phone,status,status_date';
const paid = (unit: string, through: number) => PERIODS.slice(0, through).map((p) => `${unit},UNC-${unit}-${p},${deadlineOf(p, policy)},20000000`);
const status = async (unit: string) => {
  const ledger = await env.store.getLedger(unit);
  return { ledger, status: ledgerStatus(ledger.periods, ledger.payments, '2026-11-10', policy) };
};

beforeAll(async () => {
  env = await dynamoForTests();
  const base = assembleDeps({ store: env.store, ses: new SESClient({ region: 'ap-southeast-1' }), sfn: new SFNClient({ region: 'ap-southeast-1' }), clock: fixedClock(() => now) });
  deps = { ...base, workflow: { startEscalation: async (i) => { started.push(i.unitCode); return 'started'; }, resumeTask: async () => 'gone' } };
  ses.on(SendRawEmailCommand).resolves({ MessageId: 'raw-1' });
  imported = await importFolder(folder({
    'employers.csv': [HEADER, employer('CLOS0001', '2700000001', 'closed', '2026-08-15'), employer('CLOS0002', '2700000002', 'Closed', '2026-08-15'), employer('OPEN0003', '2700000003')],
    'contribution-periods.csv': ['unit_code,period,amount_due', ...['CLOS0001', 'CLOS0002', 'OPEN0003'].flatMap((u) => PERIODS.map((p) => `${u},${p},20000000`))],
    'payments.csv': ['unit_code,reference,paid_on,amount', ...paid('CLOS0001', 7), ...paid('CLOS0002', 10), ...paid('OPEN0003', 7)],
  }), env.store);
});
afterAll(() => env.close());

describe('units that close', () => {
  it('a status without its date, a date without a status, a status not known: refused by line and key', async () => {
    const dir = folder({ 'employers.csv': [HEADER, employer('BADS0001', '2700000011', 'closed', ''), employer('BADS0002', '2700000012', '', '2026-08-15'), employer('BADS0003', '2700000013', 'bankrupt', '2026-08-15')] });
    const report = await importWholeFile(folderImportDeps(dir, env.store), `folder:${dir}/`, { key: 'employers.csv', name: 'employers.csv' });
    expect(report.errors).toEqual([
      { file: 'employers.csv', line: 2, key: 'BADS0001', reason: 'status_date is required when status is closed' },
      { file: 'employers.csv', line: 3, key: 'BADS0002', reason: 'status must be suspended or closed when status_date is given' },
      { file: 'employers.csv', line: 4, key: 'BADS0003', reason: 'status must be one of active, suspended, closed' },
    ]);
  });

  it('the import keeps the periods exported after a unit closed and says so, by line and key; the active unit\'s are plain rows', async () => {
    // Two closed units, 2026-09 and 2026-10 each: loaded (a unit may reopen), counted, listed.
    expect(imported.loaded.periods).toBe(36);
    expect(imported.afterClosing).toBe(4);
    expect(formatImportReport(imported)).toContain('36 contribution periods (4 after their unit\'s closing month: kept, not charged)');
    const dir = folder({ 'contribution-periods.csv': ['unit_code,period,amount_due', 'CLOS0001,2026-08,20000000', 'CLOS0001,2026-11,20000000'] });
    const report = await importWholeFile(folderImportDeps(dir, env.store), `folder:${dir}/`, { key: 'contribution-periods.csv', name: 'contribution-periods.csv' });
    expect(report.loaded).toMatchObject({ periods: 2, afterClosing: 1 });
    expect(report.corrections).toEqual([{ file: 'contribution-periods.csv', line: 3, key: 'CLOS0001 2026-11', change: 'after-closing' }]);
    expect(report.errors).toEqual([]);
    // Kept, not charged: the closed unit's ledger still ends with its closing month.
    expect((await env.store.getLedger('CLOS0001')).periods.map((p) => p.period).at(-1)).toBe('2026-08');
  });

  it('the ledger charges no period after the closing month: what the closed unit owes is what it owed for the months it was open', async () => {
    const closed = await status('CLOS0001');
    expect(closed.ledger.standing).toEqual({ status: 'closed', on: '2026-08-15' });
    expect(closed.ledger.periods.map((p) => p.period).at(-1)).toBe('2026-08');
    expect(closed.status).toMatchObject({ overduePrincipal: 3 * 20_000_000, notYetDue: 0 });
    const open = await status('OPEN0003');
    expect(open.status.overduePrincipal).toBe(4 * 20_000_000);
    expect(await status('CLOS0002')).toMatchObject({ status: { debt: 0, notYetDue: 0 } });
    // The scan (the runs' read) agrees.
    const scanned = new Map<string, string | undefined>();
    for await (const l of env.store.scanLedgers(0, 1, () => {})) scanned.set(l.unitCode, l.periods.map((p) => p.period).at(-1));
    expect(Object.fromEntries(scanned)).toEqual({ CLOS0001: '2026-08', CLOS0002: '2026-08', OPEN0003: '2026-10' });
  });

  it('the closed unit still owing is escalated; the one owing nothing is not, and gets no statement', async () => {
    await runMonthlyCycle(deps, { asOf: '2026-11-10' });
    expect(started.sort()).toEqual(['CLOS0001', 'OPEN0003']);
    const run = await runStatements(deps, {});
    expect(run.statements).toMatchObject({ sent: 2, notNeeded: 1 });
    expect(ses.commandCalls(SendRawEmailCommand)).toHaveLength(2);
    for (const unit of ['CLOS0001', 'OPEN0003']) expect(await env.store.getNotice(unit, '2026-11', 'statement')).toMatchObject({ status: 'sent' });
    expect(await env.store.getNotice('CLOS0002', '2026-11', 'statement')).toBeUndefined();
  });

  it('reconciliation flags the closed unit still owing (closed-with-debt), from its own standing: no business register needed', async () => {
    const s = await runReconciliation(deps, { year: 2025, asOf: '2026-11-10' });
    expect(s.findings.filter((f) => f.kind === 'closed-with-debt')).toEqual([expect.objectContaining({ unitCode: 'CLOS0001', notPaid: (await status('CLOS0001')).status.debt })]);
  });
});
