import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { LocalStack } from '../../local/embedded/stack.ts';
import { staffEvent } from '../support/staff-event.ts';
import { startStaffWorld } from '../support/staff-world.ts';

/**
 * The referral pack on the case page as HTML tables, and as Markdown and JSON downloads for whoever
 * may read the case (the case page's rule), through the staff API's handler on the local stack.
 */
let stack: LocalStack;
const B = { staffId: 'cb.tran.thi.b', groups: ['officer'] };
const G = { staffId: 'cb.le.thi.g', groups: ['officer'] };
const lead = { staffId: 'tl.vo.van.d', groups: ['team-lead'] };
const manager = { staffId: 'ld.manager', groups: ['manager'] };

async function get(who: { staffId: string; groups: string[] }, path: string) {
  const r = (await stack.lambdas.staffApi(staffEvent({ method: 'GET', path, ...who }))) as APIGatewayProxyStructuredResultV2;
  return { status: r.statusCode, headers: (r.headers ?? {}) as Record<string, string>, body: r.body ?? '' };
}

beforeAll(async () => {
  stack = await startStaffWorld([
    { unitCode: 'UNIT0001', name: 'Công ty <Bắc Sơn> & Con', commune: 'Bắc Sơn' }, // B's
    { unitCode: 'UNIT0002', name: 'Công ty Trung Sơn', commune: 'Trung Sơn' }, // G's, another team
  ]);
}, 120_000);
afterAll(() => stack?.close());

describe('the referral pack in the inbox', () => {
  it('shows it on the case page as tables (captions, headers, focusable scrolling regions), escaped, with the two downloads', async () => {
    const page = await get(B, '/inbox/cases/UNIT0001');
    expect(page.status).toBe(200);
    const section = page.body.slice(page.body.indexOf('id="referral-title"'));
    expect(section).not.toContain('<pre');
    expect(section).toContain('<caption>Số nợ tính đến ngày lập hồ sơ</caption>');
    expect(section).toContain('<caption>Các kỳ đóng còn nợ hoặc còn lãi</caption>');
    expect(section).toMatch(/<div class="scroll" tabindex="0" role="group" aria-label="Bảng các kỳ còn nợ, cuộn ngang \(scrolls\)">/);
    expect(section).toContain('<th scope="col">Kỳ</th>');
    expect(section).toContain('tháng 09/2026');
    expect(section).toMatch(/\d{2}\/\d{2}\/2026/);
    expect(section).toContain('href="/inbox/cases/UNIT0001/referral-pack.md"');
    expect(section).toContain('href="/inbox/cases/UNIT0001/referral-pack.json"');
    // The unit's name reaches the page only escaped.
    expect(page.body).not.toContain('<Bắc Sơn>');
    expect(page.body).toContain('&lt;Bắc Sơn&gt; &amp; Con');
  });

  it('gives the Markdown and the JSON as files; the JSON is the text whose SHA-256 the page shows', async () => {
    const md = await get(B, '/inbox/cases/UNIT0001/referral-pack.md');
    expect(md.status).toBe(200);
    expect(md.headers['content-type']).toBe('text/markdown; charset=utf-8');
    expect(md.headers['content-disposition']).toMatch(/^attachment; filename="ho-so-thanh-tra-UNIT0001-2026-11-02\.md"$/);
    expect(md.headers['cache-control']).toBe('no-store');
    expect(md.headers['x-content-type-options']).toBe('nosniff');
    expect(md.body).toMatch(/^# Hồ sơ chuyển thanh tra – đơn vị UNIT0001/);

    const json = await get(B, '/inbox/cases/UNIT0001/referral-pack.json');
    expect(json.status).toBe(200);
    expect(json.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(json.headers['content-disposition']).toBe('attachment; filename="ho-so-thanh-tra-UNIT0001-2026-11-02.json"');
    expect(JSON.parse(json.body)).toMatchObject({ kind: 'referral-pack', unit: { unitCode: 'UNIT0001' } });
    const sha256 = createHash('sha256').update(json.body).digest('hex');
    expect(md.body).toContain(sha256);
    expect((await get(B, '/inbox/cases/UNIT0001')).body).toContain(sha256);
  });

  it('follows the case page\'s rule: the officer, their team lead and a manager may; another team\'s officer may not', async () => {
    for (const who of [lead, manager]) {
      expect((await get(who, '/inbox/cases/UNIT0001/referral-pack.md')).status).toBe(200);
      expect((await get(who, '/inbox/cases/UNIT0001/referral-pack.json')).status).toBe(200);
    }
    for (const suffix of ['md', 'json']) {
      const refused = await get(G, `/inbox/cases/UNIT0001/referral-pack.${suffix}`);
      expect(refused.status).toBe(403);
      expect(refused.headers['content-disposition']).toBeUndefined();
      expect(refused.body).not.toContain('Bắc Sơn');
      expect((await get(G, '/inbox/cases/UNIT0001')).status).toBe(403);
    }
    expect((await get(B, '/inbox/cases/NOPE0001/referral-pack.json')).status).toBe(404);
  });
});
