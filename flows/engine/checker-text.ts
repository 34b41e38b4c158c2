// Rules over the words: every locale present, known template variables, no links, no requests for secrets,
// channel length limits, menus that can be answered.
import type { CompiledFlow } from './compiled';
import { renderSms } from './render/sms';
import { TELEGRAM_MAX_CHARS } from './render/telegram';
import type { LocaleText } from './schema';
import { expectsOf, promptVars } from './step';
import { channelsOf, textFor, wordingsOf } from './texts';
import { SAMPLE_VARS_BY_LOCALE, TEMPLATE_VARS, templateVariables, fillTemplate } from './template';
import { didYouMean } from './suggest';
import type { CheckIssue, Prompt } from './types';
import { CHANNELS, type Locale } from './vocabulary';

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
  for (const [name, t] of Object.entries(flow.def.phrases ?? {})) add(['phrases', name], undefined, t);
  transitions([], undefined, flow.def.on);
  for (const [id, s] of Object.entries(flow.def.states)) {
    add(['states', id, 'say'], id, s.say);
    add(['states', id, 'reprompt'], id, s.reprompt);
    s.options?.forEach((o, i) => add(['states', id, 'options', i, 'label'], id, o.label));
    transitions(['states', id], id, s.on);
  }
  return out;
}

// A text message cannot be hung up: "hang up and call 96110" only makes sense on a call.
const HANG_UP = /hang\s*up|hang-up|挂断|挂机|挂掉/i;
// What the centre never asks for, said in the first message: money, and codes or passwords.
const NEVER_ASKS: Record<Locale, RegExp> = {
  zh: /(不会|绝不|从不|决不)[^。！？]*(转账|汇款|付款|交钱)[^。！？]*(验证码|密码)|(不会|绝不|从不|决不)[^。！？]*(验证码|密码)[^。！？]*(转账|汇款|付款|交钱)/,
  en: /\bnever\b[^.!?]*\b(money|pay|transfer)[^.!?]*\b(code|password)|\bnever\b[^.!?]*\b(code|password)[^.!?]*\b(money|pay|transfer)/i,
};

export function checkText(flow: CompiledFlow, emit: Emit): void {
  const locales = flow.def.locales as Locale[];
  const phraseNames = Object.keys(flow.def.phrases ?? {});
  const known = [...TEMPLATE_VARS, ...phraseNames];
  for (const name of phraseNames) {
    if ((TEMPLATE_VARS as readonly string[]).includes(name)) {
      emit({ rule: 'phrase_shadows_variable', path: ['phrases', name], message: `phrase '${name}' has the name of a case value {${name}}`, fix: `rename the phrase, e.g. ${name}_text` });
    }
  }
  for (const t of texts(flow)) {
    for (const w of wordingsOf(t.text)) {
      const path = w.variant ? [...t.path, w.variant] : t.path;
      for (const locale of locales) {
        const text = w.texts[locale];
        const at = [...path, locale].join('.');
        if (!text) {
          const have = Object.keys(w.texts).filter((k) => w.texts[k as Locale]).join(', ') || 'no locale';
          emit({ rule: 'missing_locale_text', state: t.state, path, message: `no '${locale}' text at ${path.join('.')} (has ${have})`, fix: `add ${locale}: "…" beside the other locale(s); the flow declares locales: [${locales.join(', ')}]` });
          continue;
        }
        for (const v of templateVariables(text)) {
          if (known.includes(v)) continue;
          emit({ rule: 'unknown_template_variable', state: t.state, path: [...path, locale], message: `unknown template variable {${v}} at ${at}`, fix: `use one of ${known.map((x) => `{${x}}`).join(' ')}${didYouMean(v, known)}` });
        }
        const link = LINK.exec(text);
        if (link) {
          emit({ rule: 'link_in_text', state: t.state, path: [...path, locale], message: `link "${link[0]}" at ${at}: every text may be sent by SMS, and a warning must never carry a link (scammers send links; we never do)`, fix: 'remove the link; tell the person to call back {callback_number} or 110 instead' });
        }
        for (const sentence of text.split(/[。！？!?\n]|\.(?:\s|$)/)) {
          const secret = SECRET.exec(sentence);
          if (secret && !NEGATION.test(sentence)) {
            emit({ severity: 'warning', rule: 'asks_for_secret', state: t.state, path: [...path, locale], message: `"${sentence.trim()}" at ${at} seems to ask for a ${secret[0]}: we never ask for passwords, verification codes or card numbers`, fix: locale === 'zh' ? `remove the request; to warn, say it with a negation, e.g. "任何人索要${secret[0]}都是诈骗"` : `remove the request; to warn, say it with a negation, e.g. "never share your ${secret[0]}"` });
          }
        }
        const written = channelsOf(t.text, w.variant).filter((c) => c !== 'voice');
        const hangUp = HANG_UP.exec(text);
        if (hangUp && written.length) {
          emit({
            severity: 'warning',
            rule: 'hang_up_in_text',
            state: t.state,
            path: [...path, locale],
            message: `"${hangUp[0]}" at ${at} is sent by ${written.join(' and ')}: a text message cannot be hung up`,
            fix: locale === 'zh' ? 'add a written: { zh: …, en: … } wording for SMS and Telegram, e.g. "核实是否是我们，请拨打110或{callback_number}"' : 'add a written: { zh: …, en: … } wording for SMS and Telegram, e.g. "to check that this is us, call 110 or {callback_number}"',
          });
        }
      }
    }
  }
  checkFirstWarnings(flow, locales, emit);
  checkMenus(flow, emit);
  checkLengths(flow, locales, emit);
}

/** The states whose prompt can be the first a person gets from us: the start, and what a voicemail or unanswered calls leave. */
function firstWarnings(flow: CompiledFlow): string[] {
  const ids = new Set([flow.start]);
  for (const trigger of ['voicemail', 'unanswered'] as const) for (const t of flow.on[trigger] ?? []) if (t.target) ids.add(t.target);
  return [...ids].filter((id) => flow.states[id]);
}

function checkFirstWarnings(flow: CompiledFlow, locales: Locale[], emit: Emit) {
  for (const id of firstWarnings(flow)) {
    for (const locale of locales) {
      for (const channel of CHANNELS) {
        const vars = promptVars(flow, { locale, channel, vars: SAMPLE_VARS_BY_LOCALE[locale] });
        const text = fillTemplate(textFor(flow.states[id].def.say, locale, channel) ?? '', vars);
        if (!text || NEVER_ASKS[locale].test(text)) continue;
        emit({
          severity: 'warning',
          rule: 'first_warning_without_never_ask',
          state: id,
          path: ['states', id, 'say'],
          message: `state '${id}' can be the first message a person gets (${locale}, ${channel}), and it does not say what we never ask for`,
          fix: locale === 'zh' ? 'add a sentence such as "我们绝不会让您转账，也不会索要验证码。"' : 'add a sentence such as "We will never ask you to transfer money or for a code."',
        });
        break;
      }
    }
  }
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
      const text = textFor(st.def.say, locale, 'sms');
      if (!text) continue;
      const vars = promptVars(flow, { locale, channel: 'sms', vars: SAMPLE_VARS_BY_LOCALE[locale] });
      const p: Prompt = { flowId: flow.id, flowVersion: flow.version, stateId: id, locale, text: fillTemplate(text, vars), expects: st.final ? { kind: 'free' } : expectsOf(st, locale, 'sms') };
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
