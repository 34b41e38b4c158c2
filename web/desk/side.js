// @ts-check
// The case's side cards: internal notes, the automated flow, relatives, and the case's handoffs.
import { html, useState } from '../build/preact.js';
import { api } from '../shared/api.js';
import { errorMessage, fmt, label, t } from '../shared/i18n.js';
import { toast } from '../shared/components/toasts.js';
import { RelativeActions } from './org.js';

/** @typedef {import('./types.js').CaseView} CaseView */

/** Internal notes: staff only, append-only. @param {{ view: CaseView, onAdded: () => void }} props */
export function NotesCard({ view, onAdded }) {
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const add = async (/** @type {Event} */ e) => {
    e.preventDefault();
    const body = text.trim();
    if (!body) return;
    setBusy(true);
    try {
      await api(`/api/desk/cases/${view.case.id}/notes`, { method: 'POST', body: { body } });
      setText('');
      toast(t('notes.added'));
      onAdded();
    } catch (err) {
      toast(errorMessage(err), 'red');
    } finally {
      setBusy(false);
    }
  };
  return html`<div class="card" id="notes">
    <div class="card-head"><h2>${t('notes.title')}</h2></div>
    <div class="card-body">
      <p class="muted small">${t('notes.hint')}</p>
      ${view.notes.length
        ? html`<ol class="notes">${view.notes.map((n) => html`<li key=${n.id} data-note-id=${n.id}><div class="note-body">${n.body}</div><div class="muted small">${t('notes.by', { who: n.author, when: fmt().dateTime(n.createdAt) })}</div></li>`)}</ol>`
        : html`<p class="muted small" id="notes-empty">${t('notes.empty')}</p>`}
      <form class="note-form" onSubmit=${add}>
        <textarea id="note-text" rows="2" maxlength="2000" aria-label=${t('notes.placeholder')} placeholder=${t('notes.placeholder')} value=${text}
          onInput=${(/** @type {Event} */ e) => setText(/** @type {HTMLTextAreaElement} */ (e.currentTarget).value)}></textarea>
        <button type="submit" class="btn" id="add-note" disabled=${busy || !text.trim()}>${t('notes.add')}</button>
      </form>
    </div>
  </div>`;
}

/** @param {{ view: CaseView }} props */
export function FlowCard({ view }) {
  const f = view.flow;
  const slots = Object.entries(f.slots || {});
  return html`<div class="card" id="flow-card">
    <div class="card-head"><h2>${t('flow.title')}</h2></div>
    <div class="card-body">
      <dl class="kv">
        <dt>${t('flow.flow')}</dt>
        <dd>${f.flowId ? `${f.title || f.flowId} (v${f.flowVersion})` : t('flow.notStarted')}</dd>
        <dt>${t('flow.state')}</dt>
        <dd><span title=${f.stateId || ''}>${f.stateId ? label('flowState', f.stateId) : t('common.dash')}</span>${f.ended ? t('flow.ended', { outcome: f.outcome ? '：' + label('outcome', f.outcome) : '' }) : ''}</dd>
        <dt>${t('flow.replies')}</dt>
        <dd>${f.turns}${f.lowConfidenceCount ? ` (${t('flow.notUnderstood', { n: f.lowConfidenceCount })})` : ''}</dd>
        ${slots.length > 0 && html`<dt>${t('flow.collected')}</dt><dd>${slots.map(([k, v]) => `${k}: ${v}`).join('; ')}</dd>`}
        <dt>${t('flow.next')}</dt>
        <dd>${f.nextAction ? t('flow.nextAt', { action: label('nextAction', f.nextAction), when: fmt().time(f.nextActionAt) }) : t('flow.nothing')}</dd>
      </dl>
    </div>
  </div>`;
}

/** @param {{ view: CaseView, onChanged?: () => void }} props */
export function RelativesCard({ view, onChanged }) {
  if (!view.case.relatives.length) return null;
  return html`<div class="card" id="relatives">
    <div class="card-head"><h2>${t('relatives.title')}</h2></div>
    <div class="card-body"><dl class="kv">
      ${view.case.relatives.map(
        (r, i) => html`<dt>${r.relation || t('relatives.relative')}</dt><dd><span class=${'phone' + (view.phoneVisible ? '' : ' masked')}>${r.name ? r.name + ' ' : ''}${r.phone}</span>
          <${RelativeActions} view=${view} index=${i} onChanged=${onChanged ?? (() => undefined)} /></dd>`,
      )}
    </dl></div>
  </div>`;
}

/** Every handoff of the case, the resolved ones with their outcome: the case's history at the desk. @param {{ view: CaseView }} props */
export function HistoryCard({ view }) {
  if (!view.handoffs.length) return null;
  return html`<div class="card" id="history">
    <div class="card-head"><h2>${t('case.history')}</h2></div>
    <div class="card-body"><ol class="history">
      ${view.handoffs.map(
        (h) => html`<li key=${h.id}>
          <span class="muted small mono">${fmt().dateTime(h.createdAt)}</span>
          <span>${t('case.historyItem', { reason: label('reason', h.reason), status: label('handoffStatus', h.status) })}</span>
          ${h.outcome && html`<span class="badge green">${label('outcome', h.outcome)}</span>`}
          ${h.claimedBy && html`<span class="muted small">${h.claimedBy}</span>`}
          ${h.note && html`<div class="muted small">${h.note}</div>`}
        </li>`,
      )}
    </ol></div>
  </div>`;
}
