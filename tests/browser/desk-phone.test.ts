// The desk on a phone (390×844), in English chosen by the officer and remembered by the server, in a browser
// whose own clock is in London: the queue and the case stack, nothing scrolls sideways, times are the
// centre's; typing survives three live events; a reload returns to the same case; then the same case in
// Chinese on the phone and in English on a desktop. Screenshots: artifacts/screenshots/desk-{en,zh}-390-*.png,
// desk-en-1440-case.png, login-en-390.png
import type { Page } from 'playwright-core';
import { Person, addUser, citizenTexts, handoffOf, startDeskHarness, warnCitizen, type DeskHarness } from '../integration/desk-harness';
import { launchBrowser, type TestBrowser } from '../support/browser';
import { overflowsSideways, shot, signIn } from './desk-page';

jest.setTimeout(120_000);

const PHONE = '+14155550123';

describe('desk console on a phone, English, 390×844', () => {
  let h: DeskHarness;
  let browser: TestBrowser;
  let page: Page;
  let caseId: string;
  let caseRef: string;
  let colleague: Person;

  beforeAll(async () => {
    h = await startDeskHarness();
    await addUser(h.store, 'amy.lin', 'desk', { displayName: 'Amy Lin' });
    await addUser(h.store, 'bo.chen', 'desk');
    colleague = new Person(h.baseUrl);
    await colleague.login('bo.chen');
    const other = await warnCitizen(h, { phone: '+8613600136002', name: '刘某', scamType: 'investment', riskLevel: 'medium' });
    await citizenTexts(h, '+8613600136002', '他们让我把存款转到安全账户，现在还在电话里催我');
    await handoffOf(h, other.caseId);
    ({ caseId, caseRef } = await warnCitizen(h, { phone: PHONE, name: 'Alex Chen', scamType: 'task_rebate', riskLevel: 'medium', locale: 'en' }));
    await citizenTexts(h, PHONE, 'I already sent 5000 yuan by Alipay to the task platform');
    expect((await handoffOf(h, caseId)).reason).toBe('already_paid');
    browser = await launchBrowser({ viewport: { width: 390, height: 844 }, isMobile: true, locale: 'en-GB', timezoneId: 'Europe/London' });
    page = browser.page;
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it('starts in Chinese, switches to English, and the server remembers the choice', async () => {
    await signIn(page, h.baseUrl, 'amy.lin');
    expect(await page.locator('#tab-active').textContent()).toContain('待处理');
    await page.selectOption('#locale', 'en');
    await page.locator('#tab-active', { hasText: 'Active' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await page.reload();
    await page.locator('#conn[data-state=live]', { hasText: 'Live' }).waitFor();
    expect(await page.locator('#tab-active').textContent()).toContain('Active');
    const prefs = await page.evaluate(() => fetch('/api/me').then((r) => r.json()));
    expect(prefs.preferences.locale).toBe('en');
    // The queue fills the phone's width and never scrolls sideways.
    expect(await overflowsSideways(page)).toBe(false);
    expect(await page.locator('.queue').evaluate((el) => el.getBoundingClientRect().width)).toBeGreaterThanOrEqual(380);
    const item = page.locator('.qitem', { hasText: caseRef });
    expect(await item.locator('.badge.reason').textContent()).toBe('Already paid');
    expect(await item.locator('.line2').textContent()).toContain('Task rebate');
    await shot(browser, page, 'desk-en-390-queue');
  });

  it('opens the case over the queue, in the centre\u2019s time, and claims it', async () => {
    await page.locator('.qitem', { hasText: caseRef }).click();
    await page.waitForURL(`${h.baseUrl}/desk/?case=${caseId}`);
    await page.locator('#case-body').waitFor();
    expect(await page.locator('.queue').isVisible()).toBe(false);
    expect(await page.locator('#back').isVisible()).toBe(true);
    expect(await page.locator('#case-body').evaluate((el) => el.getBoundingClientRect().width)).toBeGreaterThanOrEqual(370);
    expect(await overflowsSideways(page)).toBe(false);
    await page.click('#claim');
    await page.locator('#citizen-phone', { hasText: PHONE }).waitFor();
    // The browser's clock says London; the desk speaks the centre's time (UTC+8).
    const first = await page.evaluate((id) => fetch(`/api/desk/cases/${id}`).then((r) => r.json()).then((v) => v.timeline[0].at as string), caseId);
    const centre = new Intl.DateTimeFormat('en', { timeZone: 'Etc/GMT-8', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).format(new Date(first));
    expect(await page.locator('#timeline li .at').first().textContent()).toBe(centre);
    const reply = page.locator('.tl-msg.in').first();
    expect(await reply.locator('.badge.intent').textContent()).toBe('Already paid');
    expect(await page.locator('.golden-label').textContent()).toBe('Since they said they paid');
    await page.selectOption('#canned', { label: 'Who we are' });
    expect(await page.inputValue('#composer-text')).toBe(`Hello Alex Chen, this is officer Amy Lin of City Anti-Fraud Centre. Your case number is ${caseRef}. You can hang up and call 110 or 96110 to check who I am.`);
    await page.fill('#composer-text', '');
    await shot(browser, page, 'desk-en-390-case');
  });

  it('loses nothing typed on the phone while three live events arrive', async () => {
    for (const text of ['what should I do now', 'they say my account will be frozen unless I pay a deposit', 'I am scared']) expect(await citizenTexts(h, PHONE, text)).toBe(200);
    await page.locator('.tl-msg.in', { hasText: 'I am scared' }).waitFor();
    await page.locator('#composer-text').tap();
    await page.keyboard.type('Mr Chen, please stop all payments now.');
    for (let i = 0; i < 'please stop all payments now.'.length; i++) await page.keyboard.press('ArrowLeft');
    await page.$eval('#timeline', (el) => (el.scrollTop = 0));
    const paneScroll = await page.$eval('#case', (el) => el.scrollTop);
    expect(paneScroll).toBeGreaterThan(0);

    const before = await page.locator('.tl-msg.in').count();
    expect(await citizenTexts(h, PHONE, 'they are calling me again')).toBe(200);
    await page.waitForFunction((n) => document.querySelectorAll('.tl-msg.in').length === n + 1, before);
    await page.keyboard.type('This is officer Amy Lin: ');
    const other = await warnCitizen(h, { phone: '+8613500135005', name: '孙某', scamType: 'loan', riskLevel: 'medium' });
    expect(await citizenTexts(h, '+8613500135005', '他们说交了解冻费才能放款，我准备转过去')).toBe(200);
    // The queue is hidden behind the case on a phone, but it is live: its count grows.
    await page.waitForFunction(() => /\b3\b/.test(document.querySelector('#tab-active .count')?.textContent ?? ''));
    expect(other.caseRef).toMatch(/^QZ/);
    await page.keyboard.type('we ');
    expect((await colleague.json('POST', `/api/desk/cases/${caseId}/notes`, { body: 'Bank called, waiting.' })).status).toBe(201);
    await page.locator('#notes li', { hasText: 'Bank called, waiting.' }).waitFor();
    await page.keyboard.type('ask you: ');

    const state = await page.evaluate(() => {
      const ta = document.querySelector('#composer-text') as HTMLTextAreaElement;
      return { value: ta.value, focused: document.activeElement === ta, start: ta.selectionStart, timeline: document.querySelector('#timeline')!.scrollTop, pane: document.querySelector('#case')!.scrollTop };
    });
    const typed = 'Mr Chen, This is officer Amy Lin: we ask you: please stop all payments now.';
    expect(state).toEqual({ value: typed, focused: true, start: typed.indexOf('please'), timeline: 0, pane: paneScroll });
    expect(await overflowsSideways(page)).toBe(false);
    await shot(browser, page, 'desk-en-390-typing-after-3-events');
    await page.click('#send');
    await h.net.waitForSms(PHONE, { contains: 'This is officer Amy Lin', timeoutMs: 10_000 });
  });

  it('returns to the same case after a reload, and back to the queue', async () => {
    await page.reload();
    await page.locator(`#case-body[data-case-id="${caseId}"]`).waitFor();
    expect(await page.locator('.case-head .ref').textContent()).toBe(caseRef);
    expect(await page.locator('.queue').isVisible()).toBe(false);
    await page.click('#back');
    await page.waitForURL(`${h.baseUrl}/desk/`);
    await page.locator('.queue').waitFor({ state: 'visible' });
    expect(await page.locator('#case').isVisible()).toBe(false);
    // The phone's own Back button opens it again.
    await page.goBack();
    await page.locator(`#case-body[data-case-id="${caseId}"]`).waitFor();
  });

  it('shows the same case in Chinese on the phone and in English on a desktop', async () => {
    await page.selectOption('#locale', 'zh');
    await page.locator('.golden-label', { hasText: '距市民首次提到付款' }).waitFor();
    await page.$eval('#case', (el) => (el.scrollTop = 0));
    expect(await overflowsSideways(page)).toBe(false);
    await shot(browser, page, 'desk-zh-390-case');
    await page.selectOption('#locale', 'en');
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.locator('.queue').waitFor({ state: 'visible' });
    await page.locator('.golden-label', { hasText: 'Since they said they paid' }).waitFor();
    await shot(browser, page, 'desk-en-1440-case');
    await page.setViewportSize({ width: 390, height: 844 });
  });

  it('signs out into the login page in the person\u2019s language', async () => {
    await page.click('#logout');
    await page.waitForURL(`${h.baseUrl}/login`);
    await page.locator('button[type=submit]', { hasText: 'Sign in' }).waitFor();
    expect(await overflowsSideways(page)).toBe(false);
    await shot(browser, page, 'login-en-390');
    // The desk's stream ended with the session.
    expect((await page.evaluate(() => fetch('/api/desk/stream').then((r) => r.status)))).toBe(401);
  });
});
