// @ts-check
// What a signed-in person sees on a console their role may not use: why, where to go, and how to sign out.
import { html } from '../../build/preact.js';
import { label, t } from '../i18n.js';
import { signOut } from '../session.js';
import { TopBar } from './topbar.js';

/** @param {{ title: string, user: import('../session.js').User }} props */
export function NotAllowed({ title, user }) {
  const desk = user.role === 'desk';
  // Organisation (issue 15): police-station officers work on the station page.
  const home = /** @type {string} */ (user.role) === 'station' ? { href: '/station/', text: t('shell.goStation') } : desk ? { href: '/desk/', text: t('shell.goDesk') } : { href: '/manager/', text: t('shell.goManager') };
  return html`<${TopBar} title=${title} user=${user} onSignOut=${signOut} />
    <main class="not-allowed">
      <div class="card narrow" role="alert">
        <h1>${t('shell.notAllowed', { role: label('role', user.role) })}</h1>
        <p><a class="btn primary" href=${home.href}>${home.text}</a>
          <button type="button" class="btn" onClick=${signOut}>${t('shell.signOut')}</button></p>
      </div>
    </main>`;
}
