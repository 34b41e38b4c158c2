import { detectCues } from '../../../nlu-models/src/cues';
import type { NluLocale } from '../../../nlu-models/src/intents';

const names = (text: string, locale: NluLocale) => detectCues(text, locale).map((c) => c.name);

// Each rule: a reply where it must fire, and a negated or refused form where it must not.
const CASES: Array<[rule: string, locale: NluLocale, positive: string, negated: string]> = [
  ['safe_account', 'zh', '警官让我把钱转到安全账户核查', '警察不会让人转安全账户的，这个我懂'],
  ['safe_account', 'en', 'the officer said I need to move my savings to a safe account', 'I know police never use a safe account'],
  ['screen_sharing', 'zh', '客服让我开屏幕共享帮我退款', '他让我共享屏幕我没弄'],
  ['screen_sharing', 'en', 'customer service is on screen share with me right now', 'he asked me to share my screen and I refused'],
  ['verification_code', 'zh', '他让我把验证码发给他', '验证码我谁都没给'],
  ['verification_code', 'en', 'he asked for the verification code they texted me', 'I never gave anyone the verification code'],
  ['release_fee', 'zh', '平台说要交解冻费才能提现', '我不会去交什么解冻费的'],
  ['release_fee', 'en', "I'm about to pay the unfreezing fee", "I won't pay their unfreezing fee"],
  ['loan_to_pay', 'zh', '他让我去网贷借钱把保证金交了', '对方让我去借网贷，我没借'],
  ['loan_to_pay', 'en', 'they told me to take out a loan to clear my record', 'they wanted me to take out a loan but I refused'],
  ['told_to_keep_secret', 'zh', '警官说这个案子要保密，不能告诉任何人', '没有人让我保密'],
  ['told_to_keep_secret', 'en', 'the officer told me not to tell anyone', 'nobody told me to keep it secret'],
  ['about_to_pay', 'zh', '我准备去银行转账', '我不准备转账了'],
  ['about_to_pay', 'en', "I'm about to transfer the money", "I was about to transfer but I won't now"],
  ['authority_directs', 'zh', '老师让我先充值才能提现', '老师让我充值，我没理他'],
  ['authority_directs', 'en', 'my mentor says I have to top up first', 'my mentor told me to top up and I refused'],
  ['already_transferred', 'zh', '我已经转了8千过去了', '差点就转了，还好没转'],
  ['already_transferred', 'en', 'I already sent him 8000', 'I almost sent him the money'],
  ['money_gone', 'zh', '钱都被他骗走了', '我的钱没有被骗走'],
  ['money_gone', 'en', 'I got scammed out of 5000', 'I have not been scammed'],
  ['money_lost', 'zh', '昨天被骗了三千块', '我差点被骗了三千块'],
  ['money_lost', 'en', "I'm out 3 grand", 'I almost lost 3 grand'],
  ['vouches', 'zh', '他给我看了警官证，我相信他', '我不相信他，他也没给我看过什么证件'],
  ['vouches', 'en', "it's not a scam, I've withdrawn my profits twice", "it's not legit, I never withdrew anything"],
  ['inoculated', 'zh', '老师早就说了你们这种电话都是骗人的', '他从来没说过你们会打电话'],
  ['inoculated', 'en', 'my teacher said you would call and pretend to be police', 'nobody told me you would call'],
  ['on_the_line', 'zh', '还在跟警官视频', '我没在跟客服通话'],
  ['on_the_line', 'en', "I'm still on the other line with customer service", "I'm not on a video call with anyone"],
  ['deleting_on_instruction', 'zh', '他让我把反诈APP卸载了', '他让我卸载反诈APP，我没卸'],
  ['deleting_on_instruction', 'en', 'they told me to delete the anti-fraud app', "they told me to delete the anti-fraud app but I didn't delete it"],
  ['answers_paid', 'zh', '有，两万块', '有什么事'],
  ['answers_paid', 'en', 'yep, £650 by bank transfer', 'yeah what is it'],
  ['follows_instructions', 'zh', '我按客服说的操作了', '我没按他说的做'],
  ['follows_instructions', 'en', 'I opened a new account like they asked', "they asked me to open an account but I didn't do it"],
  ['not_yet_soon', 'zh', '还没 快了', '还没，也不会转'],
  ['not_yet_soon', 'en', 'not yet, tomorrow', 'not yet and not ever'],
  ['in_progress', 'zh', '在操作了', '在忙'],
  ['in_progress', 'en', "transferring now, can't talk", "I'm not transferring anything"],
];

describe('cue rules', () => {
  it.each(CASES)('%s (%s) fires on "%s" and not on "%s"', (rule, locale, positive, negated) => {
    expect(names(positive, locale)).toContain(rule);
    expect(names(negated, locale)).not.toContain(rule);
  });

  it('covers every rule with a positive and a negated case in both locales', () => {
    const { CUE_RULES } = jest.requireActual('../../../nlu-models/src/cues');
    for (const rule of CUE_RULES) {
      for (const locale of ['zh', 'en']) {
        expect(CASES.filter(([r, l]) => r === rule.name && l === locale)).toHaveLength(1);
      }
    }
  });

  it('says nothing for a general question that reveals no own risk', () => {
    expect(names('安全账户是什么意思', 'zh')).toEqual([]);
    expect(names("um what's the risk of screen sharing?", 'en')).toEqual([]);
  });

  it('does not count "I didn\'t send any money" or "我没有转账" as a payment', () => {
    expect(names("I didn't send any money", 'en')).toEqual([]);
    expect(names('我没有转账', 'zh')).toEqual([]);
  });

  it('does not read the fraudster\'s actions as the citizen paying', () => {
    expect(names('he sent me a photo of his badge', 'en')).not.toContain('already_transferred');
  });
});

describe('denial and vouching', () => {
  it.each([
    ["not a scam, it's my own investment", 'en'],
    ["it isn't a scam, I know what I'm doing", 'en'],
    ['they showed me their badge, it is legit', 'en'],
    ['I took my gains out twice already, no problem', 'en'],
    ['不是骗局，是我自己愿意投的', 'zh'],
    ['我之前提现都到账了，怎么可能是骗子', 'zh'],
    ['人家给我看了营业执照的', 'zh'],
  ] as const)('raise risk when the citizen defends the other side: "%s"', (text, locale) => {
    expect(names(text, locale)).toContain('vouches');
  });

  it.each([
    ['how do I know this message is not a scam', 'en'],
    ["you're not real police", 'en'],
    ["I knew it wasn't legit and blocked him", 'en'],
    ["I can't withdraw anything, it's been a week", 'en'],
    ['你们是不是骗子', 'zh'],
    ['我怎么知道你们不是骗子', 'zh'],
    ['钱一直提不出来', 'zh'],
    ['我不信他，已经拉黑了', 'zh'],
  ] as const)('stay quiet when the denial is about us, or the citizen sees through it: "%s"', (text, locale) => {
    expect(names(text, locale)).not.toContain('vouches');
  });

  it.each([
    ['the officer told me to ignore these texts, sorry', 'en', 'inoculated'],
    ['they told me to block this number', 'en', 'inoculated'],
    ['他们让我别理你们，把你们拉黑', 'zh', 'inoculated'],
    ['客服让我把反诈APP删了', 'zh', 'deleting_on_instruction'],
  ] as const)('an instruction to block or delete is obeying, not seeing through it: "%s"', (text, locale, rule) => {
    expect(names(text, locale)).toContain(rule);
  });

  it.each([
    ['我把那个诈骗app删了', 'zh'],
    ['I deleted the scam app they made me install', 'en'],
    ['my mum is on the phone, call me later', 'en'],
    ['我妈在打电话，你晚点打', 'zh'],
    ['I lost my phone yesterday', 'en'],
    ['我是不是被骗了', 'zh'],
  ] as const)('no cue for the near-miss "%s"', (text, locale) => {
    expect(names(text, locale)).toEqual([]);
  });
});

describe('negation scope', () => {
  it.each([
    ['ok, I will not pay them anything', 'en'],
    ["I'm going to never send them money again", 'en'],
    ['they asked, and I will not transfer a cent', 'en'],
    ['我准备先不转了，再看看', 'zh'],
    ['我打算不交了', 'zh'],
    ['客服说不用转，等通知就行', 'zh'],
  ] as const)('a negator inside the match blocks it: "%s"', (text, locale) => {
    expect(names(text, locale)).toEqual([]);
  });

  it.each([
    ['they pushed me to take a payday loan, I refused', 'en'],
    ['he wants me to move my savings to a safe account, no way', 'en'],
    ["the teacher said I have to top up first, I didn't", 'en'],
    ['他让我转到安全账户，我拒绝了', 'zh'],
    ['客服让我开屏幕共享退款，我没同意', 'zh'],
    ['老师叫我继续充值，我才不充', 'zh'],
  ] as const)('a refusal takes the pressure it answers off the table: "%s"', (text, locale) => {
    expect(names(text, locale)).toEqual([]);
  });

  it.each([
    ['the officer said it is confidential, I refused to tell my son', 'en', 'told_to_keep_secret'],
    ['警官让我别告诉家里人，我没告诉', 'zh', 'told_to_keep_secret'],
    ['I will pay them tonight', 'en', 'about_to_pay'],
    ['我准备先转一半过去', 'zh', 'about_to_pay'],
  ] as const)('keeps the cue when nothing refuses the payment: "%s"', (text, locale, rule) => {
    expect(names(text, locale)).toContain(rule);
  });
});

describe('payment still to come', () => {
  it.each([
    ['对方说要继续转到安全账户', 'zh'],
    ['他们还要我再交五千才给解冻', 'zh'],
    ['客服叫我明天把剩下的打款', 'zh'],
    ['they want me to send another 2000', 'en'],
    ['I have to keep transferring to the safe account', 'en'],
    ['the agent asked me to pay the tax before Friday', 'en'],
  ] as const)('marks "%s" as a pending payment, not a payment', (text, locale) => {
    const cues = detectCues(text, locale);
    expect(cues.filter((c) => c.pending).map((c) => c.name)).toEqual(['about_to_pay']);
    expect(cues.filter((c) => c.raises === 'already_paid')).toEqual([]);
  });

  it.each([
    ['我想把转出去的钱要回来', 'zh'],
    ['我要转人工', 'zh'],
    ['我要投诉这个平台', 'zh'],
  ] as const)('does not read "%s" as a payment to come', (text, locale) => {
    expect(names(text, locale)).not.toContain('about_to_pay');
  });

  it.each([
    ['转了两万，他们还让我再转', 'zh'],
    ['卡里的钱被扣了八千，他们还要我再交', 'zh'],
    ['I already paid 3000 and now they want me to pay more', 'en'],
    ['sent them 500 last night, they keep asking me to send more', 'en'],
  ] as const)('still sees the completed payment beside more pressure in "%s"', (text, locale) => {
    expect(detectCues(text, locale).some((c) => c.raises === 'already_paid')).toBe(true);
  });
});
