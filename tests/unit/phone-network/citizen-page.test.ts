// The citizen page in a real browser: a person sees the warning SMS, answers the call, "speaks" a reply
// and presses a Telegram button, and each action reaches the app as the provider would send it.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { Markup, Telegraf } from 'telegraf';
import { APP_NUMBER, BOT_TOKEN, CITIZEN, startWorld, type World } from './setup';

const SHOTS = path.join(__dirname, '../../../artifacts/phone-network');
let w: World;
let browser: BrowserContext;
let page: Page;
let profile: string;

beforeAll(async () => {
  profile = mkdtempSync(path.join(tmpdir(), 'pn-chromium-'));
  mkdirSync(SHOTS, { recursive: true });
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 900 },
  });
});
afterAll(async () => {
  await browser?.close();
  rmSync(profile, { recursive: true, force: true });
});
beforeEach(async () => {
  w = await startWorld({ ringMs: 60_000, gatherTimeoutMs: 60_000 });
  page = await browser.newPage();
});
afterEach(async () => {
  await page?.close();
  await w.close();
});

it('shows the SMS, rings, and sends what the citizen says to the Gather action', async () => {
  w.app.on('/voice', '<Response><Say language="zh-CN" voice="Polly.Zhiyu-Neural">您好，这里是市反诈中心。请问您是否已经转账？</Say><Gather input="speech dtmf" language="cmn-Hans-CN" action="/gather"/></Response>');
  w.app.on('/gather', '<Response><Say language="zh-CN">请不要挂机，民警马上与您联系。</Say><Dial>+8657100000110</Dial></Response>');
  await w.twilioClient.messages.create({ to: CITIZEN, from: APP_NUMBER, body: '【市反诈中心】您可能正在遭遇诈骗。案件编号 QZ-7K2P，请拨打 96110 核实。' });
  await w.network.control.waitForSms(CITIZEN);
  const call = await w.twilioClient.calls.create({ to: CITIZEN, from: APP_NUMBER, url: `${w.app.url}/voice` });
  await w.network.control.waitForCall(CITIZEN);

  await page.goto(`${w.network.url}/#${encodeURIComponent(CITIZEN)}`);
  await page.getByText('案件编号 QZ-7K2P').waitFor();
  await page.getByText(`Incoming call from ${APP_NUMBER}`).waitFor();
  await page.screenshot({ path: path.join(SHOTS, 'ringing.png'), fullPage: true });

  await page.getByRole('button', { name: 'Answer' }).click();
  await page.getByText('The line is listening').waitFor();
  await page.getByPlaceholder('Say something…').fill('我已经转了八千');
  await page.getByRole('button', { name: '🗣 Speak' }).click();
  await page.getByText('Connected to +8657100000110').waitFor();
  await page.screenshot({ path: path.join(SHOTS, 'on-call.png'), fullPage: true });

  const action = w.app.received.find((r) => r.path === '/gather');
  expect(action?.params).toMatchObject({ CallSid: call.sid, SpeechResult: '我已经转了八千', Confidence: '0.9' });
});

it('shows Telegram buttons and a press reaches the bot as a callback_query', async () => {
  const bot = new Telegraf(BOT_TOKEN, { telegram: { apiRoot: w.network.url } });
  await bot.telegram.setWebhook(`${w.app.url}/tg`, { secret_token: 's3cret' });
  await w.network.control.sendTelegram(555001, '/start QZ-7K2P');
  await w.network.control.shareContact(555001, CITIZEN);
  await bot.telegram.sendMessage(555001, '您是否已经向对方转账？', Markup.inlineKeyboard([[Markup.button.callback('没有转账', 'paid:no'), Markup.button.callback('已经转了', 'paid:yes')], [Markup.button.callback('我要找民警', 'human')]]));

  await page.goto(`${w.network.url}/#${encodeURIComponent(CITIZEN)}`);
  await page.getByRole('button', { name: '已经转了' }).waitFor();
  await page.screenshot({ path: path.join(SHOTS, 'telegram.png'), fullPage: true });
  await page.getByRole('button', { name: '已经转了' }).click();
  await w.network.control.waitForCallback({ kind: 'telegram-update' });
  await w.network.state.waitUntil(() => w.app.received.find((r) => (r.json as { callback_query?: unknown } | null)?.callback_query), 5000, 'callback_query', () => '');
  const update = w.app.received.find((r) => (r.json as { callback_query?: unknown } | null)?.callback_query);
  expect(update?.json).toMatchObject({ callback_query: { data: 'paid:yes', from: { id: 555001 } } });
  expect(update?.headers['x-telegram-bot-api-secret-token']).toBe('s3cret');
});
