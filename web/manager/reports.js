// @ts-check
// Reports: what happened to the warnings of a period, per day, scam type, script version, channel or unit,
// with the centre's KPIs (docs/kpis.md); CSV export.
// Days are the centre's days, whatever the browser's zone.
import { html, useEffect, useLayoutEffect, useRef, useState } from '../build/preact.js';
import { api } from '../shared/api.js';
import { errorMessage, label, seconds, t } from '../shared/i18n.js';
import { groupedBars, hBars } from './charts.js';

const COLORS = { warnings: '#94a3b8', reached: '#2563eb', answered: '#0ea5e9', dissuaded: '#16a34a', handedOff: '#f97316' };
const GROUPS = /** @type {const} */ (['day', 'scam_type', 'flow_version', 'channel', 'unit']);
/** Keys the server gives groups with nothing to name them by. */
const SPECIAL_KEYS = /** @type {Record<string, import('../shared/i18n.js').MessageKey>} */ ({ '(not reached)': 'rep.notReached', '(no unit)': 'rep.noUnit', '(no conversation)': 'rep.noConversation', total: 'rep.total' });
/** A rate as a percentage with one decimal. @param {number | null | undefined} v */
const rate = (v) => (v === null || v === undefined ? '—' : `${(v * 100).toFixed(1)}%`);

const fmtSecs = seconds;
const pct = (/** @type {number} */ a, /** @type {number} */ b) => (b ? `${Math.round((100 * a) / b)}%` : '—');

/** The centre's calendar date of an instant. @param {number} ms @param {number} offsetMinutes */
const centreDate = (ms, offsetMinutes) => new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, 10);

/** A row's key as words: scam types by name, days and versions as they are. @param {string} groupBy @param {string} key */
const keyLabel = (groupBy, key) => (SPECIAL_KEYS[key] ? t(SPECIAL_KEYS[key]) : groupBy === 'scam_type' ? label('scamType', key) : groupBy === 'channel' ? label('channel', key) : key);

/** @param {{ draw: (el: HTMLElement) => void, id?: string }} props */
function Chart({ draw, id }) {
  const ref = useRef(/** @type {HTMLDivElement | null} */ (null));
  useLayoutEffect(() => {
    if (ref.current) draw(ref.current);
  });
  return html`<div class="chart-box" id=${id} ref=${ref}></div>`;
}

/** Two versions of a script side by side, on rates, so a change of words can be judged by results. @param {{ rows: any[] }} props */
function Compare({ rows }) {
  const [a, setA] = useState(rows.length - 2);
  const [b, setB] = useState(rows.length - 1);
  /** @type {[import('../shared/i18n.js').MessageKey, (x: any) => number, boolean, number][]} */
  const metrics = [
    ['rep.m.people', (x) => x.people, false, 0],
    ['rep.m.reached', (x) => x.reached / (x.people || 1), true, 1],
    ['rep.m.answered', (x) => x.answered / (x.reached || 1), true, 1],
    ['rep.m.dissuaded', (x) => x.dissuaded / (x.answered || 1), true, 1],
    ['rep.m.handedOff', (x) => x.handedOff / (x.people || 1), true, 0],
    ['rep.m.atRisk', (x) => x.atRiskReplies / (x.people || 1), false, 0],
    ['rep.m.stopPayments', (x) => x.stopPayments, false, 0],
  ];
  const fmtV = (/** @type {number} */ v, /** @type {boolean} */ rate) => (rate ? `${Math.round(v * 100)}%` : Number.isInteger(v) ? String(v) : v.toFixed(2));
  const pick = (/** @type {number} */ value, /** @type {(n: number) => void} */ set, /** @type {string} */ name) =>
    html`<select aria-label=${name} value=${value} onChange=${(/** @type {Event} */ e) => set(Number(/** @type {HTMLSelectElement} */ (e.currentTarget).value))}>${rows.map((x, i) => html`<option value=${i}>${x.key}</option>`)}</select>`;
  const x = rows[a];
  const y = rows[b];
  return html`<section class="card" id="compare">
    <div class="card-head"><h2>${t('rep.compare')}</h2><div class="compare-pick">${pick(a, setA, t('rep.versionA'))}<span class="muted">${t('rep.vs')}</span>${pick(b, setB, t('rep.versionB'))}</div></div>
    <table class="table"><thead><tr><th></th><th class="num">A</th><th class="num">B</th><th class="num">B − A</th></tr></thead>
      <tbody>${metrics.map(([name, f, rate, better]) => {
        const d = f(y) - f(x);
        const tone = better && d ? (d * better > 0 ? 'up' : 'down') : '';
        const diff = d === 0 ? '=' : (d > 0 ? '+' : '−') + (rate ? t('rep.pts', { n: Math.round(Math.abs(d) * 100) }) : fmtV(Math.abs(d), false));
        return html`<tr><td>${t(name)}</td><td class="num">${fmtV(f(x), rate)}</td><td class="num">${fmtV(f(y), rate)}</td><td class=${'num ' + tone}>${diff}</td></tr>`;
      })}</tbody>
    </table>
  </section>`;
}

/** @param {{ r: any }} props */
function Figures({ r }) {
  /** @type {[import('../shared/i18n.js').MessageKey, (x: any) => string | number][]} */
  const cols = [
    ['rep.col.warnings', (x) => x.warnings],
    ['rep.col.people', (x) => x.people],
    ['rep.col.reached', (x) => x.reached],
    ['rep.col.answered', (x) => x.answered],
    ['rep.col.dissuaded', (x) => x.dissuaded],
    ['rep.col.handedOff', (x) => x.handedOff],
    ['rep.col.atRisk', (x) => x.atRiskReplies],
    ['rep.col.stopPayments', (x) => x.stopPayments],
    ['rep.col.visits', (x) => x.visits],
    ['rep.col.firstContact', (x) => `${fmtSecs(x.firstContact.median)} / ${fmtSecs(x.firstContact.p90)}`],
    ['rep.col.pickup', (x) => `${fmtSecs(x.humanPickup.median)} / ${fmtSecs(x.humanPickup.p90)}`],
    ['kpi.connection', (x) => rate(x.kpis.connectionRate)],
    ['kpi.effective', (x) => rate(x.kpis.effectiveCommunicationRate)],
    ['kpi.dissuasion', (x) => rate(x.kpis.dissuasionRate)],
    ['kpi.faceToFace', (x) => rate(x.kpis.faceToFaceRate)],
    ['kpi.contactsPerSuccess', (x) => (x.kpis.contactsPerSuccess === null ? '—' : x.kpis.contactsPerSuccess.toFixed(1))],
    ['kpi.timeToVisit', (x) => fmtSecs(x.kpis.timeToVisit.median)],
  ];
  /** A rate with the counts it comes from. @param {number | null} v @param {number} a @param {number} n */
  const ofN = (v, a, n) => `${rate(v)} (${a}/${n})`;
  // Re-victimisation and the organisation's deadlines per group, so script versions, channels and units compare on them too.
  /** @type {[string, (x: any) => string | number][]} */
  const columns = [
    ...cols.map(([n, f]) => /** @type {[string, (x: any) => string | number]} */ ([t(n), f])),
    ...[7, 30, 90].map((d) => /** @type {[string, (x: any) => string]} */ ([t('kpi.revict', { d }), (x) => ofN(x.revictimisation[`d${d}`].rate, x.revictimisation[`d${d}`].victims, x.revictimisation[`d${d}`].eligible)])),
    [t('rep.col.visitsInTime'), (x) => ofN(x.visitDeadlines.inTimeRate, x.visitDeadlines.inTime, x.visitDeadlines.due)],
    [t('rep.col.stopPaymentsInWindow'), (x) => ofN(x.stopPaymentRequests.withinWindowRate, x.stopPaymentRequests.withinWindow, x.stopPaymentRequests.requests)],
  ];
  const row = (/** @type {any} */ x, /** @type {string} */ cls) => html`<tr class=${cls}><td class="mono">${keyLabel(r.groupBy, x.key)}</td>${columns.map(([, f]) => html`<td class="num">${f(x)}</td>`)}</tr>`;
  return html`<section class="card"><div class="card-head"><h2>${t('rep.figures')}</h2></div>
    <div class="table-wrap"><table class="table" id="report-table">
      <thead><tr><th>${t(/** @type {any} */ (`rep.group.${r.groupBy}`))}</th>${columns.map(([n]) => html`<th class="num">${n}</th>`)}</tr></thead>
      <tbody>${r.rows.map((/** @type {any} */ x) => row(x, ''))}${row({ ...r.total, key: 'total' }, 'total')}</tbody>
    </table></div>
  </section>`;
}

/** @param {{ query: Record<string, string>, centre: import('../shared/session.js').Centre }} props */
export function Reports({ query, centre }) {
  const offset = centre.utcOffsetMinutes;
  const now = Date.now();
  const q = {
    from: query.from || centreDate(now - 29 * 86400000, offset),
    to: query.to || centreDate(now, offset),
    groupBy: GROUPS.includes(/** @type {any} */ (query.groupBy)) ? query.groupBy : 'day',
    flowId: query.flowId || '',
  };
  const [form, setForm] = useState(q);
  const [flows, setFlows] = useState(/** @type {any[]} */ ([]));
  const [r, setR] = useState(/** @type {any} */ (null));
  const [error, setError] = useState(/** @type {string | null} */ (null));
  const search = (/** @type {typeof q} */ f) => `from=${f.from}&to=${f.to}&groupBy=${f.groupBy}&tz=${offset}${f.flowId ? `&flowId=${f.flowId}` : ''}`;
  const key = search(q);
  useEffect(() => {
    setForm(q);
    api('/api/flows').then((x) => setFlows(x.flows), () => undefined);
    api(`/api/reports?${key}`).then(setR, (err) => setError(errorMessage(err)));
  }, [key]);
  const set = (/** @type {keyof typeof q} */ k) => (/** @type {Event} */ e) => setForm({ ...form, [k]: /** @type {HTMLInputElement} */ (e.currentTarget).value });
  const total = r?.total;
  return html`<div class="page reports-page">
    <div class="page-head"><div><h1>${t('rep.title')}</h1>${r && html`<p class="muted">${t('rep.intro', { from: r.from, to: r.to })}</p>`}</div></div>
    <form class="filters" onSubmit=${(/** @type {Event} */ e) => {
      e.preventDefault();
      location.hash = `#/reports?from=${form.from}&to=${form.to}&groupBy=${form.groupBy}${form.flowId ? `&flowId=${form.flowId}` : ''}`;
    }}>
      <label class="field">${t('rep.from')}<input type="date" value=${form.from} onInput=${set('from')} aria-label=${t('rep.from')} /></label>
      <label class="field">${t('rep.to')}<input type="date" value=${form.to} onInput=${set('to')} aria-label=${t('rep.to')} /></label>
      <label class="field">${t('rep.groupBy')}<select value=${form.groupBy} onChange=${set('groupBy')} aria-label=${t('rep.groupBy')}>${GROUPS.map((g) => html`<option value=${g}>${t(/** @type {any} */ (`rep.group.${g}`))}</option>`)}</select></label>
      <label class="field">${t('rep.script')}<select value=${form.flowId} onChange=${set('flowId')} aria-label=${t('rep.script')}><option value="">${t('rep.allScripts')}</option>${flows.map((f) => html`<option value=${f.id}>${f.id}</option>`)}</select></label>
      <button class="btn primary" type="submit">${t('rep.show')}</button>
      <a class="btn" id="csv" href=${`/api/reports.csv?${key}`}>${t('rep.csv')}</a>
    </form>
    ${error && html`<div class="alert error">${error}</div>`}
    ${r && !total && html`<div class="card empty-card">${t('rep.empty')}</div>`}
    ${total &&
    html`<div class="kpis" id="kpis">
        ${[
          [t('rep.warnings'), total.warnings, t('rep.people', { n: total.people }), ''],
          [t('rep.reached'), total.reached, t('rep.reachedSub', { pct: pct(total.reached, total.people), voice: total.reachedByChannel.voice, sms: total.reachedByChannel.sms, telegram: total.reachedByChannel.telegram }), ''],
          [t('rep.answered'), total.answered, t('rep.ofReached', { pct: pct(total.answered, total.reached) }), ''],
          [t('rep.dissuaded'), total.dissuaded, t('rep.ofAnswered', { pct: pct(total.dissuaded, total.answered) }), 'good'],
          [t('rep.handedOff'), total.handedOff, t('rep.atRiskSub', { n: total.atRiskReplies }), ''],
          [t('rep.stopPayments'), total.stopPayments, t('rep.visitsSub', { n: total.visits }), total.stopPayments ? 'bad' : ''],
          [t('rep.firstContact'), fmtSecs(total.firstContact.median), t('rep.medianSub', { p90: fmtSecs(total.firstContact.p90) }), ''],
          [t('rep.humanPickup'), fmtSecs(total.humanPickup.median), t('rep.medianSub', { p90: fmtSecs(total.humanPickup.p90) }), ''],
        ].map(([name, value, sub, tone]) => html`<div class=${'kpi' + (tone ? ' ' + tone : '')}><div class="kpi-label">${name}</div><div class="kpi-value">${value}</div><div class="kpi-sub">${sub}</div></div>`)}
      </div>
      <h2 class="section-title">${t('rep.kpisTitle')}</h2>
      <div class="kpis" id="kpi-tiles">
        ${[
          ['connection', t('kpi.connection'), rate(total.kpis.connectionRate), t('kpi.connectionSub', { a: total.kpis.connectedAttempts, n: total.kpis.attempts })],
          ['effective', t('kpi.effective'), rate(total.kpis.effectiveCommunicationRate), t('kpi.effectiveSub', { a: total.kpis.effective, n: total.kpis.connectedPeople })],
          ['dissuasion', t('kpi.dissuasion'), rate(total.kpis.dissuasionRate), t('kpi.dissuasionSub', { a: total.dissuaded, n: total.kpis.effective })],
          ['faceToFace', t('kpi.faceToFace'), rate(total.kpis.faceToFaceRate), t('kpi.faceToFaceSub', { a: total.kpis.visited, n: total.people })],
          ['contacts', t('kpi.contactsPerSuccess'), total.kpis.contactsPerSuccess === null ? '—' : total.kpis.contactsPerSuccess.toFixed(1), t('kpi.contactsSub', { c: total.kpis.contacts, d: total.dissuaded })],
          ['timeToHuman', t('kpi.timeToHuman'), fmtSecs(total.kpis.timeToHuman.median), t('rep.medianSub', { p90: fmtSecs(total.kpis.timeToHuman.p90) })],
          ['timeToVisit', t('kpi.timeToVisit'), fmtSecs(total.kpis.timeToVisit.median), t('rep.medianSub', { p90: fmtSecs(total.kpis.timeToVisit.p90) })],
          ...[7, 30, 90].map((d) => {
            const w = total.revictimisation[`d${d}`];
            return [`revict${d}`, t('kpi.revict', { d }), rate(w.rate), t('kpi.revictSub', { v: w.victims, n: w.eligible })];
          }),
        ].map(([id, name, value, sub]) => html`<div class="kpi" data-kpi=${id}><div class="kpi-label">${name}</div><div class="kpi-value">${value}</div><div class="kpi-sub">${sub}</div></div>`)}
      </div>
      <div class="report-grid">
        <section class="card wide"><div class="card-head"><h2>${t('rep.by', { group: t(/** @type {any} */ (`rep.group.${r.groupBy}`)) })}</h2></div><div class="card-body">
          <${Chart} id="chart-main" draw=${(/** @type {HTMLElement} */ el) =>
            groupedBars(el, {
              label: t('rep.figures'),
              categories: r.rows.map((/** @type {any} */ x) => keyLabel(r.groupBy, x.key)),
              series: /** @type {const} */ (['warnings', 'reached', 'answered', 'dissuaded', 'handedOff']).map((k) => ({
                name: t(/** @type {any} */ (`rep.col.${k}`)),
                color: COLORS[k],
                values: r.rows.map((/** @type {any} */ x) => x[k]),
              })),
            })} />
        </div></section>
        <section class="card"><div class="card-head"><h2>${t('rep.byReason')}</h2></div><div class="card-body">
          <${Chart} draw=${(/** @type {HTMLElement} */ el) => hBars(el, Object.entries(total.handoffsByReason).filter(([, v]) => /** @type {number} */ (v) > 0).map(([k, v]) => ({ label: label('reason', k), value: /** @type {number} */ (v) })), '#f97316')} />
        </div></section>
        <section class="card"><div class="card-head"><h2>${t('rep.byChannel')}</h2></div><div class="card-body">
          <${Chart} draw=${(/** @type {HTMLElement} */ el) => hBars(el, ['voice', 'sms', 'telegram'].map((k) => ({ label: label('channel', k), value: total.reachedByChannel[k] })), '#2563eb')} />
        </div></section>
      </div>
      ${r.groupBy === 'flow_version' && r.rows.length > 1 && html`<${Compare} rows=${r.rows} />`}
      <${Figures} r=${r} />`}
  </div>`;
}
