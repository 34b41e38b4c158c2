// @ts-check
// The staff sign-in page, shared by the consoles. Before sign-in the language is this browser's last
// choice (Chinese by default); after it, the person's own preference.
import { html, render, useState } from '../build/preact.js';
import { UI_LOCALES } from '../build/i18n.js';
import { errorMessage, locale, setLocale, storedLocale, t } from './i18n.js';

const next = new URLSearchParams(location.search).get('next');
// Only same-site paths: never send people to another site after signing in.
const target = next && /^\/(?!\/)/.test(next) ? next : null;

/** @param {{ centre: { zh: string, en: string } }} props */
function Login({ centre }) {
  const [, rerender] = useState(0);
  const [error, setError] = useState(/** @type {string | null} */ (null));
  const [busy, setBusy] = useState(false);
  const submit = async (/** @type {SubmitEvent} */ e) => {
    e.preventDefault();
    const form = /** @type {HTMLFormElement} */ (e.currentTarget);
    const username = /** @type {HTMLInputElement} */ (form.elements.namedItem('username'));
    const password = /** @type {HTMLInputElement} */ (form.elements.namedItem('password'));
    setError(null);
    setBusy(true);
    try {
      const res = await fetch('/api/session', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        credentials: 'same-origin',
        body: JSON.stringify({ username: username.value, password: password.value }),
      });
      const body = await res.json().catch(() => ({}));
      if (!res.ok) {
        setError(res.status === 401 ? t('login.wrong') : errorMessage({ status: res.status, id: body.error, message: body.message }));
        password.value = '';
        password.focus();
        return;
      }
      location.href = target || (body.user.role === 'manager' || body.user.role === 'admin' ? '/manager/' : '/desk/');
    } catch {
      setError(t('login.unreachable'));
    } finally {
      setBusy(false);
    }
  };
  return html`<form class="login-card" id="login" novalidate onSubmit=${submit}>
    <div class="brand"><span class="mark" aria-hidden="true">${t('app.mark')}</span><div><h1>${t('app.name')}</h1><p>${t('login.subtitle', { centre: centre[locale()] })}</p></div></div>
    <label class="field">${t('login.username')}<input name="username" autocomplete="username" autocapitalize="none" spellcheck=${false} required autofocus /></label>
    <label class="field">${t('login.password')}<input name="password" type="password" autocomplete="current-password" required /></label>
    ${error && html`<div class="alert error" id="error" role="alert">${error}</div>`}
    <button class="btn primary" type="submit" disabled=${busy}>${t('login.submit')}</button>
    <div class="login-foot">${t('login.foot')}
      <select aria-label=${t('shell.language')} id="login-locale" value=${locale()} onChange=${(/** @type {Event} */ e) => {
        setLocale(/** @type {any} */ (/** @type {HTMLSelectElement} */ (e.currentTarget).value));
        document.title = `${t('login.title')} · ${t('app.name')}`;
        rerender((x) => x + 1);
      }}>${UI_LOCALES.map((l) => html`<option key=${l} value=${l}>${l === 'zh' ? '中文' : 'English'}</option>`)}</select>
    </div>
  </form>`;
}

setLocale(storedLocale());
document.title = `${t('login.title')} · ${t('app.name')}`;
const root = /** @type {HTMLElement} */ (document.getElementById('app'));
fetch('/api/centre')
  .then((r) => r.json())
  .then((c) => c.name)
  .catch(() => ({ zh: '', en: '' }))
  .then((centre) => render(html`<${Login} centre=${centre} />`, root));
