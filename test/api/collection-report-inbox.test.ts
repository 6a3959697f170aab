import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { LocalStack } from '../../local/embedded/stack.ts';
import { staffEvent } from '../support/staff-event.ts';
import { startStaffWorld } from '../support/staff-world.ts';

/**
 * The managers' collection report in the inbox, through the staff API's handler on the local stack:
 * the report the report function wrote (the local folder standing in for the bucket) shown inside
 * the inbox with its figures, earlier dates and files; refused to everyone but managers.
 */
let stack: LocalStack;
const officer = { staffId: 'cb.tran.thi.b', groups: ['officer'] };
const lead = { staffId: 'tl.vo.van.d', groups: ['team-lead'] };
const manager = { staffId: 'ld.manager', groups: ['manager'] };

async function get(who: { staffId: string; groups: string[] }, path: string) {
  const r = (await stack.lambdas.staffApi(staffEvent({ method: 'GET', path, ...who }))) as APIGatewayProxyStructuredResultV2;
  return { status: r.statusCode, headers: (r.headers ?? {}) as Record<string, string>, body: r.body ?? '' };
}

let report: { office: { debtRatioPercent: number; arrears: number } };

beforeAll(async () => {
  stack = await startStaffWorld([
    { unitCode: 'UNIT0001', name: 'Công ty <Bắc Sơn> & Con', commune: 'Bắc Sơn' },
    { unitCode: 'UNIT0002', name: 'Công ty Trung Sơn', commune: 'Trung Sơn' },
  ]);
  // Two months' reports, as the schedule writes them after each monthly run.
  await stack.lambdas.collectionReport({ asOf: '2026-10-02' });
  await stack.lambdas.collectionReport({ asOf: '2026-11-02' });
  report = JSON.parse((await get(manager, '/inbox/report/2026-11-02/report.json')).body);
}, 120_000);
afterAll(() => stack?.close());

describe('the collection report in the inbox', () => {
  it("shows a manager the latest report inside the inbox: its figures, tables in focusable named regions, the earlier dates and the files", async () => {
    const page = await get(manager, '/inbox/report');
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain("style-src 'self'");
    expect(page.body).toContain('<link rel="stylesheet" href="/inbox/inbox.css">');
    // Inside the inbox: its header and navigation, no inline style, no chart.
    expect(page.body).toContain('<a href="/inbox/report">Báo cáo thu nợ (collection report)</a>');
    expect(page.body).not.toMatch(/<style|style="|<svg|<script/);
    expect(page.body).toContain('<h1>Báo cáo thu nợ đến ngày 02/11/2026');
    const ratio = `${report.office.debtRatioPercent.toLocaleString('vi-VN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}%`;
    expect(page.body).toContain(`Tỷ lệ nợ<strong>${ratio}</strong>`);
    expect(page.body).toMatch(/Nợ chậm đóng<strong>[\d.]+ ₫<\/strong>/);
    expect(page.body).toContain('Đã thu từ đầu năm / kế hoạch năm');
    // Every scrolling table can be reached by keyboard, each region named differently.
    const regions = page.body.match(/<div class="scroll"[^>]*>/g) ?? [];
    expect(regions.length).toBe((report as { participants?: unknown }).participants ? 5 : 4);
    for (const r of regions) expect(r).toMatch(/^<div class="scroll" tabindex="0" role="region" aria-label="[^"]+">$/);
    expect(new Set(regions).size).toBe(regions.length);
    expect(page.body).toContain('<caption>Xã, phường so với chỉ tiêu</caption>');
    expect(page.body).toContain('<th scope="row">cb.tran.thi.b</th>');
    // The earlier report, and the files of this one.
    expect(page.body).toContain('<a href="/inbox/report/2026-10-02"><time datetime="2026-10-02">02/10/2026</time></a>');
    for (const f of ['collection.csv', 'officers.csv', 'report.json']) expect(page.body).toContain(`href="/inbox/report/2026-11-02/${f}"`);
    // A report is about figures and staff: no employer's name.
    expect(page.body).not.toContain('Bắc Sơn&gt; &amp; Con');
  });

  it('opens an earlier date, and gives each file to download', async () => {
    const earlier = await get(manager, '/inbox/report/2026-10-02');
    expect(earlier.status).toBe(200);
    expect(earlier.body).toContain('<h1>Báo cáo thu nợ đến ngày 02/10/2026');
    expect(earlier.body).toContain('<a href="/inbox/report/2026-11-02">');

    const csv = await get(manager, '/inbox/report/2026-11-02/collection.csv');
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toBe('attachment; filename="bao-cao-thu-no-2026-11-02-collection.csv"');
    expect(csv.body).toMatch(/^\uFEFFCấp,Quận\/huyện,/);
    const json = await get(manager, '/inbox/report/2026-11-02/report.json');
    expect(json.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(json.body)).toMatchObject({ asOf: '2026-11-02' });
    expect((await get(manager, '/inbox/report/2026-11-02/officers.csv')).status).toBe(200);
  });

  it('answers 404 for a date without a report or a file it does not offer, 400 for what is not a date', async () => {
    const none = await get(manager, '/inbox/report/2026-09-02');
    expect(none.status).toBe(404);
    expect(none.body).toContain('Không tìm thấy');
    expect((await get(manager, '/inbox/report/2026-09-02/report.json')).status).toBe(404);
    expect((await get(manager, '/inbox/report/2026-11-02/index.html')).status).toBe(404);
    expect((await get(manager, '/inbox/report/2026-11-02/..%2F..%2Fsecret')).status).toBe(404);
    expect((await get(manager, '/inbox/report/latest')).status).toBe(400);
  });

  it('refuses officers and team leads (403, a page, nothing of the report), and shows them no link to it', async () => {
    for (const who of [officer, lead]) {
      for (const path of ['/inbox/report', '/inbox/report/2026-11-02', '/inbox/report/2026-11-02/collection.csv', '/inbox/report/2026-09-02']) {
        const refused = await get(who, path);
        expect(refused.status, `${who.staffId} ${path}`).toBe(403);
        expect(refused.headers['content-type']).toBe('text/html; charset=utf-8');
        expect(refused.headers['content-disposition']).toBeUndefined();
        expect(refused.body).toContain('Không có quyền');
        expect(refused.body).not.toContain('Tỷ lệ nợ');
      }
      expect((await get(who, '/inbox')).body).not.toContain('href="/inbox/report"');
    }
    expect((await get(manager, '/inbox')).body).toContain('href="/inbox/report"');
  });
});
