// @ts-check
// The desk's lists: the live queue (most urgent first, with the time left to claim) and the resolved cases,
// with search and filters. Rows are keyed by handoff, so a live update patches them in place.
import { html } from '../build/preact.js';
import { fmt, label, locale, t } from '../shared/i18n.js';
import { clock, useNow } from '../shared/components/ticker.js';
import { PlacementBadges, UnitReportsButton } from './org.js';

/** @typedef {import('./types.js').ListItem} ListItem */
/** @typedef {import('./types.js').FacetValue} FacetValue */

/** Which vocabulary names the values of a filter; a filter the console does not know shows the server's labels. */
const FACET_VOCABULARY = /** @type {Record<string, import('../shared/i18n.js').VocabularyKind>} */ ({ reason: 'reason', risk: 'risk', scamType: 'scamType' });

/** @param {string} facet @param {FacetValue} v */
function facetLabel(facet, v) {
  const kind = FACET_VOCABULARY[facet];
  if (kind) return label(kind, v.value);
  return v.label ? v.label[locale()] : v.value;
}

/** @param {string} facet */
function allOf(facet) {
  const key = /** @type {import('../shared/i18n.js').MessageKey} */ (`queue.allOf.${facet}`);
  const text = t(key);
  return text === key ? t('queue.allOf.other') : text;
}

/** @param {string} facet */
function facetName(facet) {
  const key = /** @type {import('../shared/i18n.js').MessageKey} */ (`queue.facet.${facet}`);
  const text = t(key);
  return text === key ? facet : text;
}

export const reasonTone = (/** @type {string} */ r) => (r === 'already_paid' ? 'red' : r === 'mid_scam' ? 'orange' : 'blue');
export const riskTone = (/** @type {string} */ r) => (r === 'high' ? 'red' : r === 'medium' ? 'orange' : '');
const stripe = (/** @type {ListItem} */ item) => (item.reason === 'already_paid' ? 'p-already_paid' : item.reason === 'mid_scam' ? 'p-mid_scam' : item.priority >= 60 ? 'p-high' : '');

/** The time left to claim a handoff (its SLA), counting down each second. @param {{ due: string }} props */
export function SlaClock({ due }) {
  const left = Date.parse(due) - useNow();
  const text = left >= 0 ? t('queue.slaLeft', { clock: clock(left) }) : t('queue.slaLate', { clock: clock(-left) });
  return html`<div class=${'clock' + (left < 0 ? ' late' : left < 60000 ? ' soon' : '')} title=${t('queue.slaLabel')} data-left-ms=${left}>
    <span class="clock-label">${t('queue.slaLabel')}</span> <span class="clock-value">${text}</span>
  </div>`;
}

/**
 * @param {{ item: ListItem, selected: boolean, onOpen: (caseId: string) => void }} props
 */
function QueueItem({ item, selected, onOpen }) {
  const escalated = item.status === 'open' && !!item.escalatedAt;
  const resolved = item.status === 'resolved';
  return html`<li
    class=${['qitem', stripe(item), escalated ? 'escalated' : '', selected ? 'selected' : '', resolved ? 'resolved' : ''].join(' ')}
    data-case-id=${item.caseId}
    data-handoff-id=${item.id}
    aria-current=${selected ? 'true' : undefined}
  >
    <a class="qlink" href=${'?case=' + item.caseId} onClick=${(/** @type {MouseEvent} */ e) => {
      if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
      e.preventDefault();
      onOpen(item.caseId);
    }}>
      <div class="line1">
        <span class="ref">${item.caseRef}</span>
        <span class="name" title=${item.name || ''}>${item.name || t('common.unknownName')}</span>
        <span class="qphone mono">${item.phone}</span>
      </div>
      ${resolved
        ? html`<div class="claimed">${t('queue.resolvedAt', { when: fmt().dateTime(item.resolvedAt) })}</div>`
        : item.status === 'open'
          ? html`<${SlaClock} due=${item.slaDueAt} />`
          : html`<div class="claimed">${item.mine ? t('queue.claimedByYou') : t('queue.claimedBy', { who: item.claimedBy })}</div>`}
      <div class="line2">
        ${escalated && html`<span class="badge solid-red">${t('queue.escalatedBadge')}</span>`}
        ${resolved && item.outcome && html`<span class="badge green outcome">${label('outcome', item.outcome)}</span>`}
        <span class=${'badge reason ' + reasonTone(item.reason)}>${label('reason', item.reason)}</span>
        <span class=${'badge ' + riskTone(item.riskLevel)}>${label('risk', item.riskLevel)}</span>
        <span class="badge">${label('scamType', item.scamType)}</span>
        <${PlacementBadges} item=${item} />
        ${item.warningCount >= 2 && html`<span class="badge orange">${t('queue.warnings', { n: item.warningCount })}</span>`}
        ${resolved && item.claimedBy && html`<span class="muted small">${t('queue.resolvedBy', { who: item.claimedBy })}</span>`}
      </div>
      ${item.lastReply
        ? html`<div class="reply" title=${item.lastReply.body}>“${item.lastReply.body}”</div>`
        : item.note && html`<div class="reply muted">${item.note}</div>`}
    </a>
  </li>`;
}

/**
 * @param {{
 *   query: Record<string, string>,
 *   facets: Record<string, FacetValue[]>,
 *   onQuery: (patch: Record<string, string | null>) => void,
 *   searchRef: { current: HTMLInputElement | null },
 * }} props
 */
function Filters({ query, facets, onQuery, searchRef }) {
  const active = Object.keys(facets).filter((f) => query[f]);
  return html`<div class="filters" role="search">
    <label class="search"><span class="sr-only">${t('queue.searchLabel')}</span>
      <input ref=${searchRef} id="search" type="search" placeholder=${t('queue.search')} aria-label=${t('queue.search')} value=${query.q || ''} maxlength="64"
        onInput=${(/** @type {Event} */ e) => onQuery({ q: /** @type {HTMLInputElement} */ (e.currentTarget).value })} />
    </label>
    <div class="facets">
      ${Object.entries(facets).map(
        ([facet, values]) => html`<select key=${facet} name=${facet} id=${'filter-' + facet} aria-label=${facetName(facet)} value=${query[facet] || ''}
          class=${query[facet] ? 'set' : ''}
          onChange=${(/** @type {Event} */ e) => onQuery({ [facet]: /** @type {HTMLSelectElement} */ (e.currentTarget).value || null })}>
          <option value="">${allOf(facet)}</option>
          ${values.filter((v) => v.count > 0 || v.value === query[facet]).map((v) => html`<option key=${v.value} value=${v.value}>${facetLabel(facet, v)} (${v.count})</option>`)}
        </select>`,
      )}
      ${(active.length > 0 || query.q) &&
      html`<button type="button" class="btn small" id="clear-filters" onClick=${() => onQuery({ q: null, ...Object.fromEntries(Object.keys(facets).map((f) => [f, null])) })}>${t('queue.clearFilters')}</button>`}
    </div>
  </div>`;
}

/**
 * @param {{
 *   tab: 'active' | 'resolved',
 *   query: Record<string, string>,
 *   queue: import('./types.js').QueueAnswer | null,
 *   resolved: import('./types.js').ResolvedAnswer | null,
 *   selectedId: string | null,
 *   onOpen: (caseId: string) => void,
 *   onQuery: (patch: Record<string, string | null>) => void,
 *   onTab: (tab: 'active' | 'resolved') => void,
 *   onMore: () => void,
 *   searchRef: { current: HTMLInputElement | null },
 * }} props
 */
export function QueuePane({ tab, query, queue, resolved, selectedId, onOpen, onQuery, onTab, onMore, searchRef }) {
  const list = tab === 'active' ? queue : resolved;
  const items = list?.items ?? [];
  const facets = list?.facets ?? {};
  const filtered = !!query.q || Object.keys(facets).some((f) => query[f]);
  const counts = queue?.counts;
  return html`<section class="queue" aria-label=${t('queue.label')}>
    <div class="queue-head">
      <div class="tabs-row" role="tablist">
        <button type="button" role="tab" id="tab-active" aria-selected=${tab === 'active'} class=${tab === 'active' ? 'active' : ''} onClick=${() => onTab('active')}>
          ${t('queue.tabActive')}${counts ? html` <span class="count">${counts.open + counts.claimed}</span>` : null}
        </button>
        <button type="button" role="tab" id="tab-resolved" aria-selected=${tab === 'resolved'} class=${tab === 'resolved' ? 'active' : ''} onClick=${() => onTab('resolved')}>${t('queue.tabResolved')}</button>
      </div>
      ${counts &&
      html`<div class="counts" id="counts">
        <span class="badge blue" title=${t('queue.waitingTitle')}>${t('queue.waiting', { n: counts.open })}</span>
        <span class="badge" title=${t('queue.claimedTitle')}>${t('queue.claimed', { n: counts.claimed })}</span>
        ${counts.escalated > 0 && html`<span class="badge solid-red" title=${t('queue.escalatedTitle')}>${t('queue.escalated', { n: counts.escalated })}</span>`}
      </div>`}
    </div>
    ${queue?.you.supervisor && queue.counts.escalated > 0 && html`<div class="escalation" id="escalation" role="alert">${t('queue.escalationBanner', { n: queue.counts.escalated })}</div>`}
    <${Filters} query=${query} facets=${facets} onQuery=${onQuery} searchRef=${searchRef} />
    <div class="queue-tools">
      <a class="btn small" id="export-csv" href=${'/api/stop-payments?format=csv&lang=' + locale()}>${t('queue.exportCsv')}</a>
      <a class="btn small" href="/api/stop-payments?format=json" target="_blank" rel="noopener">${t('queue.exportJson')}</a>
      <a class="btn small" id="export-requests-csv" href="/api/org/stop-payments?format=csv" title=${t('stopPayment.requests')}>${t('stopPayment.exportCsv')}</a>
      ${queue?.you.supervisor && html`<${UnitReportsButton} />`}
    </div>
    <ol class="queue-list" id="queue" aria-live="polite">
      ${items.map((item) => html`<${QueueItem} key=${item.id} item=${item} selected=${item.caseId === selectedId} onOpen=${onOpen} />`)}
    </ol>
    ${list && !items.length && html`<div class="empty" id="queue-empty">${tab === 'resolved' ? t('queue.emptyResolved') : filtered ? t('queue.emptyFiltered') : t('queue.empty')}</div>`}
    ${tab === 'resolved' && resolved?.next && html`<button type="button" class="btn more" onClick=${onMore}>${t('queue.more')}</button>`}
  </section>`;
}
