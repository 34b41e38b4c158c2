import { countSegments, renderPrompts } from '../../../flows/engine';
import type { Prompt } from '../../../flows/engine';
import { parseXml } from '../../support/twiml';

const ask = (over: Partial<Prompt> = {}): Prompt => ({
  flowId: 'f',
  flowVersion: 1,
  stateId: 'greet',
  locale: 'zh',
  text: '您好，这里是市反诈中心。请问您转过钱吗？',
  expects: {
    kind: 'choice',
    options: [
      { key: '1', intent: 'safe_aware', label: '没有转过钱' },
      { key: '2', intent: 'already_paid', label: '已经转了' },
    ],
  },
  hints: ['没有', '转了'],
  ...over,
});
const voice = { gatherActionUrl: 'https://example.test/voice/gather?case=1' };

describe('voice', () => {
  test('Mandarin: Say zh-CN inside a Gather for speech and keys in cmn-Hans-CN, with the key menu and 0 for a human', () => {
    const r = renderPrompts([ask()], 'voice', { voice });
    if (r.channel !== 'voice') throw new Error('not voice');
    const doc = parseXml(r.twiml);
    expect(doc.name).toBe('Response');
    expect(doc.children.map((c) => c.name)).toEqual(['Gather']);
    const g = doc.children[0];
    expect(g.attrs).toEqual({
      input: 'speech dtmf',
      language: 'cmn-Hans-CN',
      hints: '没有, 转了',
      speechTimeout: 'auto',
      action: 'https://example.test/voice/gather?case=1',
      method: 'POST',
      numDigits: '1',
      actionOnEmptyResult: 'true',
    });
    expect(g.children.map((c) => [c.name, c.attrs.language, c.attrs.voice, c.text])).toEqual([
      ['Say', 'zh-CN', 'Polly.Zhiyu-Neural', '您好，这里是市反诈中心。请问您转过钱吗？'],
      ['Say', 'zh-CN', 'Polly.Zhiyu-Neural', '没有转过钱，请按1。已经转了，请按2。人工服务，请按0。'],
    ]);
  });

  test('English uses en-US and Joanna; the voice and human key are configurable', () => {
    const r = renderPrompts([ask({ locale: 'en', text: 'Have you paid?', expects: { kind: 'choice', options: [{ key: '1', intent: 'safe_aware', label: 'I have not paid' }] } })], 'voice', {
      voice: { ...voice, voice: 'Polly.Matthew', humanKey: '9' },
    });
    const g = parseXml((r as { twiml: string }).twiml).children[0];
    expect(g.attrs.language).toBe('en-US');
    expect(g.children.map((c) => [c.attrs.language, c.attrs.voice, c.text])).toEqual([
      ['en-US', 'Polly.Matthew', 'Have you paid?'],
      ['en-US', 'Polly.Matthew', 'I have not paid: press 1. To speak to an officer, press 9.'],
    ]);
  });

  test('several prompts of one turn become one TwiML; a final prompt says and hangs up', () => {
    const r = renderPrompts([ask({ text: '抱歉，我没有听清楚。', expects: { kind: 'free' } }), ask({ text: '民警马上联系您。', expects: { kind: 'free' }, final: true })], 'voice', { voice });
    const doc = parseXml((r as { twiml: string }).twiml);
    expect(doc.children.map((c) => [c.name, c.text])).toEqual([
      ['Say', '抱歉，我没有听清楚。'],
      ['Say', '民警马上联系您。'],
      ['Hangup', ''],
    ]);
  });
});

describe('sms', () => {
  test('numbered replies, no links, segments counted in UCS-2 for Chinese', () => {
    const r = renderPrompts([ask()], 'sms');
    expect(r).toEqual({ channel: 'sms', text: '您好，这里是市反诈中心。请问您转过钱吗？\n回复 1：没有转过钱\n回复 2：已经转了', segments: 1 });
  });

  test('English menu', () => {
    const r = renderPrompts([ask({ locale: 'en', text: 'Have you paid?', expects: { kind: 'yes_no', yes: 'already_paid', no: 'safe_aware' } })], 'sms');
    expect(r).toEqual({ channel: 'sms', text: 'Have you paid?\nReply 1: Yes\nReply 2: No', segments: 1 });
  });

  test('segment arithmetic: GSM-7 160/153, UCS-2 70/67, extension characters count twice', () => {
    expect(countSegments('a'.repeat(160))).toEqual({ encoding: 'GSM-7', units: 160, segments: 1 });
    expect(countSegments('a'.repeat(161))).toEqual({ encoding: 'GSM-7', units: 161, segments: 2 });
    expect(countSegments('€'.repeat(80))).toEqual({ encoding: 'GSM-7', units: 160, segments: 1 });
    expect(countSegments('中'.repeat(70))).toEqual({ encoding: 'UCS-2', units: 70, segments: 1 });
    expect(countSegments('中'.repeat(71))).toEqual({ encoding: 'UCS-2', units: 71, segments: 2 });
    expect(countSegments('中'.repeat(201))).toEqual({ encoding: 'UCS-2', units: 201, segments: 3 });
    expect(countSegments('Don’t').encoding).toBe('UCS-2');
  });
});

describe('telegram', () => {
  test('text with one inline button per answer; button data names the state and the option key', () => {
    expect(renderPrompts([ask()], 'telegram')).toEqual({
      channel: 'telegram',
      text: '您好，这里是市反诈中心。请问您转过钱吗？',
      buttons: [[{ text: '没有转过钱', data: 'greet:1' }], [{ text: '已经转了', data: 'greet:2' }]],
    });
  });

  test('never longer than 4,096 characters', () => {
    const r = renderPrompts([ask({ text: 'x'.repeat(5000) })], 'telegram');
    expect((r as { text: string }).text).toHaveLength(4096);
  });
});
