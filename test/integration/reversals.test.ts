import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mockClient } from 'aws-sdk-client-mock';
import { SESClient, SendEmailCommand, SendRawEmailCommand } from '@aws-sdk/client-ses';
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
import { runStatements } from '../../functions/steps/statement-run.ts';
import { runMonthlyCycle } from '../../functions/steps/monthly-run.ts';

/**
 * A payment the bank reversed (correction = reversal), on dynalite through the import and the
 * runs after it. The payment cleared a unit in arrears: its case closed, its pre-disclosure notice
 * lapsed, its statement of the cycle said nothing is owed. Reversed, the payment stays on record
 * and leaves the ledger: the history says why; nothing of the cycle is sent again; the next monthly
 * run starts a new escalation, the next statement shows the debt, and disclosure starts over with a
 * new notice and a new window (never a publication on the lapsed one).
 */
const policy = policyFor('2026-11-10');
const UNIT = 'REVS0001';
const PERIODS = Array.from({ length: 12 }, (_, i) => addMonths('2025-11', i));
const ses = mockClient(SESClient);
let env: Awaited<ReturnType<typeof dynamoForTests>>;
let deps: Deps;
let now = new Date('2026-11-10T08:00:00+07:00');
const started: { unitCode: string; cycle: string }[] = [];

function folder(files: Record<string, string[]>): string {
  const dir = mkdtempSync(join(tmpdir(), 'reversals-'));
  for (const [name, lines] of Object.entries(files)) writeFileSync(join(dir, name), `${lines.join('\n')}\n`);
  return dir;
}
const importPayments = (lines: string[]) => {
  const dir = folder({ 'payments.csv': ['unit_code,reference,paid_on,amount,correction', ...lines] });
  return importWholeFile({ ...folderImportDeps(dir, env.store), clock: deps.clock }, `folder:${dir}/`, { key: 'payments.csv', name: 'payments.csv' });
};
const today = () => now.toISOString().slice(0, 10);
const debt = async () => {
  const ledger = await env.store.getLedger(UNIT);
  return ledgerStatus(ledger.periods, ledger.payments, today(), policy).debt;
};
const reversedEvents = async () => (await env.store.caseHistory(UNIT)).filter((e) => e.kind === 'payment-reversed');
const statementsSent = () => ses.commandCalls(SendRawEmailCommand).length;

beforeAll(async () => {
  env = await dynamoForTests();
  const base = assembleDeps({ store: env.store, ses: new SESClient({ region: 'ap-southeast-1' }), sfn: new SFNClient({ region: 'ap-southeast-1' }), clock: fixedClock(() => now), documents: new FolderDocumentStore(mkdtempSync(join(tmpdir(), 'docs-'))) });
  deps = { ...base, workflow: { startEscalation: async (i) => { started.push({ unitCode: i.unitCode, cycle: i.cycle }); return 'started'; }, resumeTask: async () => 'gone' } };
  ses.on(SendEmailCommand).resolves({ MessageId: 'msg-1' });
  ses.on(SendRawEmailCommand).resolves({ MessageId: 'raw-1' });
  // Paid through 2026-05: 2026-06 to 2026-09 are late on 2026-11-10.
  await importFolder(folder({
    'employers.csv': ['unit_code,name,tax_code,district,commune,email,phone', `${UNIT},Công ty Hoàn Trả,2700123457,Tam Điệp,Bắc Sơn,revs@example.vn,0912345678`],
    'contribution-periods.csv': ['unit_code,period,amount_due', ...PERIODS.map((p) => `${UNIT},${p},20000000`)],
    'payments.csv': ['unit_code,reference,paid_on,amount', ...PERIODS.slice(0, 7).map((p) => `${UNIT},UNC-${p},${deadlineOf(p, policy)},20000000`)],
  }), env.store);
});
afterAll(() => env.close());

describe('a payment reversed by the bank', () => {
  it('before: the unit in arrears gets a pre-disclosure notice; a payment clears it, its case closed, its statement says nothing is owed', async () => {
    expect((await runDisclosure(deps, {})).notices.sent).toBe(1);
    now = new Date('2026-11-12T08:00:00+07:00');
    const report = await importPayments([`${UNIT},BANK-CLEAR,2026-11-12,110000000,`]);
    expect(report.loaded).toMatchObject({ payments: 1 });
    expect(await debt()).toBe(0);
    await env.store.putCase({
      unitCode: UNIT, status: 'closed', stage: 'officer-visit', anchorPeriod: '2026-06', monthsOverdue: 4, debt: 0, cycle: '2026-11',
      openedOn: '2026-11-02', updatedAt: now.toISOString(), closedOn: '2026-11-12', closeReason: 'debt-cleared',
    });
    expect((await runStatements(deps, {})).statements.sent).toBe(1);
    expect(await env.store.getNotice(UNIT, '2026-11', 'statement')).toMatchObject({ status: 'sent', debt: 0 });
    now = new Date('2026-11-20T08:00:00+07:00');
    await runDisclosure(deps, {});
    expect(await env.store.getPreDisclosure(UNIT)).toMatchObject({ status: 'lapsed' });
  });

  it('is applied from its row, reported by line and key; the payment stays on record out of the ledger, the history says why; rows that do not match are refused', async () => {
    now = new Date('2026-11-25T08:00:00+07:00');
    const report = await importPayments([
      `${UNIT},BANK-CLEAR,2026-11-12,110000000,reversal`,
      `${UNIT},UNC-2026-05,2026-06-30,1,reversal`,
      `${UNIT},BANK-NOT-ON-RECORD,2026-11-12,5000,Reversal`,
    ]);
    expect(report.loaded).toEqual({ payments: 1, reversed: 1 });
    expect(report.corrections).toEqual([{ file: 'payments.csv', line: 2, key: `${UNIT} BANK-CLEAR`, change: 'reversal' }]);
    expect(report.errors).toEqual([
      { file: 'payments.csv', line: 3, key: `${UNIT} UNC-2026-05`, reason: expect.stringContaining('differ from the payment recorded') },
      { file: 'payments.csv', line: 4, key: `${UNIT} BANK-NOT-ON-RECORD`, reason: expect.stringContaining('nothing is recorded under this key to reverse') },
    ]);
    const ledger = await env.store.getLedger(UNIT);
    expect(ledger.payments.map((p) => p.reference)).not.toContain('BANK-CLEAR');
    expect(ledger.reversedPayments).toEqual([{ reference: 'BANK-CLEAR', paidOn: '2026-11-12', amount: 110_000_000, reversedOn: '2026-11-25' }]);
    // The debt is back, with the interest of the days since as if the payment had never been made.
    expect(await debt()).toBeGreaterThan(4 * 20_000_000);
    const [event] = await reversedEvents();
    expect(event).toMatchObject({ cycle: '2026-11', actor: 'import:payments.csv', detail: { reference: 'BANK-CLEAR', amount: 110_000_000, debtAfter: await debt(), line: 2 } });
    // The scan (the monthly run's read) agrees with the consistent read.
    const scanned: string[] = [];
    for await (const l of env.store.scanLedgers(0, 1, () => {})) if (l.unitCode === UNIT) scanned.push(...l.payments.map((p) => p.reference));
    expect(scanned).toEqual(ledger.payments.map((p) => p.reference));
  });

  it('the same reversal again changes nothing and records nothing; a payments.csv period row cannot be reversed', async () => {
    const repeat = await importPayments([`${UNIT},BANK-CLEAR,2026-11-12,110000000,reversal`]);
    expect(repeat.loaded).toEqual({ correctionsUnchanged: 1 });
    expect(repeat.corrections).toEqual([]);
    expect(await reversedEvents()).toHaveLength(1);
    const dir = folder({ 'contribution-periods.csv': ['unit_code,period,amount_due,due_date,correction', `${UNIT},2026-06,20000000,,reversal`] });
    const periods = await importWholeFile(folderImportDeps(dir, env.store), `folder:${dir}/`, { key: 'contribution-periods.csv', name: 'contribution-periods.csv' });
    expect(periods.errors).toEqual([{ file: 'contribution-periods.csv', line: 2, key: `${UNIT} 2026-06`, reason: 'correction must be true, false or blank; not loaded' }]);
  });

  it('nothing of the cycle is sent again; the next monthly run starts a new escalation and the next statement shows the debt', async () => {
    const sent = statementsSent();
    expect((await runStatements(deps, {})).statements).toMatchObject({ sent: 0, alreadySent: 1 });
    expect(statementsSent()).toBe(sent);
    now = new Date('2026-12-01T08:00:00+07:00');
    const run = await runMonthlyCycle(deps, { asOf: '2026-12-01' });
    expect(run).toMatchObject({ delinquent: 1, executionsStarted: 1 });
    expect(started).toEqual([{ unitCode: UNIT, cycle: '2026-12' }]);
    now = new Date('2026-12-05T08:00:00+07:00');
    expect((await runStatements(deps, {})).statements.sent).toBe(1);
    expect((await env.store.getNotice(UNIT, '2026-12', 'statement'))?.debt).toBe(await debt());
  });

  it('disclosure starts over: a new notice with a new window, not a publication on the notice that lapsed', async () => {
    now = new Date('2026-12-10T08:00:00+07:00');
    const run = await runDisclosure(deps, {});
    expect(run).toMatchObject({ published: 0 });
    expect(run.notices.sent).toBe(1);
    expect(await env.store.getPreDisclosure(UNIT)).toMatchObject({ status: 'sent', sentOn: '2026-12-10' });
  });
});

describe('a payment reversed while a pre-disclosure notice stands', () => {
  const STANDING = 'REVS0002';
  const ledgerDebt = async () => {
    const ledger = await env.store.getLedger(STANDING);
    return ledgerStatus(ledger.periods, ledger.payments, today(), policy).debt;
  };

  it('the notice stands through a part payment and its reversal, and the unit is published after its window as if it had not paid', async () => {
    now = new Date('2026-12-10T09:00:00+07:00');
    // Paid through 2026-05: five months late on the 10th, about 100 M ₫, over both disclosure thresholds.
    await importFolder(folder({
      'employers.csv': ['unit_code,name,tax_code,district,commune,email,phone', `${STANDING},Công ty Còn Nợ,2700123458,Tam Điệp,Bắc Sơn,revs2@example.vn,0912345679`],
      'contribution-periods.csv': ['unit_code,period,amount_due', ...PERIODS.map((p) => `${STANDING},${p},20000000`)],
      'payments.csv': ['unit_code,reference,paid_on,amount', ...PERIODS.slice(0, 7).map((p) => `${STANDING},UNC-${p},${deadlineOf(p, policy)},20000000`)],
    }), env.store);
    await runDisclosure(deps, {});
    const notice = await env.store.getPreDisclosure(STANDING);
    expect(notice).toMatchObject({ status: 'sent', sentOn: '2026-12-10' });

    // A part payment: still over the thresholds, the notice stands; then the bank reverses it.
    now = new Date('2026-12-15T08:00:00+07:00');
    const before = await ledgerDebt();
    expect((await importPayments([`${STANDING},BANK-PART,2026-12-15,20000000,`])).loaded).toMatchObject({ payments: 1 });
    expect(await ledgerDebt()).toBeLessThan(before);
    now = new Date('2026-12-20T08:00:00+07:00');
    expect((await importPayments([`${STANDING},BANK-PART,2026-12-15,20000000,reversal`])).loaded).toMatchObject({ reversed: 1 });
    expect(await ledgerDebt()).toBeGreaterThan(before);
    // Neither the payment nor its reversal touched the notice: same notice, same window.
    expect(await env.store.getPreDisclosure(STANDING)).toEqual(notice);

    // The next month's disclosure run, past the window: the unit is published on that notice.
    now = new Date('2027-01-10T08:00:00+07:00');
    await runDisclosure(deps, {});
    const publication = await env.store.getPublication('2027-01-10');
    expect(publication?.unitCodes).toContain(STANDING);
    expect((await env.store.getPreDisclosure(STANDING))?.sentOn).toBe('2026-12-10');
  });
});
