// The station page on a phone (390×844, Chinese) on the whole running system: a second review sends the
// Chengdong station to a door; its officer signs in, sees the task with its deadline, opens it (address,
// numbers to tap, summary, transcript), accepts it, sets out and reports that nobody was home — and the case
// comes back to the district's desk. Nothing scrolls sideways. Screenshots: artifacts/screenshots/station-390-*.png
import path from 'node:path';
import type { Page } from 'playwright-core';
import { Person, addUser, handoffOf, startDeskHarness, type DeskHarness } from '../integration/desk-harness';
import { launchBrowser, type TestBrowser } from '../support/browser';
import { eventually } from '../support/stack';
import { overflowsSideways, shot, signIn } from './desk-page';

jest.setTimeout(150_000);

const UNITS_FILE = path.resolve(__dirname, '../../org/units.example.yaml');
const PHONE = '+8613700137201';
const RELATIVE = '+8613700137202';

describe('the station page on a phone, 390×844', () => {
  let h: DeskHarness;
  let browser: TestBrowser;
  let page: Page;
  let caseId: string;
  let caseRef: string;
  let taskId: string;

  beforeAll(async () => {
    h = await startDeskHarness({ env: { UNITS_FILE } });
    await addUser(h.store, 'd1.sup', 'desk', { displayName: '周主管' });
    await addUser(h.store, 's1.li', 'desk', { displayName: '李警官' });
    await addUser(h.store, 's2.wu', 'desk', { displayName: '吴警官' });
    for (const [u, unit, unitRole] of [
      ['d1.sup', 'D01', 'supervisor'],
      ['s1.li', 'D01-S01', 'station_officer'],
      ['s2.wu', 'D01-S02', 'station_officer'],
    ] as const)
      expect((await h.stack.api('PATCH', `/api/org/people/${u}`, 'admin', { unitCode: unit, unitRole })).status).toBe(200);
    const r = await h.stack.api('POST', '/api/warnings', 'intake', {
      source: 'province-centre',
      externalId: `W-${Date.now()}-station`,
      phone: PHONE,
      name: '赵某某',
      scamType: 'impersonation_police',
      riskLevel: 'medium',
      amount: 300000,
      locale: 'zh',
      address: '城东区解放路12号3单元501（城东派出所辖区）',
      relatives: [{ phone: RELATIVE, relation: '女儿', name: '赵小红' }],
    });
    ({ caseId, caseRef } = r.body);
    const review = await handoffOf(h, caseId, 'review');
    const sup = new Person(h.baseUrl);
    await sup.login('d1.sup');
    const decided = await sup.json('POST', `/api/desk/handoffs/${review.id}/review`, { decision: 'visit', reason: '涉案金额30万元，短信未回复，需民警当面劝阻' });
    expect(decided.body.station).toBe('D01-S01');
    taskId = (await h.store.db.selectFrom('visit_tasks').select('id').where('case_id', '=', caseId).executeTakeFirstOrThrow()).id;
    browser = await launchBrowser({ viewport: { width: 390, height: 844 }, isMobile: true, locale: 'zh-CN' });
    page = browser.page;
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it('lists the station’s task with its deadline, on the phone’s width', async () => {
    await signIn(page, h.baseUrl, 's1.li', '/station/');
    const task = page.locator('.task', { hasText: caseRef });
    await task.waitFor();
    expect(await page.locator('#task-count').textContent()).toBe('1 个任务');
    expect(await task.locator('.task-address').textContent()).toBe('城东区解放路12号3单元501（城东派出所辖区）');
    expect(await task.locator('.badge.status-assigned').textContent()).toBe('待接收');
    expect(await task.locator('.deadline').textContent()).toMatch(/^\s*时限 \d{2}:\d{2}:\d{2} · [34]:\d{2}:\d{2}\s*$/);
    expect(await task.locator('.task-summary').textContent()).toContain('研判意见：涉案金额30万元');
    expect(await overflowsSideways(page)).toBe(false);
    expect(await page.locator('.task a').evaluate((el) => el.getBoundingClientRect().width)).toBeGreaterThanOrEqual(360);
    await shot(browser, page, 'station-390-list');
  });

  it('opens the task with everything for the door, and numbers to tap', async () => {
    await page.locator('.task', { hasText: caseRef }).click();
    await page.waitForURL(`${h.baseUrl}/station/?task=${taskId}`);
    await page.locator('#task').waitFor();
    expect(await page.locator('#task-name').textContent()).toBe('赵某某');
    expect(await page.locator('#task-address').textContent()).toBe('城东区解放路12号3单元501（城东派出所辖区）');
    expect(await page.locator('a.tel').first().getAttribute('href')).toBe(`tel:${PHONE}`);
    expect(await page.locator('#task-relatives a.tel').getAttribute('href')).toBe(`tel:${RELATIVE}`);
    expect(await page.locator('#task-relatives li').textContent()).toContain('女儿 赵小红');
    await page.click('#toggle-transcript');
    const said = page.locator('#transcript li.out .said').first();
    await said.waitFor();
    expect(await said.textContent()).toContain(caseRef);
    expect(await overflowsSideways(page)).toBe(false);
    // Thumb-sized controls.
    expect(await page.locator('#accept').evaluate((el) => el.getBoundingClientRect().height)).toBeGreaterThanOrEqual(44);
    await shot(browser, page, 'station-390-task');
  });

  it('accepts, sets out and reports nobody home; the case goes back to the district desk', async () => {
    await page.click('#accept');
    await page.locator('#task .badge.status-accepted').waitFor();
    await page.click('#on-the-way');
    await page.locator('#task .badge.status-on_the_way').waitFor();
    await page.locator('.report .choice', { hasText: '不在家' }).click();
    // "Not at home" needs a word on what happened.
    expect(await page.locator('#report-submit').isDisabled()).toBe(true);
    await page.fill('#report-note', '敲门无人应答，邻居称其白天在城西上班');
    await shot(browser, page, 'station-390-report');
    await page.click('#report-submit');
    await page.locator('#task-result', { hasText: '已反馈：不在家' }).waitFor();
    expect(await page.locator('#report').count()).toBe(0);
    expect(await overflowsSideways(page)).toBe(false);
    await shot(browser, page, 'station-390-reported');
    const back = await handoffOf(h, caseId, 'unreachable');
    expect(back.status).toBe('open');
    const row = await eventually(async () => h.store.db.selectFrom('visit_tasks').selectAll().where('id', '=', taskId).executeTakeFirst(), 'the task row');
    expect(row).toMatchObject({ status: 'reported', result: 'not_home', reported_by: 's1.li', accepted_by: 's1.li' });
    // Back on the list: nothing left to do.
    await page.click('#back');
    await page.locator('#tasks-empty', { hasText: '暂无上门任务。' }).waitFor();
  });

  it("does not show another station's task to its officers", async () => {
    await browser.context.clearCookies();
    const other = await browser.context.newPage();
    await signIn(other, h.baseUrl, 's2.wu', '/station/');
    await other.locator('#tasks-empty', { hasText: '暂无上门任务。' }).waitFor();
    await other.goto(`${h.baseUrl}/station/?task=${taskId}`);
    await other.locator('.toast', { hasText: '没有权限执行此操作。' }).waitFor();
    await other.close();
  });
});
