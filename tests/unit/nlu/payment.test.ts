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
    });
    expect(extractPayment('just paid 5000 through alipay this morning')).toEqual({
      amounts: [5000],
      methods: ['alipay'],
      times: ['this morning'],
    });
    expect(extractPayment('用微信转了3000').methods).toEqual(['wechat_pay']);
  });
});

describe('detectLocale', () => {
  it('tells Chinese, English and code-switched Chinese apart', () => {
    expect(detectLocale('我已经转了')).toBe('zh');
    expect(detectLocale('I already paid')).toBe('en');
    expect(detectLocale('客服说要开screen share')).toBe('zh');
  });
});
