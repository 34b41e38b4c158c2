// Rules over the words: every locale present, known template variables, no links, no requests for secrets,
// channel length limits, menus that can be answered.
import type { CompiledFlow } from './compiled';
import { renderSms } from './render/sms';
import { TELEGRAM_MAX_CHARS } from './render/telegram';
import type { LocaleText } from './schema';
import { expectsOf } from './step';
import { SAMPLE_VARS_BY_LOCALE, TEMPLATE_VARS, templateVariables, fillTemplate } from './template';
import { didYouMean } from './suggest';
import type { CheckIssue, Prompt } from './types';
import type { Locale } from './vocabulary';

type Emit = (i: Omit<CheckIssue, 'file' | 'severity'> & { severity?: CheckIssue['severity']; path?: (string | number)[] }) => void;

export const SMS_SEGMENTS_TARGET = 3;

const LINK = /https?:|www\.|短链|短网址|\b[a-z0-9-]+\.(?:com|cn|net|org|top|xyz|io|me|cc|vip|app|link)\b/i;
const SECRET = /密码|验证码|校验码|卡号|CVV|password|passcode|verification code|security code|one-time code|\bPIN\b|card number/i;
// A sentence that names a secret to say it must never be shared, or that asking for it is a scam, is a warning, not a request.
const NEGATION = /不要|不会|不用|不需要|不透露|不告诉|不提供|不泄露|绝不|从不|别|切勿|任何人|诈骗|骗子|never|scam|don't|do not|won't|will not|no one|nobody|not ask/i;

interface TextAt {
  path: (string | number)[];
  state?: string;
  text: LocaleText;
}

function texts(flow: CompiledFlow): TextAt[] {
  const out: TextAt[] = [];
  const add = (path: (string | number)[], state: string | undefined, text: LocaleText | undefined) => text && out.push({ path, state, text });
  const transitions = (base: (string | number)[], state: string | undefined, on: object | undefined) => {
    for (const [trigger, spec] of Object.entries(on ?? {})) {
      const list = Array.isArray(spec) ? spec : typeof spec === 'string' ? [] : [spec];
      list.forEach((t: { say?: LocaleText }, i: number) => add([...base, 'on', trigger, ...(Array.isArray(spec) ? [i] : []), 'say'], state, t.say));
    }
  };
  transitions([], undefined, flow.def.on);
  for (const [id, s] of Object.entries(flow.def.states)) {
    add(['states', id, 'say'], id, s.say);
    add(['states', id, 'reprompt'], id, s.reprompt);
    s.options?.forEach((o, i) => add(['states', id, 'options', i, 'label'], id, o.label));
    transitions(['states', id], id, s.on);
  }
  return out;
}

export function checkText(flow: CompiledFlow, emit: Emit): void {
  const locales = flow.def.locales as Locale[];
  for (const t of texts(flow)) {
    for (const locale of locales) {
      const text = t.text[locale];
      const at = [...t.path, locale].join('.');
      if (!text) {
        const have = Object.keys(t.text).join(', ') || 'no locale';
        emit({ rule: 'missing_locale_text', state: t.state, path: t.path, message: `no '${locale}' text at ${t.path.join('.')} (has ${have})`, fix: `add ${locale}: "…" beside the other locale(s); the flow declares locales: [${locales.join(', ')}]` });
        continue;
      }
      for (const v of templateVariables(text)) {
        if ((TEMPLATE_VARS as readonly string[]).includes(v)) continue;
        emit({ rule: 'unknown_template_variable', state: t.state, path: [...t.path, locale], message: `unknown template variable {${v}} at ${at}`, fix: `use one of ${TEMPLATE_VARS.map((x) => `{${x}}`).join(' ')}${didYouMean(v, TEMPLATE_VARS)}` });
      }
      const link = LINK.exec(text);
      if (link) {
        emit({ rule: 'link_in_text', state: t.state, path: [...t.path, locale], message: `link "${link[0]}" at ${at}: every text may be sent by SMS, and a warning must never carry a link (scammers send links; we never do)`, fix: 'remove the link; tell the person to call back {callback_number} or 110 instead' });
      }
      for (const sentence of text.split(/[。！？!?\n]|\.(?:\s|$)/)) {
        const secret = SECRET.exec(sentence);
        if (secret && !NEGATION.test(sentence)) {
          emit({ severity: 'warning', rule: 'asks_for_secret', state: t.state, path: [...t.path, locale], message: `"${sentence.trim()}" at ${at} seems to ask for a ${secret[0]}: we never ask for passwords, verification codes or card numbers`, fix: locale === 'zh' ? `remove the request; to warn, say it with a negation, e.g. "任何人索要${secret[0]}都是诈骗"` : `remove the request; to warn, say it with a negation, e.g. "never share your ${secret[0]}"` });
        }
      }
    }
  }
  checkMenus(flow, emit);
  checkLengths(flow, locales, emit);
}

function checkMenus(flow: CompiledFlow, emit: Emit) {
  for (const [id, s] of Object.entries(flow.def.states)) {
    const keys = (s.options ?? []).map((o) => o.key);
    const dup = keys.find((k, i) => keys.indexOf(k) !== i);
    if (dup) emit({ rule: 'duplicate_option_key', state: id, path: ['states', id, 'options'], message: `key ${dup} is used twice in the options of state '${id}'`, fix: 'give every option its own key' });
    if (s.expects === 'choice' && keys.length === 0) emit({ rule: 'choice_without_options', state: id, path: ['states', id], message: `state '${id}' expects a choice but has no options`, fix: "add options: [{ key: '1', intent: …, label: { zh: …, en: … } }] or use expects: free" });
    if (s.expects === 'yes_no' && (!s.yes || !s.no)) emit({ rule: 'yes_no_unmapped', state: id, path: ['states', id], message: `state '${id}' expects yes/no but does not say which intent a yes and a no mean`, fix: 'add yes: <intent> and no: <intent>' });
  }
}

/** Renders each state as its first message would be sent (the start state with nothing before it). */
function checkLengths(flow: CompiledFlow, locales: Locale[], emit: Emit) {
  for (const locale of locales) {
    for (const [id, st] of Object.entries(flow.states)) {
      const text = st.def.say[locale];
      if (!text) continue;
      const p: Prompt = { flowId: flow.id, flowVersion: flow.version, stateId: id, locale, text: fillTemplate(text, SAMPLE_VARS_BY_LOCALE[locale]), expects: st.final ? { kind: 'free' } : expectsOf(st, locale) };
      const sms = renderSms([p]);
      if (sms.segments > SMS_SEGMENTS_TARGET) {
        emit({ severity: 'warning', rule: 'sms_too_long', state: id, path: ['states', id, 'say', locale], message: `state '${id}' (${locale}) is ${sms.segments} SMS segments with its menu (${[...sms.text].length} characters); keep a warning within ${SMS_SEGMENTS_TARGET}`, fix: `shorten the text: about ${SMS_SEGMENTS_TARGET * 67} characters in Chinese, ${SMS_SEGMENTS_TARGET * 153} in plain English` });
      }
      if ([...p.text].length > TELEGRAM_MAX_CHARS) {
        emit({ rule: 'telegram_too_long', state: id, path: ['states', id, 'say', locale], message: `state '${id}' (${locale}) has ${[...p.text].length} characters; Telegram accepts at most ${TELEGRAM_MAX_CHARS}`, fix: 'shorten the text' });
      }
    }
  }
}
