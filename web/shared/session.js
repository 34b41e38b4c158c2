// @ts-check
// The signed-in person for a console page: session (CSRF token), preferences (language, alerts) and the
// centre (name, zone). Changing a preference is remembered server-side, so it follows the person.
import { api, setCsrfToken, toLogin } from './api.js';
import { setLocale } from './i18n.js';

/**
 * @typedef {object} User
 * @property {string} id
 * @property {string} username
 * @property {'desk' | 'manager' | 'admin'} role
 * @property {string | null} displayName
 * @property {boolean} hasPhone
 *
 * @typedef {object} Preferences
 * @property {import('./i18n.js').UiLocale} locale
 * @property {boolean} alertSound
 * @property {boolean} alertDesktop
 *
 * @typedef {object} Centre
 * @property {{ zh: string, en: string }} name
 * @property {string} callbackNumber
 * @property {number} utcOffsetMinutes
 * @property {string} utcOffset
 * @property {string} timeZone
 *
 * @typedef {object} Session
 * @property {User} user
 * @property {Preferences} preferences
 * @property {Centre} centre
 */

/** @returns {Promise<Session>} */
export async function loadSession() {
  const s = await api('/api/session');
  setCsrfToken(s.csrfToken);
  const me = await api('/api/me');
  setLocale(me.preferences.locale, me.centre.utcOffsetMinutes);
  return { user: me.user, preferences: me.preferences, centre: me.centre };
}

/**
 * @param {User} user
 * @param {('desk' | 'manager')[]} roles the roles this console is for (admins may use every console)
 */
export const mayUse = (user, roles) => user.role === 'admin' || roles.includes(/** @type {'desk' | 'manager'} */ (user.role));

/**
 * @param {Partial<Preferences>} patch
 * @returns {Promise<Preferences>}
 */
export async function savePreferences(patch) {
  const r = await api('/api/me/preferences', { method: 'PUT', body: patch });
  return r.preferences;
}

let signingOut = false;
/** True once this page asked to sign out: what the server then says about the ended session is expected. */
export const isSigningOut = () => signingOut;

export async function signOut() {
  signingOut = true;
  try {
    await api('/api/session', { method: 'DELETE', allow401: true });
  } finally {
    location.href = '/login';
  }
}

export { toLogin };
