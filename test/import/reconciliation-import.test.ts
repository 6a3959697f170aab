import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dynamoForTests } from '../support/dynamo.ts';
import { formatImportReport, importFolder, type ImportReport } from '../../functions/import/csv-import.ts';
import type { MalformedItem } from '../../functions/commons/store.ts';

/** The reconciliation files (roster, tax data, business register) through the employer import. */

async function folder(files: Record<string, string[]>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'import-rec-'));
  for (const [name, lines] of Object.entries(files)) await writeFile(join(dir, name), `${lines.join('\n')}\n`);
  return dir;
}

const FILES = {
  'employers.csv': [
    'unit_code,name,tax_code,district,commune,email,phone',
    'TD000001,Công ty TNHH May mặc Hoà Bình,2700123456,Tam Điệp,Bắc Sơn,ketoan@hoabinh.example.vn,0912345678',
  ],
  'roster.csv': [
    'unit_code,si_code,personal_id,name,date_of_birth,start_month,end_month,salary,phone,email,contact_consent',
    'TD000001,0101000001,001085000123,Nguyễn Văn An,1985-04-12,2024-01,,8000000,0912000001,,true',
    // An 11-digit ID: the spreadsheet dropped its leading zero.
    'TD000001,0101000002,10850001234,Trần Thị Bình,1990-01-01,2024-01,,8000000,,,',
    'TD000001,0101000003,001090000456,Lê Văn Cường,1990-02-30,2025-06,2025-03,7.000.000,,,',
    'TD000001,0101000004,001090000789,Phạm Thị Dung,1992-05-05,2025-01,,7000000,0912000004,,',
    'TD000099,0101000005,001090000999,Hoàng Văn Hải,1992-05-05,2025-01,,7000000,,,',
    'TD000001,0101000006,001090000555,Đỗ Thị Lan,1990-02-30,2025-06,2025-03,7000000,,,',
    'TD000001,0101000001,001085000123,Nguyễn Văn An,1985-04-12,2024-01,,9000000,,,',
  ],
  'tax-organisations.csv': [
    'tax_code,name,address,district,year,employees_paid,wage_fund',
    '2700123456,Công ty TNHH May mặc Hoà Bình,,Tam Điệp,2025,3,300000000',
    '2799999999,Công ty TNHH Chưa Đăng Ký,"12 Trần Phú",Tam Điệp,25,3,1e8',
  ],
  'tax-employees.csv': [
    'personal_id,payer_tax_code,year,months_paid,taxable_income',
    '001085000123,2700123456,2025,12,120000000',
    '001085000123,2799999999,2025,6,60000000',
    '001090000456,2700123456,2025,13,-5',
    '001085000123,2700123456,2025,12,1',
    '001090000456,2700123456,2025,13,5000000',
  ],
  'business-register.csv': [
    'tax_code,name,registered_on,status,status_date',
    '2700123456,Công ty TNHH May mặc Hoà Bình,2015-03-01,closed,2026-09-15',
    '2799999999,Công ty TNHH Chưa Đăng Ký,2020-03-01,dissolved,2019-01-01',
    '2788888888,Công ty TNHH Đã Giải Thể,2020-03-01,closed,2019-01-01',
  ],
};

describe('importing the reconciliation files', () => {
  let env: Awaited<ReturnType<typeof dynamoForTests>>;
  let report: ImportReport;
  beforeAll(async () => {
    env = await dynamoForTests();
    report = await importFolder(await folder(FILES), env.store);
  });
  afterAll(() => env.close());

  // A row's text conversions (money, counts) are checked before the record's rules: a row with a bad
  // amount reports that first, and its other problems once the amount is put right.
  it('reports each bad row by file, line, key and reason, with personal IDs masked and names never shown', () => {
    expect(report.errors).toEqual([
      { file: 'roster.csv', line: 3, key: 'TD000001 0101000002 2024-01', reason: 'personal_id must be the 12-digit personal ID number (leading zeros kept)' },
      { file: 'roster.csv', line: 4, key: 'TD000001 0101000003 2025-06', reason: 'salary must be whole dong, written with digits only' },
      { file: 'roster.csv', line: 5, key: 'TD000001 0101000004 2025-01', reason: 'contact_consent must be true when a phone or email is given (contact details are kept only with consent)' },
      { file: 'roster.csv', line: 6, key: 'TD000099 0101000005 2025-01', reason: 'unit_code is not a known unit (no employer row in this import or the store); not loaded' },
      { file: 'roster.csv', line: 7, key: 'TD000001 0101000006 2025-06', reason: 'date_of_birth must be a calendar date YYYY-MM-DD; end_month must not be before start_month' },
      { file: 'roster.csv', line: 8, key: 'TD000001 0101000001 2024-01', reason: 'unit_code, si_code and start_month repeat line 2 (the row kept); not loaded' },
      { file: 'tax-organisations.csv', line: 3, key: '2799999999 (invalid)', reason: 'wage_fund must be whole dong, written with digits only' },
      { file: 'tax-employees.csv', line: 4, key: '2700123456 ********0456 2025', reason: 'taxable_income must be whole dong, written with digits only' },
      { file: 'tax-employees.csv', line: 5, key: '2700123456 ********0123 2025', reason: 'personal_id, payer_tax_code and year repeat line 2 (the row kept); not loaded' },
      { file: 'tax-employees.csv', line: 6, key: '2700123456 ********0456 2025', reason: 'months_paid must be 1 to 12' },
      { file: 'business-register.csv', line: 3, key: '2799999999', reason: 'status must be one of active, suspended, closed' },
      { file: 'business-register.csv', line: 4, key: '2788888888', reason: 'status_date must not be before registered_on' },
    ]);
    const text = JSON.stringify(report.errors);
    for (const secret of ['001085000123', '001090000456', '001090000555', 'Nguyễn', 'Trần Thị', 'Lê Văn', 'Đỗ Thị']) expect(text).not.toContain(secret);
  });

  it('loads the good rows under their documented keys, personal IDs with their leading zeros', async () => {
    expect(report.loaded).toEqual({ employers: 1, periods: 0, payments: 0, officers: 0, targets: 0, roster: 1, taxOrganisations: 1, taxEmployees: 2, register: 1 });
    const malformed: MalformedItem[] = [];
    expect(await env.store.rosterOf('TD000001', (m) => malformed.push(m))).toEqual([{
      unitCode: 'TD000001', siCode: '0101000001', personalId: '001085000123', name: 'Nguyễn Văn An', dateOfBirth: '1985-04-12',
      startMonth: '2024-01', salary: 8_000_000, phone: '0912000001', contactConsent: true,
    }]);
    const tax = await env.store.taxDataFor(2025, (m) => malformed.push(m));
    expect(tax.organisations.map((o) => [o.taxCode, o.employeesPaid, o.wageFund])).toEqual([['2700123456', 3, 300_000_000]]);
    // One employee paid by two organisations: two records.
    expect(tax.employees.map((e) => [e.payerTaxCode, e.personalId, e.monthsPaid]).sort()).toEqual([['2700123456', '001085000123', 12], ['2799999999', '001085000123', 6]]);
    expect((await env.store.register((m) => malformed.push(m))).map((r) => [r.taxCode, r.status, r.statusDate])).toEqual([['2700123456', 'closed', '2026-09-15']]);
    expect(malformed).toEqual([]);
    expect(formatImportReport(report)).toContain('1 roster rows, 1 tax organisations, 2 tax employee rows, 1 business register rows');
  });

  it('keeps personal IDs out of the stored keys', async () => {
    const { Items = [] } = await env.dynamo.doc.send(new (await import('@aws-sdk/lib-dynamodb')).ScanCommand({ TableName: env.tableName }));
    const keys = Items.map((i) => `${String(i.pk)} ${String(i.sk)}`);
    expect(keys.some((k) => k.startsWith('TAX#2025 PAID#2700123456#'))).toBe(true);
    expect(keys.join('\n')).not.toContain('001085000123');
  });

  it('changes nothing when the same files are imported again', async () => {
    const again = await importFolder(await folder(FILES), env.store);
    expect(again.loaded).toEqual(report.loaded);
    expect((await env.store.taxDataFor(2025, () => {})).employees).toHaveLength(2);
  });

  it('reads one payer\'s tax data of a year (a check\'s page): its row and its employees\', not a branch\'s nor another payer\'s', async () => {
    await env.store.putTaxOrganisations([{ taxCode: '2700123456-001', name: 'Chi nhánh', district: 'Tam Điệp', year: 2025, employeesPaid: 9, wageFund: 900_000_000 }]);
    await env.store.putTaxEmployees([{ personalId: '001085000999', payerTaxCode: '2700123456-001', year: 2025, monthsPaid: 12, taxableIncome: 120_000_000 }]);
    const one = await env.store.taxDataOf(2025, '2700123456', () => {});
    expect(one.organisation).toMatchObject({ taxCode: '2700123456', employeesPaid: 3 });
    expect(one.employees.map((e) => [e.payerTaxCode, e.monthsPaid])).toEqual([['2700123456', 12]]);
    expect((await env.store.taxDataOf(2025, '2700123456-001', () => {})).employees.map((e) => e.personalId)).toEqual(['001085000999']);
    expect(await env.store.taxDataOf(2024, '2700123456', () => {})).toEqual({ organisation: undefined, employees: [] });
  });
  it('a roster row may name the employee\'s language (locale: vi or en, any case); anything else is refused by column and rule', async () => {
    const dir = await folder({ 'roster.csv': [
      'unit_code,si_code,personal_id,name,date_of_birth,start_month,salary,phone,contact_consent,locale',
      'TD000001,0101000011,001085000311,John Smith,1985-04-12,2024-01,20000000,0912000011,true,EN',
      'TD000001,0101000012,001085000312,Trần Văn Tư,1985-04-12,2024-01,9000000,0912000012,true,',
      'TD000001,0101000013,001085000313,Marie Dubois,1985-04-12,2024-01,20000000,0912000013,true,fr',
    ] });
    const again = await importFolder(dir, env.store);
    expect(again.errors).toEqual([{ file: 'roster.csv', line: 4, key: 'TD000001 0101000013 2024-01', reason: 'locale must be one of vi, en' }]);
    const roster = await env.store.rosterOf('TD000001', () => {});
    expect(roster.find((m) => m.siCode === '0101000011')?.locale).toBe('en');
    expect(roster.find((m) => m.siCode === '0101000012')?.locale).toBeUndefined();
  });
});
