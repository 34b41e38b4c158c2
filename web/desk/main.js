// @ts-check
// Starts the desk: who is signed in (their language, the centre's zone), then the console.
import { html, render } from '../build/preact.js';
import { loadSession, mayUse } from '../shared/session.js';
import { errorMessage, t } from '../shared/i18n.js';
import { NotAllowed } from '../shared/components/not-allowed.js';
import { Desk } from './desk.js';

const root = /** @type {HTMLElement} */ (document.getElementById('app'));

loadSession().then(
  (session) => {
    document.title = t('app.desk');
    render(mayUse(session.user, ['desk', 'manager']) ? html`<${Desk} session=${session} />` : html`<${NotAllowed} title=${t('app.desk')} user=${session.user} />`, root);
  },
  (err) => {
    // A 401 has already sent the page to the login.
    if (err?.status !== 401) root.textContent = t('shell.loadFailed', { message: errorMessage(err) });
  },
);
