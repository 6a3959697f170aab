import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { SESClient } from '@aws-sdk/client-ses';
import { SFNClient } from '@aws-sdk/client-sfn';
import { dynamoForTests } from '../support/dynamo.ts';
import { startLocalSes, type LocalSes } from '../../local/embedded/ses.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/embedded/dynalite.ts';
import {
  detectFormat, formatCollectionReport, importCollectionFiles, parseCollectionRow, type CollectionImportReport,
} from '../../functions/import/collection-file.ts';
import { ledgerStatus } from '../../functions/core/ledger.ts';
import { deadlineOf, policyFor } from '../../functions/core/policy.ts';
import { assembleDeps, type Deps } from '../../functions/commons/deps.ts';
import { fixedClock } from '../../functions/commons/clock.ts';

/**
 * Collection files (bank, post office) recorded through the record-payment step on dynalite, with
 * the SES stand-in counting the confirmations. The workflow side (a payment in a file ending an
 * officer task that is waiting) is in test/workflows/escalation.test.ts.
 */
const TODAY = '2026-11-10';
const policy = policyFor(TODAY);
const PERIODS = ['2026-08', '2026-09', '2026-10'];

let env: Awaited<ReturnType<typeof dynamoForTests>>;
let ses: LocalSes;
let deps: Deps;
let dir: string;
let first: CollectionImportReport;

const employer = (unitCode: string, name: string) => ({
  unitCode, name, taxCode: '2700123456', district: 'Tam Điệp', commune: 'Bắc Sơn', email: `${unitCode.toLowerCase()}@example.vn`, phone: '0912345678', locale: 'vi' as const,
});
/** What TC000001 owes on 2026-11-05: 2026-08 and 2026-09 late, with interest. */
let debtOn5th: number;

async function files(contents: Record<string, string[]>): Promise<string[]> {
  const at = await mkdtemp(join(tmpdir(), 'collections-'));
  return Promise.all(Object.entries(contents).map(async ([name, lines]) => {
    await writeFile(join(at, name), `${lines.join('\n')}\n`);
    return join(at, name);
  }));
}

const BANK = () => [
  'value_date,bank_ref,unit_code,credit_amount,narrative',
  `05/11/2026,FT001,TC000001,${debtOn5th},"Cong ty TNHH Hoa Binh, chuyen tien BHXH"`, // 2: clears the debt
  '31/02/2026,FT002,TC000002,1000,', // 3: not a date
  '2026-11-05,FT003,TC000002,1000,', // 4: a post-office date in a bank file
  '05/11/2026,FT004,TC000002,1.000.000,', // 5: money with dots
  '05/11/2026,FT005,TC000009,1000,', // 6: no such unit
  '05/11/2026,FT 006,TC000002,1000,', // 7: a space in the reference
  '05/11/2026,FT007,,1000,', // 8: no unit
  '30/11/2026,FT008,TC000002,1000,', // 9: after today
  '05/11/2026,FT009,TC000002,1000', // 10: a field short
  '6/11/2026,FT010,TC000002,27000000,Tran Thi B nop ho', // 11: good (a day without its leading zero)
  '06/11/2026,FT001,TC000001,5,', // 12: the same reference as line 2, another amount
  '05/11/2026,FT001,TC000001,' + 'x,', // 13: the amount is not a number
];
const POST = [
  'ngay_thu,so_bien_lai,ma_don_vi,so_tien,diem_thu',
  '2026-11-07,BL-1,TC000003,15000000,Bưu cục Tam Điệp', // 2: good, a part payment
  '07/11/2026,BL-2,TC000003,1000,', // 3: a bank date in a post-office file
  '2026-11-07,BL-3,TC000003,0,', // 4: nothing paid
];
/** Values in the files that must never reach a report. */
const PERSONAL = ['Hoa Binh', 'Tran Thi B', 'Công ty', 'example.vn', '2700123456', '0912345678'];

beforeAll(async () => {
  env = await dynamoForTests();
  ses = await startLocalSes();
  const aws = { region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS };
  deps = assembleDeps({
    store: env.store,
    ses: new SESClient({ ...aws, endpoint: ses.endpoint }),
    // No workflow is waiting in this file: a task token sent here would fail the test.
    sfn: new SFNClient({ ...aws, endpoint: 'http://127.0.0.1:9' }),
    clock: fixedClock(() => new Date(`${TODAY}T09:00:00+07:00`)),
  });
  await env.store.putEmployers([employer('TC000001', 'Công ty TNHH Hoà Bình'), employer('TC000002', 'Công ty CP Việt Tiến'), employer('TC000003', 'Hợp tác xã Sông Đáy')]);
  for (const unitCode of ['TC000001', 'TC000002', 'TC000003', 'TC000009']) {
    await env.store.putPeriods(PERIODS.map((period) => ({ unitCode, period, amountDue: 20_000_000, dueDate: deadlineOf(period, policy) })));
  }
  const periods = PERIODS.map((period) => ({ period, amountDue: 20_000_000, dueDate: deadlineOf(period, policy) }));
  debtOn5th = ledgerStatus(periods, [], '2026-11-05', policy).debt;
  // TC000001's escalation is under way (urging notice this cycle), with no officer task.
  await env.store.putCase({ unitCode: 'TC000001', status: 'open', stage: 'officer-visit', anchorPeriod: '2026-08', monthsOverdue: 2, debt: debtOn5th, cycle: '2026-11', openedOn: '2026-10-02', updatedAt: 'x' });
  const paths = await files({ 'bank-2026-11.csv': BANK(), 'post-2026-11.csv': POST });
  first = await importCollectionFiles(paths, deps);
  dir = dirname(paths[0]!);
});
afterAll(async () => {
  await ses?.close();
  await env?.close();
});

const ledgers = () => Promise.all(['TC000001', 'TC000002', 'TC000003', 'TC000009'].map((u) => env.store.getLedger(u)));
const histories = () => Promise.all(['TC000001', 'TC000002', 'TC000003'].map((u) => env.store.caseHistory(u)));

describe('collection files', () => {
  it('reports each bad row with file, line, key and the column and rule broken', () => {
    const money = 'must be whole dong, written with digits only (no dots, commas, signs or exponents)';
    expect(first.errors).toEqual([
      { file: 'bank-2026-11.csv', line: 3, key: 'TC000002 FT002', reason: 'value_date must be a calendar date DD/MM/YYYY' },
      { file: 'bank-2026-11.csv', line: 4, key: 'TC000002 FT003', reason: 'value_date must be a calendar date DD/MM/YYYY' },
      { file: 'bank-2026-11.csv', line: 5, key: 'TC000002 FT004', reason: `credit_amount ${money}` },
      { file: 'bank-2026-11.csv', line: 6, key: 'TC000009 FT005', reason: 'unit_code is not a known unit (no employer profile); not recorded' },
      { file: 'bank-2026-11.csv', line: 7, key: 'TC000002 (invalid)', reason: 'bank_ref must be 1–59 letters, digits or ._/-' },
      { file: 'bank-2026-11.csv', line: 8, key: '(missing) FT007', reason: 'unit_code is required' },
      { file: 'bank-2026-11.csv', line: 9, key: 'TC000002 FT008', reason: 'value_date must not be after today (2026-11-10)' },
      { file: 'bank-2026-11.csv', line: 10, key: 'TC000002 FT009', reason: 'row has 4 fields but the header has 5 (a comma in an unquoted value?)' },
      // A repeat within the file is refused naming the row kept (repeat-guard.ts), whatever its date and amount.
      { file: 'bank-2026-11.csv', line: 12, key: 'TC000001 FT001', reason: 'unit_code and bank_ref repeat line 2 (the row kept); not recorded' },
      { file: 'bank-2026-11.csv', line: 13, key: 'TC000001 FT001', reason: `credit_amount ${money}` },
      { file: 'post-2026-11.csv', line: 3, key: 'TC000003 BL-2', reason: 'ngay_thu must be a calendar date YYYY-MM-DD' },
      { file: 'post-2026-11.csv', line: 4, key: 'TC000003 BL-3', reason: 'so_tien must be more than zero' },
    ]);
  });

  it('records every good row as a payment, with the source in its reference, and confirms each to the unit', async () => {
    expect(first).toMatchObject({
      recorded: 3, duplicate: 0, amountRecorded: debtOn5th + 27_000_000 + 15_000_000, escalationsEnded: 1,
      files: [
        { file: 'bank-2026-11.csv', format: 'bank', recorded: 2, duplicate: 0, errors: 10 },
        { file: 'post-2026-11.csv', format: 'post-office', recorded: 1, duplicate: 0, errors: 2 },
      ],
    });
    const [one, two, three, unknown] = await ledgers();
    expect(one!.payments).toEqual([{ reference: 'BANK-FT001', paidOn: '2026-11-05', amount: debtOn5th }]);
    expect(two!.payments).toEqual([{ reference: 'BANK-FT010', paidOn: '2026-11-06', amount: 27_000_000 }]);
    expect(three!.payments).toEqual([{ reference: 'POST-BL-1', paidOn: '2026-11-07', amount: 15_000_000 }]);
    expect(unknown!.payments).toEqual([]);
    expect(ses.peek().map((m) => m.to[0])).toEqual(['tc000001@example.vn', 'tc000002@example.vn', 'tc000003@example.vn']);
    expect(ses.peek().every((m) => m.subject.startsWith('Xác nhận đã nhận tiền'))).toBe(true);
  });

  it('a payment that clears the debt ends the escalation under way, on the case history', async () => {
    expect((await env.store.getLedger('TC000001')).case).toMatchObject({ status: 'closed', closeReason: 'debt-cleared' });
    const history = await env.store.caseHistory('TC000001');
    // (The clock stands still here, so both events have the same time.)
    const reference = (e: (typeof history)[number]) => (e.kind === 'payment-recorded' ? e.detail.reference : null);
    expect(history.map((e) => [e.kind, reference(e), e.actor]).sort()).toEqual([['case-closed', null, 'import:bank-file'], ['payment-recorded', 'BANK-FT001', 'import:bank-file']]);
    // A part payment re-anchors on the next unpaid period and leaves no case to close.
    expect((await env.store.caseHistory('TC000003')).map((e) => [e.kind, reference(e)])).toEqual([['payment-recorded', 'POST-BL-1']]);
  });

  it('imported again, the same files change nothing and send nothing', async () => {
    const before = { ledgers: await ledgers(), histories: await histories(), sent: ses.peek().length };
    const again = await importCollectionFiles([join(dir, 'bank-2026-11.csv'), join(dir, 'post-2026-11.csv')], deps);
    expect(again).toMatchObject({ recorded: 0, duplicate: 3, amountRecorded: 0, escalationsEnded: 0 });
    expect(again.errors).toEqual(first.errors);
    expect(await ledgers()).toEqual(before.ledgers);
    expect(await histories()).toEqual(before.histories);
    expect(ses.peek()).toHaveLength(before.sent);
    expect(formatCollectionReport(again).split('\n').slice(0, 3)).toEqual([
      'bank-2026-11.csv (bank): 0 recorded, 2 already recorded, 10 errors',
      'post-2026-11.csv (post-office): 0 recorded, 1 already recorded, 2 errors',
      'recorded 0 payments (0 ₫), 3 already recorded (nothing sent), 0 escalations ended; 12 errors',
    ]);
  });

  it('never puts personal data in a key or reason', () => {
    const text = JSON.stringify(first) + formatCollectionReport(first, 100);
    for (const value of PERSONAL) expect(text).not.toContain(value);
  });

  it('refuses a file whose header is neither format, or a format with a column missing, and reads the others', async () => {
    const paths = await files({
      'statement.csv': ['date,ref,unit,amount', '05/11/2026,FT100,TC000002,1000'],
      'bank-short.csv': ['value_date,bank_ref,unit_code,narrative', '05/11/2026,FT101,TC000002,x'],
      'data-first.csv': ['05/11/2026,FT102,TC000002,1000,Tran Thi B'],
      'empty.csv': [],
      'post-extra.csv': ['ngay_thu,so_bien_lai,ma_don_vi,so_tien,ho_ten', '2026-11-08,BL-9,TC000002,1000,Tran Thi B'],
    });
    const r = await importCollectionFiles([...paths, join(dir, 'missing.csv')], deps);
    const expected = 'expected the columns of a bank file (unit_code, bank_ref, value_date, credit_amount) or a post-office file (ma_don_vi, so_bien_lai, ngay_thu, so_tien)';
    expect(r.errors).toEqual([
      { file: 'statement.csv', line: 1, key: '(header)', reason: `first line is not a header row (${expected}); file not imported` },
      { file: 'bank-short.csv', line: 1, key: '(header)', reason: 'as a bank file: missing column(s) credit_amount; file not imported' },
      { file: 'data-first.csv', line: 1, key: '(header)', reason: `first line is not a header row (${expected}); file not imported` },
      { file: 'empty.csv', line: 1, key: '(header)', reason: 'header row missing (the file is empty); file not imported' },
      { file: 'post-extra.csv', line: 1, key: '(header)', reason: 'as a post-office file: unknown column(s) ho_ten; file not imported' },
      { file: 'missing.csv', line: 1, key: '(file)', reason: 'no such file; not read' },
    ]);
    expect(r.recorded + r.duplicate).toBe(0);
    expect(JSON.stringify(r)).not.toContain('Tran Thi B');
  });
});

describe('collection file rows (pure)', () => {
  it('normalises both formats to the same payment record', () => {
    expect(parseCollectionRow('bank', { value_date: '5/1/2026', bank_ref: 'FT26309001234', unit_code: 'TD000008', credit_amount: '26116556' }, TODAY))
      .toEqual({ ok: true, payment: { unitCode: 'TD000008', reference: 'BANK-FT26309001234', paidOn: '2026-01-05', amount: 26_116_556 } });
    expect(parseCollectionRow('post-office', { ngay_thu: '2026-11-10', so_bien_lai: 'BL-TD-1', ma_don_vi: 'TD000047', so_tien: '1' }, TODAY))
      .toEqual({ ok: true, payment: { unitCode: 'TD000047', reference: 'POST-BL-TD-1', paidOn: '2026-11-10', amount: 1 } });
  });

  it('refuses a reference too long once prefixed, and reports every broken column of a row', () => {
    expect(parseCollectionRow('bank', { value_date: '05/11/2026', bank_ref: 'F'.repeat(60), unit_code: 'TD000008', credit_amount: '1' }, TODAY))
      .toEqual({ ok: false, key: 'TD000008 (invalid)', reason: 'bank_ref must be 1–59 letters, digits or ._/-' });
    expect(parseCollectionRow('post-office', { so_bien_lai: 'BL-1', ma_don_vi: 'td000047', so_tien: '-5' }, TODAY)).toEqual({
      ok: false,
      key: '(invalid) BL-1',
      reason: 'ma_don_vi must be 4–12 capital letters or digits; ngay_thu is required; so_tien must be whole dong, written with digits only (no dots, commas, signs or exponents)',
    });
  });

  it('tells the format by the header', () => {
    expect(detectFormat(['value_date', 'bank_ref', 'unit_code', 'credit_amount'])).toEqual({ format: 'bank' });
    expect(detectFormat(['so_tien', 'ma_don_vi', 'ngay_thu', 'so_bien_lai', 'diem_thu'])).toEqual({ format: 'post-office' });
  });

  it('the sample collection files parse whole, for units of the sample district', async () => {
    const sample = join(import.meta.dirname, '../../data/sample');
    const units = new Set((parse(await readFile(join(sample, 'employers.csv')), { columns: true }) as { unit_code: string }[]).map((e) => e.unit_code));
    for (const [file, format] of [['bank-2026-11.csv', 'bank'], ['post-2026-11.csv', 'post-office']] as const) {
      const rows = parse(await readFile(join(sample, 'collections', file)), { columns: true, bom: true }) as Record<string, string>[];
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) {
        const r = parseCollectionRow(format, row, TODAY);
        expect(r, `${file} ${JSON.stringify(r)}`).toMatchObject({ ok: true });
        if (r.ok) expect(units.has(r.payment.unitCode)).toBe(true);
      }
    }
  });
});
