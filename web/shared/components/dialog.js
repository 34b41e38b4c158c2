// @ts-check
// Modal dialogs on the native <dialog> element (focus stays inside, Esc closes, the page behind is inert).
// Dialog is the component; confirmDialog() asks a yes/no question and resolves with the answer.
import { html, useEffect, useRef, useState } from '../../build/preact.js';
import { t } from '../i18n.js';

/**
 * @param {{ title: string, onClose: () => void, wide?: boolean, id?: string, children?: any }} props
 */
export function Dialog({ title, onClose, wide, id, children }) {
  const ref = useRef(/** @type {HTMLDialogElement | null} */ (null));
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
    return () => {
      if (d?.open) d.close();
    };
  }, []);
  return html`<dialog ref=${ref} id=${id} class=${'dialog' + (wide ? ' wide' : '')} aria-label=${title} onCancel=${(/** @type {Event} */ e) => (e.preventDefault(), onClose())}>
    <div class="dialog-head"><h2>${title}</h2><button type="button" class="icon-btn" aria-label=${t('common.close')} onClick=${onClose}>×</button></div>
    <div class="dialog-body">${children}</div>
  </dialog>`;
}

/**
 * @typedef {object} ConfirmRequest
 * @property {string} title
 * @property {any} [body]
 * @property {string} [confirmLabel]
 * @property {'primary' | 'danger'} [tone]
 * @property {boolean} [wide]
 * @property {(ok: boolean) => void} resolve
 */

/** @type {ConfirmRequest | null} */
let pending = null;
/** @type {Set<(r: ConfirmRequest | null) => void>} */
const listeners = new Set();
const show = (/** @type {ConfirmRequest | null} */ r) => {
  pending = r;
  listeners.forEach((l) => l(r));
};

/**
 * Asks a question in a dialog; resolves true when confirmed.
 * @param {Omit<ConfirmRequest, 'resolve'>} q
 * @returns {Promise<boolean>}
 */
export function confirmDialog(q) {
  pending?.resolve(false);
  return new Promise((resolve) => show({ ...q, resolve }));
}

/** Renders the question confirmDialog() asks; put one in each page. */
export function DialogHost() {
  const [req, setReq] = useState(pending);
  useEffect(() => {
    listeners.add(setReq);
    return () => void listeners.delete(setReq);
  }, []);
  if (!req) return null;
  const answer = (/** @type {boolean} */ ok) => {
    show(null);
    req.resolve(ok);
  };
  return html`<${Dialog} title=${req.title} wide=${req.wide} id="confirm-dialog" onClose=${() => answer(false)}>
    ${req.body}
    <div class="dialog-actions">
      <button type="button" class="btn" onClick=${() => answer(false)}>${t('common.cancel')}</button>
      <button type="button" class=${'btn ' + (req.tone || 'primary')} id="confirm-ok" onClick=${() => answer(true)}>${req.confirmLabel || t('common.confirm')}</button>
    </div>
  <//>`;
}
