// Routed desk queues in chromium (1440×900, Chinese) on the whole running system with the example city: a
// district officer sees only their district's cases, each with its unit; the city supervisor sees every unit,
// the red "unrouted" flag on a warning whose code nobody knows, filters by unit and moves that case to a
// district; a second review is decided with its own form. Screenshots: artifacts/screenshots/org-desk-*.png
import path from 'node:path';
import type { Page } from 'playwright-core';
import { Person, addUser, citizenTexts, handoffOf, startDeskHarness, warnCitizen, type DeskHarness } from '../integration/desk-harness';
import { launchBrowser, type TestBrowser } from '../support/browser';
import { eventually } from '../support/stack';
import { overflowsSideways, shot, signIn } from './desk-page';

jest.setTimeout(150_000);

const UNITS_FILE = path.resolve(__dirname, '../../org/units.example.yaml');
const MID_SCAM = '他们让我把存款转到安全账户，现在还在电话里催我';

describe('routed desk queues in chromium', () => {
  let h: DeskHarness;
  let browser: TestBrowser;
  const cases: Record<string, { caseId: string; caseRef: string }> = {};

  async function midScam(key: string, phone: string, name: string, extra: Record<string, string>) {
    const w = await warnCitizen(h, { phone, name, scamType: 'investment', riskLevel: 'medium', ...extra });
    expect(await citizenTexts(h, phone, MID_SCAM)).toBe(200);
    await handoffOf(h, w.caseId, 'mid_scam');
    cases[key] = w;
  }

  beforeAll(async () => {
    h = await startDeskHarness({ env: { UNITS_FILE } });
    for (const [u, name, unit, unitRole] of [
      ['d1.desk', '王警官', 'D01', 'desk_officer'],
      ['d2.desk', '陈警官', 'D02', 'desk_officer'],
      ['city.sup', '周主管', 'CITY', 'supervisor'],
    ] as const) {
      await addUser(h.store, u, 'desk', { displayName: name });
      expect((await h.stack.api('PATCH', `/api/org/people/${u}`, 'admin', { unitCode: unit, unitRole })).status).toBe(200);
    }
    await midScam('d1', '+8613700137101', '刘某某', { address: '城东派出所辖区解放路1号' });
    await midScam('d2', '+8613700137102', '孙某某', { unitCode: 'D02' });
    await midScam('unrouted', '+8613700137103', '钱某某', { unitCode: 'X99' });
    browser = await launchBrowser({ locale: 'zh-CN' });
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it("shows a district officer their district's cases only, each with its unit", async () => {
    const page = browser.page;
    await signIn(page, h.baseUrl, 'd1.desk');
    const item = page.locator('.qitem', { hasText: cases.d1!.caseRef });
    await item.waitFor();
    expect(await page.locator('.qitem').count()).toBe(1);
    expect(await item.locator('.badge.unit').textContent()).toBe('城东派出所');
    expect(await item.locator('.badge.unit').getAttribute('title')).toBe('市反诈中心 › 城东分局反诈中队 › 城东派出所');
    expect(await page.locator('#presence').inputValue()).toBe('away');
    await shot(browser, page, 'org-desk-d1-queue');
  });

  it('shows the city every unit, flags the unrouted case, filters by unit and moves the case', async () => {
    await browser.context.clearCookies();
    const page: Page = await browser.context.newPage();
    await signIn(page, h.baseUrl, 'city.sup');
    for (const k of ['d1', 'd2', 'unrouted']) await page.locator('.qitem', { hasText: cases[k]!.caseRef }).waitFor();
    const flagged = page.locator('.qitem', { hasText: cases.unrouted!.caseRef });
    expect(await flagged.locator('.badge.unrouted').textContent()).toBe('未能分派');
    expect(await flagged.locator('.badge.unrouted').getAttribute('title')).toBe('单位代码“X99”未知，已转市级中心，请调整单位');
    expect(await flagged.locator('.badge.unit').textContent()).toBe('市反诈中心');
    expect(await page.locator('.qitem .badge.unrouted').count()).toBe(1);
    await shot(browser, page, 'org-desk-city-queue');

    // The unit filter: one district, in the URL.
    const options = await page.locator('#filter-unit option').allTextContents();
    expect(options).toEqual(expect.arrayContaining(['全部单位', '城西分局反诈中队 (1)']));
    await page.selectOption('#filter-unit', 'D02');
    await page.waitForURL(/unit=D02/);
    await eventually(async () => (await page.locator('.qitem').count()) === 1, 'the list to hold D02 only');
    expect(await page.locator('.qitem .ref').textContent()).toBe(cases.d2!.caseRef);
    await page.click('#clear-filters');
    await flagged.waitFor();

    // Open the unrouted case and move it to the Chengxi district.
    await flagged.click();
    await page.locator('#placement .badge.unrouted').waitFor();
    expect(await page.locator('#case-unit').textContent()).toBe('市反诈中心');
    await page.click('#move');
    await page.locator('#move-to').waitFor();
    await page.selectOption('#move-to', 'D02');
    await page.fill('#move-form textarea', '来电号码属城西区，转城西中队');
    await shot(browser, page, 'org-desk-city-move');
    await page.click('#move-form button[type=submit]');
    await page.locator('#case-unit', { hasText: '市反诈中心 › 城西分局反诈中队' }).waitFor();
    expect(await page.locator('#placement .badge.unrouted').count()).toBe(0);
    await page.locator('.qitem', { hasText: cases.unrouted!.caseRef }).locator('.badge.unit', { hasText: '城西分局反诈中队' }).waitFor();
    expect(await page.locator('.qitem .badge.unrouted').count()).toBe(0);
    await page.locator('#timeline .tl-sys', { hasText: '已调整所属单位' }).first().waitFor();
    await shot(browser, page, 'org-desk-city-moved');
    // The district desk has it now.
    const d2 = new Person(h.baseUrl);
    await d2.login('d2.desk');
    expect(((await d2.json('GET', '/api/desk/queue')).body.items as { caseRef: string }[]).map((i) => i.caseRef).sort()).toEqual([cases.d2!.caseRef, cases.unrouted!.caseRef].sort());
    await page.close();
  });

  it('decides a second review with its own form, sending the station named by the case', async () => {
    const r = await h.stack.api('POST', '/api/warnings', 'intake', {
      source: 'province-centre',
      externalId: `W-${Date.now()}-review`,
      phone: '+8613700137104',
      name: '赵某某',
      scamType: 'impersonation_police',
      riskLevel: 'medium',
      amount: 300000,
      locale: 'zh',
      unitCode: 'D01-S01',
      address: '城东区解放路12号3单元501',
    });
    const review = await handoffOf(h, r.body.caseId, 'review');
    await browser.context.clearCookies();
    const page: Page = await browser.context.newPage();
    await signIn(page, h.baseUrl, 'd1.desk');
    await page.locator('.qitem', { hasText: r.body.caseRef }).click();
    await page.click('#claim');
    await page.locator('#review').waitFor();
    // Its own form: no dissuasion outcome list.
    expect(await page.locator('#resolve').count()).toBe(0);
    expect((await page.locator('#review .radio').allTextContents()).map((x) => x.trim())).toEqual(['派出所上门', '再次电话劝阻', '误报，结案']);
    expect(await page.locator('#review-station').inputValue()).toBe('D01-S01');
    expect(await page.locator('#review-submit').isDisabled()).toBe(true);
    await page.fill('#review-reason', '涉案金额30万元，短信已送达未回复，需民警上门');
    await shot(browser, page, 'org-desk-review');
    await page.click('#review-submit');
    await page.locator('#history .badge.green', { hasText: '已派民警上门' }).waitFor();
    const task = await eventually(async () => h.store.db.selectFrom('visit_tasks').selectAll().where('case_id', '=', r.body.caseId).executeTakeFirst(), 'the visit task');
    expect(task).toMatchObject({ status: 'assigned', handoff_id: review.id, reason: '涉案金额30万元，短信已送达未回复，需民警上门' });
    expect(await overflowsSideways(page)).toBe(false);
    await page.close();
  });
});
