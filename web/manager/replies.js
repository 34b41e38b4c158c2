// @ts-check
// The desk's canned replies, per citizen language: add, edit, delete. Placeholders are filled for each case.
import { html, useEffect, useState } from '../build/preact.js';
import { api } from '../shared/api.js';
import { errorMessage, label, t } from '../shared/i18n.js';
import { toast } from '../shared/components/toasts.js';
import { confirmDialog } from '../shared/components/dialog.js';

/** @typedef {{ id: string, locale: string, title: string, body: string, position: number }} Reply */

/** @param {{ reply: Reply, onChanged: () => void }} props */
function ReplyRow({ reply, onChanged }) {
  const [title, setTitle] = useState(reply.title);
  const [body, setBody] = useState(reply.body);
  const dirty = title !== reply.title || body !== reply.body;
  const save = async (/** @type {Event} */ e) => {
    e.preventDefault();
    try {
      await api(`/api/canned-replies/${reply.id}`, { method: 'PUT', body: { title, body } });
      toast(t('replies.saved'));
      onChanged();
    } catch (err) {
      toast(errorMessage(err), 'red');
    }
  };
  const remove = async () => {
    if (!(await confirmDialog({ title: t('replies.delete'), body: html`<p>${t('replies.deleteConfirm', { title: reply.title })}</p>`, confirmLabel: t('replies.delete'), tone: 'danger' }))) return;
    try {
      await api(`/api/canned-replies/${reply.id}`, { method: 'DELETE' });
      toast(t('replies.deleted'));
      onChanged();
    } catch (err) {
      toast(errorMessage(err), 'red');
    }
  };
  return html`<form class="reply-row card" data-reply-id=${reply.id} onSubmit=${save}>
    <label class="field">${t('replies.titleField')}<input value=${title} maxlength="60" onInput=${(/** @type {Event} */ e) => setTitle(/** @type {HTMLInputElement} */ (e.currentTarget).value)} /></label>
    <label class="field wide">${t('replies.body')}<textarea rows="3" maxlength="1000" value=${body} onInput=${(/** @type {Event} */ e) => setBody(/** @type {HTMLTextAreaElement} */ (e.currentTarget).value)}></textarea></label>
    <div class="row-actions"><button class="btn primary" type="submit" disabled=${!dirty}>${t('replies.save')}</button><button class="btn" type="button" onClick=${remove}>${t('replies.delete')}</button></div>
  </form>`;
}

export function CannedReplies() {
  const [data, setData] = useState(/** @type {{ placeholders: string[], replies: Reply[] } | null} */ (null));
  const [draft, setDraft] = useState({ locale: 'zh', title: '', body: '' });
  const load = () => api('/api/canned-replies').then(setData, (err) => toast(errorMessage(err), 'red'));
  useEffect(() => void load(), []);
  const add = async (/** @type {Event} */ e) => {
    e.preventDefault();
    try {
      await api('/api/canned-replies', { method: 'POST', body: draft });
      setDraft({ ...draft, title: '', body: '' });
      toast(t('replies.added'));
      await load();
    } catch (err) {
      toast(errorMessage(err), 'red');
    }
  };
  return html`<div class="page replies-page">
    <div class="page-head"><div><h1>${t('replies.title')}</h1><p class="muted">${t('replies.intro', { placeholders: (data?.placeholders ?? []).map((p) => `{${p}}`).join(' ') })}</p></div></div>
    ${data &&
    ['zh', 'en'].map(
      (loc) => html`<section key=${loc}><h2 class="section-title">${t('replies.locale')}：${label('language', loc)}</h2>
        ${data.replies.filter((r) => r.locale === loc).map((r) => html`<${ReplyRow} key=${r.id + r.title + r.body} reply=${r} onChanged=${load} />`)}
        ${!data.replies.some((r) => r.locale === loc) && html`<p class="muted">${t('replies.empty')}</p>`}
      </section>`,
    )}
    <form class="reply-row card new" id="new-reply" onSubmit=${add}>
      <label class="field">${t('replies.locale')}<select value=${draft.locale} onChange=${(/** @type {Event} */ e) => setDraft({ ...draft, locale: /** @type {HTMLSelectElement} */ (e.currentTarget).value })}>
        <option value="zh">${label('language', 'zh')}</option><option value="en">${label('language', 'en')}</option></select></label>
      <label class="field">${t('replies.titleField')}<input name="title" value=${draft.title} maxlength="60" required onInput=${(/** @type {Event} */ e) => setDraft({ ...draft, title: /** @type {HTMLInputElement} */ (e.currentTarget).value })} /></label>
      <label class="field wide">${t('replies.body')}<textarea name="body" rows="3" maxlength="1000" required value=${draft.body} onInput=${(/** @type {Event} */ e) => setDraft({ ...draft, body: /** @type {HTMLTextAreaElement} */ (e.currentTarget).value })}></textarea></label>
      <div class="row-actions"><button class="btn primary" type="submit" disabled=${!draft.title.trim() || !draft.body.trim()}>${t('replies.add')}</button></div>
    </form>
  </div>`;
}
