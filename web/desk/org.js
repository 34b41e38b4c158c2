// @ts-check
// The organisation on the desk (issue 15): where a case sits (its unit, and an "unrouted" flag), the
// officer's presence for auto-assignment, assigning, transferring and taking over a case, moving it to
// another unit, the second review's own form, writing to or calling a relative, and the stop-payment
// requests with their clock and the three-way call with the bank.
import { html, useEffect, useState } from '../build/preact.js';
import { api, newIdempotencyKey } from '../shared/api.js';
import { centreOffsetMinutes, errorMessage, fmt, label, locale, seconds, t } from '../shared/i18n.js';
import { Dialog } from '../shared/components/dialog.js';
import { toast } from '../shared/components/toasts.js';
import { clock, useNow } from '../shared/components/ticker.js';

/** Who I am in the organisation (unit, role, presence): read once per page. @type {Promise<any> | null} */
let meOnce = null;
const loadMe = () => (meOnce ??= api('/api/org/me'));
/** The units (for moving a case and choosing a station): read once per page. @type {Promise<any> | null} */
let unitsOnce = null;
const loadUnits = () => (unitsOnce ??= api('/api/org/units'));

/** @template T @param {() => Promise<T>} load @returns {T | null} */
function useOnce(load) {
  const [v, setV] = useState(/** @type {T | null} */ (null));
  useEffect(() => {
    load().then(setV, () => undefined);
  }, []);
  return v;
}

/** The unit a queue row's case sits in, and the red flag when routing could not place it. @param {{ item: any }} props */
export function PlacementBadges({ item }) {
  if (!item.unit) return null;
  return html`<span class="badge unit" title=${item.unit.path}>${item.unit.name[locale()]}</span>
    ${item.unrouted && html`<span class="badge solid-red unrouted" title=${t('org.unroutedHint', { hint: item.routingHint ?? '' })}>${t('org.unrouted')}</span>`}`;
}

/** Online (auto-assignment may give me cases) or away. */
export function PresenceToggle() {
  const me = useOnce(loadMe);
  const [presence, setPresence] = useState(/** @type {string | null} */ (null));
  const value = presence ?? me?.person.presence ?? 'away';
  if (!me || me.unitRole === 'station_officer') return null;
  return html`<label class="presence"><span class="sr-only">${t('org.presenceLabel')}</span>
    <select id="presence" aria-label=${t('org.presenceLabel')} class=${value === 'online' ? 'online' : ''} value=${value}
      onChange=${async (/** @type {Event} */ e) => {
        const next = /** @type {HTMLSelectElement} */ (e.currentTarget).value;
        try {
          setPresence((await api('/api/org/me/presence', { method: 'PUT', body: { presence: next } })).presence);
        } catch (err) {
          toast(errorMessage(err), 'red');
        }
      }}>
      <option value="online">${t('org.presence.online')}</option>
      <option value="away">${t('org.presence.away')}</option>
    </select></label>`;
}

/**
 * Assign, transfer, take over, move: what the viewer may do with who holds the case and where it sits.
 * @param {{ view: any, onChanged: () => void }} props
 */
export function OrgActions({ view, onChanged }) {
  const me = useOnce(loadMe);
  const [open, setOpen] = useState(/** @type {'assign' | 'move' | null} */ (null));
  const [people, setPeople] = useState(/** @type {any[]} */ ([]));
  const [units, setUnits] = useState(/** @type {any[]} */ ([]));
  const [target, setTarget] = useState('');
  const [note, setNote] = useState('');
  const ho = view.handoff;
  if (!me) return null;
  const holds = view.you.holdsClaim;
  const supervisor = me.supervisor;
  const mayAssign = ho && ho.status !== 'resolved' && (holds || supervisor);
  const mayTakeOver = ho && ho.status === 'claimed' && !holds && supervisor;
  const mayMove = me.citySupervisor;
  /** @param {() => Promise<unknown>} fn @param {string} ok */
  const act = async (fn, ok) => {
    try {
      await fn();
      toast(ok);
      setOpen(null);
      setNote('');
      setTarget('');
    } catch (err) {
      toast(errorMessage(err), 'red');
    }
    onChanged();
  };
  const startAssign = async () => {
    setOpen('assign');
    try {
      setPeople((await api('/api/org/people')).people.filter((/** @type {any} */ p) => p.unitRole !== 'station_officer' && !p.disabled && p.username !== (ho?.claimedBy ?? '')));
    } catch (err) {
      toast(errorMessage(err), 'red');
    }
  };
  const startMove = async () => {
    setOpen('move');
    setUnits((await loadUnits()).units.filter((/** @type {any} */ u) => !u.retired));
  };
  if (!mayAssign && !mayTakeOver && !mayMove) return null;
  return html`<div class="org-actions" id="org-actions">
    <div class="actions">
      ${mayAssign && html`<button type="button" class="btn" id="assign" onClick=${startAssign}>${ho.status === 'claimed' ? t('org.transfer') : t('org.assign')}</button>`}
      ${mayTakeOver &&
      html`<button type="button" class="btn" id="takeover" onClick=${() => act(() => api(`/api/desk/handoffs/${ho.id}/takeover`, { method: 'POST', body: {} }), t('org.takenOver'))}>${t('org.takeOver')}</button>`}
      ${mayMove && html`<button type="button" class="btn" id="move" onClick=${startMove}>${t('org.move')}</button>`}
    </div>
    ${open === 'assign' &&
    html`<form class="org-form" id="assign-form" onSubmit=${(/** @type {Event} */ e) => {
      e.preventDefault();
      if (target) act(() => api(`/api/desk/handoffs/${ho.id}/${ho.status === 'claimed' ? 'transfer' : 'assign'}`, { method: 'POST', body: { to: target, ...(note.trim() ? { note } : {}) } }), t('org.assigned', { who: target }));
    }}>
      <select name="to" id="assign-to" aria-label=${t('org.pickPerson')} value=${target} onChange=${(/** @type {Event} */ e) => setTarget(/** @type {HTMLSelectElement} */ (e.currentTarget).value)}>
        <option value="">${t('org.pickPerson')}</option>
        ${people.map((p) => html`<option key=${p.username} value=${p.username}>${t('org.personOption', { name: p.displayName || p.username, unit: p.unit.name[locale()], holds: p.holds, capacity: p.capacity })}</option>`)}
      </select>
      <textarea name="note" rows="2" placeholder=${t('org.note')} value=${note} onInput=${(/** @type {Event} */ e) => setNote(/** @type {HTMLTextAreaElement} */ (e.currentTarget).value)}></textarea>
      <div class="row"><button type="submit" class="btn primary" disabled=${!target}>${ho.status === 'claimed' ? t('org.transfer') : t('org.assign')}</button>
      <button type="button" class="btn" onClick=${() => setOpen(null)}>${t('common.cancel')}</button></div>
    </form>`}
    ${open === 'move' &&
    html`<form class="org-form" id="move-form" onSubmit=${(/** @type {Event} */ e) => {
      e.preventDefault();
      if (target) act(() => api(`/api/desk/cases/${view.case.id}/move`, { method: 'POST', body: { unitCode: target, ...(note.trim() ? { note } : {}) } }), t('org.moved', { unit: target }));
    }}>
      <select name="unit" id="move-to" aria-label=${t('org.pickUnit')} value=${target} onChange=${(/** @type {Event} */ e) => setTarget(/** @type {HTMLSelectElement} */ (e.currentTarget).value)}>
        <option value="">${t('org.pickUnit')}</option>
        ${units.map((u) => html`<option key=${u.code} value=${u.code}>${u.path}</option>`)}
      </select>
      <textarea name="note" rows="2" placeholder=${t('org.note')} value=${note} onInput=${(/** @type {Event} */ e) => setNote(/** @type {HTMLTextAreaElement} */ (e.currentTarget).value)}></textarea>
      <div class="row"><button type="submit" class="btn primary" disabled=${!target}>${t('org.move')}</button>
      <button type="button" class="btn" onClick=${() => setOpen(null)}>${t('common.cancel')}</button></div>
    </form>`}
  </div>`;
}

/** Where the case sits and where the person lives: one line under the case head. @param {{ view: any }} props */
export function PlacementLine({ view }) {
  const p = view.placement;
  if (!p) return null;
  const ho = view.handoff;
  return html`<div class="placement-line" id="placement">
    <span class="muted">${t('org.placement')}</span> <b id="case-unit">${p.unit.path}</b>
    <span class="muted small">${label('routing', p.routing)}</span>
    ${p.unrouted && html`<span class="badge solid-red unrouted" title=${t('org.unroutedHint', { hint: p.routingHint ?? '' })}>${t('org.unrouted')}</span>`}
    ${p.address && html`<span><span class="muted">${t('org.address')}</span> ${p.address}</span>`}
    ${ho?.assignedBy && html`<span class="muted small">${ho.assignedBy === 'auto' ? t('org.autoAssigned') : t('org.assignedBy', { who: ho.assignedBy })}</span>`}
  </div>`;
}

/** The second review's own form: visit (with the station), call again, or a false alarm; and why. @param {{ view: any, onDone: () => void }} props */
export function ReviewCard({ view, onDone }) {
  const ho = view.handoff;
  const units = useOnce(loadUnits);
  const caseUnit = view.placement?.unit;
  const [decision, setDecision] = useState('visit');
  const [station, setStation] = useState(caseUnit?.kind === 'station' ? caseUnit.code : '');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const may = view.you.holdsClaim || view.you.supervisor;
  const stations = (units?.units ?? []).filter((/** @type {any} */ u) => u.kind === 'station' && !u.retired);
  return html`<div class="card review" id="review">
    <div class="card-head"><h2>${t('review.title')}</h2></div>
    <form class="card-body" onSubmit=${async (/** @type {Event} */ e) => {
      e.preventDefault();
      setBusy(true);
      try {
        const r = await api(`/api/desk/handoffs/${ho.id}/review`, { method: 'POST', body: { decision, reason, ...(decision === 'visit' && station ? { stationCode: station } : {}) } });
        toast(r.deadlineAt ? `${t('review.done')} · ${t('review.deadline', { when: fmt().dateTime(r.deadlineAt) })}` : t('review.done'));
        onDone();
      } catch (err) {
        toast(errorMessage(err), 'red');
      }
      setBusy(false);
    }}>
      <fieldset class="decisions" disabled=${!may || busy}>
        <legend>${t('review.decision')}</legend>
        ${['visit', 'call_again', 'false_alarm'].map(
          (d) => html`<label key=${d} class="radio"><input type="radio" name="decision" value=${d} checked=${decision === d} onChange=${() => setDecision(d)} /> ${label('reviewDecision', d)}</label>`,
        )}
      </fieldset>
      ${decision === 'visit' &&
      html`<label class="field wide"><span>${t('review.station')}<span class="req">${t('resolve.required')}</span></span>
        <select name="station" id="review-station" value=${station} disabled=${!may || busy} onChange=${(/** @type {Event} */ e) => setStation(/** @type {HTMLSelectElement} */ (e.currentTarget).value)}>
          <option value="">${t('org.pickUnit')}</option>
          ${stations.map((/** @type {any} */ u) => html`<option key=${u.code} value=${u.code}>${u.path}</option>`)}
        </select></label>`}
      <label class="field wide"><span>${t('review.reason')}<span class="req">${t('resolve.required')}</span></span>
        <textarea name="reason" id="review-reason" rows="3" value=${reason} disabled=${!may || busy} onInput=${(/** @type {Event} */ e) => setReason(/** @type {HTMLTextAreaElement} */ (e.currentTarget).value)}></textarea></label>
      <button type="submit" class="btn primary" id="review-submit" disabled=${!may || busy || reason.trim().length < 2 || (decision === 'visit' && !station)}>${t('review.submit')}</button>
    </form>
  </div>`;
}

/** A relative's row: write to them or call them, for the officer holding the case. @param {{ view: any, index: number, onChanged: () => void }} props */
export function RelativeActions({ view, index, onChanged }) {
  const [writing, setWriting] = useState(false);
  const [body, setBody] = useState('');
  // One key per wording, kept across the console's retries and a second press of Send: the relative gets it once.
  const [messageKey, setMessageKey] = useState(newIdempotencyKey);
  if (!view.you.holdsClaim || view.case.status !== 'open') return null;
  const base = `/api/desk/cases/${view.case.id}/relatives/${index}`;
  return html`<div class="relative-actions">
    <button type="button" class="btn small" data-relative=${index} data-act="write" onClick=${() => setWriting((x) => !x)}>${t('relatives.write')}</button>
    <button type="button" class="btn small" data-relative=${index} data-act="call" onClick=${async () => {
      try {
        const r = await api(`${base}/call`, { method: 'POST', idempotencyKey: newIdempotencyKey() });
        toast(t('case.calling', { target: r.ringing === 'your phone' ? t('case.callTargetYou') : t('case.callTargetDesk') }));
      } catch (err) {
        toast(errorMessage(err), 'red');
      }
      onChanged();
    }}>${t('relatives.call')}</button>
    ${writing &&
    html`<form class="relative-form" onSubmit=${async (/** @type {Event} */ e) => {
      e.preventDefault();
      try {
        await api(`${base}/messages`, { method: 'POST', body: { body }, idempotencyKey: messageKey });
        toast(t('relatives.sent'));
        setMessageKey(newIdempotencyKey());
        setBody('');
        setWriting(false);
      } catch (err) {
        toast(errorMessage(err), 'red');
      }
      onChanged();
    }}>
      <textarea name="relative-body" rows="2" maxlength="500" placeholder=${t('relatives.placeholder')} value=${body} onInput=${(/** @type {Event} */ e) => {
        setBody(/** @type {HTMLTextAreaElement} */ (e.currentTarget).value);
        setMessageKey(newIdempotencyKey());
      }}></textarea>
      <button type="submit" class="btn small primary" disabled=${!body.trim()}>${t('relatives.send')}</button>
    </form>`}
  </div>`;
}

/** The clock against the first-level window, from the citizen's first mention of a payment. @param {{ clockInfo: any }} props */
function WindowClock({ clockInfo }) {
  const now = useNow();
  if (!clockInfo?.deadlineAt) return null;
  const left = Date.parse(clockInfo.deadlineAt) - now;
  return html`<div class=${'window-clock' + (left < 0 ? ' late' : left < 5 * 60_000 ? ' soon' : '')} id="window-clock">
    ${left >= 0 ? t('stopPayment.windowLeft', { clock: clock(left) }) : t('stopPayment.windowPassed', { clock: clock(-left) })}
  </div>`;
}

/**
 * The bank's answer to one request, as it comes in over the next hours: only the statuses the request may
 * move to are offered (the server refuses any other), the amount when it was returned.
 * @param {{ request: any, onChanged: () => void }} props
 */
function BankAnswer({ request, onChanged }) {
  const [open, setOpen] = useState(false);
  const [status, setStatus] = useState(request.next[0]);
  const [bankReference, setBankReference] = useState('');
  const [returnedAmount, setReturnedAmount] = useState('');
  const [note, setNote] = useState('');
  const value = (/** @type {(v: string) => void} */ set) => (/** @type {Event} */ e) => set(/** @type {HTMLInputElement} */ (e.currentTarget).value);
  const start = () => {
    // The form is kept across the request's changes: each answer starts from what the request may become now.
    setStatus(request.next[0]);
    setBankReference('');
    setReturnedAmount('');
    setNote('');
    setOpen(true);
  };
  if (!open) return html`<button type="button" class="btn small" data-act="bank-answer" onClick=${start}>${t('stopPayment.bankAnswer')}</button>`;
  const returned = status === 'amount_returned';
  return html`<form class="bank-answer" data-request-id=${request.id} onSubmit=${async (/** @type {Event} */ e) => {
    e.preventDefault();
    try {
      await api(`/api/org/stop-payments/${request.id}`, {
        method: 'PATCH',
        body: {
          status,
          ...(bankReference.trim() ? { bankReference: bankReference.trim() } : {}),
          ...(returned ? { returnedAmount: Number(returnedAmount) } : {}),
          ...(note.trim() ? { note: note.trim() } : {}),
        },
      });
      toast(t('stopPayment.saved', { status: label('stopPaymentStatus', status) }));
      setOpen(false);
    } catch (err) {
      toast(errorMessage(err), 'red');
    }
    onChanged();
  }}>
    <label class="field">${t('stopPayment.newStatus')}
      <select name="status" value=${status} onChange=${value(setStatus)}>${request.next.map((/** @type {string} */ n) => html`<option value=${n}>${label('stopPaymentStatus', n)}</option>`)}</select>
    </label>
    <label class="field">${t('stopPayment.bankReference')}<input name="bankReference" maxlength="100" value=${bankReference} onInput=${value(setBankReference)} /></label>
    ${returned && html`<label class="field">${t('stopPayment.returnedAmount')}<input name="returnedAmount" type="number" min="0.01" step="0.01" inputmode="decimal" required value=${returnedAmount} onInput=${value(setReturnedAmount)} /></label>`}
    <label class="field">${t('stopPayment.note')}<input name="note" maxlength="2000" value=${note} onInput=${value(setNote)} /></label>
    <div class="row"><button type="submit" class="btn small primary" disabled=${returned && !(Number(returnedAmount) > 0)}>${t('stopPayment.save')}</button><button type="button" class="btn small" onClick=${() => setOpen(false)}>${t('common.cancel')}</button></div>
  </form>`;
}

/** The case's stop-payment requests: status, bank, and the three-way call. @param {{ view: any, onChanged: () => void }} props */
export function StopPaymentRequestsCard({ view, onChanged }) {
  const requests = view.stopPaymentRequests ?? [];
  const clockInfo = view.stopPaymentClock;
  if (!requests.length && !(clockInfo?.firstMentionedAt && view.case.status === 'open')) return null;
  return html`<div class="card" id="stop-payment-requests">
    <div class="card-head"><h2>${t('stopPayment.requests')}</h2></div>
    <div class="card-body">
      ${!requests.length && html`<${WindowClock} clockInfo=${clockInfo} />`}
      <ol class="requests">
        ${requests.map(
          (/** @type {any} */ r) => html`<li key=${r.id} data-request-id=${r.id}>
            <span class="badge">${label('stopPaymentStatus', r.status)}</span>
            <b>${fmt().money(r.amount)}</b> ${label('paymentMethod', r.method)} <span class="mono">${r.account}</span>
            ${r.bank && html`<span class="muted">${r.bank.name?.[locale()] ?? r.bank.code}</span>`}
            ${r.bank && r.status === 'requested' &&
            html`<button type="button" class="btn small" data-act="bank-call" onClick=${async () => {
              try {
                await api(`/api/org/stop-payments/${r.id}/call`, { method: 'POST', body: {} });
                toast(t('stopPayment.calling'));
              } catch (err) {
                toast(errorMessage(err), 'red');
              }
              onChanged();
            }}>${t('stopPayment.callBank')}</button>`}
            ${r.next.length ? html`<${BankAnswer} request=${r} onChanged=${onChanged} />` : html`<span class="muted small">${t('stopPayment.final')}</span>`}
          </li>`,
        )}
      </ol>
    </div>
  </div>`;
}

/** The centre's calendar date of an instant. @param {number} ms */
const centreDate = (ms) => new Date(ms + centreOffsetMinutes() * 60_000).toISOString().slice(0, 10);
/** A rate with the counts it comes from. @param {number | null} v @param {number} a @param {number} n */
const ofN = (v, a, n) => `${v === null ? '—' : `${(v * 100).toFixed(1)}%`} (${a}/${n})`;

/**
 * Reports per unit for supervisors (GET /api/org/reports): each unit they see, a district with its stations
 * under it — time to first contact, time to a human, visits reported by their deadline, stop-payment requests.
 */
export function UnitReportsButton() {
  const [open, setOpen] = useState(false);
  return html`<button type="button" class="btn small" id="unit-reports-open" onClick=${() => setOpen(true)}>${t('unitReports.open')}</button>
    ${open && html`<${UnitReports} onClose=${() => setOpen(false)} />`}`;
}

/** @param {{ onClose: () => void }} props */
function UnitReports({ onClose }) {
  const [range, setRange] = useState(() => ({ from: centreDate(Date.now() - 29 * 86_400_000), to: centreDate(Date.now()) }));
  const [form, setForm] = useState(range);
  const [r, setR] = useState(/** @type {any} */ (null));
  const [error, setError] = useState(/** @type {string | null} */ (null));
  useEffect(() => {
    setError(null);
    api(`/api/org/reports?from=${range.from}&to=${range.to}&tz=${centreOffsetMinutes()}`).then(setR, (err) => setError(errorMessage(err)));
  }, [range.from, range.to]);
  const set = (/** @type {'from' | 'to'} */ k) => (/** @type {Event} */ e) => setForm({ ...form, [k]: /** @type {HTMLInputElement} */ (e.currentTarget).value });
  return html`<${Dialog} title=${t('unitReports.title')} onClose=${onClose} wide id="unit-reports">
    <form class="unit-reports-range" onSubmit=${(/** @type {Event} */ e) => (e.preventDefault(), setRange(form))}>
      <label class="field">${t('rep.from')}<input type="date" name="from" value=${form.from} onInput=${set('from')} /></label>
      <label class="field">${t('rep.to')}<input type="date" name="to" value=${form.to} onInput=${set('to')} /></label>
      <button class="btn small primary" type="submit">${t('rep.show')}</button>
    </form>
    ${error && html`<div class="alert error">${error}</div>`}
    ${r && html`<p class="muted small">${t('unitReports.intro', { from: r.from, to: r.to })}</p>
      <div class="table-wrap"><table class="table" id="unit-reports-table">
        <thead><tr>
          <th>${t('unitReports.unit')}</th><th class="num">${t('rep.col.people')}</th><th class="num">${t('rep.firstContact')}</th><th class="num">${t('kpi.timeToHuman')}</th>
          <th class="num">${t('rep.col.visitsInTime')}</th><th class="num">${t('unitReports.stopPayments')}</th>
        </tr></thead>
        <tbody>${r.units.map((/** @type {any} */ u) => html`<tr data-unit=${u.unit.code}>
          <td class=${`unit-depth-${Math.min(u.unit.depth, 3)}`}>${u.unit.name[locale()] ?? u.unit.code}</td>
          <td class="num">${u.row.people}</td>
          <td class="num">${seconds(u.row.firstContact.median)}</td>
          <td class="num">${seconds(u.row.humanPickup.median)}</td>
          <td class="num">${ofN(u.row.visitDeadlines.inTimeRate, u.row.visitDeadlines.inTime, u.row.visitDeadlines.due)}</td>
          <td class="num">${ofN(u.row.stopPaymentRequests.withinWindowRate, u.row.stopPaymentRequests.withinWindow, u.row.stopPaymentRequests.requests)}</td>
        </tr>`)}</tbody>
      </table></div>`}
  <//>`;
}
