// The managers' console shell: session, sections, hash routes.
(function () {
  'use strict';
  const { requireSession, logout } = window.Quanzu;
  const view = document.getElementById('view');
  let cleanup = null;

  async function route() {
    if (cleanup) cleanup();
    cleanup = null;
    const hash = location.hash || '#/flows';
    const section = hash.startsWith('#/reports') ? 'reports' : 'flows';
    for (const a of document.querySelectorAll('.tabs a')) a.classList.toggle('active', a.dataset.section === section);
    view.textContent = '';
    const m = /^#\/flows\/([a-z][a-z0-9_]*)$/.exec(hash);
    if (section === 'reports') cleanup = await window.QM.reports(view);
    else if (m) cleanup = await window.QM.editor(view, m[1]);
    else cleanup = await window.QM.flowList(view);
  }

  (async function start() {
    const user = await requireSession(['manager']);
    document.getElementById('who').textContent = user.displayName || user.username;
    document.getElementById('logout').addEventListener('click', logout);
    window.addEventListener('hashchange', () => route().catch(showError));
    await route().catch(showError);
  })();

  function showError(err) {
    view.textContent = '';
    view.appendChild(window.Quanzu.h('div', { class: 'alert error page-error' }, err.message || String(err)));
  }
})();
