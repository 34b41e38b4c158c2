// @ts-check
// The list of dialogue scripts, with their published version and any draft.
import { html, useEffect, useState } from '../build/preact.js';
import { api } from '../shared/api.js';
import { errorMessage, fmt, t } from '../shared/i18n.js';

export function FlowList() {
  const [flows, setFlows] = useState(/** @type {any[] | null} */ (null));
  const [error, setError] = useState(/** @type {string | null} */ (null));
  useEffect(() => {
    api('/api/flows').then((r) => setFlows(r.flows), (err) => setError(errorMessage(err)));
  }, []);
  return html`<div class="page">
    <div class="page-head"><div><h1>${t('flows.title')}</h1><p class="muted">${t('flows.intro')}</p></div></div>
    ${error && html`<div class="alert error">${error}</div>`}
    ${flows &&
    html`<div class="card table-wrap"><table class="table">
      <thead><tr><th>${t('flows.col.flow')}</th><th>${t('flows.col.title')}</th><th>${t('flows.col.published')}</th><th>${t('flows.col.draft')}</th><th class="num">${t('flows.col.versions')}</th><th></th></tr></thead>
      <tbody>${flows.map(
        (f) => html`<tr key=${f.id} data-flow=${f.id}>
          <td><a href=${`#/flows/${f.id}`} class="mono strong">${f.id}</a></td>
          <td>${f.title}</td>
          <td><span class="badge green">v${f.publishedVersion}</span> <span class="muted small">${fmt().dateTime(f.publishedAt)}</span></td>
          <td>${f.draftVersion ? html`<span class="badge orange">${t('ed.draftBadge', { n: f.draftVersion })}</span> <span class="muted small">${t('flows.draftBy', { who: f.draftUpdatedBy, when: fmt().dateTime(f.draftUpdatedAt) })}</span>` : html`<span class="muted">—</span>`}</td>
          <td class="num">${f.versions}</td>
          <td class="num"><a class="btn small" href=${`#/flows/${f.id}`}>${t('flows.open')}</a></td>
        </tr>`,
      )}</tbody>
    </table></div>`}
  </div>`;
}
