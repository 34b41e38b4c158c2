// @ts-check
// The station page (mobile first, a phone at 390×844): the station's visit tasks, most pressing first, and
// one task with everything for the door — the summary, the address, the person's and relatives' numbers to
// tap, the transcript — and the three steps: accept, on the way, report the result with a note.
// Organisation (issue 15). Built on the consoles' shared components (web/shared) and catalogue (web/i18n).
import { html, useEffect, useState } from '../build/preact.js';
import { api } from '../shared/api.js';
import { errorMessage, fmt, label, locale, setLocale, t } from '../shared/i18n.js';
import { savePreferences, signOut } from '../shared/session.js';
import { useQuery, writeQuery } from '../shared/url-state.js';
import { TopBar } from '../shared/components/topbar.js';
import { Toasts, toast } from '../shared/components/toasts.js';
import { clock, useNow } from '../shared/components/ticker.js';

const RESULTS = ['met_dissuaded', 'not_home', 'refused', 'already_paid', 'wrong_person'];
/** Results that need a word on what happened at the door (the server asks the same). */
const NEEDS_NOTE = new Set(['not_home', 'refused', 'already_paid']);
const REFRESH_MS = 30_000;

/** @param {{ at: string }} props */
function Deadline({ at }) {
  const left = Date.parse(at) - useNow();
  return html`<span class=${'deadline' + (left < 0 ? ' late' : left < 30 * 60_000 ? ' soon' : '')} data-left-ms=${left}>
    ${left >= 0 ? t('station.deadline', { when: fmt().time(at) }) + ' · ' + clock(left) : t('station.overdue') + ' ' + clock(-left)}
  </span>`;
}

/** @param {{ task: any }} props */
function StatusBadges({ task }) {
  return html`<span class=${'badge status-' + task.status}>${label('visitStatus', task.status)}</span>
    ${task.escalatedAt && html`<span class="badge solid-red">${t('station.escalated')}</span>`}
    <span class=${'badge risk-' + task.riskLevel}>${label('risk', task.riskLevel)}</span>`;
}

/** @param {{ tasks: any[], onOpen: (id: string) => void }} props */
function TaskList({ tasks, onOpen }) {
  if (!tasks.length) return html`<p class="empty" id="tasks-empty">${t('station.empty')}</p>`;
  return html`<ol class="tasks" id="tasks">
    ${tasks.map(
      (task) => html`<li key=${task.id} class=${'task' + (task.overdue ? ' overdue' : '')} data-task-id=${task.id}>
        <a href=${'?task=' + task.id} onClick=${(/** @type {MouseEvent} */ e) => {
          e.preventDefault();
          onOpen(task.id);
        }}>
          <div class="task-top"><${StatusBadges} task=${task} /></div>
          <div class="task-name"><b>${task.name || t('common.unknownName')}</b> <span class="mono muted">${task.caseRef}</span></div>
          <div class="task-address">${task.address || t('station.noAddress')}</div>
          ${task.status !== 'reported' ? html`<${Deadline} at=${task.deadlineAt} />` : html`<span class="muted">${t('station.reported', { result: label('visitResult', task.result) })}</span>`}
          <div class="task-summary">${task.summary}</div>
        </a>
      </li>`,
    )}
  </ol>`;
}

/** A number to tap on a phone (never a link to anything but the dialler). @param {{ phone: string, text?: string }} props */
const Tel = ({ phone, text }) => html`<a class="tel" href=${'tel:' + phone}>${text ?? phone}</a>`;

/** @param {{ task: any, onChanged: (task: any) => void, onBack: () => void }} props */
function TaskView({ task, onChanged, onBack }) {
  const [result, setResult] = useState('');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [showTranscript, setShowTranscript] = useState(false);
  /** @param {string} path @param {unknown} [body] @param {string} [ok] */
  const step = async (path, body, ok) => {
    setBusy(true);
    try {
      const r = await api(`/api/station/tasks/${task.id}/${path}`, { method: 'POST', body: body ?? {} });
      if (ok) toast(ok);
      onChanged(r.task);
    } catch (err) {
      toast(errorMessage(err), 'red');
    }
    setBusy(false);
  };
  const open = task.status !== 'reported' && task.status !== 'cancelled';
  return html`<article class="task-view" id="task" data-task-id=${task.id}>
    <button type="button" class="btn back" id="back" onClick=${onBack}>← ${t('station.back')}</button>
    <header class="task-head">
      <div class="task-top"><${StatusBadges} task=${task} /> ${open && html`<${Deadline} at=${task.deadlineAt} />`}</div>
      <h1><span id="task-name">${task.name || t('common.unknownName')}</span> <span class="mono muted small">${task.caseRef}</span></h1>
      <div class="muted small">${label('scamType', task.scamType)} · ${task.station?.name[locale()] ?? ''}</div>
    </header>
    <section class="block">
      <h2>${t('station.address')}</h2>
      <p class="address" id="task-address">${task.address || t('station.noAddress')}</p>
      ${task.phone && html`<p><${Tel} phone=${task.phone} text=${t('station.callPerson') + ' ' + task.phone} /></p>`}
    </section>
    <section class="block">
      <h2>${t('station.summary')}</h2>
      <p id="task-summary">${task.summary}</p>
    </section>
    ${task.relatives?.length > 0 &&
    html`<section class="block" id="task-relatives">
      <h2>${t('station.relatives')}</h2>
      <ul class="plain">${task.relatives.map((/** @type {any} */ r, /** @type {number} */ i) => html`<li key=${i}>${r.relation || ''} ${r.name || ''} <${Tel} phone=${r.phone} /></li>`)}</ul>
    </section>`}
    <section class="block">
      <h2><button type="button" class="link-btn" id="toggle-transcript" aria-expanded=${showTranscript} onClick=${() => setShowTranscript((x) => !x)}>${t('station.transcript')} (${task.transcript?.length ?? 0}) ${showTranscript ? '▴' : '▾'}</button></h2>
      ${showTranscript &&
      html`<ol class="transcript" id="transcript">
        ${(task.transcript ?? []).map(
          (/** @type {any} */ m, /** @type {number} */ i) => html`<li key=${i} class=${m.direction}>
            <span class="who">${m.direction === 'in' ? t('station.them') : t('station.us')} · ${fmt().time(m.at)}</span>
            <span class="said">${m.body}</span>
          </li>`,
        )}
      </ol>`}
    </section>
    ${task.status === 'reported' &&
    html`<section class="block reported" id="task-result">
      <h2>${t('station.reported', { result: label('visitResult', task.result) })}</h2>
      ${task.resultNote && html`<p>${task.resultNote}</p>`}
      <p class="muted small">${task.reportedBy} · ${fmt().dateTime(task.reportedAt)}</p>
    </section>`}
    ${open &&
    html`<div class="task-actions">
      ${task.status === 'assigned' && html`<button type="button" class="btn primary big" id="accept" disabled=${busy} onClick=${() => step('accept')}>${t('station.accept')}</button>`}
      ${(task.status === 'assigned' || task.status === 'accepted') &&
      html`<button type="button" class=${'btn big' + (task.status === 'accepted' ? ' primary' : '')} id="on-the-way" disabled=${busy} onClick=${() => step('on-the-way')}>${t('station.onTheWay')}</button>`}
      <form class="report" id="report" onSubmit=${(/** @type {Event} */ e) => {
        e.preventDefault();
        if (result) step('report', { result, ...(note.trim() ? { note } : {}) }, t('station.reportedToast'));
      }}>
        <fieldset disabled=${busy}>
          <legend>${t('station.result')}</legend>
          ${RESULTS.map(
            (r) => html`<label key=${r} class=${'choice' + (result === r ? ' on' : '')}><input type="radio" name="result" value=${r} checked=${result === r} onChange=${() => setResult(r)} /> ${label('visitResult', r)}</label>`,
          )}
          <label class="note"><span>${t('station.note')}${NEEDS_NOTE.has(result) ? html`<span class="req">${t('resolve.required')}</span>` : null}</span>
            <textarea name="note" id="report-note" rows="3" value=${note} onInput=${(/** @type {Event} */ e) => setNote(/** @type {HTMLTextAreaElement} */ (e.currentTarget).value)}></textarea></label>
          <button type="submit" class="btn primary big" id="report-submit" disabled=${!result || (NEEDS_NOTE.has(result) && !note.trim())}>${t('station.report')}</button>
        </fieldset>
      </form>
    </div>`}
  </article>`;
}

/** @param {{ session: import('../shared/session.js').Session }} props */
export function Station({ session }) {
  const query = useQuery();
  const taskId = query.task || null;
  const [, rerender] = useState(0);
  const [tasks, setTasks] = useState(/** @type {any[] | null} */ (null));
  const [task, setTask] = useState(/** @type {any | null} */ (null));
  const loadList = () => api('/api/station/tasks').then((r) => setTasks(r.tasks), (err) => toast(errorMessage(err), 'red'));
  const loadTask = () => (taskId ? api(`/api/station/tasks/${taskId}`).then((r) => setTask(r.task), (err) => toast(errorMessage(err), 'red')) : Promise.resolve());
  useEffect(() => {
    void loadList();
    // No live stream for stations: a refresh every half minute, and whenever the phone wakes the page.
    const every = setInterval(() => void loadList(), REFRESH_MS);
    const wake = () => document.visibilityState === 'visible' && void loadList();
    document.addEventListener('visibilitychange', wake);
    return () => {
      clearInterval(every);
      document.removeEventListener('visibilitychange', wake);
    };
  }, []);
  useEffect(() => {
    setTask(null);
    void loadTask();
  }, [taskId]);
  const onLocale = async (/** @type {import('../shared/i18n.js').UiLocale} */ l) => {
    setLocale(l, session.centre.utcOffsetMinutes);
    rerender((x) => x + 1);
    await savePreferences({ locale: l }).catch(() => undefined);
  };
  const open = (/** @type {string} */ id) => writeQuery({ task: id }, { push: true });
  const back = () => writeQuery({ task: null }, { push: true });
  const count = tasks?.length ?? 0;
  return html`<div class="station-app">
    <${TopBar} title=${t('station.title')} user=${session.user} onLocale=${onLocale} onSignOut=${signOut} />
    <main class="station">
      ${taskId
        ? task
          ? html`<${TaskView} key=${task.id} task=${task} onBack=${back} onChanged=${(/** @type {any} */ next) => {
              setTask({ ...task, ...next });
              void loadList();
            }} />`
          : html`<p class="muted">${t('common.loading')}</p>`
        : html`<div class="list-head"><h1>${t('station.title')}</h1>${tasks && html`<span class="badge blue" id="task-count">${t('station.tasks', { n: count })}</span>`}</div>
            ${tasks ? html`<${TaskList} tasks=${tasks} onOpen=${open} />` : html`<p class="muted">${t('common.loading')}</p>`}`}
    </main>
    <${Toasts} />
  </div>`;
}
