import { mkdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { LocalStack } from '../../local/embedded/stack.ts';
import { startInboxServer, type InboxServer } from '../../local/inbox-server.ts';
import { STATE } from '../../workflows/state-names.ts';
import { launchBrowser } from '../support/browser.ts';
import { CYCLE, executionOf, startStaffWorld } from '../support/staff-world.ts';

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

beforeAll(async () => {
  stack = await startStaffWorld([
    { unitCode: 'UNIT0001', name: 'Công ty Bắc Sơn <Một>', commune: 'Bắc Sơn' }, // cb.tran.thi.b's
    { unitCode: 'UNIT0002', name: 'Công ty Trung Sơn', commune: 'Trung Sơn' }, // cb.le.thi.g's, another team
    { unitCode: 'UNIT0003', name: 'Công ty Nam Sơn', commune: 'Nam Sơn' }, // cb.ngo.van.e's, same team as B
  ]);
  server = await startInboxServer({ handler: stack.lambdas.staffApi, doc: stack.dynamo.doc, tableName: stack.tableName, districts: ['Tam Điệp'] });
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => {});
  await browser?.close();
  await server?.close();
  await stack?.close();
});

describe('staff inbox in a browser', () => {
  let officer: Page;

  it('signs an officer in and shows only their own open tasks, on a phone-sized screen', async () => {
    officer = await newPage();
    await step(officer, 'officer-sign-in', async () => {
      await officer.goto(`${server.url}/inbox`);
      expect(await unlabelledControls(officer)).toEqual([]);
      await signIn(officer, 'Trần Thị B');
      const tasks = officer.locator('ol.tasks > li');
      await expect.poll(() => tasks.count()).toBe(1);
      expect(await tasks.first().getAttribute('data-task')).toBe(`UNIT0001-${CYCLE}-visit`);
      // The unit's name is shown as text, never as markup.
      await expect.poll(() => tasks.first().locator('h2').innerText()).toContain('Công ty Bắc Sơn <Một>');
      const text = await officer.locator('main').innerText();
      expect(text).not.toContain('UNIT0002');
      expect(text).not.toContain('UNIT0003');
      expect(await officer.locator('html').getAttribute('lang')).toBe('vi');
      expect(await fitsTheScreen(officer)).toBe(true);
    });
  });

  it("refuses the officer another officer's task page", async () => {
    await step(officer, 'officer-forbidden', async () => {
      const r = await officer.goto(`${server.url}/inbox/tasks/UNIT0002-${CYCLE}-visit`);
      expect(r?.status()).toBe(403);
      expect(await officer.locator('h1').innerText()).toContain('Không có quyền');
    });
  });

  it('opens the case page: unit, debt by period, full history and referral pack', async () => {
    await step(officer, 'case-page', async () => {
      await officer.goto(`${server.url}/inbox`);
      await officer.getByRole('link', { name: /Công ty Bắc Sơn/ }).click();
      await officer.waitForURL(/\/inbox\/tasks\/UNIT0001-2026-11-visit$/);
      const main = officer.locator('main');
      await expect.poll(() => main.locator('h1').innerText()).toContain('Công ty Bắc Sơn <Một>');
      expect(await main.locator('table tbody tr').count()).toBeGreaterThanOrEqual(2);
      expect(await main.locator('table').innerText()).toContain('2026-09');
      const history = await main.locator('ol.history').innerText();
      expect(history).toContain('task-opened');
      expect(history).toContain('visit task UNIT0001-2026-11-visit');
      expect(history).toContain('notice-sent');
      await main.getByText('Xem hồ sơ').click();
      expect(await main.locator('pre.pack').innerText()).toContain('UNIT0001');
      expect(await unlabelledControls(officer)).toEqual([]);
      expect(await fitsTheScreen(officer)).toBe(true);
    });
  });

  it('refuses an invalid promise with the error next to the field, keeping what was typed; then records a valid one by keyboard alone', async () => {
    await step(officer, 'promise', async () => {
      await officer.getByLabel(/^Kết quả/).selectOption('promised-to-pay');
      await officer.getByLabel(/^Ngày hứa trả/).fill('2026-11-20');
      await officer.getByLabel(/^Số tiền hứa trả/).fill('0');
      const response = officer.waitForResponse((r) => r.url().endsWith('/outcome'));
      await officer.getByRole('button', { name: /Ghi kết quả/ }).click();
      expect((await response).status()).toBe(400);
      const amount = officer.locator('#f-promise-amount');
      await expect.poll(() => officer.locator('#f-promise-amount-error').innerText()).toContain('lớn hơn 0');
      expect(await amount.getAttribute('aria-invalid')).toBe('true');
      expect(await amount.getAttribute('aria-describedby')).toContain('f-promise-amount-error');
      expect(await amount.inputValue()).toBe('0');
      expect(await officer.locator('#f-promise-payBy').inputValue()).toBe('2026-11-20');
      expect(await officer.locator('#f-outcome').inputValue()).toBe('promised-to-pay');
      expect(await officer.locator('[role=alert]').innerText()).toContain('Số tiền hứa trả');
      expect(execution('UNIT0001').status).toBe('RUNNING');

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

  it('has moved the workflow on: the execution reassessed after the outcome and finished', async () => {
    const e = execution('UNIT0001');
    await e.done;
    expect(e.status).toBe('SUCCEEDED');
    expect(e.path).toContain(STATE.reassessAfterOutcome);
    expect(e.path).not.toContain(STATE.recordTaskTimeout);
    expect((await stack.store.getTask(`UNIT0001-${CYCLE}-visit`))?.outcome).toBe('promised-to-pay');
    expect((await stack.store.getLedger('UNIT0001')).arrangement).toMatchObject({ kind: 'promise' });
  });

  it("shows a team lead the team's tasks (not another team's) and lets them reassign one", async () => {
    const lead = await newPage({ width: 1280, height: 900 });
    await step(lead, 'team-lead', async () => {
      await signIn(lead, 'Võ Văn D');
      const ids = await lead.locator('ol.tasks > li').evaluateAll((els) => els.map((el) => el.getAttribute('data-task')));
      expect(ids).toEqual([`UNIT0003-${CYCLE}-visit`]);
      await lead.getByRole('link', { name: /Công ty Nam Sơn/ }).click();
      await lead.getByLabel(/^Cán bộ nhận/).selectOption('cb.tran.thi.b');
      await lead.getByRole('button', { name: /Giao lại/ }).click();
      await lead.waitForURL(/\/inbox\?reassigned=/);
      expect(await lead.locator('[role=status]').innerText()).toContain('cb.tran.thi.b');
      expect(await lead.locator('ol.tasks > li').first().innerText()).toContain('Trần Thị B');
      expect((await stack.store.getTask(`UNIT0003-${CYCLE}-visit`))?.officerId).toBe('cb.tran.thi.b');
    });
    // The task is now in B's inbox.
    await step(officer, 'officer-after-reassign', async () => {
      await officer.goto(`${server.url}/inbox`);
      expect(await officer.locator('ol.tasks > li').first().getAttribute('data-task')).toBe(`UNIT0003-${CYCLE}-visit`);
    });
  });

  it('refuses forged and oversized form posts, and after sign-out the old session cookie', async () => {
    const page = await newPage();
    await step(page, 'csrf-sign-out', async () => {
      await signIn(page, 'Lê Thị G');
      const taskUrl = `${server.url}/inbox/tasks/UNIT0002-${CYCLE}-visit`;
      await page.goto(taskUrl);
      // Every form carries the session's CSRF token.
      const forms = await page.locator('form').count();
      expect(forms).toBeGreaterThanOrEqual(2);
      expect(await page.locator('form input[type=hidden][name=csrf]').count()).toBe(forms);
      const csrf = (await page.locator('input[name=csrf]').first().getAttribute('value'))!;
      const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
      const post = (path: string, headers: Record<string, string>, body: string) => fetch(`${server.url}${path}`, {
        method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', ...headers }, body,
      });
      const outcome = `/inbox/tasks/UNIT0002-${CYCLE}-visit/outcome`;
      expect((await post(outcome, { origin: 'https://evil.example' }, `outcome=contacted&csrf=${csrf}`)).status).toBe(403);
      expect((await post(outcome, {}, `outcome=contacted&csrf=${csrf}`)).status).toBe(403);
      expect((await post(outcome, { origin: server.url }, 'outcome=contacted')).status).toBe(403);
      expect((await post(outcome, { origin: server.url }, `outcome=contacted&csrf=${csrf}x`)).status).toBe(403);
      expect((await post(outcome, { origin: server.url }, `csrf=${csrf}&note=${'x'.repeat(70_000)}`)).status).toBe(413);
      expect((await post('/inbox/sign-out', { origin: 'https://evil.example' }, `csrf=${csrf}`)).status).toBe(403);
      expect((await post('/inbox/sign-out', { origin: server.url }, 'csrf=wrong')).status).toBe(403);
      expect((await stack.store.getTask(`UNIT0002-${CYCLE}-visit`))?.status).toBe('open');

      await page.getByRole('button', { name: /Đăng xuất/ }).click();
      await page.waitForURL(`${server.url}/inbox/sign-in`);
      // The old cookie, replayed: the session is gone from the server's list.
      const replay = await fetch(`${server.url}/inbox`, { redirect: 'manual', headers: { cookie } });
      expect([replay.status, replay.headers.get('location')]).toEqual([303, '/inbox/sign-in']);
      const replayedPost = await post(outcome, { origin: server.url }, `outcome=contacted&csrf=${csrf}`);
      expect([replayedPost.status, replayedPost.headers.get('location')]).toEqual([303, '/inbox/sign-in']);
      expect((await stack.store.getTask(`UNIT0002-${CYCLE}-visit`))?.status).toBe('open');
    });
  });
});
