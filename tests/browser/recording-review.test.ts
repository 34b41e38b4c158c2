// A recorded warning call in the desk's case view, in Chromium and in Chinese: the supervisor plays the
// recording (served through quanzu from the phone network's Twilio), scores the conversation on the QA
// form and flags the citizen's reply as a training example. Screenshot: artifacts/screenshots/kpis-zh-review.png
import path from 'node:path';
import type { Page } from 'playwright-core';
import { hashPassword } from '../../server/people/passwords';
import { insertUser } from '../../server/store/repositories/users';
import { sqliteDatabase } from '../support/databases';
import { eventually } from '../support/stack';
import { launchBrowser, type TestBrowser } from '../support/browser';
import { fileWarning, startHarness, type Harness } from '../integration/manager-harness';
import { PASSWORD } from '../integration/desk-harness';
import { shot, signIn } from './desk-page';

jest.setTimeout(180_000);

const RECORDING_POLICY = path.resolve(__dirname, '../support/policies/recording.yaml');

describe('call recording and quality review in the desk, in Chinese', () => {
  let h: Harness;
  let browser: TestBrowser;
  let page: Page;

  beforeAll(async () => {
    h = await startHarness(sqliteDatabase(), { env: { POLICY_FILE: RECORDING_POLICY } });
    await insertUser(h.store.db, { username: 'li.manager', role: 'manager', displayName: '李主管', passwordHash: await hashPassword(PASSWORD) });
    browser = await launchBrowser({ viewport: { width: 1480, height: 1100 }, locale: 'zh-CN' });
    page = browser.page;
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it('plays the recording of the warning call and saves a QA review with a training example', async () => {
    const phone = '+8613900139801';
    const caseId = await fileWarning(h, { externalId: 'W-REC-1', phone, name: '张伟', locale: 'zh', scamType: 'impersonation_police', riskLevel: 'high' });
    const net = h.stack.network.control;
    const call = await net.waitForCall(phone, { timeoutMs: 20000 });
    await net.answerCall(call.sid);
    const gather = await net.waitForGather(call.sid);
    expect(gather.prompt[0]).toBe('您好，为了核实和改进我们的工作，本次通话将被录音。');
    await net.answerGather(call.sid, { speech: '嗯，我想想', confidence: 0.5 });
    // Not understood on a high-risk call: an officer will call back, and the call ends.
    await net.waitForCallEnd(call.sid, { timeoutMs: 15000 });
    await eventually(() => h.store.db.selectFrom('call_recordings').select('id').where('case_id', '=', caseId).where('status', '=', 'completed').executeTakeFirst(), 'the recording');

    await signIn(page, h.url, 'li.manager');
    await page.goto(`${h.url}/desk/?case=${caseId}`);
    const audio = page.locator('#recordings audio');
    await audio.waitFor();
    // The browser fetches and decodes the WAV through quanzu: a real recording of the call's length.
    const duration = await audio.evaluate(async (el) => {
      const a = el as HTMLAudioElement;
      a.preload = 'auto';
      a.load();
      await new Promise<void>((resolve, reject) => {
        a.addEventListener('loadedmetadata', () => resolve(), { once: true });
        a.addEventListener('error', () => reject(new Error(`audio error ${a.error?.code}`)), { once: true });
      });
      return a.duration;
    });
    const rec = await h.store.db.selectFrom('call_recordings').select(['duration_seconds', 'id']).where('case_id', '=', caseId).executeTakeFirstOrThrow();
    expect(Math.round(duration)).toBe(rec.duration_seconds);
    await eventually(() => h.store.db.selectFrom('audit_events').select('id').where('case_id', '=', caseId).where('action', '=', 'recording_played').executeTakeFirst(), 'the listen in the audit log');

    const form = page.locator('#qa-form');
    expect(await form.locator('tr[data-criterion=identified] td').first().textContent()).toBe('表明身份、中心、案件编号和官方回拨号码');
    for (const c of ['identified', 'verification', 'asked_paid', 'one_question', 'no_secrets']) await form.locator(`input[name=qa-${c}][value="2"]`).check();
    await form.locator('input[name=qa-named_tell][value="1"]').check();
    await form.locator('input[name=qa-at_risk_escalated][value=na]').check();
    await page.fill('#qa-comment', '开场清楚，但没有点明“公检法不会电话办案”。');
    await page.selectOption('#qa-recording', rec.id);
    await page.check('#qa-flag');
    await page.selectOption('#qa-intent', 'distrust');
    await page.click('#qa-save');
    const saved = page.locator('.qa-reviews li[data-reviewer="li.manager"]');
    await saved.waitFor();
    expect(await saved.locator('.qa-score').textContent()).toBe('得分 92%');
    expect(await saved.textContent()).toContain('训练样本：应为“');
    const reply = await h.store.db.selectFrom('messages').select('id').where('case_id', '=', caseId).where('direction', '=', 'in').executeTakeFirstOrThrow();
    const correction = await h.store.db.selectFrom('intent_corrections').selectAll().where('message_id', '=', reply.id).executeTakeFirstOrThrow();
    // A signed-in supervisor's flag is reviewed as it is made: the next model learns from it.
    expect(correction).toMatchObject({ intent: 'distrust', text: '嗯，我想想', corrected_by: 'li.manager', review: 'approved' });
    await page.locator('#qa').scrollIntoViewIfNeeded();
    await shot(browser, page, 'kpis-zh-review');
  });
});
