// @ts-check
// Resolving a handoff: the outcome and its details, or — when the citizen already paid — the stop-payment
// fast lane, prefilled from what they said, with the clock running since they first said it.
import { html, useEffect, useRef, useState } from '../build/preact.js';
import { DESK_OUTCOMES, VOCABULARY } from '../build/i18n.js';
import { api } from '../shared/api.js';
import { errorMessage, fmt, label, t } from '../shared/i18n.js';
import { toast } from '../shared/components/toasts.js';
import { clock, useNow } from '../shared/components/ticker.js';

/** @typedef {import('./types.js').CaseView} CaseView */

/** A payment method typed as one of the known labels, in either language, is stored as its code. @param {string} text */
function methodCode(text) {
  const v = text.trim();
  for (const [code, l] of Object.entries(VOCABULARY.paymentMethod)) if (v === l.zh || v === l.en) return code;
  return v;
}

/** @param {{ since: string }} props */
function GoldenClock({ since }) {
  const elapsed = useNow() - Date.parse(since);
  return html`<div class="golden-wrap" title=${t('resolve.sinceMentionTitle', { when: fmt().full(since) })}>
    <span class="golden-label">${t('resolve.sinceMention')}</span>
    <span class="golden" id="golden">${clock(elapsed)}</span>
  </div>`;
}

/**
 * @param {{ label: string, name: string, value: string, onInput: (v: string) => void, disabled: boolean, required?: boolean, wide?: boolean, type?: string, placeholder?: string, attrs?: Record<string, string> }} p
 */
function Field({ label: text, name, value, onInput, disabled, required, wide, type, placeholder, attrs }) {
  return html`<label class=${'field' + (wide ? ' wide' : '')}>
    <span>${text}${required ? html`<span class="req">${t('resolve.required')}</span>` : null}</span>
    <input name=${name} type=${type || 'text'} value=${value} disabled=${disabled} required=${required} placeholder=${placeholder} ...${attrs || {}}
      onInput=${(/** @type {Event} */ e) => onInput(/** @type {HTMLInputElement} */ (e.currentTarget).value)} />
  </label>`;
}

/**
 * @param {{ view: CaseView, onDone: () => void, outcomeRef: { current: HTMLSelectElement | null } }} props
 */
export function ResolveCard({ view, onDone, outcomeRef }) {
  const ho = /** @type {import('./types.js').Handoff} */ (view.handoff);
  const sp = view.stopPayment;
  const paid = ho.reason === 'already_paid' || !!sp;
  const disabled = !view.you.holdsClaim && !view.you.supervisor;
  // Prefilled once; what the officer types is never overwritten by a live update.
  const [f, setF] = useState(() => ({
    outcome: paid ? 'stop_payment_requested' : 'dissuaded',
    amount: sp?.amount != null ? String(sp.amount) : '',
    currency: 'CNY',
    // Shown in the officer's words ("支付宝"), stored as the classifier's code ("alipay") when left as it is.
    method: sp?.method ? label('paymentMethod', sp.method) : '',
    account: sp?.account ?? '',
    paidAt: sp?.paidAt ?? '',
    precinct: view.case.precinct ?? '',
    note: '',
  }));
  const [busy, setBusy] = useState(false);
  /** Fields the officer has typed in: a live update never overwrites them. */
  const touched = useRef(/** @type {Set<string>} */ (new Set()));
  const set = (/** @type {keyof typeof f} */ k) => (/** @type {string} */ v) => {
    touched.current.add(k);
    setF((x) => ({ ...x, [k]: v }));
  };
  // Claiming reveals what was masked before (the account number): an untouched prefill takes the full value.
  const account = sp?.account ?? '';
  useEffect(() => {
    if (!touched.current.has('account')) setF((x) => (x.account === account ? x : { ...x, account }));
  }, [account]);

  const submit = async (/** @type {Event} */ e) => {
    e.preventDefault();
    /** @type {Record<string, unknown>} */
    const body = { outcome: f.outcome, note: f.note.trim() || undefined };
    if (f.outcome === 'stop_payment_requested')
      body.stopPayment = { amount: Number(f.amount), currency: f.currency.trim().toUpperCase() || 'CNY', method: methodCode(f.method), account: f.account, paidAt: f.paidAt };
    if (f.outcome === 'visit_dispatched') body.visit = { precinct: f.precinct };
    setBusy(true);
    try {
      await api(`/api/desk/handoffs/${ho.id}/resolve`, { method: 'POST', body });
      toast(t('resolve.done', { outcome: label('outcome', f.outcome) }));
      onDone();
    } catch (err) {
      toast(errorMessage(err), 'red');
    } finally {
      setBusy(false);
    }
  };

  const form = html`<form id="resolve-form" onSubmit=${submit}>
    <div class="form-grid">
      <label class="field wide"><span>${t('resolve.outcome')}</span>
        <select name="outcome" ref=${outcomeRef} disabled=${disabled} value=${f.outcome} onChange=${(/** @type {Event} */ e) => set('outcome')(/** @type {HTMLSelectElement} */ (e.currentTarget).value)}>
          ${DESK_OUTCOMES.map((o) => html`<option key=${o} value=${o}>${label('outcome', o)}</option>`)}
        </select>
      </label>
      ${f.outcome === 'stop_payment_requested' &&
      html`<div class="form-grid wide" data-for="stop_payment_requested">
        <${Field} label=${t('resolve.amount')} name="amount" type="number" value=${f.amount} onInput=${set('amount')} disabled=${disabled} required attrs=${{ min: '0', step: '0.01' }} />
        <${Field} label=${t('resolve.currency')} name="currency" value=${f.currency} onInput=${set('currency')} disabled=${disabled} attrs=${{ maxlength: '3' }} />
        <${Field} label=${t('resolve.method')} name="method" value=${f.method} onInput=${set('method')} disabled=${disabled} required wide placeholder=${t('resolve.methodPlaceholder')} />
        <${Field} label=${t('resolve.account')} name="account" value=${f.account} onInput=${set('account')} disabled=${disabled} required wide placeholder=${t('resolve.accountPlaceholder')} />
        <${Field} label=${t('resolve.paidAt')} name="paidAt" value=${f.paidAt} onInput=${set('paidAt')} disabled=${disabled} required wide placeholder=${t('resolve.paidAtPlaceholder')} />
      </div>`}
      ${f.outcome === 'visit_dispatched' &&
      html`<div class="wide" data-for="visit_dispatched">
        <${Field} label=${t('resolve.station')} name="precinct" value=${f.precinct} onInput=${set('precinct')} disabled=${disabled} required wide />
      </div>`}
      <label class="field wide"><span>${t('resolve.note')}</span>
        <textarea name="note" rows="2" disabled=${disabled} placeholder=${t('resolve.notePlaceholder')} value=${f.note} onInput=${(/** @type {Event} */ e) => set('note')(/** @type {HTMLTextAreaElement} */ (e.currentTarget).value)}></textarea>
      </label>
    </div>
    <div class="form-actions">
      <button class=${'btn ' + (paid ? 'danger' : 'primary')} type="submit" disabled=${disabled || busy} id="resolve">${paid ? t('resolve.submitPaid') : t('resolve.submit')}</button>
    </div>
  </form>`;

  if (!paid)
    return html`<div class="card" id="resolve-card"><div class="card-head"><h2>${t('resolve.title')}</h2></div><div class="card-body">${form}</div></div>`;
  const said = sp?.said;
  return html`<div class="card fastlane" id="fastlane">
    <div class="card-head"><h2>${t('resolve.fastLane')}</h2>${sp?.firstMentionedAt && html`<${GoldenClock} since=${sp.firstMentionedAt} />`}</div>
    <div class="card-body">
      ${said &&
      (said.amounts.length > 0 || said.methods.length > 0 || said.times.length > 0) &&
      html`<div class="said">${t('resolve.said')}
        ${said.amounts.map((a) => html`<span class="badge red">${fmt().money(a)}</span>`)}
        ${said.methods.map((m) => html`<span class="badge">${label('paymentMethod', m)}</span>`)}
        ${said.times.map((x) => html`<span class="badge">${x}</span>`)}
      </div>`}
      ${form}
    </div>
  </div>`;
}
