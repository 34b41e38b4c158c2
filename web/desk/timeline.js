// @ts-check
// One case's conversation and record, oldest first: warnings, contact attempts, messages both ways (with
// what the classifier understood, and a control to correct it), and desk events. It scrolls on its own:
// it follows new messages while the officer is at the bottom, and stays put while they read above.
import { html, useLayoutEffect, useRef, useState } from '../build/preact.js';
import { INTENTS } from '../build/i18n.js';
import { api } from '../shared/api.js';
import { errorMessage, fmt, label, t } from '../shared/i18n.js';
import { toast } from '../shared/components/toasts.js';

/** @typedef {import('./types.js').TimelineItem} TimelineItem */
/** @typedef {import('./types.js').MessageItem} MessageItem */

/** Whether the intent-correction route exists on this server (issue 16); null until first asked. */
let correctionsAvailable = /** @type {boolean | null} */ (null);

/**
 * The control to set the right intent of a citizen's message (POST /api/desk/messages/:id/intent).
 * @param {{ m: MessageItem, onDone: () => void }} props
 */
function IntentCorrection({ m, onDone }) {
  const [open, setOpen] = useState(false);
  const [intent, setIntent] = useState(m.correction?.intent ?? m.intent ?? 'other');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  if (correctionsAvailable === false) return null;
  if (!open)
    return html`<button type="button" class="link-btn correct-btn" data-message-id=${m.id} onClick=${() => setOpen(true)}>${t('tl.correct')}</button>`;
  const save = async (/** @type {Event} */ e) => {
    e.preventDefault();
    setBusy(true);
    try {
      await api(`/api/desk/messages/${m.id}/intent`, { method: 'POST', body: note.trim() ? { intent, note: note.trim() } : { intent } });
      correctionsAvailable = true;
      toast(t('tl.correctedToast', { intent: label('intent', intent) }));
      setOpen(false);
      onDone();
    } catch (err) {
      if (/** @type {{ status?: number }} */ (err).status === 404 && /no route/.test(/** @type {Error} */ (err).message)) {
        correctionsAvailable = false;
        toast(t('tl.correctUnavailable'), 'red');
        setOpen(false);
      } else toast(errorMessage(err), 'red');
    } finally {
      setBusy(false);
    }
  };
  return html`<form class="correct-form" onSubmit=${save} aria-label=${t('tl.correctTitle')}>
    <select name="intent" aria-label=${t('tl.correctTitle')} value=${intent} onChange=${(/** @type {Event} */ e) => setIntent(/** @type {HTMLSelectElement} */ (e.currentTarget).value)}>
      ${INTENTS.map((i) => html`<option key=${i} value=${i}>${label('intent', i)}</option>`)}
    </select>
    <input name="note" maxlength="500" placeholder=${t('tl.correctNote')} aria-label=${t('tl.correctNote')} value=${note} onInput=${(/** @type {Event} */ e) => setNote(/** @type {HTMLInputElement} */ (e.currentTarget).value)} />
    <button type="submit" class="btn small primary" disabled=${busy}>${t('tl.correctSave')}</button>
    <button type="button" class="btn small" onClick=${() => setOpen(false)}>${t('common.cancel')}</button>
  </form>`;
}

/** Messages are written by the script ("flow", "flow:relative"), the citizen, a relative, or an officer (their user name). */
const byOfficer = (/** @type {string | null} */ a) => !!a && !a.startsWith('flow') && a !== 'citizen' && a !== 'relative';

/** @param {{ m: MessageItem, onChanged: () => void }} props */
function Message({ m, onChanged }) {
  const inbound = m.direction === 'in';
  const officer = byOfficer(m.author);
  const intent = m.correction?.intent ?? m.intent;
  const cls = ['tl-msg', inbound ? 'in' : 'out', m.atRisk ? 'risk' : '', officer ? 'officer' : ''].join(' ');
  return html`<li class=${cls} data-kind="message" data-id=${m.id}>
    <div class="bubble">${m.body}</div>
    <div class="meta">
      <span class="at" title=${fmt().full(m.at)}>${fmt().time(m.at)}</span>
      <span>${label('channel', m.channel)}</span>
      ${inbound && m.author === 'relative' && html`<span>${t('relatives.relative')}</span>`}
      ${!inbound && html`<span>${officer ? t('tl.officer', { who: m.author }) : m.stateId ? html`${t('tl.bot')} · <span title=${t('tl.flowState')}>${label('flowState', m.stateId)}</span>` : t('tl.bot')}</span>`}
      ${inbound && intent && html`<span class=${'badge intent ' + (m.atRisk ? 'red' : 'blue')} data-intent=${intent}>${label('intent', intent)}</span>`}
      ${inbound && m.confidence != null && html`<span class="confidence" title=${t('tl.confidence')}>${Math.round(m.confidence * 100)}%${m.lowConfidence ? t('tl.low') : ''}</span>`}
      ${inbound && m.cues.map((c) => html`<span key=${c} class="cue" data-cue=${c} title=${t('tl.cue')}>${label('cue', c)}</span>`)}
      ${inbound && m.payment && m.payment.amounts.length > 0 && html`<span class="badge red">${m.payment.amounts.map((a) => fmt().money(a)).join(', ')}</span>`}
      ${!inbound && m.delivery && html`<span class=${'delivery ' + (m.delivery === 'failed' ? 'badge red' : '')}>${m.delivery === 'sent' ? t('tl.sent') : m.delivery === 'failed' ? t('tl.failed') : t('tl.pending')}</span>`}
      ${inbound && m.correction && html`<span class="corrected">${t('tl.corrected', { intent: label('intent', m.correction.intent), by: m.correction.by })}</span>`}
    </div>
    ${inbound && html`<${IntentCorrection} m=${m} onDone=${onChanged} />`}
  </li>`;
}

/** Who did something: an officer by user name, the others by what they are. @param {string} actor */
function actorName(actor) {
  const key = /** @type {import('../shared/i18n.js').MessageKey} */ (`tl.actor.${actor.split(':')[0]}`);
  const text = t(key);
  return text === key ? actor : text;
}

/** @param {{ item: Exclude<TimelineItem, MessageItem> }} props */
function SystemLine({ item }) {
  let text;
  if (item.kind === 'warning') {
    text = html`<b>${t('tl.warning')}</b> ${t('tl.warningFrom', { source: item.source, id: item.externalId, scam: label('scamType', item.scamType), risk: label('risk', item.riskLevel) })}${item.amount ? ', ' + fmt().money(item.amount) : ''}`;
  } else if (item.kind === 'attempt') {
    text = html`<b>${item.toRelative ? t('tl.contactRelative') : t('tl.contact')}</b> ${t('tl.attempt', { n: item.attemptNo, channel: label('channel', item.channel), target: item.target, status: label('attemptStatus', item.status) })}${item.errorCode ? ` (${item.errorCode})` : ''}`;
  } else {
    const d = item.detail || {};
    const extra = d.outcome ? '：' + label('outcome', d.outcome) : d.reason ? '：' + label('reason', d.reason) : d.note ? '：' + d.note : '';
    text = html`<b>${label('timelineEvent', item.action)}</b>${extra}${item.actor && !['sla', 'system'].includes(item.actor) ? ' · ' + actorName(item.actor) : ''}`;
  }
  return html`<li class="tl-sys" data-kind=${item.kind}><span class="at" title=${fmt().full(item.at)}>${fmt().time(item.at)}</span><span>${text}</span></li>`;
}

/** @param {{ items: TimelineItem[], onChanged: () => void }} props */
export function Timeline({ items, onChanged }) {
  const box = useRef(/** @type {HTMLOListElement | null} */ (null));
  // Read on scroll, not at render: whether the officer was at the bottom before this update arrived.
  const atBottom = useRef(true);
  const seen = useRef(0);
  const [unseen, setUnseen] = useState(false);
  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    if (atBottom.current) el.scrollTop = el.scrollHeight;
    else if (items.length > seen.current && seen.current > 0) setUnseen(true);
    seen.current = items.length;
  }, [items.length]);
  const onScroll = () => {
    const el = box.current;
    if (!el) return;
    atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
    if (atBottom.current) setUnseen(false);
  };
  return html`<div class="timeline-wrap">
    <ol class="timeline" id="timeline" ref=${box} onScroll=${onScroll} tabindex="0" aria-label=${t('case.timeline')}>
      ${items.map((it) => (it.kind === 'message' ? html`<${Message} key=${it.id} m=${it} onChanged=${onChanged} />` : html`<${SystemLine} key=${it.id} item=${it} />`))}
    </ol>
    ${unseen &&
    html`<button type="button" class="new-below" onClick=${() => {
      const el = box.current;
      if (el) el.scrollTop = el.scrollHeight;
    }}>${t('tl.newBelow')} ↓</button>`}
  </div>`;
}
