// @ts-check
// One case on one screen: who and what, the officer's actions, the conversation with the reply box, and
// the side cards (resolve or stop-payment, notes, flow, relatives, handoffs). Each part is keyed by the
// case (and the handoff), so a live update re-renders around what the officer is doing without replacing it.
import { html, useState } from '../build/preact.js';
import { api, newIdempotencyKey } from '../shared/api.js';
import { errorMessage, fmt, label, t } from '../shared/i18n.js';
import { toast } from '../shared/components/toasts.js';
import { confirmDialog } from '../shared/components/dialog.js';
import { Timeline } from './timeline.js';
import { Composer } from './composer.js';
import { ResolveCard } from './resolve.js';
import { FlowCard, HistoryCard, NotesCard, RelativesCard } from './side.js';
import { ReviewCards } from './review.js';
import { reasonTone, riskTone } from './queue.js';
import { OrgActions, PlacementLine, ReviewCard, StopPaymentRequestsCard } from './org.js';

/** @typedef {import('./types.js').CaseView} CaseView */

/**
 * @typedef {object} CaseRefs
 * @property {{ current: HTMLTextAreaElement | null }} composer
 * @property {{ current: HTMLSelectElement | null }} outcome
 */

/**
 * @param {{ view: CaseView, onChanged: () => void }} props
 */
function Actions({ view, onChanged }) {
  const ho = view.handoff;
  const you = view.you;
  const c = view.case;
  // One key per press of "Call citizen", reused if the network makes the console try again.
  const [calling, setCalling] = useState(false);
  /** @param {() => Promise<unknown>} fn @param {string} [ok] */
  const act = async (fn, ok) => {
    try {
      await fn();
      if (ok) toast(ok);
    } catch (err) {
      toast(errorMessage(err), 'red');
    }
    onChanged();
  };
  if (!ho) return null;
  return html`<div class="actions">
    ${you.canClaim && html`<button class="btn primary" type="button" id="claim" onClick=${() => act(() => api(`/api/desk/handoffs/${ho.id}/claim`, { method: 'POST' }), t('case.claimedToast'))}>${t('case.claim')}</button>`}
    ${you.holdsClaim &&
    html`<button class="btn" type="button" id="call" disabled=${calling} onClick=${async () => {
      setCalling(true);
      const key = newIdempotencyKey();
      await act(async () => {
        const r = await api(`/api/desk/cases/${c.id}/call`, { method: 'POST', idempotencyKey: key });
        toast(t('case.calling', { target: r.ringing === 'your phone' ? t('case.callTargetYou') : t('case.callTargetDesk') }));
      });
      setCalling(false);
    }}>${t('case.call')}</button>`}
    ${you.holdsClaim &&
    html`<button class="btn" type="button" id="return" onClick=${async () => {
      if (await confirmDialog({ title: t('case.returnToFlow'), body: html`<p>${t('case.confirmReturn')}</p>`, confirmLabel: t('case.returnToFlow') }))
        await act(() => api(`/api/desk/handoffs/${ho.id}/return`, { method: 'POST', body: {} }), t('case.returned'));
    }}>${t('case.returnToFlow')}</button>`}
    ${ho.status === 'claimed' &&
    (you.holdsClaim || you.supervisor) &&
    html`<button class="btn" type="button" id="release" onClick=${() => act(() => api(`/api/desk/handoffs/${ho.id}/release`, { method: 'POST' }), t('case.released'))}>
      ${you.holdsClaim ? t('case.release') : t('case.takeBack', { who: ho.claimedBy })}
    </button>`}
  </div>`;
}

/** @param {{ view: CaseView, onChanged: () => void, onBack: () => void }} props */
function Head({ view, onChanged, onBack }) {
  const c = view.case;
  const ho = view.handoff;
  return html`<div class="card case-card">
    <div class="case-head">
      <button type="button" class="btn small back" id="back" onClick=${onBack}>← ${t('case.back')}</button>
      <div class="title">
        <h1>
          <span class="ref">${c.caseRef}</span>
          <span class="case-name">${c.name || t('common.unknownName')}</span>
          <span class=${'badge ' + riskTone(c.riskLevel)}>${label('risk', c.riskLevel)}</span>
          ${c.status === 'closed' && html`<span class="badge green" id="closed-badge">${t('case.closed', { outcome: label('outcome', c.outcome) })}</span>`}
        </h1>
        <div class="facts">
          <span>${t('case.phone')} <span class=${'phone' + (view.phoneVisible ? '' : ' masked')} id="citizen-phone" title=${view.phoneVisible ? '' : t('case.phoneMaskedHint')}>${c.phone}</span></span>
          <span><b>${label('scamType', c.scamType)}</b></span>
          <span><b>${t('case.warnings', { n: c.warningCount })}</b></span>
          ${c.amount != null && html`<span>${t('case.amount')} <b>${fmt().money(c.amount)}</b></span>`}
          ${c.precinct && html`<span>${t('case.precinct')} <b>${c.precinct}</b></span>`}
          <span>${t('case.language')} <b>${label('language', c.locale)}</b></span>
          ${c.activeChannel && html`<span>${t('case.channel')} <b>${label('channel', c.activeChannel)}</b></span>`}
          ${c.optedOut && html`<span class="badge orange">${t('case.optedOut')}</span>`}
        </div>
      </div>
      <${Actions} view=${view} onChanged=${onChanged} />
    </div>
    ${ho &&
    html`<div class="handoff-line">
      <span class=${'badge ' + reasonTone(ho.reason)} id="handoff-reason">${label('reason', ho.reason)}</span>
      <span class="muted">${t('case.priority', { n: ho.priority })}</span>
      ${ho.status === 'claimed'
        ? html`<span class="muted">${t('case.claimedBy', { who: ho.claimedBy, when: fmt().time(ho.claimedAt) })}</span>`
        : html`<span class="muted">${t('case.slaDue', { when: fmt().time(ho.slaDueAt) })}</span>`}
      ${ho.note && html`<span>${ho.note}</span>`}
    </div>`}
    <${PlacementLine} view=${view} />
    <${OrgActions} view=${view} onChanged=${onChanged} />
  </div>`;
}

/**
 * @param {{ view: CaseView, onChanged: () => void, onBack: () => void, refs: CaseRefs }} props
 */
export function CaseView({ view, onChanged, onBack, refs }) {
  const c = view.case;
  const channel = c.activeChannel === 'telegram' && c.hasTelegram ? 'telegram' : 'sms';
  return html`<div id="case-body" data-case-id=${c.id}>
    <${Head} view=${view} onChanged=${onChanged} onBack=${onBack} />
    <div class="cols">
      <div class="card conversation">
        <div class="card-head"><h2>${t('case.timeline')}</h2></div>
        <${Timeline} key=${c.id} items=${view.timeline} onChanged=${onChanged} />
        ${c.status === 'open' && html`<${Composer} key=${c.id} caseId=${c.id} channel=${channel} canWrite=${view.you.holdsClaim} onSent=${onChanged} inputRef=${refs.composer} />`}
      </div>
      <div class="side">
        ${view.handoff &&
        (view.handoff.kind === 'review'
          ? html`<${ReviewCard} key=${view.handoff.id} view=${view} onDone=${onChanged} />`
          : html`<${ResolveCard} key=${view.handoff.id} view=${view} onDone=${onChanged} outcomeRef=${refs.outcome} />`)}
        <${StopPaymentRequestsCard} view=${view} onChanged=${onChanged} />
        <${NotesCard} key=${c.id} view=${view} onAdded=${onChanged} />
        <${FlowCard} view=${view} />
        <${RelativesCard} view=${view} onChanged=${onChanged} />
        <${HistoryCard} view=${view} />
        <${ReviewCards} view=${view} />
      </div>
    </div>
  </div>`;
}

/** What the case pane shows when no case is open. */
export function Placeholder() {
  return html`<div class="placeholder" id="placeholder"><div class="placeholder-inner">
    <h2>${t('case.placeholderTitle')}</h2>
    <p class="muted">${t('case.placeholderText')}</p>
  </div></div>`;
}
