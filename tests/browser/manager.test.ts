// The managers' console in Chromium, in Chinese: a desk officer who opens it is shown the way out; a manager
// opens a script in CodeMirror, breaks it and sees the checker's finding as a lint mark at its line and on
// the graph, has a publish refused with the reasons, fixes it (the red banner goes), tries it in the chat,
// publishes after a confirmation that shows the changes, and sees the next new case speak the new words;
// the graph draws the script-wide transitions; reports of a seeded run, in Chinese and in English; canned
// replies. Screenshots: artifacts/screenshots/manager-*.png
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { hashPassword } from '../../server/people/passwords';
import { insertUser } from '../../server/store/repositories/users';
import { sqliteDatabase } from '../support/databases';
import { SCREENSHOTS, launchBrowser, type TestBrowser } from '../support/browser';
import { fileWarning, startHarness, type Harness } from '../integration/manager-harness';
import { seedRun } from '../integration/manager-seed';
import { shot } from './desk-page';

jest.setTimeout(120_000);

const PASSWORD = 'correct horse battery';
// The script edited is the shared one (scam_base): every scam flow, fallback included, extends it.
const shipped = fs.readFileSync('flows/scam_base.yaml', 'utf8');
const broken = shipped.replace('safe_aware: explain_tell\n\n  explain_tell', 'safe_aware: explain_tel\n\n  explain_tell');
const BROKEN_LINE = shipped.split('\n').findIndex((l) => l.includes('safe_aware: explain_tell')) + 1;
const OLD_GREET_EN = 'First question: have you transferred any money to them?';
const NEW_GREET_EN = 'First question: have you sent any money to them?';
// The greeting's spoken and written wordings both change.
const fixed = shipped.replaceAll(`${OLD_GREET_EN}"`, `${NEW_GREET_EN}"`);

/** Replaces the editor's whole text by pasting it over a select-all, as a manager would. */
async function setYaml(page: Page, text: string): Promise<void> {
  await page.click('#yaml .cm-content');
  await page.keyboard.press('Control+A');
  await page.$eval(
    '#yaml .cm-content',
    (el, value) => {
      const data = new DataTransfer();
      data.setData('text/plain', value);
      el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    },
    text,
  );
}

async function signIn(page: Page, base: string, username: string): Promise<void> {
  await page.goto(`${base}/login`);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', PASSWORD);
  await page.click('button[type=submit]');
}

describe("managers' console in the browser, in Chinese", () => {
  let h: Harness;
  let browser: TestBrowser;
  let page: Page;

  beforeAll(async () => {
    h = await startHarness(sqliteDatabase());
    await insertUser(h.store.db, { username: 'li.manager', role: 'manager', displayName: '李主管', passwordHash: await hashPassword(PASSWORD) });
    await insertUser(h.store.db, { username: 'wang.desk', role: 'desk', displayName: '王警官', passwordHash: await hashPassword(PASSWORD) });
    browser = await launchBrowser({ viewport: { width: 1480, height: 960 }, locale: 'zh-CN' });
    page = browser.page;
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it('shows a desk officer who opens it where to go, and how to sign out', async () => {
    await signIn(page, h.url, 'wang.desk');
    await page.waitForURL(/\/desk\/$/);
    await page.goto(`${h.url}/manager/`);
    await page.locator('.not-allowed [role=alert]', { hasText: '您的角色（劝阻员）不能使用本控制台。' }).waitFor();
    expect(await page.locator('.not-allowed a.btn').getAttribute('href')).toBe('/desk/');
    await shot(browser, page, 'manager-zh-not-allowed');
    await page.click('#logout');
    await page.waitForURL(`${h.url}/login`);
  });

  it('signs in through the shared login page and lists the scripts', async () => {
    await page.goto(`${h.url}/manager/`);
    await page.waitForURL(/\/login\?next=/);
    await signIn(page, h.url, 'li.manager');
    await page.waitForURL(/\/manager\/$|\/manager\/#/);
    await page.waitForSelector('tr[data-flow=scam_base]');
    expect(await page.textContent('tr[data-flow=scam_base]')).toContain('v1');
    expect(await page.textContent('#who')).toBe('李主管 · 主管');
    expect(await page.textContent('.page-head h1')).toBe('对话脚本');
    await shot(browser, page, 'manager-zh-flows');
  });

  it('marks a checker error at its line in the editor and on the graph, with the fix', async () => {
    await page.click('tr[data-flow=scam_base] a.btn');
    await page.waitForSelector('#yaml .cm-editor');
    await page.waitForSelector('#check-status.good');
    await setYaml(page, broken);
    await page.waitForSelector('#check-status.bad');
    expect(await page.textContent('#check-status')).toBe('1 个错误');
    const issue = page.locator('#issues li.issue.error').first();
    expect(await issue.locator('.where').textContent()).toBe(`第 ${BROKEN_LINE} 行 · 状态 greet`);
    expect(await issue.locator('.issue-msg').textContent()).toBe("greet.on.safe_aware[0] goes to state 'explain_tel', which does not exist");
    expect(await issue.locator('.issue-fix').textContent()).toContain("(did you mean 'explain_tell'?)");
    expect(await page.getAttribute('#graph g[data-state=greet]', 'class')).toBe('node start has-errors');
    // Clicking the finding scrolls the editor to its line and selects it; the lint mark and the gutter marker are there.
    await issue.click();
    // (The editor is in a shadow root, so the selection is the shadow root's.)
    expect(await page.evaluate(() => (document.querySelector('#yaml')!.shadowRoot as unknown as { getSelection(): Selection }).getSelection().toString())).toBe('safe_aware: explain_tel');
    const marked = page.locator('#yaml .cm-line:has(.cm-lintRange-error)');
    await marked.waitFor();
    expect(await marked.textContent()).toBe('      safe_aware: explain_tel');
    await page.locator('#yaml .cm-gutter-lint .cm-lint-marker-error').waitFor();
    expect(await page.locator('#yaml .cm-gutter-lint .cm-lint-marker-error').count()).toBe(1);
    await shot(browser, page, 'manager-zh-editor-error');
  });

  it('refuses to publish with the reasons, and the red banner goes once the draft is good', async () => {
    await page.click('#publish');
    await page.locator('#confirm-dialog[open]').waitFor();
    await page.click('#confirm-ok');
    await page.waitForSelector('#notice .alert.error');
    expect(await page.textContent('#notice .alert b')).toBe('未能发布：scam_base v2 was not published: the checker found 1 error(s)');
    expect(await page.textContent('#notice ul.reasons')).toContain("greet: greet.on.safe_aware[0] goes to state 'explain_tel', which does not exist");
    expect(await page.textContent('#published-badge')).toBe('已发布 v1');
    await shot(browser, page, 'manager-zh-publish-refused');

    await setYaml(page, fixed);
    await page.waitForSelector('#check-status.good');
    expect(await page.textContent('#check-status')).toMatch(/^无错误 · 测试覆盖 (\d+)\/\1 个转移$/);
    expect(await page.locator('#yaml .cm-lintRange-error').count()).toBe(0);
    await page.click('#save-draft');
    await page.locator('#notice .alert').waitFor({ state: 'detached' });
    await page.locator('#unsaved-badge').waitFor({ state: 'detached' });
    expect(await page.textContent('#draft-badge')).toBe('草稿 v2');
  });

  it('draws the script-wide transitions from an "any state" box', async () => {
    const shared = page.locator('#shared-edges g.shared-edge');
    // scam_base.yaml's flow-level `on:` goes to these states (low_confidence, question and no_reply stay in place or guard).
    const targets = await shared.evaluateAll((gs) => gs.map((g) => g.getAttribute('data-to')).sort());
    expect(targets).toEqual(expect.arrayContaining(['ask_amount', 'human', 'stop_paying', 'wrong_person']));
    expect(await page.locator('#shared-edges .node.any .node-label').textContent()).toBe('任意状态');
    expect(await page.locator('#shared-edges g.shared-edge[data-to=ask_amount] text').evaluate((el) => el.firstChild?.textContent)).toBe('已经付款');
    await page.locator('#graph').screenshot({ path: path.join(SCREENSHOTS, 'manager-zh-graph.png') });
  });

  it('tries the draft in the chat with the real classifier', async () => {
    await page.click('button[data-tab=try]');
    await page.selectOption('#try-locale', 'en');
    await page.waitForSelector(`.msg.bot >> text=${NEW_GREET_EN}`);
    await page.fill('.chat-input', 'I already sent 5000 yuan by Alipay');
    await page.click('.chat-form button[type=submit]');
    const reply = page.locator('.msg.citizen').last();
    await reply.locator('[data-intent=already_paid]').waitFor();
    expect(await reply.locator('[data-intent=already_paid]').textContent()).toBe('已经付款');
    expect(await reply.locator('[data-cue=already_transferred]').textContent()).toBe('线索：已经转账');
    expect(await reply.locator('[data-payment]').textContent()).toBe('付款：5000 · alipay');
    expect(await reply.locator('[data-action=handoff]').textContent()).toBe('转人工：已付款 (100)');
    await shot(browser, page, 'manager-zh-try-sms');

    await page.selectOption('#try-channel', 'voice');
    await page.waitForSelector('details.twiml');
    await page.click('details.twiml summary');
    expect(await page.textContent('details.twiml pre')).toContain('<Gather input="speech dtmf"');
    await page.fill('.chat-input', '0');
    await page.click('.chat-form button[type=submit]');
    await page.waitForSelector('.msg.citizen >> text=按键 0');
    expect(await page.locator('.msg.citizen').last().textContent()).toContain('转人工：要求民警');
  });

  it('publishes after a confirmation that shows the changes, and the next new case uses the new version', async () => {
    await page.click('#publish');
    const dialog = page.locator('#confirm-dialog[open]');
    await dialog.waitFor();
    expect(await dialog.locator('h2').textContent()).toBe('发布 scam_base v2？');
    // Each wording of the greeting (spoken and written) is one changed line.
    const wordings = shipped.split(`${OLD_GREET_EN}"`).length - 1;
    expect(await dialog.locator('table.diff tr.add', { hasText: NEW_GREET_EN }).count()).toBe(wordings);
    expect(await dialog.locator('table.diff tr.del', { hasText: OLD_GREET_EN }).count()).toBe(wordings);
    await shot(browser, page, 'manager-zh-publish-confirm');
    // Cancelling publishes nothing.
    await dialog.locator('button', { hasText: '取消' }).click();
    expect(await page.textContent('#published-badge')).toBe('已发布 v1');
    await page.click('#publish');
    await page.locator('#confirm-dialog[open]').waitFor();
    await page.click('#confirm-ok');
    await page.waitForSelector('#notice .alert.success');
    expect(await page.textContent('#notice')).toContain('已发布 scam_base v2。');
    expect(await page.textContent('#published-badge')).toBe('已发布 v2');
    await page.click('button[data-tab=versions]');
    await page.waitForSelector('li[data-version="1"] >> text=回滚到 v1');
    await shot(browser, page, 'manager-zh-published');

    const caseId = await fileWarning(h, { externalId: 'W-BROWSER-1', phone: '+8613800138111', name: 'Alex Chen', locale: 'en', scamType: 'other', riskLevel: 'high' });
    const sms = await h.stack.network.control.waitForSms('+8613800138111', { timeoutMs: 15000 });
    expect(sms.body).toContain(NEW_GREET_EN);
    const c = await h.store.db.selectFrom('cases').select(['flow_id', 'flow_version']).where('id', '=', caseId).executeTakeFirstOrThrow();
    // fallback keeps its own version and now runs on the shared script's v2.
    expect(c).toEqual({ flow_id: 'fallback', flow_version: 1 });
  });

  it('shows what a scam script takes from the shared script and what it changes', async () => {
    await page.goto(`${h.url}/manager/#/flows/return_contact`);
    await page.waitForSelector('#inheritance');
    expect(await page.textContent('#inheritance .inh-head b')).toMatch(/^继承自 scam_base（第 \d+ 版）$/);
    // Just opened, nothing typed: no unsaved change.
    expect(await page.locator('#unsaved-badge').count()).toBe(0);
    expect(await page.textContent('#inheritance [data-inh="inh.overridden"]')).toBe('改写的状态greet (say)');
    // The whole script is drawn: the shared states are there, marked as taken from the base.
    expect(await page.getAttribute('#graph g[data-state=greet]', 'data-origin')).toBe('overridden');
    expect(await page.getAttribute('#graph g[data-state=explain_tell]', 'data-origin')).toBe('inherited');
    // A shared state has no line in this script's text: clicking it says where it comes from and how to change it.
    await page.click('#graph g[data-state=explain_tell]');
    await page.getByText('状态 explain_tell 沿用 scam_base').waitFor();
    await shot(browser, page, 'manager-zh-inheritance');
    await page.click('#inheritance a.btn');
    await page.waitForURL(/#\/flows\/scam_base$/);
    await page.waitForSelector('#graph g[data-state=greet]');
    expect(await page.locator('#inheritance').count()).toBe(0);
  });

  it('shows the reports of a seeded run in Chinese and in English, in the centre\u2019s days', async () => {
    const end = new Date(Date.UTC(2026, 10, 22, 16));
    await seedRun(h.store, { end, days: 14, flowId: 'fallback' });
    await page.goto(`${h.url}/manager/#/reports?from=2026-11-08&to=2026-11-22&groupBy=day`);
    await page.waitForSelector('#kpis');
    await page.waitForSelector('#chart-main svg rect');
    expect(await page.locator('#report-table tbody tr').count()).toBe(15);
    expect(await page.getAttribute('#csv', 'href')).toBe('/api/reports.csv?from=2026-11-08&to=2026-11-22&groupBy=day&tz=480');
    expect(await page.locator('#kpis .kpi-label').first().textContent()).toBe('收到预警');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'manager-zh-reports.png'), fullPage: true });

    await page.goto(`${h.url}/manager/#/reports?from=2026-11-08&to=2026-11-22&groupBy=flow_version&flowId=fallback`);
    await page.waitForSelector('#compare');
    expect(await page.textContent('#compare thead')).toContain('B − A');
    await page.selectOption('#locale', 'en');
    await page.locator('#compare h2', { hasText: 'Compare two versions' }).waitFor();
    expect(await page.locator('.tabs a[data-section=flows]').textContent()).toBe('Scripts');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'manager-en-reports-compare.png'), fullPage: true });
    await page.selectOption('#locale', 'zh');
  });

  it('keeps the desk\u2019s canned replies', async () => {
    await page.click('.tabs a[data-section=replies]');
    await page.waitForSelector('.reply-row[data-reply-id="seed-zh-1"]');
    await page.fill('#new-reply input[name=title]', '请核实');
    await page.fill('#new-reply textarea[name=body]', '请拨打{callback_number}核实，报案件编号{case_ref}。');
    await page.click('#new-reply button[type=submit]');
    await page.waitForFunction(() => Array.from(document.querySelectorAll<HTMLInputElement>('.reply-row:not(.new) input')).some((i) => i.value === '请核实'));
    const rows = await h.store.db.selectFrom('canned_replies').select(['title', 'body', 'updated_by']).where('title', '=', '请核实').execute();
    expect(rows).toEqual([{ title: '请核实', body: '请拨打{callback_number}核实，报案件编号{case_ref}。', updated_by: 'li.manager' }]);
    await page.fill('#new-reply input[name=title]', '错');
    await page.fill('#new-reply textarea[name=body]', '{calback_number}');
    await page.click('#new-reply button[type=submit]');
    await page.locator('.toast', { hasText: 'unknown placeholder {calback_number}' }).waitFor();
    await shot(browser, page, 'manager-zh-replies');
  });
});
