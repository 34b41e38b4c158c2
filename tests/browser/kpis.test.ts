// Knowing what works, in Chromium and in Chinese: a manager starts a script trial from the console, reads
// its report (each arm with its interval, B − A, the verdict) and publishes the winner; opens a script's
// per-step figures drawn on its graph after real SMS conversations; reads the KPI tiles of a seeded run by
// unit. Screenshots: artifacts/screenshots/kpis-*.png
import type { Page } from 'playwright-core';
import { hashPassword } from '../../server/people/passwords';
import { insertUser } from '../../server/store/repositories/users';
import { sqliteDatabase } from '../support/databases';
import { eventually } from '../support/stack';
import { launchBrowser, type TestBrowser } from '../support/browser';
import { EXAMPLE_UNITS, fileWarning, managerFetch, startHarness, type Harness } from '../integration/manager-harness';
import { publishMarkedVersion, seedArm } from '../integration/trial-seed';
import { KPI_FRAUD_REPORTS, seedKpiPeople } from '../integration/kpi-seed';
import { advance } from '../e2e/helpers';
import { PASSWORD } from '../integration/desk-harness';
import { shot } from './desk-page';

jest.setTimeout(180_000);

async function signIn(page: Page, base: string, username: string): Promise<void> {
  await page.goto(`${base}/login`);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForURL(/\/manager\/|\/desk\//);
}

describe('trials, per-step figures and KPIs in the browser, in Chinese', () => {
  let h: Harness;
  let browser: TestBrowser;
  let page: Page;

  beforeAll(async () => {
    h = await startHarness(sqliteDatabase(), { env: { UNITS_FILE: EXAMPLE_UNITS } });
    const city = await h.store.db.selectFrom('units').select('id').where('code', '=', 'CITY').executeTakeFirstOrThrow();
    await insertUser(h.store.db, { username: 'li.manager', role: 'manager', displayName: '李主管', passwordHash: await hashPassword(PASSWORD), unitId: city.id });
    browser = await launchBrowser({ viewport: { width: 1480, height: 960 }, locale: 'zh-CN' });
    page = browser.page;
    await page.goto(`${h.url}/manager/`);
    await page.waitForURL(/\/login/);
    await signIn(page, h.url, 'li.manager');
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it('starts a trial from the console, shows its report with intervals, and publishes the clear winner', async () => {
    const v2 = await publishMarkedVersion(h, 'loan', '【V2】');
    // The published version when the trial ends is v1 again: the winner has somewhere to go.
    expect((await managerFetch(h, '/api/flows/loan/rollback', { method: 'POST', body: { version: 1 } })).status).toBe(200);

    await page.goto(`${h.url}/manager/#/trials`);
    await page.locator('#new-trial').waitFor();
    expect(await page.textContent('nav.tabs a[data-section=trials]')).toBe('脚本试验');
    await page.selectOption('#trial-flow', 'loan');
    await page.locator(`#trial-versionB option[value="${v2}"]`).waitFor({ state: 'attached' });
    await page.selectOption('#trial-versionA', '1');
    await page.selectOption('#trial-versionB', String(v2));
    await page.fill('#trial-people', '80');
    await page.fill('#trial-note', '更短的开场白');
    await page.click('#start-trial');
    await page.waitForURL(/#\/trials\/[0-9a-f-]{36}$/);
    const trialId = page.url().split('/').pop()!;
    await page.locator('#verdict[data-kind=collecting]').waitFor();
    expect(await page.textContent('#verdict')).toBe('正在收集：已分组 0 人。达到停止规则之前不判定胜者。');
    expect(await page.isDisabled('#publish-winner')).toBe(true);

    // Eighty people come through (seeded as the app would have left them): B dissuades 32 of 40, A 20 of 40.
    await seedArm(h.store, { trialId, flowId: 'loan', arm: 'A', version: 1, scamType: 'loan' }, { people: 40, dissuaded: 20, atRisk: 6, victims: 4 });
    await seedArm(h.store, { trialId, flowId: 'loan', arm: 'B', version: v2, scamType: 'loan' }, { people: 40, dissuaded: 32, atRisk: 5, victims: 2 });
    await page.reload();
    await page.locator('#verdict[data-kind=winner]').waitFor();
    expect(await page.textContent('#verdict')).toBe(`胜者明确：B 组（v${v2}）劝阻成功率高 30.0 个百分点（p = 0.005）。`);
    const row = page.locator('tr[data-outcome=dissuaded]');
    expect(await row.locator('td[data-arm=A]').textContent()).toBe('20/40 · 50.0%（35.2%–64.8%）');
    expect(await row.locator('td[data-arm=B]').textContent()).toBe('32/40 · 80.0%（65.2%–89.5%）');
    expect(await row.locator('td[data-col=p]').textContent()).toBe('0.005');
    expect(await page.locator('tr[data-outcome=victimised] td[data-arm=B]').textContent()).toBe('2/40 · 5.0%（1.4%–16.5%）');
    expect(await page.locator('tr[data-outcome=dissuaded] svg.ci-bars g.ci').count()).toBe(2);
    await shot(browser, page, 'kpis-zh-trial-report');

    await page.click('#publish-winner');
    await page.locator('#confirm-dialog[open]').waitFor();
    expect(await page.textContent('#confirm-dialog')).toContain(`发布 v${v2} 为 loan 的当前版本，并结束试验？`);
    await page.click('#confirm-ok');
    await page.locator('#decision[data-decision=published_b]').waitFor();
    expect(await page.textContent('#decision')).toBe(`已发布 B 版本（v${v2}）`);
    const flows = (await (await managerFetch(h, '/api/flows')).json()) as { flows: { id: string; publishedVersion: number }[] };
    expect(flows.flows.find((f) => f.id === 'loan')!.publishedVersion).toBe(v2);
    await shot(browser, page, 'kpis-zh-trial-stopped');
  });

  it('draws the per-step figures of a version on its graph', async () => {
    const net = h.stack.network.control;
    const [safe, paid, silent] = ['+8613800138701', '+8613800138702', '+8613800138703'];
    const ids: Record<string, string> = {};
    for (const [i, phone] of [safe, paid, silent].entries()) ids[phone] = await fileWarning(h, { externalId: `W-BSTEP-${i}`, phone, locale: 'zh', scamType: 'other', riskLevel: 'medium' });
    for (const phone of [safe, paid, silent]) await net.waitForSms(phone, { timeoutMs: 20000 });
    await net.sendSms(safe, '没有，我没转过钱');
    await net.waitForSms(safe, { timeoutMs: 15000, contains: '现在还有人让您转账' });
    await net.sendSms(safe, '没有人让我转账，我不会转的');
    await net.waitForSms(safe, { timeoutMs: 15000, contains: '很好' });
    await net.sendSms(paid, '我已经转了5000块给他们');
    await net.waitForSms(paid, { timeoutMs: 15000, contains: '是怎么转的' });
    const e = { stack: h.stack, store: h.store, stop: async () => undefined };
    const unreachable = () => h.store.db.selectFrom('handoffs').select('reason').where('case_id', '=', ids[silent]!).where('reason', '=', 'unreachable').executeTakeFirst();
    for (let rung = 0; rung < 4 && !(await unreachable()); rung++) {
      await advance(e, ids[silent]!);
      await eventually(async () => (await unreachable()) || (await h.store.db.selectFrom('cases').select('next_action_at').where('id', '=', ids[silent]!).executeTakeFirstOrThrow()).next_action_at! > new Date().toISOString(), 'the rung to pass');
    }
    await eventually(unreachable, 'the silent person handed off as unreachable', 20000);

    await page.goto(`${h.url}/manager/#/flows/fallback`);
    await page.click('button[data-tab=steps]');
    await page.locator('#steps #steps-count').waitFor();
    expect(await page.textContent('#steps-count')).toBe('共 3 段对话');
    const greet = page.locator('#steps g.node[data-state=greet]');
    expect(await greet.getAttribute('data-reached')).toBe('3');
    expect(await greet.getAttribute('data-dropped')).toBe('1');
    expect(await greet.getAttribute('data-handed-off')).toBe('1');
    expect(await greet.locator('.node-steps').textContent()).toBe('到达 3流失 1转人工 1');
    // fallback extends scam_base: its greet is the shared script's, drawn as inherited.
    expect(await greet.getAttribute('class')).toBe('node start origin-inherited with-steps leaky');
    expect(await page.locator('#steps g.node[data-state=close_safe]').getAttribute('data-reached')).toBe('1');
    // States nobody reached are drawn faint, with 0.
    expect(await page.locator('#steps g.node[data-state=stop_paying]').getAttribute('class')).toContain('unreached');
    await shot(browser, page, 'kpis-zh-steps-graph');
  });

  it('shows the KPI tiles of a seeded run, and the figures by unit', async () => {
    await seedKpiPeople(h.store);
    const res = await managerFetch(h, '/api/fraud-reports', { method: 'POST', as: 'intake', body: { reports: KPI_FRAUD_REPORTS } });
    expect(res.status).toBe(202);
    await page.goto(`${h.url}/manager/#/reports?from=2026-08-10&to=2026-08-11&groupBy=unit`);
    await page.locator('#kpi-tiles').waitFor();
    const tile = async (id: string) => [await page.textContent(`#kpi-tiles [data-kpi=${id}] .kpi-value`), await page.textContent(`#kpi-tiles [data-kpi=${id}] .kpi-sub`)];
    expect(await tile('connection')).toEqual(['50.0%', '5 / 10 次联系接通']);
    expect(await tile('effective')).toEqual(['60.0%', '接通的 5 人中 3 人']);
    expect(await tile('dissuasion')).toEqual(['66.7%', '有效沟通的 3 人中 2 人']);
    expect(await tile('faceToFace')).toEqual(['16.7%', '6 人中见面 1 人']);
    expect(await tile('contacts')).toEqual(['5.5', '11 次联系，劝阻 2 人']);
    expect(await tile('timeToHuman')).toEqual(['4 分', '中位数 · P90 20 分']);
    expect(await tile('revict7')).toEqual(['16.7%', '期满的 6 人中 1 人']);
    expect(await tile('revict30')).toEqual(['33.3%', '期满的 6 人中 2 人']);
    const groups = await page.locator('#report-table tbody tr td:first-child').allTextContents();
    expect(groups).toEqual(['D01', 'D02', '合计']);
    // Re-victimisation and visits by their deadline compare per unit in the table too.
    const heads = await page.locator('#report-table thead th').allTextContents();
    const cell = async (rowIndex: number, head: string) => page.locator(`#report-table tbody tr:nth-child(${rowIndex + 1}) td:nth-child(${heads.indexOf(head) + 1})`).textContent();
    expect(heads).toEqual(expect.arrayContaining(['预警后 7 天内被骗', '预警后 30 天内被骗', '预警后 90 天内被骗', '上门按时反馈', '时限内止付申请']));
    // P4 (D02) lost money 3 days after the warning, P2 (D01) 15 days after.
    expect([await cell(0, '预警后 7 天内被骗'), await cell(1, '预警后 7 天内被骗'), await cell(2, '预警后 7 天内被骗')]).toEqual(['0.0% (0/3)', '33.3% (1/3)', '16.7% (1/6)']);
    expect([await cell(0, '预警后 90 天内被骗'), await cell(1, '预警后 90 天内被骗')]).toEqual(['33.3% (1/3)', '33.3% (1/3)']);
    expect([await cell(0, '上门按时反馈'), await cell(1, '上门按时反馈'), await cell(2, '上门按时反馈')]).toEqual(['100.0% (1/1)', '100.0% (1/1)', '100.0% (2/2)']);
    await page.locator('#report-table').scrollIntoViewIfNeeded();
    await shot(browser, page, 'kpis-zh-reports-units-table');
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(browser, page, 'kpis-zh-reports-units');
  });
});
