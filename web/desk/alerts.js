// @ts-check
// Urgent alerts, opt-in per person: a sound and a desktop notification when someone who already paid or is
// still in the scam starts waiting. A banner in the page shows them either way.
import { html, useEffect, useRef, useState } from '../build/preact.js';
import { label, t } from '../shared/i18n.js';
import { savePreferences } from '../shared/session.js';
import { toast } from '../shared/components/toasts.js';

/** @typedef {{ id: string, caseId: string, caseRef: string, reason: string, name: string | null }} Urgent */

let audio = /** @type {AudioContext | null} */ (null);
/** Browsers let a page make sound only after the person touched it: called on their clicks and keys. */
export function unlockAudio() {
  try {
    audio ??= new AudioContext();
    if (audio.state === 'suspended') void audio.resume();
  } catch {
    /* no audio on this machine */
  }
}

/** Two short rising tones: noticeable, not alarming. */
function chime() {
  unlockAudio();
  if (!audio) return;
  const start = audio.currentTime + 0.02;
  [660, 880].forEach((hz, i) => {
    const o = /** @type {AudioContext} */ (audio).createOscillator();
    const g = /** @type {AudioContext} */ (audio).createGain();
    o.frequency.value = hz;
    const at = start + i * 0.22;
    g.gain.setValueAtTime(0.0001, at);
    g.gain.exponentialRampToValueAtTime(0.25, at + 0.02);
    g.gain.exponentialRampToValueAtTime(0.0001, at + 0.2);
    o.connect(g).connect(/** @type {AudioContext} */ (audio).destination);
    o.start(at);
    o.stop(at + 0.21);
  });
}

/** @param {Urgent} u @param {(caseId: string) => void} open */
function notify(u, open) {
  if (!('Notification' in window) || Notification.permission !== 'granted') return;
  let n;
  try {
    n = new Notification(t('alerts.notifyTitle', { reason: label('reason', u.reason) }), { body: t('alerts.notifyBody', { ref: u.caseRef, name: u.name || '' }), tag: u.id });
  } catch {
    return; // some browsers allow notifications only from a service worker; the banner still shows
  }
  n.onclick = () => {
    window.focus();
    open(u.caseId);
    n.close();
  };
}

/**
 * Watches the queue's urgent handoffs; alerts on each one not seen before (a new handoff, or one raised to urgent).
 * @param {Urgent[] | undefined} urgent
 * @param {import('../shared/session.js').Preferences} prefs
 * @param {(caseId: string) => void} open
 * @returns {[Urgent | null, () => void]}
 */
export function useUrgentAlerts(urgent, prefs, open) {
  const seen = useRef(/** @type {Set<string> | null} */ (null));
  const [banner, setBanner] = useState(/** @type {Urgent | null} */ (null));
  useEffect(() => {
    if (!urgent) return;
    const key = (/** @type {Urgent} */ u) => `${u.id}:${u.reason}`;
    if (!seen.current) {
      // What was already waiting when the page opened is in the queue to see; only what arrives later alerts.
      seen.current = new Set(urgent.map(key));
      return;
    }
    const fresh = urgent.filter((u) => !seen.current?.has(key(u)));
    for (const u of urgent) seen.current.add(key(u));
    if (!fresh.length) return;
    setBanner(fresh[0]);
    if (prefs.alertSound) chime();
    if (prefs.alertDesktop) fresh.forEach((u) => notify(u, open));
  }, [urgent]);
  return [banner, () => setBanner(null)];
}

/** The banner for the newest urgent handoff. @param {{ u: Urgent, onOpen: (caseId: string) => void, onClose: () => void }} props */
export function UrgentBanner({ u, onOpen, onClose }) {
  return html`<div class="urgent-banner" id="urgent-banner" role="alert">
    <button type="button" class="link-btn" onClick=${() => (onOpen(u.caseId), onClose())}>${t('alerts.banner', { ref: u.caseRef, reason: label('reason', u.reason) })}</button>
    <button type="button" class="icon-btn" aria-label=${t('common.close')} onClick=${onClose}>×</button>
  </div>`;
}

/**
 * The person's alert switches, remembered server-side.
 * @param {{ prefs: import('../shared/session.js').Preferences, onPrefs: (p: import('../shared/session.js').Preferences) => void }} props
 */
export function AlertsMenu({ prefs, onPrefs }) {
  const [open, setOpen] = useState(false);
  /** @param {'alertSound' | 'alertDesktop'} key @param {boolean} on */
  const toggle = async (key, on) => {
    if (key === 'alertSound' && on) {
      unlockAudio();
      chime();
    }
    if (key === 'alertDesktop' && on) {
      if (!('Notification' in window)) return toast(t('alerts.unsupported'), 'red');
      const p = Notification.permission === 'default' ? await Notification.requestPermission() : Notification.permission;
      if (p !== 'granted') return toast(t('alerts.denied'), 'red');
    }
    onPrefs(await savePreferences({ [key]: on }));
  };
  const any = prefs.alertSound || prefs.alertDesktop;
  return html`<div class="menu">
    <button type="button" class=${'link' + (any ? ' on' : '')} id="alerts-button" aria-expanded=${open} onClick=${() => setOpen(!open)}>${t('shell.alerts')}${any ? ' ●' : ''}</button>
    ${open &&
    html`<div class="menu-pop" id="alerts-menu" role="group" aria-label=${t('alerts.title')}>
      <b>${t('alerts.title')}</b>
      <label><input type="checkbox" id="alert-sound" checked=${prefs.alertSound} onChange=${(/** @type {Event} */ e) => toggle('alertSound', /** @type {HTMLInputElement} */ (e.currentTarget).checked)} /> ${t('alerts.sound')}</label>
      <label><input type="checkbox" id="alert-desktop" checked=${prefs.alertDesktop} onChange=${(/** @type {Event} */ e) => toggle('alertDesktop', /** @type {HTMLInputElement} */ (e.currentTarget).checked)} /> ${t('alerts.desktop')}</label>
      <p class="muted small">${t('alerts.hint')}</p>
    </div>`}
  </div>`;
}
