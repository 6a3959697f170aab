import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dynamoForTests } from '../support/dynamo.ts';
import { importFolder } from '../../functions/import/csv-import.ts';
import { FolderDocumentStore } from '../../functions/commons/documents.ts';
import { policyFor } from '../../functions/core/policy.ts';
import { writeCollectionReport } from '../../functions/steps/collection-report.ts';
import { assembleDeps, type Deps } from '../../functions/commons/deps.ts';
import { fixedClock } from '../../functions/commons/clock.ts';
import { DynamoReminderStore } from '../../functions/commons/reminder-store.ts';
import { importParticipants } from '../../functions/import/participant-import.ts';
import { buildRenewalReport } from '../../functions/steps/renewal-report.ts';

/**
 * The collection report from a store on dynalite: the sample district imported with its targets,
 * written as HTML, CSV and JSON; the page opens with no network and is readable without its charts.
 */
let db: Awaited<ReturnType<typeof dynamoForTests>>;
let out: string;
let imported: Awaited<ReturnType<typeof importFolder>>;
let deps: Deps;

beforeAll(async () => {
  db = await dynamoForTests();
  imported = await importFolder('data/sample', db.store);
  out = await mkdtemp(join(tmpdir(), 'report-'));
  deps = assembleDeps({
    store: db.store, reminders: new DynamoReminderStore(db.dynamo.doc, db.tableName), clock: fixedClock(() => new Date('2026-11-02T12:00:00+07:00')),
  });
  await importParticipants('data/sample/participants', deps);
  await writeCollectionReport(deps, new FolderDocumentStore(out), { asOf: '2026-11-02' });
}, 120_000);
afterAll(() => db?.close());

const file = (name: string) => readFile(join(out, 'reports', '2026-11-02', name), 'utf8');

describe('collection report files', () => {
  it('imports the plan targets with the sample, and reports a bad target row by line, key and reason', async () => {
    expect(imported.loaded.targets).toBe(34);
    const dir = await mkdtemp(join(tmpdir(), 'targets-'));
    await writeFile(join(dir, 'targets.csv'), [
      'scope,key,year,collected,max_debt_ratio_percent',
      'district,Tam Điệp,2026,440000000000,5',
      'province,Ninh Bình,2026,1,',
      'commune,Tam Điệp/Bắc Sơn,26,1,',
      'officer,cb.a,2026,"1.000",',
      'officer,cb.b,2026,,',
    ].join('\n'));
    const r = await importFolder(dir, db.store);
    expect(r.loaded.targets).toBe(1);
    expect(r.errors).toEqual([
      { file: 'targets.csv', line: 3, key: 'province Ninh Bình 2026', reason: 'scope must be one of district, commune, officer' },
      { file: 'targets.csv', line: 4, key: 'commune Tam Điệp/Bắc Sơn 26', reason: 'year must be a year YYYY' },
      { file: 'targets.csv', line: 5, key: 'officer cb.a 2026', reason: expect.stringMatching(/^collected must be whole dong/) },
      { file: 'targets.csv', line: 6, key: 'officer cb.b 2026', reason: 'collected needs a collected target, a max debt ratio or a compulsory participants target' },
    ]);
  });

  it('writes the same figures as JSON and CSV: the debt ratio of the monthly run, per district and commune', async () => {
    const report = JSON.parse(await file('report.json'));
    expect(report.office).toMatchObject({ units: 300, debtRatioPercent: 7.48 });
    expect(report.communes).toHaveLength(8);
    expect(report.districts[0].target).toMatchObject({ collectedTarget: 440_000_000_000, maxDebtRatioPercent: 5, debtRatioMet: false });
    const csv = await file('collection.csv');
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const lines = csv.slice(1).trim().split('\r\n');
    expect(lines[0]).toMatch(/^Cấp,Quận\/huyện,Xã\/phường,Số đơn vị,/);
    expect(lines).toHaveLength(1 + 1 + 1 + 8);
    expect(lines[1]).toContain('office,,,300,');
    expect((await file('officers.csv')).split('\r\n').length).toBeGreaterThan(8);
  });

  it('is one self-contained page: charts inline as SVG, no script, no outside resource', async () => {
    const html = await file('index.html');
    expect(html).toMatch(/^<!doctype html>\n<html lang="vi">/);
    expect(html.match(/<svg /g)?.length).toBe(3);
    expect(html).not.toMatch(/<script|<link|src="http|href="http|@import|url\(http/);
    expect(html).toContain('7,48%');
  });

  it('is readable without the charts: each chart is labelled and its figures are in tables with headers', async () => {
    const html = await file('index.html');
    for (const figure of html.match(/<figure[^>]*>/g) ?? []) expect(figure).toMatch(/role="img" aria-label="[^"]+"/);
    const tables = html.match(/<table>[\s\S]*?<\/table>/g) ?? [];
    // Six: the trend, districts, communes, officers, findings from tax data (the sample's rosters), renewals.
    expect(tables.length).toBe(6);
    for (const t of tables) {
      expect(t).toMatch(/<caption>[^<]+<\/caption>/);
      expect(t).toMatch(/<th scope="col">/);
    }
    // No unit names, tax codes or emails: the report is about figures and staff, not employers.
    const employers = await readFile('data/sample/employers.csv', 'utf8');
    const [, first] = employers.split('\n');
    for (const value of first!.split(',').slice(1, 3)) expect(html).not.toContain(value);
    // Nor participants' SI codes, names or phones.
    const [, participant] = (await readFile('data/sample/participants/participants.csv', 'utf8')).split('\n');
    for (const value of participant!.split(',').slice(0, 4)) expect(html).not.toContain(value);
  });

  it('has the participants\' renewals of the month before, as the renewal report counts them: table and chart, CSV and JSON', async () => {
    const renewals = await buildRenewalReport(deps, { asOf: '2026-11-02' });
    expect(renewals.month).toBe('2026-10');
    expect(renewals.total.due).toBeGreaterThan(0);
    const report = JSON.parse(await file('report.json'));
    expect(report.participants).toEqual(JSON.parse(JSON.stringify(renewals)));
    const csv = (await file('participants.csv')).slice(1).trim().split('\r\n');
    expect(csv[0]).toMatch(/^Xã\/phường,Nhân viên thu,Đến hạn,Đã nhắc,Đã gia hạn,Quá hạn,/);
    expect(csv).toHaveLength(1 + renewals.rows.length + 1);
    expect(csv.at(-1)).toBe(`*,*,${renewals.total.due},${renewals.total.reminded},${renewals.total.renewed},${renewals.total.lapsed},${renewals.total.pending},${renewals.total.renewalRatePercent},,,${renewals.total.smsSent},${renewals.total.znsSent},${renewals.total.emailsSent},${renewals.total.costVnd}`);
    const html = await file('index.html');
    expect(html).toContain('<caption>Gia hạn theo xã, phường và nhân viên thu so với chỉ tiêu</caption>');
    const bacSon = renewals.rows.find((r) => r.commune === 'Bắc Sơn' && r.agentId === '*')!;
    expect(html).toMatch(new RegExp(`<th scope="row">Bắc Sơn</th><td>Cả xã, phường</td>\\s*<td>${bacSon.due}</td><td>${bacSon.reminded}</td><td>${bacSon.renewed}</td><td>${bacSon.lapsed}</td>`));
  });
});
