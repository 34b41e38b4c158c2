// @ts-check
// Script trials: start one between two published versions of a flow (split, stop rule), read its report —
// each arm's outcomes with confidence intervals, B − A with its interval and p — and stop it, publishing the
// winner when one is clear or keeping the current version. Routes: #/trials and #/trials/<id>.
import { html, useEffect, useState } from '../build/preact.js';
import { api } from '../shared/api.js';
import { errorMessage, fmt, t } from '../shared/i18n.js';
import { toast } from '../shared/components/toasts.js';
import { confirmDialog } from '../shared/components/dialog.js';

const OUTCOMES = /** @type {const} */ (['dissuaded', 'atRiskHandoff', 'victimised']);

/** @param {number | null | undefined} v a fraction */
const pct = (v) => (v === null || v === undefined ? '—' : `${(v * 100).toFixed(1)}%`);
/** @param {number | null | undefined} v a difference of fractions */
const pts = (v) => (v === null || v === undefined ? '—' : `${v > 0 ? '+' : v < 0 ? '−' : ''}${Math.abs(v * 100).toFixed(1)}`);
/** @param {number | null | undefined} p */
const pValue = (p) => (p === null || p === undefined ? '—' : p < 0.001 ? '< 0.001' : p.toFixed(3));

/** @param {{ stopRule: { people?: number, endsAt?: string } }} trial */
function ruleText(trial) {
  const parts = [];
  if (trial.stopRule.people !== undefined) parts.push(t('trial.rule.people', { n: trial.stopRule.people }));
  if (trial.stopRule.endsAt) parts.push(t('trial.rule.endsAt', { when: fmt().dateTime(trial.stopRule.endsAt) }));
  return t('trial.rule', { rule: parts.join(' / ') });
}

/** @param {{ status: string }} trial */
const statusBadge = (trial) => html`<span class=${'badge ' + (trial.status === 'running' ? 'blue' : trial.status === 'closed' ? 'orange' : 'green')} data-status=${trial.status}>${t(/** @type {any} */ (`trial.status.${trial.status}`))}</span>`;

/** The verdict in words. @param {{ verdict: any, arms: any }} r */
function verdictText(r) {
  const v = r.verdict;
  if (v.kind === 'collecting') return t('trial.verdict.collecting', { n: v.assigned });
  if (v.kind === 'winner') return t('trial.verdict.winner', { arm: v.arm, version: v.version, pts: Math.abs(v.difference * 100).toFixed(1), p: pValue(v.p) });
  return t(/** @type {any} */ (`trial.verdict.${v.reason}`), { p: pValue(v.p) });
}

/**
 * Both arms' intervals for one outcome on a 0–100% axis: a dot at the rate, a bar over the interval.
 * @param {{ a: any, b: any, outcome: string }} props
 */
function IntervalBars({ a, b, outcome }) {
  const W = 220;
  const x = (/** @type {number} */ v) => 6 + v * (W - 12);
  const arm = (/** @type {any} */ p, /** @type {number} */ y, /** @type {string} */ cls) =>
    p.n
      ? html`<g class=${'ci ' + cls}><line x1=${x(p.low)} x2=${x(p.high)} y1=${y} y2=${y} /><circle cx=${x(p.rate)} cy=${y} r="3.5" /></g>`
      : null;
  return html`<svg class="ci-bars" width=${W} height="30" viewBox=${`0 0 ${W} 30`} role="img" aria-label=${t(/** @type {any} */ (`trial.outcome.${outcome}`))}>
    <line class="axis" x1="6" x2=${W - 6} y1="28" y2="28" />
    ${arm(a, 9, 'arm-a')}${arm(b, 20, 'arm-b')}
  </svg>`;
}

/** @param {{ id: string }} props */
function TrialReport({ id }) {
  const [r, setR] = useState(/** @type {any} */ (null));
  const [error, setError] = useState(/** @type {string | null} */ (null));
  const [busy, setBusy] = useState(false);
  const load = () => api(`/api/trials/${id}`).then(setR, (err) => setError(errorMessage(err)));
  useEffect(() => {
    load();
  }, [id]);
  if (error) return html`<div class="alert error page-error">${error}</div>`;
  if (!r) return html`<div class="muted">${t('common.loading')}</div>`;
  const tr = r.trial;
  const level = Math.round((1 - tr.alpha) * 100);
  const stop = async (/** @type {'publish_winner' | 'keep_current'} */ decision) => {
    const ok = await confirmDialog({
      title: decision === 'publish_winner' ? t('trial.publishWinner') : t('trial.keepCurrent'),
      body: html`<p>${decision === 'publish_winner' ? t('trial.confirmPublish', { version: r.verdict.version, flow: tr.flowId }) : t('trial.confirmKeep')}</p>`,
      confirmLabel: decision === 'publish_winner' ? t('trial.publishWinner') : t('trial.keepCurrent'),
    });
    if (!ok) return;
    setBusy(true);
    try {
      setR(await api(`/api/trials/${id}/stop`, { method: 'POST', body: { decision } }));
    } catch (err) {
      toast(errorMessage(err), 'red');
    } finally {
      setBusy(false);
    }
  };
  const decisionVersion = tr.decision === 'published_a' ? tr.versionA : tr.decision === 'published_b' ? tr.versionB : undefined;
  return html`<div id="trial-report" data-trial-id=${tr.id}>
    <div class="page-head">
      <div>
        <a href="#/trials" class="back">${t('trial.back')}</a>
        <div class="title-row"><h1>${tr.flowId}: v${tr.versionA} / v${tr.versionB}</h1>${statusBadge(tr)}</div>
        <p class="muted">${ruleText(tr)} · ${t('trial.split')} ${Math.round(tr.splitB * 100)}% · ${t('trial.assigned', { a: tr.assigned.A, b: tr.assigned.B })}${tr.note ? ` · ${tr.note}` : ''}</p>
      </div>
      ${tr.status !== 'stopped' &&
      html`<div class="actions">
        <button class="btn primary" type="button" id="publish-winner" disabled=${busy || r.verdict.kind !== 'winner'} onClick=${() => stop('publish_winner')}>${t('trial.publishWinner')}</button>
        <button class="btn" type="button" id="keep-current" disabled=${busy} onClick=${() => stop('keep_current')}>${t('trial.keepCurrent')}</button>
      </div>`}
    </div>
    <div class=${'alert ' + (r.verdict.kind === 'winner' ? 'success' : r.verdict.kind === 'collecting' ? 'info' : 'warning')} id="verdict" data-kind=${r.verdict.kind} role="status">${verdictText(r)}</div>
    ${tr.status === 'stopped' && html`<div class="alert success" id="decision" data-decision=${tr.decision}>${t(/** @type {any} */ (`trial.decision.${tr.decision}`), { version: decisionVersion })}</div>`}
    <section class="card"><div class="table-wrap"><table class="table trial-table" id="trial-table">
      <thead><tr>
        <th>${t('trial.outcome')}</th>
        <th class="num">${t('trial.arm', { arm: 'A', version: tr.versionA })}</th>
        <th class="num">${t('trial.arm', { arm: 'B', version: tr.versionB })}</th>
        <th></th>
        <th class="num">${t('trial.diff')}</th>
        <th class="num">${t('trial.p')}</th>
      </tr></thead>
      <tbody>${OUTCOMES.map((o) => {
        const a = r.arms.A[o];
        const b = r.arms.B[o];
        const c = r.comparison[o];
        return html`<tr key=${o} data-outcome=${o}>
          <td>${t(/** @type {any} */ (`trial.outcome.${o}`))}</td>
          <td class="num" data-arm="A">${a.successes}/${a.n} · ${t('trial.rateCi', { rate: pct(a.rate), low: pct(a.low), high: pct(a.high) })}</td>
          <td class="num" data-arm="B">${b.successes}/${b.n} · ${t('trial.rateCi', { rate: pct(b.rate), low: pct(b.low), high: pct(b.high) })}</td>
          <td><${IntervalBars} a=${a} b=${b} outcome=${o} /></td>
          <td class="num" data-col="diff">${pts(c.difference)} (${pts(c.low)} – ${pts(c.high)})</td>
          <td class="num" data-col="p">${pValue(c.p)}</td>
        </tr>`;
      })}</tbody>
    </table></div>
    <p class="muted small card-foot">${t('trial.ciNote', { level })}</p></section>
  </div>`;
}

/** @param {{ onStarted: (id: string) => void }} props */
function NewTrial({ onStarted }) {
  const [flows, setFlows] = useState(/** @type {any[]} */ ([]));
  const [versions, setVersions] = useState(/** @type {number[]} */ ([]));
  const [f, setF] = useState({ flowId: '', versionA: '', versionB: '', splitB: '50', people: '400', endsAt: '', alpha: '0.05', note: '' });
  useEffect(() => {
    api('/api/flows').then((x) => setFlows(x.flows), (err) => toast(errorMessage(err), 'red'));
  }, []);
  useEffect(() => {
    if (!f.flowId) return setVersions([]);
    api(`/api/flows/${f.flowId}`).then(
      (x) => {
        // Published versions only: a trial puts citizens on them.
        const vs = x.flow.versions.filter((/** @type {any} */ v) => v.status !== 'draft').map((/** @type {any} */ v) => v.version);
        setVersions(vs);
        setF((g) => ({ ...g, versionA: String(x.flow.publishedVersion), versionB: String(vs.find((/** @type {number} */ v) => v !== x.flow.publishedVersion) ?? '') }));
      },
      (err) => toast(errorMessage(err), 'red'),
    );
  }, [f.flowId]);
  const set = (/** @type {keyof typeof f} */ k) => (/** @type {Event} */ e) => setF({ ...f, [k]: /** @type {HTMLInputElement} */ (e.currentTarget).value });
  const submit = async (/** @type {Event} */ e) => {
    e.preventDefault();
    const stopRule = /** @type {{ people?: number, endsAt?: string }} */ ({});
    if (f.people) stopRule.people = Number(f.people);
    if (f.endsAt) stopRule.endsAt = new Date(`${f.endsAt}T00:00:00`).toISOString();
    try {
      const r = await api('/api/trials', {
        method: 'POST',
        body: { flowId: f.flowId, versionA: Number(f.versionA), versionB: Number(f.versionB), splitB: Number(f.splitB) / 100, stopRule, alpha: Number(f.alpha), ...(f.note.trim() ? { note: f.note.trim() } : {}) },
      });
      toast(t('trial.started'));
      onStarted(r.trial.id);
    } catch (err) {
      toast(errorMessage(err), 'red');
    }
  };
  const versionSelect = (/** @type {'versionA' | 'versionB'} */ k, /** @type {string} */ name) =>
    html`<label class="field">${name}<select id=${'trial-' + k} value=${f[k]} onChange=${set(k)} aria-label=${name}>${versions.map((v) => html`<option value=${v}>v${v}</option>`)}</select></label>`;
  return html`<section class="card" id="new-trial"><div class="card-head"><h2>${t('trial.new')}</h2></div>
    <form class="filters card-body" onSubmit=${submit}>
      <label class="field">${t('trial.flow')}<select id="trial-flow" value=${f.flowId} onChange=${set('flowId')} aria-label=${t('trial.flow')}><option value=""></option>${flows.map((x) => html`<option value=${x.id}>${x.id}</option>`)}</select></label>
      ${versionSelect('versionA', t('trial.versionA'))}${versionSelect('versionB', t('trial.versionB'))}
      <label class="field">${t('trial.split')} (%)<input id="trial-split" type="number" min="5" max="95" value=${f.splitB} onInput=${set('splitB')} /></label>
      <label class="field">${t('trial.people')}<input id="trial-people" type="number" min="10" value=${f.people} onInput=${set('people')} /></label>
      <label class="field">${t('trial.endsAt')}<input id="trial-ends" type="date" value=${f.endsAt} onInput=${set('endsAt')} /></label>
      <label class="field">${t('trial.alpha')}<select id="trial-alpha" value=${f.alpha} onChange=${set('alpha')}>${['0.01', '0.05', '0.1'].map((a) => html`<option value=${a}>${a}</option>`)}</select></label>
      <label class="field wide">${t('trial.note')}<input id="trial-note" type="text" maxlength="500" value=${f.note} onInput=${set('note')} /></label>
      <button class="btn primary" type="submit" id="start-trial" disabled=${!f.flowId || !f.versionA || !f.versionB || f.versionA === f.versionB}>${t('trial.start')}</button>
    </form>
  </section>`;
}

function TrialList() {
  const [trials, setTrials] = useState(/** @type {any[] | null} */ (null));
  useEffect(() => {
    api('/api/trials').then((r) => setTrials(r.trials), (err) => toast(errorMessage(err), 'red'));
  }, []);
  return html`<section class="card" id="trial-list"><div class="card-head"><h2>${t('trial.list')}</h2></div>
    ${trials && !trials.length && html`<div class="empty">${t('trial.none')}</div>`}
    ${trials &&
    trials.length > 0 &&
    html`<div class="table-wrap"><table class="table"><tbody>${trials.map(
      (tr) => html`<tr key=${tr.id} data-trial=${tr.id}>
        <td class="mono strong">${tr.flowId}</td><td>v${tr.versionA} / v${tr.versionB}</td><td>${statusBadge(tr)}</td>
        <td class="muted small">${ruleText(tr)}</td><td>${t('trial.assigned', { a: tr.assigned.A, b: tr.assigned.B })}</td>
        <td class="muted small">${fmt().dateTime(tr.startedAt)} · ${tr.startedBy}</td>
        <td class="num"><a class="btn small" href=${`#/trials/${tr.id}`}>${t('trial.open')}</a></td>
      </tr>`,
    )}</tbody></table></div>`}
  </section>`;
}

/** @param {{ trialId?: string }} props */
export function Trials({ trialId }) {
  return html`<div class="page trials-page">
    ${trialId
      ? html`<${TrialReport} key=${trialId} id=${trialId} />`
      : html`<div class="page-head"><div><h1>${t('trial.title')}</h1><p class="muted">${t('trial.intro')}</p></div></div>
          <${NewTrial} onStarted=${(/** @type {string} */ id) => (location.hash = `#/trials/${id}`)} />
          <${TrialList} />`}
  </div>`;
}
