import type { NluLocale } from './intents';

const HAN = /[\u3400-\u9fff\uf900-\ufaff]/g;
const LATIN_WORD = /[a-z]+/gi;

/** zh when Han characters carry the text; code-switched zh ("客服说要screen share") stays zh. */
export function detectLocale(text: string): NluLocale {
  const han = (text.match(HAN) ?? []).length;
  if (han === 0) return 'en';
  const latinWords = (text.match(LATIN_WORD) ?? []).length;
  return han >= latinWords ? 'zh' : 'en';
}

/** Full-width forms to ASCII, lower case, collapsed spaces: one shape for typed and transcribed text. */
export function canonical(text: string): string {
  return text
    .replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\u3000/g, ' ')
    .toLowerCase()
    .replace(/[’‘`]/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
}

// Speech fillers carry no intent; "那个" is only dropped when it stands alone as a hesitation.
const ZH_FILLERS = /(^|\s)(嗯+|呃+|额+|啊+|哦+|唉+|哎+|诶+|那个|就是|然后|这个)(?=\s|$)/g;
const EN_FILLERS = /\b(um+|uh+|er+|erm|ah+|mm+|hmm+|hm|like|you know|i mean|so)\b/g;

/** What is left after fillers and punctuation: empty means nothing was said. */
export function contentOf(text: string): string {
  return canonical(text)
    .replace(ZH_FILLERS, ' ')
    .replace(EN_FILLERS, ' ')
    .replace(/[\p{P}\p{S}]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Voice transcripts come without punctuation; the evaluation reports them apart. */
export function isVoiceStyle(text: string): boolean {
  return !/[\p{P}]/u.test(text.replace(/'/g, ''));
}
