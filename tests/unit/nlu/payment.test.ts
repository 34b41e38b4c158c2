import fc from 'fast-check';
import { extractPayment } from '../../../nlu-models/src/payment';
import { detectLocale } from '../../../nlu-models/src/index';

describe('extractPayment', () => {
  it.each([
    ['我已经转了8千过去了', [8000]],
    ['昨天转了两万给他', [20000]],
    ['交了5k解冻金', [5000]],
    ['我被骗了，转了1.5万', [15000]],
    ['一共转了一万五', [15000]],
    ['微信给那个人转了6千8', [6800]],
    ['I sent two thousand to him', [2000]],
    ['sent him $8,000', [8000]],
    ['transferred two and a half thousand last night', [2500]],
    ['wired 20k yesterday', [20000]],
  ])('reads the amount in "%s"', (text, amounts) => {
    expect(extractPayment(text).amounts).toEqual(amounts);
  });

  it('ignores numbers that count other things', () => {
    expect(extractPayment("he's not a scammer, I've known him 3 months").amounts).toEqual([]);
    expect(extractPayment('平台让我交15%的个税').amounts).toEqual([]);
    expect(extractPayment('前后转了六次').amounts).toEqual([]);
  });

  it('names the method, the bank and the time words', () => {
    expect(extractPayment('昨天下午在农行转了8万到他们说的账户')).toEqual({
      amounts: [80000],
      methods: ['ABC'],
      times: ['昨天', '下午'],
      accounts: [],
    });
    expect(extractPayment('just paid 5000 through alipay this morning')).toEqual({
      amounts: [5000],
      methods: ['alipay'],
      times: ['this morning'],
      accounts: [],
    });
    expect(extractPayment('用微信转了3000').methods).toEqual(['wechat_pay']);
  });
});

describe('extractPayment: identifiers are not amounts', () => {
  it.each([
    ['我已经转了8000元到安全账户 6222020200112233445', [8000], ['6222020200112233445']],
    ['收款卡号 6228 4800 1234 5678 910，我转了两万', [20000], ['6228480012345678910']],
    ['I sent $2,500 to account 4400123498761234', [2500], ['4400123498761234']],
    ['wired 3000 to acct no. 00123456789 at Chase', [3000], ['00123456789']],
    ['支付宝账号13912345678，转了一万', [10000], ['13912345678']],
  ])('keeps the account number out of the amounts in "%s"', (text, amounts, accounts) => {
    expect(extractPayment(text)).toMatchObject({ amounts, accounts });
  });

  it.each([
    ['他让我打他电话13912345678，我没转钱', []],
    ['the officer gave me his number +1 415 555 0134 and I paid 3000', [3000]],
    ['call 555-201-7788 back, I sent them 900', [900]],
    ['案件编号QZ7K4M2P，我交了5k保证金', [5000]],
    ['case ref ZX9K2W7Q, I already transferred 1200', [1200]],
    ['尾号8812的卡转出了6000', [6000]],
    ['验证码是739201，我给他了', []],
    ['2025-03-14 晚上9:30转的', []],
    ['transferred 800 on 12/05 at 14:45', [800]],
    ['5月20号转了两千', [2000]],
  ])('reads no phone number, code, date or time as an amount in "%s"', (text, amounts) => {
    expect(extractPayment(text).amounts).toEqual(amounts);
    expect(extractPayment(text).accounts).toEqual([]);
  });

  it('counts a long figure as money only with a currency word or sign, and never past exact integers', () => {
    expect(extractPayment('转了12000000000元').amounts).toEqual([12000000000]);
    expect(extractPayment('转了12000000000').amounts).toEqual([]);
    expect(extractPayment('paid ¥99999999999999999999').amounts).toEqual([]);
  });

  it('never turns a 10 to 19 digit run without a currency word into an amount', () => {
    const sentences = [
      (n: string) => `我转了${n}`,
      (n: string) => `转到${n}了`,
      (n: string) => `I transferred the money to ${n}`,
      (n: string) => `sent 500 to ${n} yesterday`,
    ];
    fc.assert(
      fc.property(fc.stringMatching(/^[1-9]\d{9,18}$/), fc.integer({ min: 0, max: sentences.length - 1 }), (digits, k) => {
        const { amounts } = extractPayment(sentences[k](digits));
        expect(amounts.filter((a) => a !== 500)).toEqual([]);
        for (const a of amounts) expect(Number.isSafeInteger(a)).toBe(true);
      }),
    );
  });
});

describe('detectLocale', () => {
  it('tells Chinese, English and code-switched Chinese apart', () => {
    expect(detectLocale('我已经转了')).toBe('zh');
    expect(detectLocale('I already paid')).toBe('en');
    expect(detectLocale('客服说要开screen share')).toBe('zh');
  });
});
