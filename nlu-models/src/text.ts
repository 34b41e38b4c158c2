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

// SMS shorthand, dropped apostrophes and the commonest misspellings of the words the cues and the model key on:
// "hes legit", "i payed them", "transfering now", "ur fake", "in a call w customer service". Only forms with one
// reading; "ill", "were", "its" stay as written.
const EN_SHORTHAND: Record<string, string> = {
  u: 'you', ur: "you're", r: 'are', w: 'with', b4: 'before', pls: 'please', plz: 'please', thx: 'thanks', ty: 'thank you',
  bf: 'boyfriend', gf: 'girlfriend', bc: 'because', cuz: 'because', coz: 'because', tmr: 'tomorrow', tmrw: 'tomorrow', tonite: 'tonight', nite: 'night',
  msg: 'message', txt: 'text', acct: 'account', acc: 'account', govt: 'government', nvr: 'never', rn: 'right now', idk: "i don't know", kno: 'know', knw: 'know',
  im: "i'm", ive: "i've", hes: "he's", shes: "she's", theyre: "they're", youre: "you're", dont: "don't", didnt: "didn't", doesnt: "doesn't",
  wont: "won't", cant: "can't", isnt: "isn't", wasnt: "wasn't", arent: "aren't", havent: "haven't", hasnt: "hasn't", wouldnt: "wouldn't", shouldnt: "shouldn't",
  payed: 'paid', transfered: 'transferred', transfering: 'transferring', trasnferred: 'transferred', tranferred: 'transferred', tansferred: 'transferred',
  alredy: 'already', allready: 'already', alrdy: 'already', recieved: 'received', recieve: 'receive', sended: 'sent', scamed: 'scammed',
};
const EN_SHORTHAND_RE = new RegExp(`(?<![\\w'])(${Object.keys(EN_SHORTHAND).join('|')})(?![\\w'])`, 'g');

/** English shorthand spelt out (text already canonical); Chinese unchanged. */
export function expandShorthand(text: string, locale: NluLocale): string {
  if (locale !== 'en') return text;
  return text.replace(/\bw\/(?=\s)/g, 'with').replace(EN_SHORTHAND_RE, (w) => EN_SHORTHAND[w]!);
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
