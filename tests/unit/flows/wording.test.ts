// Wording that fits the channel: per-channel texts, phrases, templates that read well with a value
// missing, the checker's warnings on "hang up" in a text and on a first message that does not say what
// we never ask for, and the name check.
import { parseFlow, startConversation, type CheckIssue } from '../../../flows/engine';
import { fillTemplate } from '../../../flows/engine/template';
import { usablePersonName } from '../../../flows/engine/person-name';
import { MINI, ctx } from './fixtures';

const check = (yaml: string) => parseFlow(yaml, { file: 'f.yaml' });
const rules = (issues: CheckIssue[]) => issues.map((i) => `${i.severity} ${i.rule} ${i.state ?? '-'} ${i.message}`);

const WITH_VARIANTS = MINI.replace(
  '    say: { zh: "{name}您好，我们不会让您转账或索要验证码。您转过钱吗？", en: "Hello {name}, we never ask for money or a code. Have you paid?" }',
  `    say:
      zh: "{name}您好，我们不会让您转账或索要验证码。核实可挂断后拨打{callback_number}。您转过钱吗？"
      en: "Hello {name}, we never ask for money or a code. Hang up and call {callback_number} to check. Have you paid?"
      written:
        zh: "{name}您好，我们不会让您转账或索要验证码。核实请拨打{callback_number}。您转过钱吗？"
        en: "Hello {name}, we never ask for money or a code. To check that this is us, call {callback_number}. Have you paid?"`,
);

test('a prompt takes its channel wording: voice says hang up, a text does not', () => {
  const flow = check(WITH_VARIANTS).flow!;
  expect(check(WITH_VARIANTS).issues).toEqual([]);
  const say = (channel: 'voice' | 'sms' | 'telegram', locale: 'zh' | 'en') => startConversation(flow, ctx({ channel, locale })).prompts[0].text;
  expect(say('voice', 'zh')).toBe('王芳您好，我们不会让您转账或索要验证码。核实可挂断后拨打96110。您转过钱吗？');
  expect(say('sms', 'zh')).toBe('王芳您好，我们不会让您转账或索要验证码。核实请拨打96110。您转过钱吗？');
  expect(say('telegram', 'en')).toBe('Hello 王芳, we never ask for money or a code. To check that this is us, call 96110. Have you paid?');
});

test('the checker warns on "hang up" or 挂断 in a text sent by SMS or Telegram, not on a call', () => {
  const plain = WITH_VARIANTS.replace(/\n      written:\n.*\n.*/, '');
  expect(rules(check(plain).issues)).toEqual([
    'warning hang_up_in_text greet "挂断" at states.greet.say.zh is sent by sms and telegram: a text message cannot be hung up',
    'warning hang_up_in_text greet "Hang up" at states.greet.say.en is sent by sms and telegram: a text message cannot be hung up',
  ]);
  const smsOnly = WITH_VARIANTS.replace('      written:', '      telegram:');
  expect(rules(check(smsOnly).issues)).toEqual([
    'warning hang_up_in_text greet "挂断" at states.greet.say.zh is sent by sms: a text message cannot be hung up',
    'warning hang_up_in_text greet "Hang up" at states.greet.say.en is sent by sms: a text message cannot be hung up',
  ]);
});

test('the checker warns when a first message does not say what we never ask for', () => {
  const silent = MINI.replace('我们不会让您转账或索要验证码。', '').replace('we never ask for money or a code. ', '');
  expect(rules(check(silent).issues)).toEqual([
    "warning first_warning_without_never_ask greet state 'greet' can be the first message a person gets (zh, voice), and it does not say what we never ask for",
    "warning first_warning_without_never_ask greet state 'greet' can be the first message a person gets (en, voice), and it does not say what we never ask for",
  ]);
});

test('phrases are named texts the prompts use, with their own locales; one may not hide a case value', () => {
  const withPhrase = MINI.replace('limits: { maxTurns: 5 }', 'limits: { maxTurns: 5 }\nphrases:\n  tell: { zh: "陌生人要钱就是诈骗。", en: "A stranger asking for money is a scammer." }').replace(
    '    say: { zh: "好的，再见。", en: "Good, goodbye." }',
    '    say: { zh: "好的。{tell}", en: "Good. {tell}" }',
  );
  expect(check(withPhrase).issues).toEqual([]);
  const missing = withPhrase.replace('tell: { zh: "陌生人要钱就是诈骗。", en: "A stranger asking for money is a scammer." }', 'tell: { zh: "陌生人要钱就是诈骗。" }');
  expect(rules(check(missing).issues)).toEqual(["error missing_locale_text - no 'en' text at phrases.tell (has zh)"]);
  const shadow = withPhrase.replace('  tell: {', '  name: {').replace(/\{tell\}/g, '{name}');
  expect(rules(check(shadow).issues)).toEqual(["error phrase_shadows_variable - phrase 'name' has the name of a case value {name}"]);
});

test('an empty value drops the space before it, or takes its fallback', () => {
  expect(fillTemplate('Hello {name}, this is {centre_name}.', { centre_name: 'the centre' })).toBe('Hello, this is the centre.');
  expect(fillTemplate('{name}您好', {})).toBe('您好');
  expect(fillTemplate('ask {name|them} to call', {})).toBe('ask them to call');
  expect(fillTemplate('ask {name|them} to call', { name: 'Wang Wei' })).toBe('ask Wang Wei to call');
  expect(fillTemplate('联系{name|他/她}', { name: '' })).toBe('联系他/她');
});

test.each([
  ['王小明', '王小明'],
  ['欧阳晓明', '欧阳晓明'],
  ['王某', '王某'],
  [' 李  娜 ', '李娜'],
  ['阿卜杜拉·买买提', '阿卜杜拉·买买提'],
  ['Alex Chen', 'Alex Chen'],
  ['Jean-Luc de la Cruz', 'Jean-Luc de la Cruz'],
  ["Siobhán O'Brien", "Siobhán O'Brien"],
  ['ＡＬＥＸ　ＣＨＥＮ', 'ALEX CHEN'],
  ['<b>王</b>', undefined],
  ['王先生13800138000', undefined],
  ['点击领取红包', undefined],
  ['http://t.cn/A6x', undefined],
  ['Claim your prize at www.win-prize.top', undefined],
  ['Claim your prize now', undefined],
  ['alex@example.com', undefined],
  ['Alex Chen 2', undefined],
  ['王Alex', undefined],
  ['A', undefined],
  ['王'.repeat(2) + '小明明明', undefined],
  ['', undefined],
  [null, undefined],
])('name %j is used as %j', (raw, want) => {
  expect(usablePersonName(raw)).toBe(want);
});

test('a state that asks for a slot needs a default to go on by', () => {
  const asks = MINI.replace('    hints: { zh: ["没有", "转了"], en: ["no", "yes"] }', '    hints: { zh: ["没有", "转了"], en: ["no", "yes"] }\n    asks: amount');
  expect(rules(check(asks).issues)).toEqual(["error asks_without_default greet state 'greet' asks for 'amount' but has no default: transition with a target to go on to once it is known"]);
});
