import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dynamoForTests } from '../support/dynamo.ts';
import { importFolder } from '../../functions/import/csv-import.ts';
import { assembleDeps, type Deps } from '../../functions/commons/deps.ts';
import { fixedClock } from '../../functions/commons/clock.ts';
import { FolderDocumentStore } from '../../functions/commons/documents.ts';
import { DynamoReminderStore } from '../../functions/commons/reminder-store.ts';
import { runReconciliationFollowUp } from '../../functions/steps/reconciliation-run.ts';
import { recordOutcome } from '../../functions/steps/record-outcome.ts';
import { writeCollectionReport } from '../../functions/steps/collection-report.ts';
import { coveredIn, employeesNotCoveredOf, UNKNOWN_COMMUNE, type TaxFindingsGroup, type TaxFindingsReport } from '../../functions/core/tax-findings-report.ts';
import type { TaxCheckRecord } from '../../functions/commons/reconciliation-records.ts';
import type { TaskRecord } from '../../functions/commons/records.ts';

/**
 * The collection report's section on tax data, on dynalite: the sample district and a second one
 * (a unit with an employee off its roster, an organisation with no SI unit) imported, the quarterly
 * reconciliation run, some checks closed with each outcome, the report written.
 */
const AS_OF = '2026-11-20';
let env: Awaited<ReturnType<typeof dynamoForTests>>;
let deps: Deps;
let out: string;
let checks: { task: TaskRecord; check: TaxCheckRecord }[];
let report: TaxFindingsReport;

const extra = {
  'employers.csv': [
    'unit_code,name,tax_code,district,commune,email,phone,locale',
    'NQ000001,Công ty TNHH Gạch Nho Quan,2790000001,Nho Quan,Đông Sơn,ketoan.nq000001@example.vn,0912345001,vi',
  ],
  'officers.csv': [
    'officer_id,name,email,district,communes,role,active,team_lead_id,phone',
    'tt.nq.lead,Trưởng nhóm Nho Quan,tt.nq.lead@bhxh.example.vn,Nho Quan,,team-lead,true,,0849000001',
    'cb.nq.101,Cán bộ Đông Sơn,cb.nq.101@bhxh.example.vn,Nho Quan,Đông Sơn,collector,true,tt.nq.lead,0849000002',
  ],
  'roster.csv': [
    'unit_code,si_code,personal_id,name,date_of_birth,start_month,end_month,salary,phone,email,contact_consent',
    'NQ000001,3799000001,037099000001,Lê Văn Gạch,1985-03-03,2024-01,,8000000,,,false',
  ],
  'tax-organisations.csv': [
    'tax_code,name,address,district,year,employees_paid,wage_fund',
    '2790000099,Hộ kinh doanh Đá Nho Quan,,Nho Quan,2025,2,240000000',
  ],
  'tax-employees.csv': [
    'personal_id,payer_tax_code,year,months_paid,taxable_income',
    '037099000001,2790000001,2025,12,96000000',
    '037099000002,2790000001,2025,12,96000000',
  ],
  'targets.csv': [
    'scope,key,year,collected,max_debt_ratio_percent,compulsory_participants',
    'district,Tam Điệp,2026,440000000000,5,40',
    'district,Nho Quan,2026,,,4',
    'commune,Nho Quan/Đông Sơn,2026,,,2',
  ],
};

beforeAll(async () => {
  env = await dynamoForTests();
  expect((await importFolder('data/sample', env.store)).errors).toEqual([]);
  const dir = await mkdtemp(join(tmpdir(), 'nho-quan-'));
  for (const [name, lines] of Object.entries(extra)) await writeFile(join(dir, name), `${lines.join('\n')}\n`);
  const second = await importFolder(dir, env.store);
  expect(second.errors).toEqual([]);
  expect(second.loaded.targets).toBe(3);
  deps = assembleDeps({ store: env.store, reminders: new DynamoReminderStore(env.dynamo.doc, env.tableName), clock: fixedClock(new Date(`${AS_OF}T08:00:00+07:00`)) });
  deps.workflow = { resumeTask: async () => 'resumed' as const } as never;

  const run = await runReconciliationFollowUp(deps, { asOf: AS_OF });
  expect(run.tasksOpened).toBe(12);
  const officers = [...await env.store.officersInDistrict('Tam Điệp'), ...await env.store.officersInDistrict('Nho Quan')];
  const tasks = (await Promise.all(officers.map((o) => env.store.openTasksOf(o.officerId)))).flat().filter((t) => t.type === 'tax-data-check');
  checks = await Promise.all(tasks.map(async (task) => ({ task, check: (await env.store.getTaxCheck(task.taskId))! })));

  const find = (kind: string, district: string, nth = 0) => checks.filter((c) => c.check.finding.kind === kind && c.check.district === district)[nth]!;
  const close = (c: { task: TaskRecord }, outcome: string, more: { registered?: number; reason?: string } = {}) =>
    recordOutcome(deps, { taskId: c.task.taskId, outcome: outcome as never, actor: c.task.officerId, ...more });
  await close(find('unregistered-employee', 'Tam Điệp'), 'registered', { registered: 3 });
  await close(find('unregistered-organisation', 'Tam Điệp'), 'registered', { registered: 2 });
  await close(find('under-declared-wage', 'Tam Điệp', 0), 'wage-corrected');
  await close(find('under-declared-wage', 'Tam Điệp', 1), 'explained', { reason: 'tax-data-error' });
  await close(find('unregistered-employee', 'Nho Quan'), 'refer-to-inspection');

  out = await mkdtemp(join(tmpdir(), 'tax-report-'));
  await writeCollectionReport(deps, new FolderDocumentStore(out), { asOf: AS_OF });
  report = JSON.parse(await readFile(join(out, 'reports', AS_OF, 'report.json'), 'utf8')).taxFindings;
}, 180_000);
afterAll(() => env?.close());

const group = (groups: readonly TaxFindingsGroup[], district: string, commune?: string) =>
  groups.find((g) => g.district === district && (commune === undefined || g.commune === commune))!;

describe('the collection report\'s findings from tax data', () => {
  it('counts the findings of each kind, the outcomes and the registrations, office and districts', async () => {
    expect(report.quarters).toEqual(['2026-Q1', '2026-Q2', '2026-Q3', '2026-Q4']);
    expect(report.office).toMatchObject({
      findings: 12, organisationsFound: 3, underDeclaredWage: 4, closedWithDebt: 2, open: 7,
      closed: { registered: 2, 'wage-corrected': 1, explained: 1, 'refer-to-inspection': 1 }, registeredAfterCheck: 5,
    });
    const estimated = checks.filter((c) => c.check.finding.kind !== 'closed-with-debt');
    expect(report.office.notPaid).toBe(estimated.reduce((s, c) => s + c.check.finding.notPaid, 0));
    const stillOpen = [];
    for (const c of estimated) if ((await env.store.getTaxCheck(c.task.taskId))!.result === undefined) stillOpen.push(c);
    expect(report.office.notPaidOpen).toBe(stillOpen.reduce((s, c) => s + c.check.finding.notPaid, 0));
    expect(report.office.notPaidOpen).toBeLessThan(report.office.notPaid);
    const nhoQuan = group(report.districts, 'Nho Quan');
    // The organisation with no SI unit: its two employees (wage fund); the unit's employee off its roster.
    expect(nhoQuan).toMatchObject({ findings: 2, organisationsFound: 1, employeesNotCovered: 3, open: 1, closed: { 'refer-to-inspection': 1 }, registeredAfterCheck: 0 });
    expect(group(report.districts, 'Tam Điệp')).toMatchObject({ findings: 10, organisationsFound: 2, registeredAfterCheck: 5 });
  });

  it('puts each finding in its unit\'s commune, an organisation with no SI unit in its tax district\'s unknown commune', async () => {
    expect(group(report.communes, 'Nho Quan', UNKNOWN_COMMUNE)).toMatchObject({ findings: 1, organisationsFound: 1, employeesNotCovered: 2, open: 1 });
    expect(group(report.communes, 'Nho Quan', 'Đông Sơn')).toMatchObject({ findings: 1, employeesNotCovered: 1, closed: { 'refer-to-inspection': 1 }, open: 0 });
    // Every commune as an independent tally of the checks kept in the store says.
    const tally = new Map<string, { findings: number; notPaid: number; employees: number; open: number }>();
    for (const { check } of checks) {
      const employer = check.finding.unitCode ? await env.store.getEmployer(check.finding.unitCode) : undefined;
      const key = employer ? `${employer.district}/${employer.commune}` : `${check.district}/${UNKNOWN_COMMUNE}`;
      const t = tally.get(key) ?? { findings: 0, notPaid: 0, employees: 0, open: 0 };
      const closed = (await env.store.getTaxCheck(check.taskId))!.result !== undefined;
      tally.set(key, {
        findings: t.findings + 1, notPaid: t.notPaid + (check.finding.kind === 'closed-with-debt' ? 0 : check.finding.notPaid),
        employees: t.employees + employeesNotCoveredOf(check.finding), open: t.open + (closed ? 0 : 1),
      });
    }
    const withFindings = report.communes.filter((c) => c.findings > 0);
    expect(Object.fromEntries(withFindings.map((c) => [`${c.district}/${c.commune}`, { findings: c.findings, notPaid: c.notPaid, employees: c.employeesNotCovered, open: c.open }])))
      .toEqual(Object.fromEntries(tally));
    // The communes add up to their district, the districts to the office.
    for (const d of report.districts) {
      const communes = report.communes.filter((c) => c.district === d.district);
      for (const k of ['findings', 'employeesNotCovered', 'notPaid', 'notPaidOpen', 'open', 'registeredAfterCheck', 'compulsoryParticipants'] as const) {
        expect(communes.reduce((s, c) => s + c[k], 0), `${d.district} ${k}`).toBe(d[k]);
      }
    }
  });

  it('counts the compulsory participants on the rosters against the plan by count', async () => {
    const roster = (await readFile('data/sample/roster.csv', 'utf8')).trim().split('\n').slice(1).map((l) => l.split(','))
      .map(([unitCode, , personalId, , , startMonth, endMonth]) => ({ unitCode: unitCode!, personalId: personalId!, startMonth: startMonth!, endMonth: endMonth || undefined }));
    const units = [...new Set(roster.map((r) => r.unitCode))];
    const tamDiep = units.reduce((s, u) => s + coveredIn(roster.filter((r) => r.unitCode === u), '2026-11'), 0);
    expect(tamDiep).toBeGreaterThan(0);
    expect(group(report.districts, 'Tam Điệp')).toMatchObject({ compulsoryParticipants: tamDiep, participantsTarget: 40, participantsPercentOfPlan: Math.round((tamDiep * 1000) / 40) / 10 });
    expect(group(report.communes, 'Nho Quan', 'Đông Sơn')).toMatchObject({ compulsoryParticipants: 1, participantsTarget: 2, participantsPercentOfPlan: 50 });
    expect(report.office).toMatchObject({ compulsoryParticipants: tamDiep + 1, participantsTarget: 44 });
  });

  it('writes the section on the page (a table in a focusable region) and as tax-findings.csv', async () => {
    const html = await readFile(join(out, 'reports', AS_OF, 'index.html'), 'utf8');
    expect(html).toMatch(/<div class="scroll" role="region" aria-label="[^"]+" tabindex="0"><table>\n<caption>Phát hiện từ dữ liệu thuế/);
    expect(html).toContain('<th scope="row">Nho Quan – (không rõ)</th>');
    // A commune without a target shows a dash.
    expect(html).toMatch(/<th scope="row">Tam Điệp – Bắc Sơn<\/th>[\s\S]*?<td>–<\/td><td>–<\/td>\s*<\/tr>/);
    // No tax code or personal ID of a finding on the page.
    for (const { check } of checks) {
      expect(html).not.toContain(check.finding.taxCode);
      if (check.finding.personalId) expect(html).not.toContain(check.finding.personalId);
    }
    const csv = (await readFile(join(out, 'reports', AS_OF, 'tax-findings.csv'), 'utf8')).slice(1).trim().split('\r\n');
    expect(csv[0]).toMatch(/^Cấp,Quận\/huyện,Xã\/phường,Số phát hiện,Tổ chức chưa tham gia,Người lao động chưa tham gia,/);
    expect(csv).toHaveLength(1 + 1 + report.districts.length + report.communes.length);
    expect(csv[1]).toMatch(/^office,,,12,3,/);
  });
});
