// The desk in a real browser on the whole running system: log in, watch a handoff arrive live after the
// citizen's SMS reply, claim it, read the transcript, write to the citizen's phone, resolve it; a supervisor
// sees handoffs escalated by the SLA watch. Screenshots: artifacts/screenshots/desk-*.png
import type { Page } from 'playwright-core';
import { loadClassifier } from '../../nlu-models/src';
import { PASSWORD, addUser, citizenTexts, handoffOf, startDeskHarness, warnCitizen, type DeskHarness } from '../integration/desk-harness';
import { launchBrowser, type TestBrowser } from '../support/browser';

jest.setTimeout(90_000);

const PHONE = '+8613800138000';
const PAID = '我刚才已经用支付宝转了8000元到安全账户 6222020200112233445';

/** Toasts fade by themselves after a few seconds; screenshots should show the page under them. */
const hideToasts = (page: Page) => page.evaluate(() => document.querySelectorAll('.toast').forEach((t) => t.remove()));

async function signIn(page: Page, baseUrl: string, username: string): Promise<void> {
  await page.goto(`${baseUrl}/desk/`);
  await page.waitForURL(/\/login\?next=%2Fdesk%2F$/);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForURL(`${baseUrl}/desk/`);
  await page.locator('#conn', { hasText: 'Live' }).waitFor();
}

describe('desk console in chromium', () => {
  let h: DeskHarness;
  let browser: TestBrowser;
  let caseRef: string;

  beforeAll(async () => {
    h = await startDeskHarness();
    await addUser(h.store, 'li.wei', 'desk', { displayName: 'Li Wei', phone: '+8613911112222' });
    await addUser(h.store, 'zhao.min', 'manager', { displayName: 'Zhao Min' });
    // Two other people already waiting, so the queue looks like a working day.
    for (const [phone, name, text, locale] of [
      ['+8613700137001', '陈某', 'they said move it to a safe account', 'en'],
      ['+8613600136002', '刘某', '他们让我把存款转到安全账户，现在还在电话里催我', 'zh'],
    ] as const) {
      const { caseId } = await warnCitizen(h, { phone, name, scamType: 'investment', riskLevel: 'medium', locale });
      await citizenTexts(h, phone, text);
      expect((await handoffOf(h, caseId)).reason).toBe('mid_scam');
    }
    // Medium risk: the flow texts first, and nothing is on the desk until the citizen answers.
    ({ caseRef } = await warnCitizen(h, { phone: PHONE, name: '王某', scamType: 'impersonation_police', riskLevel: 'medium', precinct: '城东派出所' }));
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it('logs in, sees the handoff arrive live, claims it, reads, writes and resolves it', async () => {
    const page = browser.page;
    await page.goto(`${h.baseUrl}/desk/`);
    await page.waitForURL(/\/login/);
    await page.fill('input[name=username]', 'li.wei');
    await page.fill('input[name=password]', 'wrong password');
    await page.click('button[type=submit]');
    await page.locator('#error', { hasText: 'Wrong username or password.' }).waitFor();
    await browser.screenshot(page, 'desk-1-login');

    await page.fill('input[name=password]', PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForURL(`${h.baseUrl}/desk/`);
    await page.locator('#conn', { hasText: 'Live' }).waitFor();
    expect(await page.locator('#who').textContent()).toBe('Li Wei · desk');
    expect(await page.locator('.qitem').count()).toBe(2);

    // The citizen replies by SMS; the desk page is not reloaded.
    const navigations: string[] = [];
    page.on('framenavigated', (f) => f === page.mainFrame() && navigations.push(f.url()));
    expect(await citizenTexts(h, PHONE, PAID)).toBe(200);
    const item = page.locator('.qitem', { hasText: caseRef });
    await item.waitFor();
    expect(navigations).toEqual([]);
    // Most urgent first: already paid above the two still in the scam.
    expect(await page.locator('.qitem .ref').first().textContent()).toBe(caseRef);
    expect(await item.locator('.badge').first().textContent()).toBe('Already paid');
    expect(await item.locator('.qphone').textContent()).toBe('+86138****8000');
    await page.waitForFunction(() => /^\d+:\d\d$/.test(document.querySelector('.qitem .clock')?.textContent ?? ''));
    await hideToasts(page);
    await browser.screenshot(page, 'desk-2-queue-live');

    await item.click();
    await page.locator('#citizen-phone', { hasText: '+86138****8000' }).waitFor();
    await page.getByRole('button', { name: 'Claim', exact: true }).click();
    await page.locator('#citizen-phone', { hasText: PHONE }).waitFor();
    expect(await page.locator('.qitem', { hasText: caseRef }).locator('.claimed').textContent()).toBe('Claimed by you');

    // The transcript: the flow's greeting, the citizen's reply with what the trained classifier understood.
    const understood = (await loadClassifier()).classify(PAID);
    const reply = page.locator('.tl-msg.in');
    expect(await reply.locator('.bubble').textContent()).toBe(PAID);
    expect(await reply.locator('.meta').textContent()).toContain('already paid');
    expect(await reply.locator('.meta').textContent()).toContain(`${Math.round(understood.confidence * 100)}%`);
    expect(await reply.locator('.cue').allTextContents()).toEqual(understood.cues);
    expect(understood.cues).toContain('safe_account');
    expect(await page.locator('.tl-msg.out .bubble').first().textContent()).toContain(`案件编号${caseRef}`);

    // The stop-payment fast lane, prefilled from the reply.
    const form = page.locator('#resolve-form');
    expect(await form.locator('input[name=amount]').inputValue()).toBe('8000');
    expect(await form.locator('input[name=method]').inputValue()).toBe('alipay');
    expect(await form.locator('input[name=account]').inputValue()).toBe('6222020200112233445');
    expect(await form.locator('input[name=paidAt]').inputValue()).toBe('刚才');
    await page.waitForFunction(() => /^\d+:\d\d$/.test(document.querySelector('.golden')?.textContent ?? ''));

    await page.fill('#composer-text', '王先生您好，我是市反诈中心民警李伟。请立即停止转账，不要再联系对方，我马上给您打电话。');
    await page.click('#send');
    const mine = page.locator('.tl-msg.out.officer');
    await mine.waitFor();
    expect(await mine.locator('.bubble').textContent()).toBe('王先生您好，我是市反诈中心民警李伟。请立即停止转账，不要再联系对方，我马上给您打电话。');
    await mine.locator('.meta', { hasText: '✓ sent' }).waitFor();
    const got = await h.net.waitForSms(PHONE, { contains: '民警李伟', timeoutMs: 10_000 });
    expect(got).toMatchObject({ from: h.stack.env.TWILIO_FROM, body: '王先生您好，我是市反诈中心民警李伟。请立即停止转账，不要再联系对方，我马上给您打电话。' });
    await hideToasts(page);
    await browser.screenshot(page, 'desk-3-case-claimed');

    await form.locator('input[name=paidAt]').fill('今天 10:20');
    await form.locator('textarea[name=note]').fill('已联系支付宝止付；市民情绪稳定。');
    await page.click('#resolve');
    await page.locator('.case-head .badge.green', { hasText: 'Closed: Paid: stop-payment requested' }).waitFor();
    await page.locator('.qitem', { hasText: caseRef }).waitFor({ state: 'detached' });
    const stored = await h.store.db.selectFrom('handoffs').innerJoin('cases', 'cases.id', 'handoffs.case_id').select(['handoffs.outcome', 'handoffs.outcome_detail', 'cases.status']).where('cases.case_ref', '=', caseRef).executeTakeFirstOrThrow();
    expect(stored.outcome).toBe('stop_payment_requested');
    expect(JSON.parse(stored.outcome_detail!)).toEqual({ stopPayment: { amount: 8000, currency: 'CNY', method: 'alipay', account: '6222020200112233445', paidAt: '今天 10:20' } });
    expect(stored.status).toBe('closed');
    await hideToasts(page);
    await browser.screenshot(page, 'desk-4-resolved');
  });

  it('flags an escalated handoff to a supervisor, live', async () => {
    const page = await browser.context.newPage();
    await page.context().clearCookies();
    await signIn(page, h.baseUrl, 'zhao.min');
    // A high-risk warning: triage puts the case in front of a human at once, next to the call and the text.
    const r = await h.stack.api('POST', '/api/warnings', 'intake', { source: 'province-centre', externalId: `W-${Date.now()}-zhao`, phone: '+8613500135003', name: '赵某', scamType: 'other', riskLevel: 'high', locale: 'zh' });
    expect(r.status).toBe(202);
    expect((await handoffOf(h, r.body.caseId)).reason).toBe('review');
    await page.locator('.qitem', { hasText: '赵某' }).waitFor();
    // Its deadline passes with nobody claiming it, and so do those of the two still-in-the-scam cases from
    // before; the workers' SLA watch (every 10 s) escalates them.
    await h.store.db.updateTable('handoffs').set({ sla_due_at: new Date(Date.now() - 70_000).toISOString() }).where('status', '=', 'open').execute();
    await page.locator('#escalation', { hasText: '3 handoffs are past their SLA and nobody has claimed them.' }).waitFor({ timeout: 20_000 });
    const audited = await h.store.db.selectFrom('audit_events').select('case_id').where('action', '=', 'handoff_escalated').where('actor', '=', 'sla').execute();
    expect(audited).toHaveLength(3);
    const escalated = page.locator('.qitem.escalated', { hasText: '赵某' });
    expect(await escalated.locator('.badge.solid-red').textContent()).toBe('Escalated');
    // Supervisors see numbers in full.
    expect(await escalated.locator('.qphone').textContent()).toBe('+8613500135003');
    expect(await escalated.locator('.clock').textContent()).toMatch(/^late 1:[1-3]\d$/);
    await escalated.click();
    await page.locator('#citizen-phone', { hasText: '+8613500135003' }).waitFor();
    await hideToasts(page);
    await browser.screenshot(page, 'desk-5-supervisor-escalated');
    await page.close();
  });
});
