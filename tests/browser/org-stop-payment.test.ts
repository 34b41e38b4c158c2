// The bank's answers to a stop-payment request, recorded from the desk on a phone (390×844, Chinese) on the
// whole running system: the request filed by the officer holding the case shows its status; only the statuses
// the request may move to are offered; "amount returned" needs the amount; a final status offers nothing more;
// the requests' export is one tap from the queue; the district's supervisor reads the reports per unit.
// Screenshots: artifacts/screenshots/org-desk-390-stop-payment-*.png, org-desk-390-unit-reports.png
import path from 'node:path';
import { Person, addUser, citizenTexts, handoffOf, startDeskHarness, warnCitizen, type DeskHarness } from '../integration/desk-harness';
import { launchBrowser, type TestBrowser } from '../support/browser';
import { overflowsSideways, shot, signIn } from './desk-page';

jest.setTimeout(150_000);

const UNITS_FILE = path.resolve(__dirname, '../../org/units.example.yaml');
const BANKS_FILE = path.resolve(__dirname, '../../org/banks.example.yaml');
const PAID = '我刚才已经用支付宝转了8000元到安全账户 6222020200112233445';

describe('stop-payment requests on the desk, on a phone', () => {
  let h: DeskHarness;
  let browser: TestBrowser;
  let caseId = '';
  let requestId = '';

  beforeAll(async () => {
    h = await startDeskHarness({ env: { UNITS_FILE, BANKS_FILE } });
    await addUser(h.store, 'li.wei', 'desk', { displayName: '李伟', phone: '+8613911112222' });
    expect((await h.stack.api('PATCH', '/api/org/people/li.wei', 'admin', { unitCode: 'D01', unitRole: 'desk_officer' })).status).toBe(200);
    await addUser(h.store, 'd1.sup', 'desk', { displayName: '赵主管' });
    expect((await h.stack.api('PATCH', '/api/org/people/d1.sup', 'admin', { unitCode: 'D01', unitRole: 'supervisor' })).status).toBe(200);
    const phone = '+8613600136501';
    const w = await warnCitizen(h, { phone, name: '王某', scamType: 'impersonation_police', unitCode: 'D01' });
    caseId = w.caseId;
    expect(await citizenTexts(h, phone, PAID)).toBe(200);
    const handoff = await handoffOf(h, caseId, 'already_paid');
    const li = new Person(h.baseUrl);
    await li.login('li.wei');
    expect((await li.json('POST', `/api/desk/handoffs/${handoff.id}/claim`)).status).toBe(200);
    const filed = await li.json('POST', `/api/desk/cases/${caseId}/stop-payments`, { amount: 8000, method: 'alipay', account: '6222020200112233445', paidAt: '刚才', bankCode: 'ALIPAY' });
    expect(filed.status).toBe(201);
    requestId = filed.body.request.id;
    browser = await launchBrowser({ viewport: { width: 390, height: 844 }, isMobile: true, locale: 'zh-CN' });
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  const status = () => h.store.db.selectFrom('stop_payment_requests').select(['status', 'bank_reference', 'returned_amount', 'status_by', 'note']).where('id', '=', requestId).executeTakeFirstOrThrow();

  it('records the bank freezing the account, then the money returned, and offers nothing after', async () => {
    const page = browser.page;
    await signIn(page, h.baseUrl, 'li.wei');
    await page.goto(`${h.baseUrl}/desk/?case=${caseId}`);
    const item = page.locator(`#stop-payment-requests li[data-request-id="${requestId}"]`);
    await item.locator('.badge', { hasText: '已申请止付' }).waitFor();
    await item.locator('[data-act=bank-answer]').click();
    const form = item.locator('form.bank-answer');
    expect(await form.locator('select[name=status] option').allTextContents()).toEqual(['银行已止付', '已冻结', '银行拒绝']);
    await form.locator('select[name=status]').selectOption('frozen');
    expect(await form.locator('input[name=returnedAmount]').count()).toBe(0);
    await form.locator('input[name=bankReference]').fill('ALP-20260908-0042');
    await form.locator('input[name=note]').fill('支付宝已冻结收款账户');
    await item.scrollIntoViewIfNeeded();
    expect(await overflowsSideways(page)).toBe(false);
    await shot(browser, page, 'org-desk-390-stop-payment-answer');
    await form.locator('button[type=submit]').click();
    await item.locator('.badge', { hasText: '已冻结' }).waitFor();
    expect(await status()).toMatchObject({ status: 'frozen', bank_reference: 'ALP-20260908-0042', status_by: 'li.wei', note: '支付宝已冻结收款账户' });

    // Frozen money can only come back; its amount is required before the answer can be saved.
    await item.locator('[data-act=bank-answer]').click();
    expect(await form.locator('select[name=status] option').allTextContents()).toEqual(['已返还']);
    const amount = form.locator('input[name=returnedAmount]');
    await amount.waitFor();
    expect(await form.locator('button[type=submit]').isDisabled()).toBe(true);
    await amount.fill('8000');
    await form.locator('button[type=submit]').click();
    await item.locator('.badge', { hasText: '已返还' }).waitFor();
    await item.getByText('已办结，状态不再变更').waitFor();
    expect(await item.locator('[data-act=bank-answer]').count()).toBe(0);
    expect(await status()).toMatchObject({ status: 'amount_returned', returned_amount: 8000 });
    expect(await overflowsSideways(page)).toBe(false);
    await shot(browser, page, 'org-desk-390-stop-payment-returned');
  });

  it('links the export of the requests, with their statuses, from the queue', async () => {
    const page = browser.page;
    await page.goto(`${h.baseUrl}/desk/`);
    const link = page.locator('#export-requests-csv');
    await link.waitFor({ state: 'attached' });
    expect(await link.textContent()).toBe('止付申请 CSV');
    const csv = await page.evaluate(async (href) => (await fetch(href)).text(), (await link.getAttribute('href'))!);
    const row = csv.split('\r\n').find((l) => l.includes(requestId))!;
    expect(row).toContain('已返还 (amount_returned)');
  });

  it("gives the district's supervisor the reports per unit, its stations under it; not a desk officer", async () => {
    const page = browser.page;
    expect(await page.locator('#unit-reports-open').count()).toBe(0);
    await browser.context.clearCookies();
    await signIn(page, h.baseUrl, 'd1.sup');
    await page.click('#unit-reports-open');
    const table = page.locator('#unit-reports-table');
    await table.waitFor();
    expect(await table.locator('tbody tr').evaluateAll((rows) => rows.map((r) => [r.getAttribute('data-unit'), r.querySelector('td')!.className, r.querySelector('td')!.textContent]))).toEqual([
      ['D01', 'unit-depth-0', '城东分局反诈中队'],
      ['D01-S01', 'unit-depth-1', '城东派出所'],
      ['D01-S02', 'unit-depth-1', '东湖派出所'],
    ]);
    const cells = async (code: string) => table.locator(`tr[data-unit="${code}"] td`).allTextContents();
    // One person warned in the district, who already paid: the request was filed within the 30 minutes.
    const d01 = await cells('D01');
    expect(d01[1]).toBe('1');
    expect(d01[3]).toMatch(/秒|分/);
    expect(d01[4]).toBe('— (0/0)');
    expect(d01[5]).toBe('100.0% (1/1)');
    expect((await cells('D01-S01')).slice(1)).toEqual(['0', '—', '—', '— (0/0)', '— (0/0)']);
    expect(await overflowsSideways(page)).toBe(false);
    await shot(browser, page, 'org-desk-390-unit-reports');
  });
});
