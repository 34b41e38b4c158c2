// Reviewed desk corrections as training data: kept off the test and dev sets, no numbers, one label per reply.
import { maskDigits, mergeCorrections, type CorrectionRecord } from '../../../nlu-models/src/corrections';
import type { Utterance } from '../../../nlu-models/src/corpus';

const u = (text: string, intent: Utterance['intent'], locale: 'zh' | 'en' = 'zh'): Utterance => ({ text, intent, locale, voice: false });
const rec = (text: string, intent: string, at: string, over: Partial<CorrectionRecord> = {}): CorrectionRecord => ({ text, intent, locale: 'zh', channel: 'sms', at, ...over });

describe('mergeCorrections', () => {
  const corpus = [u('我没转钱', 'safe_aware'), u('客服在帮我弄', 'busy_later'), u('ok', 'other', 'en')];
  const keepOff = { testset: [u('昨天被骗了两万块', 'already_paid')], dev: [u('老师说你们是假的', 'mid_scam')] };

  it('adds new replies with their corrected label, voice when the channel was a call', () => {
    const r = mergeCorrections(corpus, [rec('钱被他们卷走了', 'already_paid', '2026-11-01T10:00:00Z', { channel: 'voice' })], keepOff);
    expect(r.corrections).toEqual([{ text: '钱被他们卷走了', intent: 'already_paid', locale: 'zh', voice: true }]);
    expect(r.corpus).toEqual(corpus);
  });

  it('never trains on a reply that repeats the test set or the dev set', () => {
    const r = mergeCorrections(corpus, [rec('昨天被骗了两万块！', 'already_paid', '2026-11-01T10:00:00Z'), rec('老师说你们是假的', 'mid_scam', '2026-11-01T10:01:00Z')], keepOff);
    expect(r.corrections).toEqual([]);
    expect(r.dropped).toMatchObject({ nearTestset: 1, nearDev: 1 });
  });

  it('keeps the latest correction of a reply, and lets it relabel the corpus', () => {
    const r = mergeCorrections(
      corpus,
      [rec('客服在帮我弄', 'mid_scam', '2026-11-02T10:00:00Z'), rec('客服在帮我弄', 'request_human', '2026-11-01T10:00:00Z')],
      keepOff,
    );
    expect(r.corrections).toEqual([{ text: '客服在帮我弄', intent: 'mid_scam', locale: 'zh', voice: false }]);
    expect(r.corpus.map((x) => x.text)).toEqual(['我没转钱', 'ok']);
    expect(r).toMatchObject({ relabelled: 1, dropped: { superseded: 1 } });
  });

  it('drops what the corpus already says and what cannot be used', () => {
    const r = mergeCorrections(corpus, [rec('我没转钱', 'safe_aware', '2026-11-01T10:00:00Z'), rec('嗯', 'paid', '2026-11-01T10:00:00Z'), rec('hello', 'other', '2026-11-01T10:00:00Z', { locale: 'fr' })], keepOff);
    expect(r.corrections).toEqual([]);
    expect(r.dropped).toMatchObject({ alreadyInCorpus: 1, unusable: 2 });
  });

  it('keeps card, account and phone numbers out of the training text', () => {
    expect(maskDigits('转到6222 0202 0011 2233 445了，电话13800138000，验证码 482913')).toBe('转到0000 0000 0000 0000 000了，电话00000000000，验证码 000000');
    expect(maskDigits('转了8000块')).toBe('转了8000块');
    const r = mergeCorrections(corpus, [rec('我转到 6222020200112233445 了', 'already_paid', '2026-11-01T10:00:00Z')], keepOff);
    expect(r.corrections[0]!.text).toBe('我转到 0000000000000000000 了');
  });
});
