import { mkdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { LocalStack } from '../../local/embedded/stack.ts';
import { startInboxServer, type InboxServer } from '../../local/inbox-server.ts';
import { STATE } from '../../workflows/state-names.ts';
import { launchBrowser } from '../support/browser.ts';
import { axeAtBothWidths, contrast } from '../support/axe.ts';
import { AS_OF, CYCLE, STAFF, executionOf, startStaffWorld } from '../support/staff-world.ts';
import { TableStaffDirectory } from '../../functions/commons/staff-directory.ts';

/**
 * The staff inbox end to end, in a real browser: Chromium (the system's, or the one shipped in
 * the `@sparticuz/chromium` package), headless, driven by
 * playwright-core, against the local server in front of the staff API's handler, on the local
 * stack with real executions of the synthesized workflow waiting on their tasks. On failure a
 * screenshot of the page goes to out/e2e/.
 */
const SHOTS = 'out/e2e';

let stack: LocalStack;
let server: InboxServer;
let browser: Browser;
const contexts: BrowserContext[] = [];

const execution = (unitCode: string) => executionOf(stack, unitCode);

/** A fresh browser session (its own cookies), phone-sized unless told otherwise. */
async function newPage(viewport = { width: 390, height: 844 }): Promise<Page> {
  const context = await browser.newContext({ viewport, locale: 'vi-VN' });
  contexts.push(context);
  return context.newPage();
}

/** Runs a browser step; on failure, a screenshot of the page is kept under out/e2e/. */
async function step(page: Page, name: string, run: () => Promise<void>) {
  try {
    await run();
  } catch (error) {
    await mkdir(SHOTS, { recursive: true });
    await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true }).catch(() => {});
    throw error;
  }
}

async function signIn(page: Page, name: string) {
  await page.goto(`${server.url}/inbox`);
  await expect.poll(() => new URL(page.url()).pathname).toBe('/inbox/sign-in');
  await page.getByLabel(name).check();
  await page.getByRole('button', { name: /Đăng nhập/ }).click();
  await page.waitForURL(`${server.url}/inbox`);
}

/** Every form control has a label (a <label for>, or an aria-label); none is left unnamed. */
async function unlabelledControls(page: Page): Promise<string[]> {
  // Evaluated in the page (this project's TypeScript has no DOM types).
  return page.evaluate(`[...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
    .filter((el) => !(el.id && document.querySelector('label[for="' + CSS.escape(el.id) + '"]')) && !el.getAttribute('aria-label'))
    .map((el) => el.outerHTML.slice(0, 80))`);
}

async function fitsTheScreen(page: Page): Promise<boolean> {
  return page.evaluate('document.documentElement.scrollWidth <= window.innerWidth');
}

/** axe-core on the page at desktop width and at 390 px: no serious or critical violation. */
async function accessible(page: Page) {
  expect(await axeAtBothWidths(page)).toEqual([]);
}

const activeId = (page: Page) => page.evaluate<string>("document.activeElement?.id ?? ''");

/** The unit codes of the worklist's cards, in order. */
const cards = (page: Page) => page.locator('ol.tasks > li').evaluateAll((els) => els.map((el) => el.getAttribute('data-task')));

beforeAll(async () => {
  stack = await startStaffWorld([
    { unitCode: 'UNIT0001', name: 'Công ty Bắc Sơn <Một>', commune: 'Bắc Sơn' }, // cb.tran.thi.b's
    { unitCode: 'UNIT0002', name: 'Công ty Trung Sơn', commune: 'Trung Sơn' }, // cb.le.thi.g's, another team
    { unitCode: 'UNIT0003', name: 'Công ty Nam Sơn', commune: 'Nam Sơn' }, // cb.ngo.van.e's, same team as B
    { unitCode: 'UNIT0004', name: 'Xưởng Đá Yên Sơn', commune: 'Nam Sơn' }, // cb.ngo.van.e's too
  ]);
  // A manager (the administrators' group, outside the roster), and the report of the day, as the schedule writes it.
  await new TableStaffDirectory(stack.dynamo.doc, stack.tableName).apply({ kind: 'create', username: 'ld.manager', email: 'ld@bhxh.example.vn', group: 'manager' });
  await stack.lambdas.collectionReport({ asOf: AS_OF });
  server = await startInboxServer({ handler: stack.lambdas.staffApi, doc: stack.dynamo.doc, tableName: stack.tableName, districts: ['Tam Điệp'] });
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => {});
  await browser?.close();
  await server?.close();
  await stack?.close();
});

const task = (unit: string) => `${unit}-${CYCLE}-visit`;

describe('staff inbox in a browser', () => {
  let officer: Page;

  it('signs an officer in and shows their worklist: debt, months, commune, stage and priority, on a phone-sized screen', async () => {
    officer = await newPage();
    await step(officer, 'officer-sign-in', async () => {
      await officer.goto(`${server.url}/inbox`);
      expect(await unlabelledControls(officer)).toEqual([]);
      await accessible(officer);
      await signIn(officer, 'Trần Thị B');
      expect(await cards(officer)).toEqual([task('UNIT0001')]);
      const card = officer.locator('ol.tasks > li').first();
      // The unit's name is shown as text, never as markup.
      await expect.poll(() => card.locator('h2').innerText()).toContain('Công ty Bắc Sơn <Một>');
      const text = await card.innerText();
      expect(text).toMatch(/Nợ\s+40\.\d{3}\.\d{3} ₫/);
      expect(text).toMatch(/Chậm đóng\s+2 tháng/);
      expect(text).toContain('Bắc Sơn');
      expect(text).toContain('Cán bộ thu làm việc');
      expect(text).toMatch(/Ưu tiên \d+: \+\d+ /);
      const main = await officer.locator('main').innerText();
      expect(main).not.toContain('UNIT0002');
      expect(main).not.toContain('UNIT0003');
      expect(await officer.locator('html').getAttribute('lang')).toBe('vi');
      expect(await fitsTheScreen(officer)).toBe(true);
      expect(await unlabelledControls(officer)).toEqual([]);
      await accessible(officer);
    });
  });

  it('draws a focus ring of at least 3:1 against the page and the header', async () => {
    await step(officer, 'focus-ring', async () => {
      await officer.locator('main a').first().focus();
      const ring = await officer.evaluate<string>("getComputedStyle(document.activeElement).outlineColor");
      expect(contrast(ring, 'rgb(255, 255, 255)')).toBeGreaterThanOrEqual(3);
      await officer.locator('header a').first().focus();
      const headerRing = await officer.evaluate<string>("getComputedStyle(document.activeElement).outlineColor");
      const header = await officer.evaluate<string>("getComputedStyle(document.querySelector('header')).backgroundColor");
      expect(contrast(headerRing, header)).toBeGreaterThanOrEqual(3);
    });
  });

  it('has a check that fails: axe finds what the inbox once had (unnamed control, scrolling table out of reach, a landmark name twice), and the old focus ring was under 3:1', async () => {
    const page = await newPage();
    await page.setContent(`<!doctype html><html lang="vi"><head><title>t</title></head><body><main>
      <section aria-label="Nợ"><h1>Nợ</h1></section><section aria-label="Nợ"><p>x</p></section>
      <div style="overflow-x:auto;width:100px"><table><tr><td style="white-space:nowrap">${'rất dài '.repeat(40)}</td></tr></table></div>
      <select></select></main></body></html>`);
    const found = (await axeAtBothWidths(page)).join('\n');
    for (const rule of ['select-name', 'scrollable-region-focusable', 'landmark-unique']) expect(found).toContain(rule);
    expect(contrast('rgb(245, 166, 35)', 'rgb(255, 255, 255)')).toBeLessThan(3);
  });

  it("refuses the officer another officer's task page", async () => {
    await step(officer, 'officer-forbidden', async () => {
      const r = await officer.goto(`${server.url}/inbox/tasks/${task('UNIT0002')}`);
      expect(r?.status()).toBe(403);
      expect(await officer.locator('h1').innerText()).toContain('Không có quyền');
      await accessible(officer);
    });
  });

  it('searches by unit code (lower case too) and opens the case page: unit, priority, debt, tasks, contact log, history in Vietnamese', async () => {
    await step(officer, 'case-page', async () => {
      await officer.goto(`${server.url}/inbox`);
      await officer.getByLabel(/^Tìm theo mã đơn vị/).fill('unit0001');
      await officer.getByRole('button', { name: /^Lọc/ }).click();
      await officer.waitForURL(/q=unit0001/);
      expect(await cards(officer)).toEqual([task('UNIT0001')]);
      await officer.getByRole('link', { name: /Mở hồ sơ đơn vị UNIT0001/ }).click();
      await officer.waitForURL(/\/inbox\/cases\/UNIT0001$/);
      const main = officer.locator('main');
      await expect.poll(() => main.locator('h1').innerText()).toContain('Công ty Bắc Sơn <Một>');
      const debt = main.locator('section[aria-labelledby="debt-title"] table');
      expect(await debt.locator('tbody tr').count()).toBeGreaterThanOrEqual(2);
      expect(await debt.innerText()).toContain('tháng 09/2026');
      expect(await main.locator('#priority-title').innerText()).toMatch(/Mức ưu tiên: \d+/);
      const history = await main.locator('ol.history').innerText();
      expect(history).toContain('Mở nhiệm vụ');
      expect(history).toContain('Gửi văn bản đôn đốc');
      expect(history).toContain('Trần Thị B');
      expect(history).toMatch(/02\/11\/2026 \d{2}:\d{2}/);
      for (const technical of ['anchorPeriod', 'contentSha256', ': null', 'task-opened', 'notice-sent', '2026-11-02', task('UNIT0001')]) expect(history).not.toContain(technical);
      // The referral pack: tables in Vietnamese, and its Markdown and JSON to download.
      await main.getByText('Xem hồ sơ').click();
      const pack = main.locator('section[aria-labelledby="referral-title"]');
      expect(await pack.locator('table caption').allInnerTexts()).toEqual(expect.arrayContaining(['Số nợ tính đến ngày lập hồ sơ', 'Các kỳ đóng còn nợ hoặc còn lãi']));
      const [file] = await Promise.all([officer.waitForEvent('download'), pack.getByRole('link', { name: /Markdown/ }).click()]);
      expect(file.suggestedFilename()).toMatch(/^ho-so-thanh-tra-UNIT0001-\d{4}-\d{2}-\d{2}\.md$/);
      expect(await unlabelledControls(officer)).toEqual([]);
      expect(await fitsTheScreen(officer)).toBe(true);
      await accessible(officer);
    });
  });

  it('logs a contact attempt without closing the task: a bad date is refused with focus on the summary, then it is recorded and shown', async () => {
    await step(officer, 'contact-log', async () => {
      await officer.goto(`${server.url}/inbox/tasks/${task('UNIT0001')}`);
      await accessible(officer);
      await officer.locator('#c-on').fill('2026-12-24');
      await officer.locator('#c-channel').selectOption('phone');
      await officer.locator('#c-personMet').fill('Chị Hoa, kế toán');
      await officer.locator('#c-result').selectOption('asked-to-call-back');
      await officer.locator('#c-note').fill('Hẹn gọi lại chiều thứ Sáu.');
      const response = officer.waitForResponse((r) => r.url().endsWith('/contact'));
      await officer.getByRole('button', { name: /Ghi lần liên hệ/ }).click();
      expect((await response).status()).toBe(400);
      await expect.poll(() => activeId(officer)).toBe('contact-error-summary');
      expect(await officer.locator('#c-on').getAttribute('aria-invalid')).toBe('true');
      expect(await officer.locator('#c-on-error').innerText()).toContain('không được sau ngày hôm nay');
      expect(await officer.locator('#contact-error-summary').innerText()).not.toMatch(/must|expected|Invalid/);
      expect(await officer.locator('#c-personMet').inputValue()).toBe('Chị Hoa, kế toán');
      await accessible(officer);

      await officer.locator('#c-on').fill('2026-11-02');
      await officer.getByRole('button', { name: /Ghi lần liên hệ/ }).click();
      await officer.waitForURL(/contact=logged/);
      expect(await officer.locator('[role=status]').innerText()).toContain('Đã ghi lần liên hệ');
      const log = await officer.locator('ol.contacts').innerText();
      expect(log).toContain('02/11/2026');
      expect(log).toContain('Điện thoại');
      expect(log).toContain('Chị Hoa, kế toán');
      expect(log).toContain('Hẹn gọi lại chiều thứ Sáu.');
      expect(await officer.locator('#unit-title + dl').innerText()).toContain('Chị Hoa, kế toán');
      expect(await officer.locator('ol.history').innerText()).toContain('Liên hệ đơn vị');
      expect((await stack.store.getTask(task('UNIT0001')))?.status).toBe('open');
      expect(execution('UNIT0001').status).toBe('RUNNING');
    });
  });

  it('refuses an invalid promise with the error next to the field and focus on the summary, keeping what was typed; then records a valid one by keyboard alone', async () => {
    await step(officer, 'promise', async () => {
      // Only the outcomes a visit can have.
      const offered = await officer.locator('#f-outcome option').evaluateAll((els) => els.map((el) => el.getAttribute('value')));
      expect(offered).toEqual(['', 'contacted', 'promised-to-pay', 'plan-agreed', 'disputed', 'unreachable', 'paid', 'refer-to-inspection']);
      await officer.getByLabel(/^Kết quả/).selectOption('promised-to-pay');
      await officer.getByLabel(/^Ngày hứa trả/).fill('2026-11-20');
      await officer.getByLabel(/^Số tiền hứa trả/).fill('0');
      const response = officer.waitForResponse((r) => r.url().endsWith('/outcome'));
      await officer.getByRole('button', { name: /Ghi kết quả/ }).click();
      expect((await response).status()).toBe(400);
      await expect.poll(() => activeId(officer)).toBe('error-summary');
      const amount = officer.locator('#f-promise-amount');
      await expect.poll(() => officer.locator('#f-promise-amount-error').innerText()).toContain('lớn hơn 0');
      expect(await officer.locator('#f-promise-amount-error').innerText()).not.toMatch(/must|more than/);
      expect(await amount.getAttribute('aria-invalid')).toBe('true');
      expect(await amount.getAttribute('aria-describedby')).toContain('f-promise-amount-error');
      expect(await amount.inputValue()).toBe('0');
      expect(await officer.locator('#f-promise-payBy').inputValue()).toBe('2026-11-20');
      expect(await officer.locator('#f-outcome').inputValue()).toBe('promised-to-pay');
      expect(await officer.locator('#error-summary').innerText()).toContain('Số tiền hứa trả');
      expect(execution('UNIT0001').status).toBe('RUNNING');
      await accessible(officer);

      // The whole debt, as the form states it; typed and submitted with the keyboard only.
      const hint = await officer.locator('#f-promise-amount-hint').innerText();
      const debt = hint.replace(/\D/g, '');
      await amount.focus();
      await officer.keyboard.press('Control+A');
      await officer.keyboard.type(debt);
      await officer.locator('#f-note').focus();
      await officer.keyboard.type('Giám đốc hứa trả trước ngày 20.');
      await officer.keyboard.press('Tab');
      expect(await officer.evaluate<string>("document.activeElement?.textContent ?? ''")).toContain('Ghi kết quả');
      await officer.keyboard.press('Enter');
      await officer.waitForURL(/\/inbox\?done=/);
      expect(await officer.locator('[role=status]').innerText()).toContain('quy trình đã tiếp tục');
      expect(await officer.locator('ol.tasks > li').count()).toBe(0);
    });
  });

  it('lists the done task, and shows its note on the case page', async () => {
    await step(officer, 'done', async () => {
      await officer.getByRole('link', { name: /Đã xong/ }).click();
      await officer.waitForURL(/view=done/);
      expect(await cards(officer)).toEqual([task('UNIT0001')]);
      expect(await officer.locator('ol.tasks > li').first().innerText()).toContain('Hứa trả nợ');
      await accessible(officer);
      await officer.goto(`${server.url}/inbox/cases/UNIT0001`);
      expect(await officer.locator('.unit-tasks').innerText()).toContain('Giám đốc hứa trả trước ngày 20.');
    });
  });

  it('has moved the workflow on: the execution reassessed after the outcome and finished', async () => {
    const e = execution('UNIT0001');
    await e.done;
    expect(e.status).toBe('SUCCEEDED');
    expect(e.path).toContain(STATE.reassessAfterOutcome);
    expect(e.path).not.toContain(STATE.recordTaskTimeout);
    expect((await stack.store.getTask(task('UNIT0001')))?.outcome).toBe('promised-to-pay');
    expect((await stack.store.getLedger('UNIT0001')).arrangement).toMatchObject({ kind: 'promise' });
  });

  it("shows a team lead the team's tasks grouped by officer with counts (not another team's), searched and filtered, and reassigns two at once", async () => {
    const lead = await newPage({ width: 1280, height: 900 });
    await step(lead, 'team-lead', async () => {
      await signIn(lead, 'Võ Văn D');
      expect((await cards(lead)).sort()).toEqual([task('UNIT0003'), task('UNIT0004')]);
      const group = lead.locator('section.group h2');
      expect(await group.count()).toBe(1);
      expect(await group.first().innerText()).toMatch(/Ngô Văn E .*: 2 nhiệm vụ, nợ/);
      await accessible(lead);

      await lead.getByLabel(/^Tìm theo mã đơn vị/).fill('xuong da');
      await lead.getByRole('button', { name: /^Lọc/ }).click();
      await lead.waitForURL(/q=xuong/);
      expect(await cards(lead)).toEqual([task('UNIT0004')]);
      await lead.goto(`${server.url}/inbox`);
      await lead.getByLabel(/^Xã, phường/).selectOption('Nam Sơn');
      await lead.getByLabel(/^Sắp xếp/).selectOption('debt');
      await lead.getByRole('button', { name: /^Lọc/ }).click();
      await lead.waitForURL(/commune=/);
      expect((await cards(lead)).sort()).toEqual([task('UNIT0003'), task('UNIT0004')]);
      await accessible(lead);

      // Bulk: nothing ticked is refused, plainly, with focus on the summary.
      await lead.getByLabel(/^Giao các nhiệm vụ đã chọn cho/).selectOption('cb.tran.thi.b');
      await lead.getByRole('button', { name: /Giao lại các việc đã chọn/ }).click();
      await expect.poll(() => activeId(lead)).toBe('bulk-error-summary');
      expect(await lead.locator('#bulk-error-summary').innerText()).toContain('hãy chọn ít nhất một nhiệm vụ');
      await accessible(lead);
      await lead.getByLabel('Chọn Công ty Nam Sơn').check();
      await lead.getByLabel('Chọn Xưởng Đá Yên Sơn').check();
      await lead.getByLabel(/^Giao các nhiệm vụ đã chọn cho/).selectOption('cb.tran.thi.b');
      await lead.getByRole('button', { name: /Giao lại các việc đã chọn/ }).click();
      await lead.waitForURL(/\/inbox\?reassigned=2/);
      expect(await lead.locator('[role=status]').innerText()).toContain('cb.tran.thi.b');
      expect(await lead.locator('section.group h2').first().innerText()).toMatch(/Trần Thị B .*: 2 nhiệm vụ/);
      expect((await stack.store.getTask(task('UNIT0003')))?.officerId).toBe('cb.tran.thi.b');
      expect((await stack.store.getTask(task('UNIT0004')))?.officerId).toBe('cb.tran.thi.b');
      expect((await stack.store.caseHistory('UNIT0004')).filter((e) => e.kind === 'task-reassigned')).toHaveLength(1);
    });
    // The tasks are now in B's inbox.
    await step(officer, 'officer-after-reassign', async () => {
      await officer.goto(`${server.url}/inbox`);
      expect((await cards(officer)).sort()).toEqual([task('UNIT0003'), task('UNIT0004')]);
    });
  });

  it('shows a manager the collection report inside the inbox, from its link in the header: figures, tables that scroll by keyboard at 390 px, no serious or critical axe violation at either width', async () => {
    const manager = await newPage();
    await step(manager, 'manager-report', async () => {
      await signIn(manager, 'ld.manager');
      await manager.getByRole('link', { name: /Báo cáo thu nợ/ }).click();
      await manager.waitForURL(`${server.url}/inbox/report`);
      expect(await manager.locator('h1').innerText()).toContain('Báo cáo thu nợ đến ngày 02/11/2026');
      expect(await manager.locator('main').innerText()).toMatch(/Tỷ lệ nợ\s*[\d,]+%/);
      const regions = manager.locator('div.scroll[role=region][tabindex="0"]');
      expect(await regions.count()).toBeGreaterThanOrEqual(4);
      // At 390 px the tables are wider than the screen: they scroll inside their region, the page does not.
      expect(await manager.evaluate<boolean>("[...document.querySelectorAll('div.scroll[role=region]')].every((el) => el.scrollWidth > el.clientWidth)")).toBe(true);
      expect(await fitsTheScreen(manager)).toBe(true);
      await regions.first().focus();
      expect(await manager.evaluate<string>("document.activeElement?.getAttribute('role') ?? ''")).toBe('region');
      await accessible(manager);
    });
    // An officer has no link to it, and is refused it.
    const other = await newPage();
    await step(other, 'officer-report-forbidden', async () => {
      await signIn(other, 'Lê Thị G');
      expect(await other.locator('header a[href="/inbox/report"]').count()).toBe(0);
      const r = await other.goto(`${server.url}/inbox/report`);
      expect(r?.status()).toBe(403);
      expect(await other.locator('h1').innerText()).toContain('Không có quyền');
      await accessible(other);
    });
  });

  it('refuses forged and oversized form posts, and after sign-out the old session cookie', async () => {
    const page = await newPage();
    await step(page, 'csrf-sign-out', async () => {
      await signIn(page, 'Lê Thị G');
      const taskUrl = `${server.url}/inbox/tasks/${task('UNIT0002')}`;
      await page.goto(taskUrl);
      // Every form carries the session's CSRF token.
      const forms = await page.locator('form[method=post]').count();
      expect(forms).toBeGreaterThanOrEqual(3);
      expect(await page.locator('form[method=post] input[type=hidden][name=csrf]').count()).toBe(forms);
      const csrf = (await page.locator('input[name=csrf]').first().getAttribute('value'))!;
      const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
      const post = (path: string, headers: Record<string, string>, body: string) => fetch(`${server.url}${path}`, {
        method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', ...headers }, body,
      });
      const outcome = `/inbox/tasks/${task('UNIT0002')}/outcome`;
      expect((await post(outcome, { origin: 'https://evil.example' }, `outcome=contacted&csrf=${csrf}`)).status).toBe(403);
      expect((await post(outcome, {}, `outcome=contacted&csrf=${csrf}`)).status).toBe(403);
      expect((await post(outcome, { origin: server.url }, 'outcome=contacted')).status).toBe(403);
      expect((await post(outcome, { origin: server.url }, `outcome=contacted&csrf=${csrf}x`)).status).toBe(403);
      expect((await post(`/inbox/tasks/${task('UNIT0002')}/contact`, { origin: server.url }, 'channel=phone')).status).toBe(403);
      expect((await post('/inbox/reassign', { origin: server.url }, `officerId=cb.le.thi.g&taskIds=${task('UNIT0002')}`)).status).toBe(403);
      expect((await post(outcome, { origin: server.url }, `csrf=${csrf}&note=${'x'.repeat(70_000)}`)).status).toBe(413);
      expect((await post('/inbox/sign-out', { origin: 'https://evil.example' }, `csrf=${csrf}`)).status).toBe(403);
      expect((await post('/inbox/sign-out', { origin: server.url }, 'csrf=wrong')).status).toBe(403);
      expect((await stack.store.getTask(task('UNIT0002')))?.status).toBe('open');

      await page.getByRole('button', { name: /Đăng xuất/ }).click();
      await page.waitForURL(`${server.url}/inbox/sign-in`);
      // The old cookie, replayed: the session is gone from the server's list.
      const replay = await fetch(`${server.url}/inbox`, { redirect: 'manual', headers: { cookie } });
      expect([replay.status, replay.headers.get('location')]).toEqual([303, '/inbox/sign-in']);
      const replayedPost = await post(outcome, { origin: server.url }, `outcome=contacted&csrf=${csrf}`);
      expect([replayedPost.status, replayedPost.headers.get('location')]).toEqual([303, '/inbox/sign-in']);
      expect((await stack.store.getTask(task('UNIT0002')))?.status).toBe('open');
    });
  });

  it('lets the district\'s team lead record a tax-data check of an organisation with no SI unit: the finding shown, a bad count refused, then "registered"', async () => {
    // The quarter's reconciliation run, on tax data showing an organisation that pays wages and is no SI unit.
    await stack.store.putTaxOrganisations([{ taxCode: '2799000001', name: 'Công ty Chưa Đăng Ký', address: 'Số 1 đường Quang Trung', district: 'Tam Điệp', year: 2025, employeesPaid: 2, wageFund: 240_000_000 }]);
    await stack.store.putTaxEmployees(['037085009901', '037085009902'].map((personalId) => ({ personalId, payerTaxCode: '2799000001', year: 2025, monthsPaid: 12, taxableIncome: 120_000_000 })));
    await stack.lambdas.reconciliationRun({});
    const checks = (await Promise.all(['tl.vo.van.d', 'tl.dinh.van.h'].map((id) => stack.store.openTasksOf(id)))).flat().filter((t) => t.type === 'tax-data-check');
    expect(checks).toHaveLength(1);
    const check = checks[0]!;
    const lead = await newPage();
    await step(lead, 'tax-data-check', async () => {
      await signIn(lead, STAFF.find((o) => o.officerId === check.officerId)!.name);
      await lead.goto(`${server.url}/inbox/tasks/${check.taskId}`);
      const main = lead.locator('main');
      expect(await main.locator('h1').innerText()).toContain('Công ty Chưa Đăng Ký');
      const org = await main.locator('section[aria-labelledby="org-title"]').innerText();
      expect(org).toContain('2799000001');
      expect(org).toContain('Số 1 đường Quang Trung');
      const finding = await main.locator('section[aria-labelledby="finding-title"]').innerText();
      expect(finding).toMatch(/\d{1,3}(\.\d{3})+ ₫/);
      expect(finding).toMatch(/Tính là trốn đóng từ ngày\s+\d{2}\/\d{2}\/2025/);
      expect(finding).toMatch(/Số lao động chưa tham gia\s+2/);
      expect(await main.innerText()).not.toContain('037085009901');
      const offered = await lead.locator('#f-outcome option').evaluateAll((els) => els.map((el) => el.getAttribute('value')));
      expect(offered).toEqual(['', 'registered', 'wage-corrected', 'explained', 'refer-to-inspection']);
      expect(await unlabelledControls(lead)).toEqual([]);
      expect(await fitsTheScreen(lead)).toBe(true);
      await accessible(lead);

      await lead.getByLabel(/^Kết quả/).selectOption('registered');
      await lead.getByLabel(/^Số lao động đơn vị đã đăng ký thêm/).fill('0');
      const response = lead.waitForResponse((r) => r.url().endsWith('/outcome'));
      await lead.getByRole('button', { name: /Ghi kết quả/ }).click();
      expect((await response).status()).toBe(400);
      await expect.poll(() => activeId(lead)).toBe('error-summary');
      expect(await lead.locator('#f-registered').getAttribute('aria-invalid')).toBe('true');
      expect(await lead.locator('#f-registered-error').innerText()).toContain('phải từ 1 người trở lên');
      expect(await lead.locator('#error-summary').innerText()).not.toMatch(/must|expected|Invalid/);
      await accessible(lead);

      await lead.getByLabel(/^Số lao động đơn vị đã đăng ký thêm/).fill('2');
      await lead.getByLabel(/^Ghi chú/).fill('Đã hướng dẫn đơn vị đăng ký tham gia.');
      await lead.getByRole('button', { name: /Ghi kết quả/ }).click();
      await lead.waitForURL(/\/inbox\?done=/);
      expect(await lead.locator('[role=status]').innerText()).toContain(check.taskId);
      expect((await stack.store.getTaxCheck(check.taskId))?.result).toMatchObject({ outcome: 'registered', registered: 2 });
      expect((await stack.store.getTask(check.taskId))?.status).toBe('done');
    });
  });
});
