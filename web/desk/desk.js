// @ts-check
// The dissuasion desk: the queue and the open case side by side (stacked on a phone), kept live by the
// desk's event stream. State that a colleague should see from a link — the open case, the list, the
// search and filters — lives in the URL; live updates patch the page and never touch what is being typed.
import { html, useCallback, useEffect, useRef, useState } from '../build/preact.js';
import { api, toLogin } from '../shared/api.js';
import { errorMessage, locale, setLocale, t } from '../shared/i18n.js';
import { isSigningOut, savePreferences, signOut } from '../shared/session.js';
import { useQuery, writeQuery } from '../shared/url-state.js';
import { TopBar } from '../shared/components/topbar.js';
import { Toasts, toast } from '../shared/components/toasts.js';
import { DialogHost } from '../shared/components/dialog.js';
import { syncServerClock } from '../shared/components/ticker.js';
import { QueuePane } from './queue.js';
import { CaseView, Placeholder } from './case.js';
import { AlertsMenu, UrgentBanner, unlockAudio, useUrgentAlerts } from './alerts.js';
import { ShortcutsHelp, useShortcuts } from './shortcuts.js';
import { PresenceToggle } from './org.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Query keys that are not list filters. */
const NOT_FILTERS = new Set(['case', 'tab']);

/** The list's own query string from the page's: search and every filter, nothing else. @param {Record<string, string>} q */
function listSearch(q) {
  const p = new URLSearchParams();
  for (const k of Object.keys(q).sort()) if (!NOT_FILTERS.has(k) && q[k]) p.set(k, q[k]);
  return p.toString();
}

/**
 * A loader that keeps only the newest answer, and can be asked to run soon (several live events in a row
 * make one request).
 * @template T
 * @param {() => Promise<T>} fetcher
 * @param {(value: T) => void} apply
 * @param {(err: unknown) => void} [onError]
 */
function useLoader(fetcher, apply, onError) {
  const ref = useRef({ fetcher, apply, onError });
  ref.current = { fetcher, apply, onError };
  const seq = useRef(0);
  const timer = useRef(/** @type {ReturnType<typeof setTimeout> | undefined} */ (undefined));
  const now = useCallback(async () => {
    clearTimeout(timer.current);
    const mine = ++seq.current;
    try {
      const v = await ref.current.fetcher();
      if (mine === seq.current) ref.current.apply(v);
    } catch (err) {
      if (mine === seq.current) ref.current.onError?.(err);
    }
  }, []);
  const soon = useCallback((ms = 150) => {
    clearTimeout(timer.current);
    timer.current = setTimeout(now, ms);
  }, []);
  return { now, soon };
}

/**
 * The desk's live event stream; reconnects by itself and goes to the login page when the session ends.
 * @param {{ onReady: () => void, onHandoff: (e: any) => void, onCase: (e: any) => void }} handlers
 */
function useLiveEvents(handlers) {
  const [conn, setConn] = useState(/** @type {'connecting' | 'live' | 'reconnecting' | 'signed-out'} */ ('connecting'));
  const ref = useRef(handlers);
  ref.current = handlers;
  useEffect(() => {
    let stopped = false;
    let es = /** @type {EventSource | null} */ (null);
    let retry = /** @type {ReturnType<typeof setTimeout> | undefined} */ (undefined);
    const open = () => {
      es = new EventSource('/api/desk/stream');
      es.addEventListener('ready', () => {
        setConn('live');
        ref.current.onReady();
      });
      es.addEventListener('handoff', (e) => ref.current.onHandoff(JSON.parse(/** @type {MessageEvent} */ (e).data)));
      es.addEventListener('case', (e) => ref.current.onCase(JSON.parse(/** @type {MessageEvent} */ (e).data)));
      es.addEventListener('signed-out', () => {
        stopped = true;
        es?.close();
        setConn('signed-out');
        // Signed out elsewhere (another tab, an expired session): sign in again and come back here.
        if (!isSigningOut()) toLogin();
      });
      es.onerror = () => {
        if (stopped) return;
        setConn('reconnecting');
        if (es?.readyState === EventSource.CLOSED) {
          // The server refused the stream: a 401 sends the page to the login, anything else is tried again.
          api('/api/session').then(
            () => (retry = setTimeout(open, 3000)),
            () => undefined,
          );
        }
      };
    };
    open();
    return () => {
      stopped = true;
      es?.close();
      clearTimeout(retry);
    };
  }, []);
  return conn;
}

/** @param {{ session: import('../shared/session.js').Session }} props */
export function Desk({ session }) {
  const [prefs, setPrefs] = useState(session.preferences);
  const [, rerender] = useState(0);
  const query = useQuery();
  const tab = query.tab === 'resolved' ? 'resolved' : 'active';
  const caseId = query.case && UUID.test(query.case) ? query.case : null;
  const search = listSearch(query);

  const [queue, setQueue] = useState(/** @type {import('./types.js').QueueAnswer | null} */ (null));
  const [resolved, setResolved] = useState(/** @type {import('./types.js').ResolvedAnswer | null} */ (null));
  const [view, setView] = useState(/** @type {import('./types.js').CaseView | null} */ (null));
  const [caseError, setCaseError] = useState(/** @type {string | null} */ (null));
  const [help, setHelp] = useState(false);
  const searchRef = useRef(/** @type {HTMLInputElement | null} */ (null));
  const refs = { composer: useRef(/** @type {HTMLTextAreaElement | null} */ (null)), outcome: useRef(/** @type {HTMLSelectElement | null} */ (null)) };

  const showError = (/** @type {unknown} */ err) => toast(errorMessage(err), 'red');

  // The active queue is always loaded whole for the counts and alerts, and filtered when it is the list shown.
  const queueLoader = useLoader(
    () => api('/api/desk/queue' + (tab === 'active' && search ? '?' + search : '')),
    (r) => {
      syncServerClock(r.now);
      setQueue(r);
    },
    showError,
  );
  const resolvedLoader = useLoader(() => api('/api/desk/resolved' + (search ? '?' + search : '')), setResolved, showError);
  const caseLoader = useLoader(
    () => (caseId ? api(`/api/desk/cases/${caseId}`) : Promise.resolve(null)),
    (v) => {
      setView(v);
      setCaseError(null);
    },
    (err) => setCaseError(/** @type {{ status?: number }} */ (err).status === 404 ? t('case.notFound') : errorMessage(err)),
  );

  useEffect(() => void queueLoader.soon(search && tab === 'active' ? 250 : 0), [search, tab]);
  useEffect(() => {
    if (tab === 'resolved') resolvedLoader.soon(search ? 250 : 0);
  }, [search, tab]);
  useEffect(() => {
    setCaseError(null);
    void caseLoader.now();
  }, [caseId]);
  useEffect(() => {
    // Countdowns run locally; a slow full refresh guards against a missed event.
    const every = setInterval(() => queueLoader.now(), 60_000);
    const unlock = () => unlockAudio();
    document.addEventListener('pointerdown', unlock, { once: true });
    document.addEventListener('keydown', unlock, { once: true });
    return () => clearInterval(every);
  }, []);

  const conn = useLiveEvents({
    onReady: () => {
      // Anything missed while disconnected.
      queueLoader.soon(0);
      if (tab === 'resolved') resolvedLoader.soon(0);
      if (caseId) caseLoader.soon(0);
    },
    onHandoff: (e) => {
      queueLoader.soon();
      if (tab === 'resolved' && e.change === 'resolved') resolvedLoader.soon();
      if (e.caseId === caseId) caseLoader.soon();
      if (e.change === 'opened') toast(t('toast.newHandoff'));
      if (e.change === 'escalated') toast(t('toast.escalated'), 'red');
    },
    onCase: (e) => {
      queueLoader.soon();
      if (e.caseId === caseId) caseLoader.soon();
    },
  });

  const open = (/** @type {string} */ id) => writeQuery({ case: id }, { push: true });
  const [banner, closeBanner] = useUrgentAlerts(queue?.urgent, prefs, open);
  const changed = () => {
    caseLoader.soon(0);
    queueLoader.soon(0);
    if (tab === 'resolved') resolvedLoader.soon(0);
  };

  const list = (tab === 'active' ? queue : resolved)?.items ?? [];
  const move = (/** @type {number} */ step) => {
    if (!list.length) return;
    const i = list.findIndex((x) => x.caseId === caseId);
    const next = list[Math.min(list.length - 1, Math.max(0, i < 0 ? 0 : i + step))];
    if (next) open(next.caseId);
  };
  useShortcuts({
    next: () => move(1),
    previous: () => move(-1),
    claim: () => {
      const ho = view?.handoff;
      if (view && ho && view.you.canClaim)
        api(`/api/desk/handoffs/${ho.id}/claim`, { method: 'POST' }).then(() => (toast(t('case.claimedToast')), changed()), showError);
    },
    reply: () => refs.composer.current?.focus(),
    resolve: () => {
      const el = refs.outcome.current;
      if (!el) return;
      el.scrollIntoView({ block: 'center' });
      el.focus();
    },
    search: () => searchRef.current?.focus(),
    help: () => setHelp((x) => !x),
  });

  useEffect(() => {
    const n = queue?.counts.open ?? 0;
    document.title = n ? t('queue.title.count', { n }) : t('app.desk');
  }, [queue?.counts.open, locale()]);

  const onLocale = async (/** @type {import('../shared/i18n.js').UiLocale} */ l) => {
    setLocale(l, session.centre.utcOffsetMinutes);
    rerender((x) => x + 1);
    try {
      setPrefs(await savePreferences({ locale: l }));
    } catch (err) {
      showError(err);
    }
  };

  const shown = view && caseId && view.case.id === caseId ? view : null;
  const connText = { connecting: t('shell.connecting'), live: t('shell.live'), reconnecting: t('shell.reconnecting'), 'signed-out': t('shell.signedOut') }[conn];
  return html`<div class=${'desk-app' + (caseId ? ' has-case' : '')}>
    <${TopBar} title=${t('app.desk')} user=${session.user} onLocale=${onLocale} onSignOut=${signOut}>
      <div class=${'conn' + (conn === 'live' ? ' live' : '')} id="conn" data-state=${conn}>${connText}</div>
      <${PresenceToggle} />
      <${AlertsMenu} prefs=${prefs} onPrefs=${setPrefs} />
      <button type="button" class="link" id="help-button" aria-label=${t('keys.title')} onClick=${() => setHelp(true)}>?</button>
    <//>
    ${banner && html`<${UrgentBanner} u=${banner} onOpen=${open} onClose=${closeBanner} />`}
    <main class="desk">
      <${QueuePane}
        tab=${tab}
        query=${query}
        queue=${queue}
        resolved=${resolved}
        selectedId=${caseId}
        onOpen=${open}
        onQuery=${(/** @type {Record<string, string | null>} */ patch) => writeQuery(patch)}
        onTab=${(/** @type {'active' | 'resolved'} */ x) => writeQuery({ tab: x === 'resolved' ? 'resolved' : null }, { push: true })}
        onMore=${() =>
          resolved?.next &&
          api('/api/desk/resolved?' + new URLSearchParams({ ...Object.fromEntries(new URLSearchParams(search)), before: resolved.next })).then(
            (/** @type {import('./types.js').ResolvedAnswer} */ r) => setResolved({ ...r, items: [...resolved.items, ...r.items] }),
            showError,
          )}
        searchRef=${searchRef}
      />
      <section class="case" id="case" aria-label=${t('case.label')}>
        ${caseId
          ? shown
            ? html`<${CaseView} key=${shown.case.id} view=${shown} onChanged=${changed} refs=${refs} onBack=${() => writeQuery({ case: null }, { push: true })} />`
            : html`<div class="placeholder"><div class="placeholder-inner">
                ${caseError ? html`<p class="alert error" id="case-error">${caseError}</p>` : html`<p class="muted">${t('common.loading')}</p>`}
                <button type="button" class="btn back" onClick=${() => writeQuery({ case: null }, { push: true })}>← ${t('case.back')}</button>
              </div></div>`
          : html`<${Placeholder} />`}
      </section>
    </main>
    ${help && html`<${ShortcutsHelp} onClose=${() => setHelp(false)} />`}
    <${DialogHost} />
    <${Toasts} />
  </div>`;
}
