// @ts-check
// The bar across the top of every console: the brand and console name, what the console puts in the middle
// (sections, connection state, tools), the language (remembered for the person) and who is signed in.
import { html } from '../../build/preact.js';
import { UI_LOCALES } from '../../build/i18n.js';
import { label, locale, t } from '../i18n.js';

/**
 * @param {{ title: string, user?: import('../session.js').User | null, onLocale?: (l: import('../i18n.js').UiLocale) => void, onSignOut?: () => void, children?: any }} props
 */
export function TopBar({ title, user, onLocale, onSignOut, children }) {
  return html`<header class="topbar">
    <div class="brand"><span class="mark" aria-hidden="true">${t('app.mark')}</span><span class="brand-name">${t('app.name')}</span><span class="sub">${title}</span></div>
    <div class="topbar-middle">${children}</div>
    ${onLocale &&
    html`<label class="lang"><span class="sr-only">${t('shell.language')}</span>
      <select id="locale" aria-label=${t('shell.language')} value=${locale()} onChange=${(/** @type {Event} */ e) => onLocale(/** @type {any} */ (/** @type {HTMLSelectElement} */ (e.currentTarget).value))}>
        ${UI_LOCALES.map((l) => html`<option key=${l} value=${l}>${l === 'zh' ? '中文' : 'English'}</option>`)}
      </select></label>`}
    ${user && html`<div class="who" id="who">${t('shell.who', { name: user.displayName || user.username, role: label('role', user.role) })}</div>`}
    ${onSignOut && html`<button class="link" id="logout" type="button" onClick=${onSignOut}>${t('shell.signOut')}</button>`}
  </header>`;
}
