import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dynamoForTests } from '../support/dynamo.ts';
import { importFolder, formatImportReport, type ImportReport } from '../../functions/import/csv-import.ts';
import { BatchWriter } from '../../functions/import/batch-writer.ts';
import type { ArrearsStore } from '../../functions/commons/store.ts';
import type { ContributionPeriodRecord } from '../../functions/commons/records.ts';

/** A folder of CSV files written for one test. */
async function folder(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'import-'));
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return dir;
}

const EMPLOYERS = [
  'unit_code,name,tax_code,district,commune,email,phone,locale',
  'TD000001,"Công ty TNHH May mặc Hoà Bình, chi nhánh 2",2700123456,Tam Điệp,Bắc Sơn,ketoan@hoabinh.example.vn,0912345678,vi',
  'TD000002,Công ty Cổ phần Xây dựng Việt Tiến,2700654321,Tam Điệp,Nam Sơn,not-an-email,0912345679,',
  ',Hợp tác xã Sông Đáy,2700111222,Tam Điệp,Tây Sơn,hoptacxa@example.vn,0912000000,vi',
  'TD000003,Doanh nghiệp tư nhân Minh Long, Yên Bình,2700333444,Tam Điệp,Yên Bình,minhlong@example.vn,0912000003,vi',
  'TD000004,"Công ty TNHH Vận tải',
  'Trường An",2700555666,Tam Điệp,Yên Sơn,vantai@example.vn,0912000004,en',
  'TD000005,Công ty TNHH Dịch vụ An Phát,27005,Tam Điệp,Quang Sơn,anphat@example.vn,09-1200-0005,fr',
];
const PERIODS = [
  'unit_code,period,amount_due,due_date',
  'TD000001,2026-08,25000000,',
  'TD000001,2026-09,24000000,2026-10-31',
  'TD000001,2026-10,25.000.000,',
  'TD000001,2026-13,25000000,',
  'TD000001,2026-02,25000000,2026-02-30',
  'TD000001,2026-07,1.5,',
  'TD000001,2026-06,1e6,',
  'TD000001,2026-05,"12,000",',
  'TD000001,2026-04,-5,',
  'TD000001,2026-03,,',
  'TD000099,2026-09,30000000,',
  'TD000001,2026-09,25000000,2026-10-31',
];
const PAYMENTS = [
  'unit_code,reference,paid_on,amount',
  '',
  'TD000001,UNC-1,2026-09-20,25000000',
  'TD000001,UNC-2,2026-10-20,-5',
  'TD000001,UNC-3,2026-10-21,0',
  'TD000001,UNC-4,2026-02-30,1000',
  'TD000001,Chuyển khoản,2026-10-01,1000',
];
const OFFICERS = [
  'officer_id,name,email,district,communes,role,active,team_lead_id',
  'cb.tran.b,Trần Thị B,b@bhxh.example.vn,Tam Điệp,Bắc Sơn; Nam Sơn,collector,TRUE,tt.le.c',
  'cb.ngo.d,Ngô Văn D,d@bhxh.example.vn,Tam Điệp,,chief,yes,',
  'tt.le.c,Lê Văn C,c@bhxh.example.vn,Tam Điệp,,team-lead,,',
];
/** Every name, email, phone and tax code in the files above: none may appear in a report. */
const PERSONAL = [
  'Hoà Bình', 'Việt Tiến', 'Sông Đáy', 'Minh Long', 'Vận tải', 'An Phát', 'Trần Thị B', 'Ngô Văn D', 'Lê Văn C',
  'ketoan@hoabinh.example.vn', 'not-an-email', 'hoptacxa@example.vn', 'minhlong@example.vn', 'vantai@example.vn', 'anphat@example.vn',
  'b@bhxh.example.vn', 'd@bhxh.example.vn', 'c@bhxh.example.vn',
  '0912345678', '0912345679', '0912000000', '0912000003', '0912000004', '09-1200-0005',
  '2700123456', '2700654321', '2700111222', '2700333444', '2700555666', '27005', 'Chuyển khoản',
];

let env: Awaited<ReturnType<typeof dynamoForTests>>;
/** The dynalite store with some calls replaced (a refused write, a slow one, one that records its batches). */
const onDynalite = (overrides: Record<string, unknown>) => Object.assign(Object.create(env.store) as ArrearsStore, overrides);
let dir: string;
let report: ImportReport;

beforeAll(async () => {
  env = await dynamoForTests();
  dir = await folder({
    'employers.csv': EMPLOYERS.join('\n'),
    'contribution-periods.csv': `\uFEFF${PERIODS.join('\n')}\n`,
    'payments.csv': `${PAYMENTS.join('\r\n')}\r\n`,
    'officers.csv': OFFICERS.join('\n'),
  });
  report = await importFolder(dir, env.store);
});
afterAll(() => env.close());

describe('CSV import', () => {
  it('reports each bad row with file, line, key and the column and rule broken', () => {
    const money = 'must be whole dong, written with digits only (no dots, commas, signs or exponents)';
    expect(report.errors).toEqual([
      { file: 'employers.csv', line: 3, key: 'TD000002', reason: 'email must be an email address' },
      { file: 'employers.csv', line: 4, key: '(missing)', reason: 'unit_code is required' },
      { file: 'employers.csv', line: 5, key: 'TD000003', reason: 'row has 9 fields but the header has 8 (a comma in an unquoted value?)' },
      {
        file: 'employers.csv', line: 8, key: 'TD000005',
        reason: 'tax_code must be a 10-digit tax code, optionally -NNN; phone must be 9–12 digits, optionally with a leading +; locale must be one of vi, en',
      },
      { file: 'contribution-periods.csv', line: 4, key: 'TD000001 2026-10', reason: `amount_due ${money}` },
      { file: 'contribution-periods.csv', line: 5, key: 'TD000001 2026-13', reason: 'period must be a contribution period YYYY-MM' },
      { file: 'contribution-periods.csv', line: 6, key: 'TD000001 2026-02', reason: 'due_date must be a calendar date YYYY-MM-DD' },
      { file: 'contribution-periods.csv', line: 7, key: 'TD000001 2026-07', reason: `amount_due ${money}` },
      { file: 'contribution-periods.csv', line: 8, key: 'TD000001 2026-06', reason: `amount_due ${money}` },
      { file: 'contribution-periods.csv', line: 9, key: 'TD000001 2026-05', reason: `amount_due ${money}` },
      { file: 'contribution-periods.csv', line: 10, key: 'TD000001 2026-04', reason: `amount_due ${money}` },
      { file: 'contribution-periods.csv', line: 11, key: 'TD000001 2026-03', reason: 'amount_due is required' },
      { file: 'contribution-periods.csv', line: 12, key: 'TD000099 2026-09', reason: 'unit_code is not a known unit (no employer row in this import or the store); not loaded' },
      { file: 'contribution-periods.csv', line: 13, key: 'TD000001 2026-09', reason: 'unit_code and period repeat line 3 (the row kept); not loaded' },
      { file: 'payments.csv', line: 4, key: 'TD000001 UNC-2', reason: `amount ${money}` },
      { file: 'payments.csv', line: 5, key: 'TD000001 UNC-3', reason: 'amount must be more than zero' },
      { file: 'payments.csv', line: 6, key: 'TD000001 UNC-4', reason: 'paid_on must be a calendar date YYYY-MM-DD' },
      { file: 'payments.csv', line: 7, key: 'TD000001 (invalid)', reason: 'reference must be 1–64 letters, digits or ._/-' },
      { file: 'officers.csv', line: 3, key: 'cb.ngo.d', reason: 'role must be one of collector, team-lead, inspector, collection-agent; active must be true or false' },
    ]);
  });

  it('loads every good row, deriving a blank due date from the policy deadline rule', async () => {
    expect(report.loaded).toEqual({ employers: 2, periods: 2, payments: 1, officers: 2, targets: 0 });
    expect(report.unknownUnits).toEqual({ units: 1, rows: 1 });
    const ledger = await env.store.getLedger('TD000001');
    expect(ledger.employer).toEqual({
      unitCode: 'TD000001', name: 'Công ty TNHH May mặc Hoà Bình, chi nhánh 2', taxCode: '2700123456', district: 'Tam Điệp',
      commune: 'Bắc Sơn', email: 'ketoan@hoabinh.example.vn', phone: '0912345678', locale: 'vi',
    });
    expect(ledger.periods).toEqual([
      { period: '2026-08', amountDue: 25_000_000, dueDate: '2026-09-30' },
      // Listed twice in the file: the first row is kept, the later one refused (reported above).
      { period: '2026-09', amountDue: 24_000_000, dueDate: '2026-10-31' },
    ]);
    expect(ledger.payments).toEqual([{ reference: 'UNC-1', paidOn: '2026-09-20', amount: 25_000_000 }]);
    // A quoted value over two lines; the lines after it are still numbered as in an editor (above).
    expect((await env.store.getLedger('TD000004')).employer).toMatchObject({ name: 'Công ty TNHH Vận tải\nTrường An', locale: 'en' });
    // Periods of a unit neither among the employers nor in the store are refused (reported above).
    expect((await env.store.getLedger('TD000099')).periods).toEqual([]);
    expect(await env.store.getOfficer('cb.tran.b')).toMatchObject({ communes: ['Bắc Sơn', 'Nam Sơn'], active: true, teamLeadId: 'tt.le.c' });
    expect(await env.store.getOfficer('tt.le.c')).toMatchObject({ role: 'team-lead', active: true, communes: [] });
  });

  it('changes nothing when the same files are imported again', async () => {
    const before = await Promise.all(['TD000001', 'TD000004', 'TD000099'].map((u) => env.store.getLedger(u)));
    const again = await importFolder(dir, env.store);
    expect(again).toEqual(report);
    expect(await Promise.all(['TD000001', 'TD000004', 'TD000099'].map((u) => env.store.getLedger(u)))).toEqual(before);
  });

  it('never puts personal data in a key or reason', () => {
    const text = JSON.stringify(report.errors) + formatImportReport(report);
    for (const value of PERSONAL) expect(text).not.toContain(value);
  });

  it('summarises counts and the first errors', () => {
    const lines = formatImportReport(report, 2).split('\n');
    expect(lines).toEqual([
      'loaded 2 employers, 2 contribution periods, 1 payments, 2 officers, 0 plan targets; 1 row of 1 unknown unit refused; 19 errors',
      '  employers.csv:3 TD000002 — email must be an email address',
      '  employers.csv:4 (missing) — unit_code is required',
      '  ... and 17 more',
    ]);
  });
});

describe('CSV import: files that cannot be read as a whole', () => {
  it('skips a file whose header is wrong, saying which columns, and still loads the other files', async () => {
    const bad = await folder({
      'payments.csv': 'unit,reference,paid_on,amount,amount\nTD000001,X,2026-10-01,1,1\n',
      'officers.csv': 'officer_id,name,email,district,role\ncb.a,Lê A,a@bhxh.example.vn,Tam Điệp,collector\n',
    });
    const r = await importFolder(bad, env.store);
    expect(r.errors).toEqual([
      { file: 'payments.csv', line: 1, key: '(header)', reason: 'missing column(s) unit_code; unknown column(s) unit; repeated column(s) amount; file not imported' },
    ]);
    expect(r.loaded).toEqual({ employers: 0, periods: 0, payments: 0, officers: 1, targets: 0 });
  });

  it('does not repeat a first line of data taken for a header, and reports empty and misnamed files', async () => {
    const bad = await folder({
      'employers.csv': 'TD000007,Công ty TNHH Phú Thịnh,2700777888,Tam Điệp,Bắc Sơn,phuthinh@example.vn,0912000007,vi\n',
      'payments.csv': '',
      'payment.csv': 'unit_code,reference,paid_on,amount\n',
    });
    const r = await importFolder(bad, env.store);
    expect(r.errors).toEqual([
      { file: 'payment.csv', line: 1, key: '(file)', reason: 'not an import file (expected employers.csv, contribution-periods.csv, payments.csv, officers.csv, targets.csv, roster.csv, tax-organisations.csv, tax-employees.csv, business-register.csv); not read' },
      { file: 'employers.csv', line: 1, key: '(header)', reason: 'first line is not a header row (expected columns unit_code, name, tax_code, district, commune, email, phone); file not imported' },
      { file: 'payments.csv', line: 1, key: '(header)', reason: 'header row missing (the file is empty); file not imported' },
    ]);
  });

  it('reports a quote left open with the lines it would swallow, and reads those lines again', async () => {
    const bad = await folder({
      'payments.csv': ['unit_code,reference,paid_on,amount', 'TD000001,UNC-8,2026-10-01,1000', 'TD000001,"UNC-9,2026-10-02,1000', 'TD000001,UNC-10,2026-10-03,1000', 'TD000001,"UNC-11'].join('\n'),
    });
    const r = await importFolder(bad, env.store);
    expect(r.errors).toEqual([
      { file: 'payments.csv', line: 3, key: 'TD000001 (invalid)', reason: 'a quote opened in this row is not closed (it would swallow lines 4–5); not loaded, the lines after it are read as rows of their own' },
      { file: 'payments.csv', line: 5, key: 'TD000001 UNC-11', reason: 'a quote opened in this row is not closed (the file ends first); not loaded' },
    ]);
    expect(r.loaded.payments).toBe(2);
    expect((await env.store.getLedger('TD000001')).payments.map((p) => p.reference)).toEqual(expect.arrayContaining(['UNC-8', 'UNC-10']));
  });

  it('reads past a quote left open in a large file: it swallows at most 100 lines, read again', async () => {
    const rows = ['unit_code,reference,paid_on,amount'];
    for (let i = 0; i < 5_000; i++) rows.push(`TD000008,R${i},2026-10-01,1000`);
    rows.push('TD000008,"R-open,2026-10-01,1000');
    for (let i = 0; i < 5_000; i++) rows.push(`TD000008,S${i},2026-10-01,1000`);
    const written: string[] = [];
    const store = onDynalite({ getEmployer: async () => ({}), putPayments: async (b: { reference: string }[]) => { written.push(...b.map((p) => p.reference)); } });
    const r = await importFolder(await folder({ 'payments.csv': rows.join('\n') }), store);
    expect(r.errors).toEqual([{
      file: 'payments.csv', line: 5_002, key: 'TD000008 (invalid)',
      reason: 'a quote opened in this row is not closed (it would swallow lines 5003–5101); not loaded, the lines after it are read as rows of their own',
    }]);
    expect(r.loaded.payments).toBe(10_000);
    expect(new Set(written).size).toBe(10_000);
  });

  it('keeps a quoted value over several lines (LF or CR LF) that closes into a full row', async () => {
    const text = ['unit_code,reference,paid_on,amount', 'TD000001,"UNC-', '20",2026-10-01,1000', 'TD000001,UNC-21,2026-10-01,1000', ''].join('\r\n');
    const r = await importFolder(await folder({ 'payments.csv': text }), env.store);
    // A line break is not allowed in a reference: the row is read whole, then refused on its own.
    expect(r.errors).toEqual([{ file: 'payments.csv', line: 2, key: 'TD000001 (invalid)', reason: 'reference must be 1–64 letters, digits or ._/-' }]);
    expect(r.loaded.payments).toBe(1);
  });

  it('refuses only the row of a line that is not UTF-8, over-long, or has text after a closing quote', async () => {
    const lines = [
      Buffer.from('unit_code,reference,paid_on,amount\n'),
      Buffer.from('TD000001,UNC-30,2026-10-01,1000\n'),
      Buffer.from('TD000001,UNC-31,2026-10-\xf401,1000\n', 'latin1'),
      Buffer.from(`TD000001,UNC-32,2026-10-01,${'9'.repeat(70_000)}\n`),
      Buffer.from('TD000001,"UNC-33"x,2026-10-01,1000\n'),
      Buffer.from('TD000001,UNC-34,2026-10-01,1000\n'),
    ];
    const dir = await folder({});
    await writeFile(join(dir, 'payments.csv'), Buffer.concat(lines));
    const r = await importFolder(dir, env.store);
    expect(r.errors).toEqual([
      { file: 'payments.csv', line: 3, key: 'TD000001 UNC-31', reason: 'is not UTF-8 text (save the file as UTF-8); not loaded' },
      { file: 'payments.csv', line: 4, key: '(unread)', reason: 'line is longer than 64 KiB; not loaded' },
      { file: 'payments.csv', line: 5, key: 'TD000001 UNC-33x', reason: 'a closing quote is followed by other text (a quote inside a quoted value is written twice: ""); not loaded' },
    ]);
    expect(r.loaded.payments).toBe(2);
  });

  it('does not import a file whose header is not UTF-8', async () => {
    const dir = await folder({});
    await writeFile(join(dir, 'payments.csv'), Buffer.concat([Buffer.from('unit_code,reference,paid_on,amount,\xe9\n', 'latin1'), Buffer.from('TD000001,UNC-40,2026-10-01,1000\n')]));
    const r = await importFolder(dir, env.store);
    expect(r.errors).toEqual([{ file: 'payments.csv', line: 1, key: '(header)', reason: 'is not UTF-8 text (save the file as UTF-8); file not imported' }]);
  });

  it('stops with an error naming the file when the store refuses a write', async () => {
    const bad = await folder({ 'payments.csv': 'unit_code,reference,paid_on,amount\nTD000008,UNC-8,2026-10-01,1000\n' });
    const store = onDynalite({ getEmployer: async () => ({}), putPayments: () => Promise.reject(new Error('throttled')) });
    await expect(importFolder(bad, store)).rejects.toThrow('import stopped in payments.csv after 0 rows were written');
  });
});

describe('CSV import: large files', () => {
  it('writes in bounded batches, a few at a time, and counts what was written', async () => {
    const rows = ['unit_code,period,amount_due,due_date'];
    for (let i = 0; i < 3_000; i++) rows.push(`U${String(i).padStart(5, '0')},2026-09,${i + 1},`);
    // A repeated key in the last batch: refused, the first row kept.
    rows.push('U00007,2026-09,1,');
    const big = await folder({ 'contribution-periods.csv': rows.join('\n') });
    const stored = new Map<string, number>();
    const batchSizes: number[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const progress: number[] = [];
    const store = onDynalite({
      getEmployer: async () => ({}),
      async putPeriods(batch: ContributionPeriodRecord[]) {
        batchSizes.push(batch.length);
        maxInFlight = Math.max(maxInFlight, ++inFlight);
        await new Promise((r) => setTimeout(r, batchSizes.length === 1 ? 40 : 1));
        // Written for real too: a repeated key is settled by the stored item's provenance.
        await env.store.putPeriods(batch);
        for (const p of batch) stored.set(p.unitCode, p.amountDue);
        inFlight--;
      },
    });
    const r = await importFolder(big, store, { onProgress: (n) => progress.push(n) });
    expect(r.errors).toEqual([{ file: 'contribution-periods.csv', line: 3_002, key: 'U00007 2026-09', reason: 'unit_code and period repeat line 9 (the row kept); not loaded' }]);
    expect(Math.max(...batchSizes)).toBeLessThanOrEqual(500);
    expect(maxInFlight).toBeLessThanOrEqual(8);
    expect(stored.size).toBe(3_000);
    expect(stored.get('U00007')).toBe(8);
    expect(r.loaded.periods).toBe(3_000);
    expect(progress.at(-1)).toBe(r.loaded.periods);
  });
});

describe('batch writer', () => {
  it('lands the writes of one key in the order they were added, even across batches', async () => {
    const stored = new Map<string, number>();
    let calls = 0;
    let written = 0;
    const writer = new BatchWriter<{ k: string; v: number }>(async (batch) => {
      await new Promise((r) => setTimeout(r, calls++ === 0 ? 40 : 1));
      for (const x of batch) stored.set(x.k, x.v);
    }, (n) => { written += n; }, 10, 4);
    for (let i = 0; i < 30; i++) await writer.add(`k${i % 12}`, { k: `k${i % 12}`, v: i });
    await writer.end();
    for (let k = 0; k < 12; k++) expect(stored.get(`k${k}`)).toBe(k < 6 ? 24 + k : 12 + k);
    expect(written).toBe(30);
  });
});
