// @ts-check
// What a signed-in person sees on a console their role may not use: why, where to go, and how to sign out.
import { html } from '../../build/preact.js';
import { label, t } from '../i18n.js';
import { signOut } from '../session.js';
import { TopBar } from './topbar.js';

/** @param {{ title: string, user: import('../session.js').User }} props */
export function NotAllowed({ title, user }) {
  const desk = user.role === 'desk';
  return html`<${TopBar} title=${title} user=${user} onSignOut=${signOut} />
    <main class="not-allowed">
      <div class="card narrow" role="alert">
        <h1>${t('shell.notAllowed', { role: label('role', user.role) })}</h1>
        <p><a class="btn primary" href=${desk ? '/desk/' : '/manager/'}>${desk ? t('shell.goDesk') : t('shell.goManager')}</a>
          <button type="button" class="btn" onClick=${signOut}>${t('shell.signOut')}</button></p>
      </div>
    </main>`;
}
