// The managers' console in Chromium: sign in, open a script, break it and see it flagged at the state,
// fix it, try it in the chat, publish, and see the next new case speak the new words; then the reports
// of a seeded run. Screenshots go to artifacts/screenshots/.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { hashPassword } from '../../server/people/passwords';
import { insertUser } from '../../server/store/repositories/users';
import { sqliteDatabase } from '../support/databases';
import { fileWarning, startHarness, type Harness } from '../integration/manager-harness';
import { seedRun } from '../integration/manager-seed';

jest.setTimeout(120_000);

const SHOTS = path.resolve('artifacts', 'screenshots');
const PASSWORD = 'correct horse battery';
const shipped = fs.readFileSync('flows/fallback.yaml', 'utf8');
const broken = shipped.replace('safe_aware: explain_tell\n\n  explain_tell', 'safe_aware: explain_tel\n\n  explain_tell');
const NEW_GREET_EN = 'Before anything else: have you sent any money to them?';
const fixed = shipped.replace('First question: have you transferred any money to them?', NEW_GREET_EN);

/** Replaces the editor's text as a paste would (Playwright's fill types 10 kB slowly), firing the input event. */
async function setYaml(page: Page, text: string): Promise<void> {
  await page.$eval(
    '#yaml',
    (el, value) => {
      const ta = el as HTMLTextAreaElement;
      ta.value = value;
      ta.dispatchEvent(new Event('input', { bubbles: true }));
    },
    text,
  );
}

describe("managers' console in the browser", () => {
  let h: Harness;
  let context: BrowserContext;
  let page: Page;
  let userDir: string;

  beforeAll(async () => {
    h = await startHarness(sqliteDatabase());
    await insertUser(h.store.db, { username: 'li.manager', role: 'manager', displayName: 'Li Wei (manager)', passwordHash: await hashPassword(PASSWORD) });
    fs.mkdirSync(SHOTS, { recursive: true });
    userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'quanzu-chromium-'));
    context = await chromium.launchPersistentContext(userDir, {
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1480, height: 960 },
      locale: 'en-GB',
      timezoneId: 'Asia/Shanghai',
    });
    page = context.pages()[0] ?? (await context.newPage());
  });

  afterAll(async () => {
    await context?.close();
    if (userDir) fs.rmSync(userDir, { recursive: true, force: true });
    await h?.close();
  });

  it('signs in through the shared login page and lists the scripts', async () => {
    await page.goto(`${h.url}/manager/`);
    await page.waitForURL(/\/login\?next=/);
    // Signing in from the bare login page still takes a manager to the managers' console.
    await page.goto(`${h.url}/login`);
    await page.fill('input[name=username]', 'li.manager');
    await page.fill('input[name=password]', PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForURL(/\/manager\/$|\/manager\/#/);
    await page.waitForSelector('tr[data-flow=fallback]');
    expect(await page.textContent('tr[data-flow=fallback]')).toContain('v1');
    expect(await page.textContent('#who')).toBe('Li Wei (manager)');
    await page.screenshot({ path: path.join(SHOTS, 'manager-flows.png') });
  });

  it('flags an error at its state with the fix, and clears it once fixed', async () => {
    await page.click('tr[data-flow=fallback] a.btn');
    await page.waitForSelector('#check-status.good');
    await setYaml(page, broken);
    await page.waitForSelector('#check-status.bad');
    expect(await page.textContent('#check-status')).toBe('1 error');
    const issue = page.locator('#issues li.issue.error').first();
    expect(await issue.locator('.where').textContent()).toBe('line 73 · state greet');
    expect(await issue.locator('.issue-msg').textContent()).toBe("greet.on.safe_aware[0] goes to state 'explain_tel', which does not exist");
    expect(await issue.locator('.issue-fix').textContent()).toContain("(did you mean 'explain_tell'?)");
    expect(await page.getAttribute('.gutter div:nth-child(73)', 'class')).toBe('err');
    expect(await page.getAttribute('#graph g[data-state=greet]', 'class')).toBe('node start has-errors');
    // Clicking the issue takes the manager to the line.
    await issue.click();
    expect(await page.$eval('#yaml', (el) => {
      const ta = el as HTMLTextAreaElement;
      return ta.value.slice(ta.selectionStart, ta.selectionEnd);
    })).toBe('      safe_aware: explain_tel');
    await page.screenshot({ path: path.join(SHOTS, 'manager-editor-error.png') });

    // Publishing now saves the draft but is refused, with the reason and its fix.
    await page.click('#publish');
    await page.waitForSelector('#notice .alert.error');
    expect(await page.textContent('#notice .alert b')).toBe('fallback v2 was not published: the checker found 1 error(s).');
    expect(await page.textContent('#notice ul.reasons')).toContain("greet: greet.on.safe_aware[0] goes to state 'explain_tel', which does not exist");
    expect(await page.textContent('#published-badge')).toBe('published v1');
    await page.screenshot({ path: path.join(SHOTS, 'manager-publish-refused.png') });

    await setYaml(page, fixed);
    await page.waitForSelector('#check-status.good');
    expect(await page.textContent('#check-status')).toBe('No errors · tests cover 35/35 transitions');
    expect(await page.locator('.gutter div.err').count()).toBe(0);
  });

  it('tries the draft in the chat with the real classifier', async () => {
    await page.click('button[data-tab=try]');
    await page.selectOption('select[aria-label=Language]', 'en');
    await page.waitForSelector(`.msg.bot >> text=${NEW_GREET_EN}`);
    await page.fill('.chat-input', 'I already sent 5000 yuan by Alipay');
    await page.click('.chat-form button[type=submit]');
    const reply = page.locator('.msg.citizen').last();
    await reply.locator('[data-intent=already_paid]').waitFor();
    expect(await reply.locator('.chips').textContent()).toContain('cue: already_transferred');
    expect(await reply.locator('.chips').textContent()).toContain('payment: 5000 · alipay');
    expect(await reply.textContent()).toContain('hand off: already_paid (100)');
    await page.waitForSelector('.msg.bot >> text=About how much did you send?');
    await page.screenshot({ path: path.join(SHOTS, 'manager-try-sms.png') });

    await page.selectOption('select[aria-label=Channel]', 'voice');
    await page.waitForSelector('details.twiml');
    await page.click('details.twiml summary');
    expect(await page.textContent('details.twiml pre')).toContain('<Gather input="speech dtmf"');
    await page.fill('.chat-input', '0');
    await page.click('.chat-form button[type=submit]');
    await page.waitForSelector('.msg.citizen >> text=pressed 0');
    expect(await page.locator('.msg.citizen').last().textContent()).toContain('hand off: request_human');
    await page.screenshot({ path: path.join(SHOTS, 'manager-try-voice.png') });
  });

  it('publishes, and the next new case uses the new version', async () => {
    await page.click('#publish');
    await page.waitForSelector('#notice .alert.success');
    expect(await page.textContent('#notice')).toBe(
      'Published fallback v2. New conversations start on v2; conversations in progress finish on the version they began with (v1 or earlier).',
    );
    expect(await page.textContent('#published-badge')).toBe('published v2');
    await page.click('button[data-tab=versions]');
    await page.waitForSelector('li[data-version="1"] >> text=Roll back to v1');
    await page.screenshot({ path: path.join(SHOTS, 'manager-published.png') });

    const caseId = await fileWarning(h, { externalId: 'W-BROWSER-1', phone: '+8613800138111', name: 'Alex Chen', locale: 'en', scamType: 'other', riskLevel: 'high' });
    const sms = await h.stack.network.control.waitForSms('+8613800138111', { timeoutMs: 15000 });
    expect(sms.body).toContain(NEW_GREET_EN);
    const c = await h.store.db.selectFrom('cases').select(['flow_id', 'flow_version']).where('id', '=', caseId).executeTakeFirstOrThrow();
    expect(c).toEqual({ flow_id: 'fallback', flow_version: 2 });
  });

  it('shows the reports of a seeded run, and compares two script versions', async () => {
    const end = new Date(Date.UTC(2026, 10, 22, 16));
    await seedRun(h.store, { end, days: 14, flowId: 'fallback' });
    await page.goto(`${h.url}/manager/#/reports?from=2026-11-08&to=2026-11-22&groupBy=day`);
    await page.reload();
    await page.waitForSelector('#kpis');
    await page.waitForSelector('#chart-main svg rect');
    expect(await page.locator('#report-table tbody tr').count()).toBe(15);
    expect(await page.getAttribute('#csv', 'href')).toBe('/api/reports.csv?from=2026-11-08&to=2026-11-22&groupBy=day&tz=480');
    await page.screenshot({ path: path.join(SHOTS, 'manager-reports.png'), fullPage: true });

    await page.goto(`${h.url}/manager/#/reports?from=2026-11-08&to=2026-11-22&groupBy=flow_version&flowId=fallback`);
    await page.reload();
    await page.waitForSelector('#compare');
    expect(await page.locator('#compare select').first().inputValue()).toBe('0');
    expect(await page.textContent('#compare thead')).toContain('B − A');
    await page.screenshot({ path: path.join(SHOTS, 'manager-reports-compare.png'), fullPage: true });
  });
});
