// @ts-check
// "Try it": chat with the draft as a citizen would, on SMS, Telegram or a voice call, in zh or en, with
// the real classifier. The conversation state lives here and goes to the server with each turn; nothing is stored.
import { html, useEffect, useRef, useState } from '../build/preact.js';
import { api } from '../shared/api.js';
import { errorMessage, label, t } from '../shared/i18n.js';

/** @typedef {{ who: 'bot' | 'citizen', key: number, turn: any, shown?: string }} Line */

/** @param {any} a */
function describeAction(a) {
  switch (a.type) {
    case 'handoff':
      return t('act.handoff', { reason: label('reason', a.reason), priority: a.priority ? ` (${a.priority})` : '' });
    case 'collect_slot':
      return t('act.collect', { slot: a.slot, value: a.value === undefined ? '—' : a.value });
    case 'schedule_callback':
      return t('act.callback', { n: a.afterMinutes });
    case 'contact_relative':
      return t('act.relative');
    case 'end':
      return t('act.end', { outcome: label('outcome', a.outcome) });
    default:
      return a.type;
  }
}

const prettyXml = (/** @type {string} */ xml) => String(xml || '').replace(/></g, '>\n<');

/** @param {{ turn: any, onButton: (text: string, data: string) => void }} props */
function BotBubble({ turn, onButton }) {
  if (!turn.prompts.length) return null;
  const r = turn.rendered || {};
  const last = turn.prompts[turn.prompts.length - 1];
  return html`<div class="msg bot">
    <div class="bubble bot">
      ${turn.prompts.map((/** @type {{ text: string }} */ p) => html`<p>${p.text}</p>`)}
      ${r.channel === 'telegram' &&
      r.buttons?.length > 0 &&
      html`<div class="tg-buttons">${r.buttons.flat().map((/** @type {{ text: string, data: string }} */ b) => html`<button class="btn small" type="button" onClick=${() => onButton(b.text, b.data)}>${b.text}</button>`)}</div>`}
      ${r.channel === 'voice' && html`<details class="twiml"><summary>${t('try.twiml')}</summary><pre>${prettyXml(r.twiml)}</pre></details>`}
    </div>
    <div class="meta">
      <span class="mono" title=${label('flowState', last.stateId)}>${last.stateId}</span>
      ${r.channel === 'sms' && html`<span>${t('try.segments', { n: r.segments })}</span>`}
      ${turn.ended && html`<span class="badge">${t('try.ended')}</span>`}
    </div>
  </div>`;
}

/** @param {{ shown: string, turn: any }} props */
function CitizenBubble({ shown, turn }) {
  const c = turn.classification;
  const p = c?.payment || {};
  const paid = [...(p.amounts || []), ...(p.methods || []), ...(p.times || [])];
  return html`<div class="msg citizen">
    <div class="bubble citizen">${shown}</div>
    ${c &&
    html`<div class="meta chips">
      <span class=${'badge ' + (c.atRisk ? 'red' : 'blue')} data-intent=${c.intent}>${label('intent', c.intent)}</span>
      <span class=${'badge' + (c.lowConfidence ? ' orange' : '')}>${Math.round(c.confidence * 100)}%${c.lowConfidence ? ' ' + t('try.low') : ''}</span>
      ${c.cues.map((/** @type {string} */ cue) => html`<span class="badge orange" data-cue=${cue}>${t('try.cue', { c: label('cue', cue) })}</span>`)}
      ${paid.length > 0 && html`<span class="badge" data-payment=${paid.join(' · ')}>${t('try.payment', { p: paid.join(' · ') })}</span>`}
    </div>`}
    ${(turn.transition || turn.actions.length > 0) &&
    html`<div class="meta">
      ${turn.transition && html`<span class="mono">${turn.transition}</span>`}
      ${turn.actions.map((/** @type {any} */ a) => html`<span class=${'badge ' + (a.type === 'handoff' ? 'solid-red' : '')} data-action=${a.type}>${describeAction(a)}</span>`)}
    </div>`}
  </div>`;
}

/** @param {{ flowId: string, getYaml: () => string }} props */
export function TryIt({ flowId, getYaml }) {
  const [locale, setLoc] = useState('zh');
  const [channel, setChannel] = useState('sms');
  const [lines, setLines] = useState(/** @type {Line[]} */ ([]));
  const [status, setStatus] = useState(/** @type {string | null} */ (null));
  const [busy, setBusy] = useState(false);
  const [text, setText] = useState('');
  const state = useRef(/** @type {unknown} */ (null));
  const seq = useRef(0);
  const log = useRef(/** @type {HTMLDivElement | null} */ (null));

  /** @param {any} input */
  const turn = async (input) => {
    setStatus(null);
    setBusy(true);
    const shown = input ? (input.event ? t('try.silent') : input.digits ? t('try.pressed', { d: input.digits }) : input.text) : null;
    try {
      const r = await api(`/api/flows/${flowId}/try`, { method: 'POST', body: { yaml: getYaml(), locale, channel, state: state.current, input: input || undefined } });
      state.current = r.state;
      /** @type {Line[]} */
      const add = [];
      if (shown !== null) add.push({ who: 'citizen', key: ++seq.current, turn: r, shown });
      add.push({ who: 'bot', key: ++seq.current, turn: r });
      setLines((l) => [...l, ...add]);
    } catch (err) {
      setStatus(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  const restart = () => {
    state.current = null;
    setLines([]);
    void turn(null);
  };
  useEffect(restart, [locale, channel]);
  useEffect(() => {
    if (log.current) log.current.scrollTop = log.current.scrollHeight;
  }, [lines.length]);

  return html`<div class="tryit">
    <div class="chat-tools">
      <select aria-label=${t('try.language')} id="try-locale" value=${locale} onChange=${(/** @type {Event} */ e) => setLoc(/** @type {HTMLSelectElement} */ (e.currentTarget).value)}>
        <option value="zh">中文</option><option value="en">English</option>
      </select>
      <select aria-label=${t('try.channel')} id="try-channel" value=${channel} onChange=${(/** @type {Event} */ e) => setChannel(/** @type {HTMLSelectElement} */ (e.currentTarget).value)}>
        <option value="sms">${label('channel', 'sms')}</option><option value="telegram">${label('channel', 'telegram')}</option><option value="voice">${label('channel', 'voice')}</option>
      </select>
      <button class="btn" type="button" onClick=${restart}>${t('try.restart')}</button>
      ${status && html`<div class="chat-status error">${status}</div>`}
    </div>
    <div class="chat-log" ref=${log} aria-live="polite">
      ${lines.map((l) => (l.who === 'bot' ? html`<${BotBubble} key=${l.key} turn=${l.turn} onButton=${(/** @type {string} */ tx, /** @type {string} */ data) => turn({ text: tx, button: data })} />` : html`<${CitizenBubble} key=${l.key} shown=${l.shown} turn=${l.turn} />`))}
    </div>
    <form class="chat-form" onSubmit=${(/** @type {Event} */ e) => {
      e.preventDefault();
      const v = text.trim();
      if (!v) return;
      setText('');
      // On a call a lone key (1, 2, 0…) is a key press, as Twilio reports it: digits, no speech.
      void turn(channel === 'voice' && /^[0-9*#]$/.test(v) ? { text: '', digits: v } : { text: v });
    }}>
      <input class="chat-input" placeholder=${t('try.placeholder')} aria-label=${t('try.replyLabel')} maxlength="2000" value=${text} onInput=${(/** @type {Event} */ e) => setText(/** @type {HTMLInputElement} */ (e.currentTarget).value)} />
      <button class="btn primary" type="submit" disabled=${busy}>${t('try.send')}</button>
      <button class="btn" type="button" title=${t('try.noReplyTitle')} disabled=${busy} onClick=${() => turn({ event: 'no_reply' })}>${t('try.noReply')}</button>
    </form>
  </div>`;
}
