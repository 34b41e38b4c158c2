// Shared by the consoles: the signed-in session, API calls with the CSRF token, safe DOM building.
(function () {
  'use strict';
  let csrfToken = null;

  function toLogin() {
    const next = location.pathname + location.search;
    location.href = '/login?next=' + encodeURIComponent(next);
  }

  class ApiError extends Error {
    constructor(status, body) {
      super((body && body.message) || 'request failed (' + status + ')');
      this.status = status;
      this.id = body && body.error;
    }
  }

  async function api(path, opts) {
    opts = opts || {};
    const method = opts.method || 'GET';
    const headers = { Accept: 'application/json' };
    if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
    if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
    const res = await fetch(path, { method, headers, credentials: 'same-origin', body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
    if (res.status === 401 && !opts.allow401) {
      toLogin();
      throw new ApiError(401, { message: 'signed out' });
    }
    if (res.status === 204) return null;
    const type = res.headers.get('content-type') || '';
    const body = type.includes('json') ? await res.json() : await res.text();
    if (!res.ok) throw new ApiError(res.status, body);
    return body;
  }

  /** The signed-in user, or a redirect to the login page. Roles: the roles allowed on this page. */
  async function requireSession(roles) {
    const s = await api('/api/session');
    csrfToken = s.csrfToken;
    if (roles && roles.indexOf(s.user.role) < 0 && s.user.role !== 'admin') {
      document.body.textContent = 'Your role (' + s.user.role + ') may not use this console.';
      throw new Error('forbidden');
    }
    return s.user;
  }

  async function logout() {
    try {
      await api('/api/session', { method: 'DELETE' });
    } finally {
      location.href = '/login';
    }
  }

  /** h('div', {class: 'x', onclick: fn}, 'text', child) — text is always set as text, never parsed as HTML. */
  function h(tag, attrs) {
    const el = document.createElement(tag);
    if (attrs) {
      for (const k of Object.keys(attrs)) {
        const v = attrs[k];
        if (v === undefined || v === null || v === false) continue;
        if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
        else if (k === 'class') el.className = v;
        else if (k === 'dataset') Object.assign(el.dataset, v);
        else if (k === 'value') el.value = v;
        else el.setAttribute(k, v === true ? '' : String(v));
      }
    }
    for (let i = 2; i < arguments.length; i++) append(el, arguments[i]);
    return el;
  }
  function append(el, c) {
    if (c === undefined || c === null || c === false) return;
    if (Array.isArray(c)) return c.forEach((x) => append(el, x));
    el.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
  }

  function toast(text, tone) {
    let box = document.querySelector('.toasts');
    if (!box) document.body.appendChild((box = h('div', { class: 'toasts', role: 'status', 'aria-live': 'polite' })));
    const t = h('div', { class: 'toast' + (tone ? ' ' + tone : '') }, text);
    box.appendChild(t);
    setTimeout(() => t.remove(), 6000);
  }

  window.Quanzu = { api, ApiError, requireSession, logout, h, toast, toLogin };
})();
