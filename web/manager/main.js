// @ts-check
// The managers' console: scripts, reports, canned replies, behind hash routes (#/flows, #/flows/<id>,
// #/reports?…, #/replies). A desk officer who opens it is told so, with the way to the desk and to sign out.
import { html, render, useEffect, useState } from '../build/preact.js';
import { loadSession, mayUse, savePreferences, signOut } from '../shared/session.js';
import { errorMessage, setLocale, t } from '../shared/i18n.js';
import { TopBar } from '../shared/components/topbar.js';
import { Toasts, toast } from '../shared/components/toasts.js';
import { DialogHost } from '../shared/components/dialog.js';
import { NotAllowed } from '../shared/components/not-allowed.js';
import { FlowList } from './flow-list.js';
import { FlowEditor } from './editor.js';
import { Reports } from './reports.js';
import { CannedReplies } from './replies.js';
import { Trials } from './trials.js';

function useHash() {
  const [hash, setHash] = useState(location.hash || '#/flows');
  useEffect(() => {
    const on = () => setHash(location.hash || '#/flows');
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return hash;
}

/** @param {{ session: import('../shared/session.js').Session }} props */
function Manager({ session }) {
  const hash = useHash();
  const [, rerender] = useState(0);
  const section = hash.startsWith('#/reports') ? 'reports' : hash.startsWith('#/replies') ? 'replies' : hash.startsWith('#/trials') ? 'trials' : 'flows';
  const trial = /^#\/trials\/([0-9a-f-]{36})$/.exec(hash)?.[1];
  const flow = /^#\/flows\/([a-z][a-z0-9_]*)$/.exec(hash)?.[1];
  const query = Object.fromEntries(new URLSearchParams(hash.split('?')[1] || ''));
  useEffect(() => {
    document.title = `${t('app.manager')} · ${t('app.name')}`;
  });
  const onLocale = async (/** @type {import('../shared/i18n.js').UiLocale} */ l) => {
    setLocale(l, session.centre.utcOffsetMinutes);
    rerender((x) => x + 1);
    await savePreferences({ locale: l }).catch((err) => toast(errorMessage(err), 'red'));
  };
  const tab = (/** @type {string} */ id, /** @type {string} */ href, /** @type {string} */ text) => html`<a href=${href} data-section=${id} class=${section === id ? 'active' : ''}>${text}</a>`;
  return html`<${TopBar} title=${t('app.manager')} user=${session.user} onLocale=${onLocale} onSignOut=${signOut}>
      <nav class="tabs" aria-label=${t('mgr.sections')}>
        ${tab('flows', '#/flows', t('mgr.scripts'))}${tab('reports', '#/reports', t('mgr.reports'))}${tab('trials', '#/trials', t('mgr.trials'))}${tab('replies', '#/replies', t('mgr.replies'))}
        <a href="/desk/">${t('app.desk')}</a>
      </nav>
    <//>
    <main id="view" class="view">
      ${section === 'reports' ? html`<${Reports} query=${query} centre=${session.centre} />` : section === 'trials' ? html`<${Trials} trialId=${trial} />` : section === 'replies' ? html`<${CannedReplies} />` : flow ? html`<${FlowEditor} key=${flow} flowId=${flow} />` : html`<${FlowList} />`}
    </main>
    <${DialogHost} />
    <${Toasts} />`;
}

const root = /** @type {HTMLElement} */ (document.getElementById('app'));
loadSession().then(
  (session) => render(mayUse(session.user, ['manager']) ? html`<${Manager} session=${session} />` : html`<${NotAllowed} title=${t('app.manager')} user=${session.user} />`, root),
  (err) => {
    if (err?.status !== 401) root.textContent = t('shell.loadFailed', { message: errorMessage(err) });
  },
);
