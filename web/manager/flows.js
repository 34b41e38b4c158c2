// Scripts: the list of flows, and the editor (YAML with live checking, graph, try it, versions, audit).
(function () {
  'use strict';
  const { api, h, toast } = window.Quanzu;
  const when = (iso) => (iso ? new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : '—');

  async function flowList(view) {
    const { flows } = await api('/api/flows');
    const rows = flows.map((f) =>
      h('tr', { 'data-flow': f.id },
        h('td', null, h('a', { href: `#/flows/${f.id}`, class: 'mono strong' }, f.id)),
        h('td', null, f.title),
        h('td', null, h('span', { class: 'badge green' }, `v${f.publishedVersion}`), h('span', { class: 'muted small' }, ' ' + when(f.publishedAt))),
        h('td', null, f.draftVersion ? [h('span', { class: 'badge orange' }, `draft v${f.draftVersion}`), h('span', { class: 'muted small' }, ` ${f.draftUpdatedBy} · ${when(f.draftUpdatedAt)}`)] : h('span', { class: 'muted' }, '—')),
        h('td', { class: 'num' }, f.versions),
        h('td', { class: 'num' }, h('a', { class: 'btn small', href: `#/flows/${f.id}` }, 'Open')),
      ),
    );
    view.appendChild(
      h('div', { class: 'page' },
        h('div', { class: 'page-head' }, h('div', null, h('h1', null, 'Dialogue scripts'), h('p', { class: 'muted' }, 'One script per scam type, plus the fallback, relative and return-contact scripts. Edit a draft, try it, and publish when the checker and the script\'s tests pass.'))),
        h('div', { class: 'card' }, h('table', { class: 'table' },
          h('thead', null, h('tr', null, h('th', null, 'Flow'), h('th', null, 'Title'), h('th', null, 'Published'), h('th', null, 'Draft'), h('th', { class: 'num' }, 'Versions'), h('th', null, ''))),
          h('tbody', null, rows))),
      ),
    );
    return null;
  }

  async function editor(view, flowId) {
    let data = await api(`/api/flows/${flowId}`);
    let saved = data.flow.yaml;
    let lastCheck = { issues: data.issues, graph: data.graph, ok: !data.issues.some((i) => i.severity === 'error') };
    let timer = null;
    let seq = 0;

    const title = h('h1', null);
    const badges = h('div', { class: 'badges' });
    const saveBtn = h('button', { class: 'btn', type: 'button', id: 'save-draft' }, 'Save draft');
    const discardBtn = h('button', { class: 'btn', type: 'button' }, 'Discard draft');
    const publishBtn = h('button', { class: 'btn primary', type: 'button', id: 'publish' }, 'Publish');
    const exportBtn = h('a', { class: 'btn', href: `/api/flows/${flowId}/export`, download: `${flowId}.yaml` }, 'Export YAML');
    const notice = h('div', { class: 'notice', id: 'notice' });
    const status = h('span', { class: 'check-status', id: 'check-status', role: 'status' });
    const gutter = h('div', { class: 'gutter', 'aria-hidden': 'true' });
    const text = h('textarea', { class: 'code-input', id: 'yaml', spellcheck: 'false', wrap: 'off', 'aria-label': 'Flow YAML', autocapitalize: 'off' });
    text.value = saved;
    const issuesBox = h('ol', { class: 'issues', id: 'issues' });
    const panels = { graph: h('div', { class: 'panel graph-panel', id: 'graph' }), try: h('div', { class: 'panel', id: 'try' }), versions: h('div', { class: 'panel' }), changes: h('div', { class: 'panel' }), audit: h('div', { class: 'panel' }) };
    const tabNames = { graph: 'Graph', try: 'Try it', versions: 'Versions', changes: 'Changes', audit: 'Audit log' };
    const tabs = h('div', { class: 'side-tabs', role: 'tablist' }, Object.keys(panels).map((k) => h('button', { type: 'button', role: 'tab', 'data-tab': k, onclick: () => show(k) }, tabNames[k])));

    view.appendChild(
      h('div', { class: 'page editor-page' },
        h('div', { class: 'page-head' },
          h('div', null, h('a', { href: '#/flows', class: 'back' }, '← All scripts'), h('div', { class: 'title-row' }, title, badges)),
          h('div', { class: 'actions' }, saveBtn, discardBtn, exportBtn, publishBtn)),
        notice,
        h('div', { class: 'editor-grid' },
          h('section', { class: 'card editor-card' },
            h('div', { class: 'card-head' }, h('h2', null, 'Script (YAML)'), status),
            h('div', { class: 'code' }, gutter, text),
            h('div', { class: 'issues-head' }, h('h3', null, 'Checker')),
            issuesBox),
          h('section', { class: 'card side-card' }, tabs, Object.values(panels))),
      ),
    );

    const trial = window.QM.tryIt(panels.try, flowId, () => text.value);
    let tried = false;

    function header() {
      title.textContent = `${data.flow.id}`;
      badges.textContent = '';
      badges.appendChild(h('span', { class: 'muted' }, data.flow.title));
      badges.appendChild(h('span', { class: 'badge green', id: 'published-badge' }, `published v${data.flow.publishedVersion}`));
      if (data.flow.draftVersion) badges.appendChild(h('span', { class: 'badge orange', id: 'draft-badge' }, `draft v${data.flow.draftVersion}`));
      const dirty = text.value !== saved;
      if (dirty) badges.appendChild(h('span', { class: 'badge blue' }, 'unsaved changes'));
      saveBtn.disabled = !dirty;
      discardBtn.disabled = !data.flow.draftVersion && !dirty;
      publishBtn.disabled = !data.flow.draftVersion && !dirty;
    }

    function show(k) {
      for (const b of tabs.children) b.classList.toggle('active', b.dataset.tab === k);
      for (const [name, p] of Object.entries(panels)) p.classList.toggle('hidden', name !== k);
      if (k === 'try' && !tried) {
        tried = true;
        trial.start();
      }
      if (k === 'versions') renderVersions();
      if (k === 'changes') renderDiff();
      if (k === 'audit') renderAudit();
    }

    function lineOfState(stateId) {
      const lines = text.value.split('\n');
      const i = lines.findIndex((l) => new RegExp(`^\\s{2}${stateId}:\\s*$`).test(l));
      return i < 0 ? undefined : i + 1;
    }

    function jumpTo(line) {
      if (!line) return;
      const lines = text.value.split('\n');
      let start = 0;
      for (let i = 0; i < line - 1 && i < lines.length; i++) start += lines[i].length + 1;
      const end = start + (lines[line - 1] || '').length;
      text.focus();
      text.setSelectionRange(start, end);
      const lh = parseFloat(getComputedStyle(text).lineHeight) || 18;
      text.scrollTop = Math.max(0, (line - 4) * lh);
      gutter.scrollTop = text.scrollTop;
    }

    function renderGutter() {
      const n = text.value.split('\n').length;
      const bad = new Map();
      for (const i of lastCheck.issues) if (i.line) bad.set(i.line, (bad.get(i.line) ? bad.get(i.line) + '\n' : '') + i.message);
      gutter.textContent = '';
      for (let i = 1; i <= n; i++) gutter.appendChild(h('div', { class: bad.has(i) ? 'err' : '', title: bad.get(i) || null }, i));
      gutter.scrollTop = text.scrollTop;
    }

    function renderIssues() {
      issuesBox.textContent = '';
      const tests = lastCheck.tests;
      if (!lastCheck.issues.length) issuesBox.appendChild(h('li', { class: 'issue ok' }, 'No problems found by the checker.'));
      for (const i of lastCheck.issues) {
        const where = [i.line ? `line ${i.line}` : null, i.state ? `state ${i.state}` : null].filter(Boolean).join(' · ');
        issuesBox.appendChild(
          h('li', { class: `issue ${i.severity}`, tabindex: '0', onclick: () => jumpTo(i.line || lineOfState(i.state)) },
            h('div', { class: 'issue-top' }, h('span', { class: 'badge ' + (i.severity === 'error' ? 'red' : 'orange') }, i.severity), h('span', { class: 'where mono' }, where), h('span', { class: 'rule muted mono' }, i.rule)),
            h('div', { class: 'issue-msg' }, i.message),
            h('div', { class: 'issue-fix' }, h('b', null, 'Fix: '), i.fix)),
        );
      }
      if (tests) {
        for (const f of tests.failures)
          issuesBox.appendChild(h('li', { class: 'issue error' }, h('div', { class: 'issue-top' }, h('span', { class: 'badge red' }, 'test'), h('span', { class: 'where mono' }, `${f.file} · ${f.conversation}${f.turn ? ' · turn ' + f.turn : ''}`)), h('div', { class: 'issue-msg' }, f.message)));
        if (tests.untested.length)
          issuesBox.appendChild(h('li', { class: 'issue info' }, h('div', { class: 'issue-msg' }, `${tests.untested.length} transition(s) not exercised by ${tests.file || 'any test file'}: `, h('span', { class: 'mono' }, tests.untested.slice(0, 8).join(', ') + (tests.untested.length > 8 ? '…' : '')))));
      }
    }

    function renderStatus() {
      const errors = lastCheck.issues.filter((i) => i.severity === 'error').length;
      const warnings = lastCheck.issues.length - errors;
      const t = lastCheck.tests;
      status.className = 'check-status ' + (errors || (t && t.failures.length) ? 'bad' : 'good');
      if (errors) status.textContent = `${errors} error${errors === 1 ? '' : 's'}${warnings ? `, ${warnings} warning(s)` : ''}`;
      else if (t && t.failures.length) status.textContent = `${t.failures.length} test conversation(s) failing`;
      else status.textContent = `No errors${t ? ` · tests cover ${t.covered}/${t.total} transitions` : ''}`;
    }

    function renderCheck() {
      renderGutter();
      renderIssues();
      renderStatus();
      window.QM.drawGraph(panels.graph, lastCheck.graph, (state) => jumpTo(lineOfState(state)));
    }

    async function check() {
      const mine = ++seq;
      status.className = 'check-status';
      status.textContent = 'Checking…';
      try {
        const r = await api('/api/flows/check', { method: 'POST', body: { yaml: text.value, flowId } });
        if (mine !== seq) return;
        lastCheck = r;
        renderCheck();
      } catch (err) {
        if (mine === seq) status.textContent = err.message;
      }
    }

    text.addEventListener('input', () => {
      header();
      renderGutter();
      clearTimeout(timer);
      timer = setTimeout(check, 400);
    });
    text.addEventListener('scroll', () => (gutter.scrollTop = text.scrollTop));
    text.addEventListener('keydown', (e) => {
      // Tab indents by two spaces, as YAML wants.
      if (e.key === 'Tab' && !e.shiftKey) {
        e.preventDefault();
        const s = text.selectionStart;
        text.setRangeText('  ', s, text.selectionEnd, 'end');
        text.dispatchEvent(new Event('input'));
      }
    });

    async function reload() {
      data = await api(`/api/flows/${flowId}`);
      saved = data.flow.yaml;
      text.value = saved;
      header();
      await check();
    }

    async function saveDraft() {
      const r = await api(`/api/flows/${flowId}/draft`, { method: 'PUT', body: { yaml: text.value } });
      toast(`Draft v${r.version} saved`);
      await reload();
      return r;
    }

    function say(kind, content) {
      notice.textContent = '';
      if (content) notice.appendChild(h('div', { class: `alert ${kind}` }, content));
    }

    saveBtn.addEventListener('click', () => saveDraft().catch((e) => say('error', e.message)));
    discardBtn.addEventListener('click', async () => {
      if (!confirm('Discard the draft and go back to the published version?')) return;
      try {
        if (data.flow.draftVersion) await api(`/api/flows/${flowId}/draft`, { method: 'DELETE' });
        say();
        await reload();
      } catch (e) {
        say('error', e.message);
      }
    });
    publishBtn.addEventListener('click', async () => {
      say();
      try {
        if (text.value !== saved) await saveDraft();
        const r = await api(`/api/flows/${flowId}/publish`, { method: 'POST' });
        say('success', [h('b', null, `Published ${flowId} v${r.version}.`), ` New conversations start on v${r.version}; conversations in progress finish on the version they began with (v${r.previous} or earlier).`]);
        await reload();
      } catch (err) {
        if (err.id !== 'publish_refused') return say('error', err.message);
        // The reasons are the checker's and the tests' findings on the saved draft: show them here and in the list.
        const r = await api('/api/flows/check', { method: 'POST', body: { yaml: text.value, flowId } });
        lastCheck = r;
        renderCheck();
        say('error', [h('b', null, err.message + '.'), ' Fix these, then publish again:', refusalList(r)]);
      }
    });

    function refusalList(d) {
      if (!d) return null;
      const items = [];
      for (const i of d.issues || []) if (i.severity === 'error') items.push(h('li', null, `${i.state ? i.state + ': ' : ''}${i.message} — ${i.fix}`));
      for (const f of (d.tests && d.tests.failures) || []) items.push(h('li', null, `test "${f.conversation}"${f.turn ? ' turn ' + f.turn : ''}: ${f.message}`));
      return h('ul', { class: 'reasons' }, items);
    }

    async function renderVersions() {
      const p = panels.versions;
      p.textContent = '';
      const list = h('ol', { class: 'versions' });
      for (const v of data.flow.versions) {
        const canRollBack = v.status === 'earlier';
        list.appendChild(
          h('li', { 'data-version': v.version },
            h('div', { class: 'v-top' }, h('b', { class: 'mono' }, `v${v.version}`), h('span', { class: 'badge ' + (v.status === 'published' ? 'green' : v.status === 'draft' ? 'orange' : '') }, v.status), v.source === 'seed' ? h('span', { class: 'badge' }, 'from flows/') : null),
            h('div', { class: 'muted small' }, v.publishedAt ? `published by ${v.publishedBy} · ${when(v.publishedAt)}` : `saved by ${v.createdBy} · ${when(v.updatedAt)}`),
            h('div', { class: 'v-actions' },
              v.status !== 'published' ? h('button', { class: 'btn small', type: 'button', onclick: () => (show('changes'), renderDiff(data.flow.publishedVersion, v.version)) }, 'Compare with published') : null,
              h('a', { class: 'btn small', href: `/api/flows/${flowId}/export?version=${v.version}`, download: `${flowId}.v${v.version}.yaml` }, 'Export'),
              canRollBack ? h('button', { class: 'btn small', type: 'button', onclick: () => rollback(v.version) }, `Roll back to v${v.version}`) : null)),
        );
      }
      p.appendChild(list);
    }

    async function rollback(version) {
      if (!confirm(`Publish v${version} again? New conversations will start on v${version}; conversations in progress keep their version.`)) return;
      try {
        await api(`/api/flows/${flowId}/rollback`, { method: 'POST', body: { version } });
        say('success', `Rolled back: new conversations start on v${version}.`);
        await reload();
        renderVersions();
      } catch (e) {
        say('error', e.message);
      }
    }

    async function renderDiff(from, to) {
      const p = panels.changes;
      p.textContent = '';
      if (from === undefined && !data.flow.draftVersion) {
        p.appendChild(h('div', { class: 'empty' }, 'No saved draft: save one to compare it with the published version.'));
        return;
      }
      const q = from !== undefined ? `?from=${from}&to=${to}` : '';
      const d = await api(`/api/flows/${flowId}/diff${q}`);
      p.appendChild(h('div', { class: 'diff-head' }, h('b', null, `v${d.from} → v${d.to}`), h('span', { class: 'badge green' }, `+${d.added}`), h('span', { class: 'badge red' }, `−${d.removed}`)));
      const table = h('table', { class: 'diff' });
      let skipped = 0;
      d.lines.forEach((l, i) => {
        // Unchanged lines far from any change are folded.
        const near = d.lines.slice(Math.max(0, i - 3), i + 4).some((x) => x.op !== ' ');
        if (l.op === ' ' && !near) return void skipped++;
        if (skipped) table.appendChild(h('tr', { class: 'fold' }, h('td', { colspan: '4' }, `… ${skipped} unchanged line(s)`))), (skipped = 0);
        table.appendChild(h('tr', { class: l.op === '+' ? 'add' : l.op === '-' ? 'del' : '' }, h('td', { class: 'ln' }, l.a || ''), h('td', { class: 'ln' }, l.b || ''), h('td', { class: 'op' }, l.op), h('td', { class: 'txt' }, l.text)));
      });
      if (skipped) table.appendChild(h('tr', { class: 'fold' }, h('td', { colspan: '4' }, `… ${skipped} unchanged line(s)`)));
      p.appendChild(table);
    }

    async function renderAudit() {
      const p = panels.audit;
      p.textContent = '';
      const { events } = await api(`/api/flows/audit?flowId=${flowId}`);
      const label = { flow_seeded: 'loaded from flows/', flow_draft_saved: 'saved a draft', flow_draft_discarded: 'discarded the draft', flow_published: 'published', flow_rolled_back: 'rolled back to', flow_publish_refused: 'tried to publish (refused)' };
      p.appendChild(
        h('ol', { class: 'audit' }, events.map((e) =>
          h('li', null, h('span', { class: 'muted small mono' }, when(e.at)), ' ', h('b', null, e.actor), ' ', label[e.action] || e.action, ' ', h('span', { class: 'mono' }, `v${e.detail.version}`),
            e.detail.previous ? h('span', { class: 'muted' }, ` (was v${e.detail.previous})`) : null,
            e.detail.errors ? h('span', { class: 'badge red' }, `${e.detail.errors} error(s)`) : null,
            e.detail.reasons ? h('span', { class: 'muted' }, ` — ${e.detail.reasons.join('; ')}`) : null))),
      );
    }

    header();
    renderCheck();
    show('graph');
    check();
    return () => clearTimeout(timer);
  }

  window.QM = window.QM || {};
  window.QM.flowList = flowList;
  window.QM.editor = editor;
})();
