// @ts-check
// Starts the station page: who is signed in (their language, the centre's zone), then the visit tasks.
import { html, render } from '../build/preact.js';
import { loadSession } from '../shared/session.js';
import { errorMessage, t } from '../shared/i18n.js';
import { NotAllowed } from '../shared/components/not-allowed.js';
import { Station } from './station.js';

const root = /** @type {HTMLElement} */ (document.getElementById('app'));
/** Station officers, and the desk above them (district and city), may use this page. */
const ROLES = ['station', 'desk', 'manager', 'admin'];

loadSession().then(
  (session) => {
    document.title = t('station.title');
    render(ROLES.includes(session.user.role) ? html`<${Station} session=${session} />` : html`<${NotAllowed} title=${t('station.title')} user=${session.user} />`, root);
  },
  (err) => {
    if (err?.status !== 401) root.textContent = t('shell.loadFailed', { message: errorMessage(err) });
  },
);
