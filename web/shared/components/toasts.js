// @ts-check
// Short notices at the corner of the screen; they leave by themselves. toast() may be called from anywhere.
import { html, useEffect, useState } from '../../build/preact.js';

/** @typedef {{ id: number, text: string, tone: '' | 'red' }} Toast */

/** @type {Toast[]} */
let toasts = [];
/** @type {Set<(t: Toast[]) => void>} */
const listeners = new Set();
let seq = 0;
const SHOWN_MS = 6000;

/**
 * @param {string} text
 * @param {'' | 'red'} [tone]
 */
export function toast(text, tone = '') {
  const t = { id: ++seq, text, tone };
  toasts = [...toasts, t];
  listeners.forEach((l) => l(toasts));
  setTimeout(() => {
    toasts = toasts.filter((x) => x.id !== t.id);
    listeners.forEach((l) => l(toasts));
  }, SHOWN_MS);
}

export function Toasts() {
  const [list, setList] = useState(toasts);
  useEffect(() => {
    listeners.add(setList);
    return () => void listeners.delete(setList);
  }, []);
  return html`<div class="toasts" role="status" aria-live="polite">
    ${list.map((t) => html`<div key=${t.id} class=${'toast' + (t.tone ? ' ' + t.tone : '')}>${t.text}</div>`)}
  </div>`;
}
