// @ts-check
// Writing to the citizen: the reply box, canned replies in the citizen's language (filled for the case),
// and sending with one Idempotency-Key per message, reused when the network makes the console try again.
// The box keeps its own text: live updates of the case re-render around it and never touch what is typed.
import { html, useEffect, useRef, useState } from '../build/preact.js';
import { api, newIdempotencyKey } from '../shared/api.js';
import { errorMessage, label, t } from '../shared/i18n.js';
import { toast } from '../shared/components/toasts.js';

/** @typedef {{ id: string, title: string, body: string, text: string }} CannedReply */

/**
 * @param {{
 *   caseId: string,
 *   channel: 'sms' | 'telegram',
 *   canWrite: boolean,
 *   onSent: () => void,
 *   inputRef: { current: HTMLTextAreaElement | null },
 * }} props
 */
export function Composer({ caseId, channel, canWrite, onSent, inputRef }) {
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [retrying, setRetrying] = useState(false);
  const [canned, setCanned] = useState(/** @type {CannedReply[]} */ ([]));
  // The key of the message being sent: kept after a failure, so pressing Send again is the same message.
  const pendingKey = useRef(/** @type {string | null} */ (null));
  const channelName = label('channel', channel);

  useEffect(() => {
    let live = true;
    api(`/api/desk/cases/${caseId}/canned-replies`).then(
      (r) => live && setCanned(r.replies),
      () => undefined,
    );
    return () => void (live = false);
  }, [caseId]);

  const edit = (/** @type {string} */ value) => {
    if (value !== text) pendingKey.current = null;
    setText(value);
  };

  const insert = (/** @type {CannedReply} */ r) => {
    const el = inputRef.current;
    const start = el ? el.selectionStart : text.length;
    const end = el ? el.selectionEnd : text.length;
    const next = text.slice(0, start) + r.text + text.slice(end);
    edit(next);
    requestAnimationFrame(() => {
      if (!el) return;
      el.focus();
      el.setSelectionRange(start + r.text.length, start + r.text.length);
    });
  };

  const send = async () => {
    const body = text.trim();
    if (!body || busy) return;
    pendingKey.current ??= newIdempotencyKey();
    setBusy(true);
    try {
      await api(`/api/desk/cases/${caseId}/messages`, { method: 'POST', body: { body }, idempotencyKey: pendingKey.current, onRetry: () => setRetrying(true) });
      pendingKey.current = null;
      setText('');
      toast(t('composer.queued', { channel: channelName }));
      onSent();
    } catch (err) {
      toast(errorMessage(err), 'red');
    } finally {
      setBusy(false);
      setRetrying(false);
    }
  };

  return html`<div class="composer">
    ${canned.length > 0 &&
    html`<div class="canned" aria-label=${t('composer.canned')}>
      <select id="canned" aria-label=${t('composer.canned')} value="" disabled=${!canWrite}
        onChange=${(/** @type {Event} */ e) => {
          const sel = /** @type {HTMLSelectElement} */ (e.currentTarget);
          const r = canned.find((c) => c.id === sel.value);
          sel.value = '';
          if (r) insert(r);
        }}>
        <option value="">${t('composer.cannedPick')}</option>
        ${canned.map((c) => html`<option key=${c.id} value=${c.id} title=${c.text}>${c.title}</option>`)}
      </select>
    </div>`}
    <textarea
      id="composer-text"
      ref=${inputRef}
      placeholder=${canWrite ? t('composer.placeholder', { channel: channelName }) : t('composer.claimFirst')}
      maxlength="1000"
      aria-label=${t('composer.label')}
      value=${text}
      onInput=${(/** @type {Event} */ e) => edit(/** @type {HTMLTextAreaElement} */ (e.currentTarget).value)}
      onKeyDown=${(/** @type {KeyboardEvent} */ e) => {
        if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
          e.preventDefault();
          send();
        }
      }}
    ></textarea>
    <div class="row">
      <span class="hint">${retrying ? t('composer.retrying') : t('composer.hint', { channel: channelName })}</span>
      <span class="count muted small">${text.length}/1000</span>
      <button class="btn primary" type="button" id="send" disabled=${!canWrite || busy || !text.trim()} onClick=${send}>${t('composer.send')}</button>
    </div>
  </div>`;
}
