// @ts-check
// Keyboard shortcuts for a whole shift at the desk, and the overlay that lists them (?).
import { html, useEffect, useRef } from '../build/preact.js';
import { t } from '../shared/i18n.js';
import { Dialog } from '../shared/components/dialog.js';

/**
 * @typedef {object} ShortcutHandlers
 * @property {() => void} next
 * @property {() => void} previous
 * @property {() => void} claim
 * @property {() => void} reply
 * @property {() => void} resolve
 * @property {() => void} search
 * @property {() => void} help
 */

/** key → what it does (and its label in the help) */
export const SHORTCUTS = /** @type {const} */ ([
  ['j', 'next', 'keys.next'],
  ['k', 'previous', 'keys.prev'],
  ['c', 'claim', 'keys.claim'],
  ['r', 'reply', 'keys.reply'],
  ['e', 'resolve', 'keys.resolve'],
  ['/', 'search', 'keys.search'],
  ['?', 'help', 'keys.help'],
]);

const typing = (/** @type {EventTarget | null} */ el) =>
  el instanceof HTMLElement && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName));

/** Listens for the shortcuts on the page; keys typed into a field are the field's. @param {ShortcutHandlers} handlers */
export function useShortcuts(handlers) {
  const ref = useRef(handlers);
  ref.current = handlers;
  useEffect(() => {
    const onKey = (/** @type {KeyboardEvent} */ e) => {
      if (e.key === 'Escape' && typing(e.target) && !document.querySelector('dialog[open]')) return /** @type {HTMLElement} */ (e.target).blur();
      if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target) || document.querySelector('dialog[open]')) return;
      const found = SHORTCUTS.find(([key]) => key === e.key);
      if (!found) return;
      e.preventDefault();
      ref.current[found[1]]();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
}

/** @param {{ onClose: () => void }} props */
export function ShortcutsHelp({ onClose }) {
  return html`<${Dialog} title=${t('keys.title')} id="shortcuts" onClose=${onClose}>
    <table class="keys">
      <tbody>
        ${SHORTCUTS.map(([key, , text]) => html`<tr key=${key}><td><kbd>${key}</kbd></td><td>${t(text)}</td></tr>`)}
        <tr><td><kbd>Ctrl</kbd> + <kbd>Enter</kbd></td><td>${t('keys.send')}</td></tr>
        <tr><td><kbd>Esc</kbd></td><td>${t('keys.close')}</td></tr>
      </tbody>
    </table>
  <//>`;
}
