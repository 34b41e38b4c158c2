// @ts-check
// The case's call recordings (played through the server: the claim holder or a supervisor, each listen
// audited) and the supervisors' quality review: a score per point of how a good dissuader talks, a
// comment, the recording heard, and a reply flagged as a training example for the classifier.
import { html, useEffect, useState } from '../build/preact.js';
import { api } from '../shared/api.js';
import { errorMessage, fmt, label, t } from '../shared/i18n.js';
import { toast } from '../shared/components/toasts.js';

/** @typedef {import('./types.js').CaseView} CaseView */
/**
 * @typedef {{ id: string, status: string, durationSeconds: number | null, startedAt: string | null, createdAt: string, deletedAt: string | null, audioUrl: string | null }} Recording
 * @typedef {{ id: string, reviewer: string, scores: Record<string, 0 | 1 | 2 | null>, score: number, criticalFailed: boolean, comment: string | null, recordingId: string | null, trainingExample: { messageId: string, intent: string } | null, updatedAt: string }} Review
 */

const INTENTS = ['safe_aware', 'mid_scam', 'already_paid', 'request_human', 'distrust', 'wrong_person', 'busy_later', 'question', 'other'];
const POINTS = /** @type {const} */ ([2, 1, 0, null]);
const score = (/** @type {number} */ s) => `${Math.round(s * 100)}%`;

/** @param {{ caseId: string, refresh: number, onLoaded: (r: Recording[]) => void }} props */
function useRecordings({ caseId, refresh, onLoaded }) {
  useEffect(() => {
    api(`/api/desk/cases/${caseId}/recordings`).then((r) => onLoaded(r.recordings), (err) => toast(errorMessage(err), 'red'));
  }, [caseId, refresh]);
}

/** @param {{ view: CaseView, recordings: Recording[] }} props */
export function RecordingsCard({ view, recordings }) {
  if (!recordings.length) return null;
  const mayListen = view.you.holdsClaim || view.you.supervisor;
  return html`<div class="card" id="recordings">
    <div class="card-head"><h2>${t('rec.title')}</h2></div>
    <div class="card-body">
      <ol class="recordings">${recordings.map(
        (r) => html`<li key=${r.id} data-recording=${r.id} data-status=${r.status}>
          <div class="muted small">${t('rec.item', { when: fmt().dateTime(r.startedAt || r.createdAt), s: r.durationSeconds ?? 0 })}</div>
          ${r.deletedAt
            ? html`<div class="muted small">${t('rec.deleted', { when: fmt().dateTime(r.deletedAt) })}</div>`
            : !r.audioUrl
              ? html`<div class="muted small">${t('rec.notReady')}</div>`
              : mayListen
                ? html`<audio controls preload="none" src=${r.audioUrl}></audio>`
                : html`<div class="muted small">${t('rec.notAllowed')}</div>`}
        </li>`,
      )}</ol>
      ${mayListen && html`<p class="muted small">${t('rec.listenNote')}</p>`}
    </div>
  </div>`;
}

/** @param {{ view: CaseView, recordings: Recording[] }} props */
export function QaCard({ view, recordings }) {
  const [data, setData] = useState(/** @type {{ criteria: string[], reviews: Review[] } | null} */ (null));
  const [form, setForm] = useState(/** @type {{ scores: Record<string, 0 | 1 | 2 | null>, comment: string, recordingId: string, flag: boolean, messageId: string, intent: string } | null} */ (null));
  const [busy, setBusy] = useState(false);
  const replies = view.timeline.filter((i) => i.kind === 'message' && i.direction === 'in');
  const load = () =>
    api(`/api/desk/cases/${view.case.id}/qa`).then((d) => {
      setData(d);
      const mine = d.reviews.find((/** @type {Review} */ r) => r.reviewer === view.you.username);
      setForm({
        scores: mine ? { ...mine.scores } : Object.fromEntries(d.criteria.map((/** @type {string} */ c) => [c, null])),
        comment: mine?.comment ?? '',
        recordingId: mine?.recordingId ?? '',
        flag: !!mine?.trainingExample,
        messageId: mine?.trainingExample?.messageId ?? '',
        intent: mine?.trainingExample?.intent ?? 'other',
      });
    }, (err) => toast(errorMessage(err), 'red'));
  useEffect(() => {
    load();
  }, [view.case.id]);
  if (!data || !form) return null;
  const save = async (/** @type {Event} */ e) => {
    e.preventDefault();
    setBusy(true);
    try {
      const r = await api(`/api/desk/cases/${view.case.id}/qa`, {
        method: 'PUT',
        body: {
          scores: form.scores,
          ...(form.comment.trim() ? { comment: form.comment.trim() } : {}),
          recordingId: form.recordingId || null,
          trainingExample: form.flag && form.messageId ? { messageId: form.messageId, intent: form.intent } : null,
        },
      });
      toast(t('qa.saved', { score: score(r.score) }));
      await load();
    } catch (err) {
      toast(errorMessage(err), 'red');
    } finally {
      setBusy(false);
    }
  };
  const setScore = (/** @type {string} */ c, /** @type {0 | 1 | 2 | null} */ v) => setForm({ ...form, scores: { ...form.scores, [c]: v } });
  return html`<div class="card" id="qa">
    <div class="card-head"><h2>${t('qa.title')}</h2></div>
    <div class="card-body">
      ${data.reviews.length
        ? html`<ol class="qa-reviews">${data.reviews.map(
            (r) => html`<li key=${r.id} data-reviewer=${r.reviewer}>
              <b class="qa-score">${t('qa.score', { score: score(r.score) })}</b>
              ${r.criticalFailed && html`<span class="badge red">${t('qa.critical')}</span>`}
              <span class="muted small">${t('qa.by', { who: r.reviewer, when: fmt().dateTime(r.updatedAt) })}</span>
              ${r.comment && html`<div>${r.comment}</div>`}
              ${r.trainingExample && html`<div class="muted small">${t('qa.example', { intent: label('intent', r.trainingExample.intent) })}</div>`}
            </li>`,
          )}</ol>`
        : html`<p class="muted small">${t('qa.none')}</p>`}
      ${view.you.supervisor &&
      html`<form class="qa-form" id="qa-form" onSubmit=${save}>
        <table class="qa-points"><tbody>${data.criteria.map(
          (c) => html`<tr key=${c} data-criterion=${c}>
            <td>${t(/** @type {any} */ (`qa.criterion.${c}`))}</td>
            <td class="qa-choices">${POINTS.map(
              (p) => html`<label class="qa-choice"><input type="radio" name=${'qa-' + c} value=${p === null ? 'na' : p} checked=${form.scores[c] === p} onChange=${() => setScore(c, p)} />${t(/** @type {any} */ (`qa.point.${p === null ? 'na' : p}`))}</label>`,
            )}</td>
          </tr>`,
        )}</tbody></table>
        <label class="field">${t('qa.comment')}<textarea id="qa-comment" rows="2" maxlength="2000" value=${form.comment} onInput=${(/** @type {Event} */ e) => setForm({ ...form, comment: /** @type {HTMLTextAreaElement} */ (e.currentTarget).value })}></textarea></label>
        ${recordings.length > 0 &&
        html`<label class="field">${t('qa.recording')}<select id="qa-recording" value=${form.recordingId} onChange=${(/** @type {Event} */ e) => setForm({ ...form, recordingId: /** @type {HTMLSelectElement} */ (e.currentTarget).value })}>
          <option value="">${t('qa.noRecording')}</option>${recordings.map((r) => html`<option value=${r.id}>${fmt().dateTime(r.startedAt || r.createdAt)}</option>`)}
        </select></label>`}
        ${replies.length > 0 &&
        html`<label class="qa-flag"><input type="checkbox" id="qa-flag" checked=${form.flag} onChange=${(/** @type {Event} */ e) => setForm({ ...form, flag: /** @type {HTMLInputElement} */ (e.currentTarget).checked, messageId: form.messageId || replies[replies.length - 1].id })} />${t('qa.training')}</label>
        ${form.flag &&
        html`<div class="qa-example">
          <label class="field">${t('qa.trainingMessage')}<select id="qa-message" value=${form.messageId} onChange=${(/** @type {Event} */ e) => setForm({ ...form, messageId: /** @type {HTMLSelectElement} */ (e.currentTarget).value })}>
            ${replies.map((m) => html`<option value=${m.id}>${m.kind === 'message' ? m.body.slice(0, 40) : ''}</option>`)}
          </select></label>
          <label class="field">${t('qa.trainingIntent')}<select id="qa-intent" value=${form.intent} onChange=${(/** @type {Event} */ e) => setForm({ ...form, intent: /** @type {HTMLSelectElement} */ (e.currentTarget).value })}>
            ${INTENTS.map((i) => html`<option value=${i}>${label('intent', i)}</option>`)}
          </select></label>
        </div>`}`}
        <button class="btn primary" type="submit" id="qa-save" disabled=${busy || !Object.values(form.scores).some((v) => v !== null)}>${t('qa.save')}</button>
      </form>`}
    </div>
  </div>`;
}

/** Recordings and quality review side by side in the case's side column. @param {{ view: CaseView }} props */
export function ReviewCards({ view }) {
  const [recordings, setRecordings] = useState(/** @type {Recording[]} */ ([]));
  // A new recording comes with a timeline event: re-read when the timeline grows.
  useRecordings({ caseId: view.case.id, refresh: view.timeline.length, onLoaded: setRecordings });
  return html`<${RecordingsCard} view=${view} recordings=${recordings} /><${QaCard} key=${view.case.id} view=${view} recordings=${recordings} />`;
}
