import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dynamoForTests } from '../support/dynamo.ts';
import { importFolder, formatImportReport, type ImportReport } from '../../functions/import/csv-import.ts';

let env: Awaited<ReturnType<typeof dynamoForTests>>;
let dir: string;
let report: ImportReport;

const EMPLOYERS = [
  'unit_code,name,tax_code,district,commune,email,phone,locale',
  'TD000001,"Công ty TNHH May mặc Hoà Bình, chi nhánh 2",2700123456,Tam Điệp,Bắc Sơn,ketoan@hoabinh.example.vn,0912345678,vi',
  'TD000002,Công ty Cổ phần Xây dựng Việt Tiến,2700654321,Tam Điệp,Nam Sơn,not-an-email,0912345679,',
  ',Hợp tác xã Sông Đáy,2700111222,Tam Điệp,Tây Sơn,hoptacxa@example.vn,0912000000,vi',
];
const PERIODS = [
  'unit_code,period,amount_due,due_date',
  'TD000001,2026-08,25000000,',
  'TD000001,2026-09,25000000,2026-10-31',
  'TD000001,2026-10,"25.000.000",',
  'TD000001,2026-13,25000000,',
  'TD000001,2026-02,1e6,2026-02-30',
];
const PAYMENTS = [
  'unit_code,reference,paid_on,amount',
  'TD000001,UNC-1,2026-09-20,25000000',
  'TD000001,UNC-2,2026-10-20,-5',
  'TD000001,UNC-3,2026-10-21,0',
];
const OFFICERS = [
  'officer_id,name,email,district,communes,role,active,team_lead_id',
  'cb.tran.b,Trần Thị B,b@bhxh.example.vn,Tam Điệp,Bắc Sơn;Nam Sơn,collector,true,tt.le.c',
  'cb.ngo.d,Ngô Văn D,d@bhxh.example.vn,Tam Điệp,,chief,yes,',
];

beforeAll(async () => {
  env = await dynamoForTests();
  dir = await mkdtemp(join(tmpdir(), 'import-'));
  await writeFile(join(dir, 'employers.csv'), EMPLOYERS.join('\n'));
  await writeFile(join(dir, 'contribution-periods.csv'), PERIODS.join('\n'));
  await writeFile(join(dir, 'payments.csv'), PAYMENTS.join('\r\n'));
  await writeFile(join(dir, 'officers.csv'), OFFICERS.join('\n'));
  report = await importFolder(dir, env.store);
});
afterAll(() => env.close());

describe('CSV import', () => {
  it('reports each bad row with file, line, key and the column and rule broken', () => {
    expect(report.errors).toEqual([
      { file: 'employers.csv', line: 3, key: 'TD000002', reason: 'email must be an email address' },
      { file: 'employers.csv', line: 4, key: '(missing)', reason: 'unit_code is required' },
      { file: 'contribution-periods.csv', line: 4, key: 'TD000001 2026-10', reason: 'amount_due must be whole dong written with digits only (no dots, commas, signs or exponents)' },
      { file: 'contribution-periods.csv', line: 5, key: 'TD000001 2026-13', reason: 'period must be a contribution period YYYY-MM; due_date is required' },
      { file: 'contribution-periods.csv', line: 6, key: 'TD000001 2026-02', reason: 'amount_due must be whole dong written with digits only (no dots, commas, signs or exponents); due_date must be a calendar date YYYY-MM-DD' },
      { file: 'payments.csv', line: 3, key: 'TD000001 UNC-2', reason: 'amount must be whole dong written with digits only (no dots, commas, signs or exponents)' },
      { file: 'payments.csv', line: 4, key: 'TD000001 UNC-3', reason: 'amount must be more than zero' },
      { file: 'officers.csv', line: 3, key: 'cb.ngo.d', reason: expect.stringMatching(/^role .*; active must be true or false$/) },
    ]);
  });

  it('loads every good row, deriving a blank due date from the policy deadline rule', async () => {
    expect(report.loaded).toEqual({ employers: 1, periods: 2, payments: 1, officers: 1 });
    const ledger = await env.store.getLedger('TD000001');
    expect(ledger.employer?.name).toBe('Công ty TNHH May mặc Hoà Bình, chi nhánh 2');
    expect(ledger.periods).toEqual([
      { period: '2026-08', amountDue: 25_000_000, dueDate: '2026-09-30' },
      { period: '2026-09', amountDue: 25_000_000, dueDate: '2026-10-31' },
    ]);
    expect(ledger.payments).toEqual([{ reference: 'UNC-1', paidOn: '2026-09-20', amount: 25_000_000 }]);
    expect((await env.store.getOfficer('cb.tran.b'))?.communes).toEqual(['Bắc Sơn', 'Nam Sơn']);
  });

  it('changes nothing when the same files are imported again', async () => {
    const before = await env.store.getLedger('TD000001');
    const again = await importFolder(dir, env.store);
    expect(again.loaded).toEqual(report.loaded);
    expect(await env.store.getLedger('TD000001')).toEqual(before);
  });

  it('never puts personal data in a reason or key', () => {
    const text = JSON.stringify(report.errors) + formatImportReport(report);
    for (const value of ['Hợp tác xã Sông Đáy', 'hoptacxa@example.vn', '0912000000', 'not-an-email', '2700654321', 'Ngô Văn D']) {
      expect(text).not.toContain(value);
    }
  });

  it('skips a file whose header is wrong, saying which columns', async () => {
    const bad = await mkdtemp(join(tmpdir(), 'import-bad-'));
    await writeFile(join(bad, 'payments.csv'), 'unit,reference,paid_on,amount\nTD000001,X,2026-10-01,1\n');
    const r = await importFolder(bad, env.store);
    expect(r.errors).toEqual([{ file: 'payments.csv', line: 1, key: '(header)', reason: 'missing column(s) unit_code; unknown column(s) unit; file skipped' }]);
    expect(r.loaded.payments).toBe(0);
  });
});
