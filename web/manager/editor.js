// @ts-check
// The script editor: YAML in CodeMirror 6 with the checker's findings as lint marks at their lines, the
// findings listed with their fixes, the graph, a try-it chat, versions, changes and the audit log. Saving,
// discarding, publishing (after a confirmation that shows the changes) and rolling back; a banner says how
// the last action went and clears when the next one succeeds.
import { html, useEffect, useRef, useState } from '../build/preact.js';
import { EditorState, EditorView, basicSetup, indentWithTab, keymap, lintGutter, setDiagnostics, yaml } from '../build/codemirror.js';
import { api } from '../shared/api.js';
import { errorMessage, fmt, t } from '../shared/i18n.js';
import { toast } from '../shared/components/toasts.js';
import { confirmDialog } from '../shared/components/dialog.js';
import { FlowGraph } from './graph.js';
import { TryIt } from './tryit.js';

/**
 * @typedef {{ severity: 'error' | 'warning' | 'info', line?: number, state?: string, rule: string, message: string, fix: string }} Issue
 * @typedef {{ failures: { file: string, conversation: string, turn?: number, message: string }[], untested: string[], file?: string, covered: number, total: number }} Tests
 * @typedef {{ issues: Issue[], graph: import('./graph.js').FlowGraph, tests?: Tests, text: string }} Check
 * @typedef {{ from: number, to: number, added: number, removed: number, lines: { op: ' ' | '+' | '-', a?: number, b?: number, text: string }[] }} Diff
 */

/** A diff as a table, unchanged lines far from any change folded. @param {{ d: Diff }} props */
export function DiffTable({ d }) {
  /** @type {any[]} */
  const rows = [];
  let skipped = 0;
  const fold = (/** @type {number} */ key) => rows.push(html`<tr key=${'fold' + key} class="fold"><td colspan="4">${t('ed.folded', { n: skipped })}</td></tr>`);
  d.lines.forEach((l, i) => {
    const near = d.lines.slice(Math.max(0, i - 3), i + 4).some((x) => x.op !== ' ');
    if (l.op === ' ' && !near) return void skipped++;
    if (skipped) (fold(i), (skipped = 0));
    rows.push(html`<tr key=${i} class=${l.op === '+' ? 'add' : l.op === '-' ? 'del' : ''}><td class="ln">${l.a || ''}</td><td class="ln">${l.b || ''}</td><td class="op">${l.op}</td><td class="txt">${l.text}</td></tr>`);
  });
  if (skipped) fold(-1);
  return html`<div class="diff-view">
    <div class="diff-head"><b>v${d.from} → v${d.to}</b><span class="badge green">+${d.added}</span><span class="badge red">−${d.removed}</span></div>
    <table class="diff"><tbody>${rows}</tbody></table>
  </div>`;
}

/** @param {{ flowId: string, from?: number, to?: number, hasDraft: boolean }} props */
function Changes({ flowId, from, to, hasDraft }) {
  const [d, setD] = useState(/** @type {Diff | null} */ (null));
  useEffect(() => {
    if (from === undefined && !hasDraft) return;
    api(`/api/flows/${flowId}/diff${from !== undefined ? `?from=${from}&to=${to}` : ''}`).then(setD, (err) => toast(errorMessage(err), 'red'));
  }, [flowId, from, to, hasDraft]);
  if (from === undefined && !hasDraft) return html`<div class="empty">${t('ed.noDraftDiff')}</div>`;
  return d ? html`<${DiffTable} d=${d} />` : html`<div class="muted">${t('common.loading')}</div>`;
}

/** @param {{ flowId: string }} props */
function Audit({ flowId }) {
  const [events, setEvents] = useState(/** @type {any[] | null} */ (null));
  useEffect(() => {
    api(`/api/flows/audit?flowId=${flowId}`).then((r) => setEvents(r.events), (err) => toast(errorMessage(err), 'red'));
  }, [flowId]);
  if (!events) return html`<div class="muted">${t('common.loading')}</div>`;
  return html`<ol class="audit">${events.map(
    (e) => html`<li>
      <span class="muted small mono">${fmt().dateTime(e.at)}</span> <b>${e.actor}</b> ${t(/** @type {any} */ (`audit.${e.action}`))} <span class="mono">v${e.detail.version}</span>
      ${e.detail.previous && html`<span class="muted">${t('ed.was', { n: e.detail.previous })}</span>`}
      ${e.detail.errors ? html`<span class="badge red">${t('ed.errorCount', { n: e.detail.errors })}</span>` : null}
      ${e.detail.reasons && html`<span class="muted"> — ${e.detail.reasons.join('; ')}</span>`}
    </li>`,
  )}</ol>`;
}

/** The line of a state's definition ("  greet:"), for findings that name a state but no line. @param {string} text @param {string} [state] */
function lineOfState(text, state) {
  if (!state) return undefined;
  const i = text.split('\n').findIndex((l) => new RegExp(`^\\s{2}${state.replace(/[^a-z0-9_]/gi, '')}:\\s*$`).test(l));
  return i < 0 ? undefined : i + 1;
}

/**
 * What a flow that extends a base takes from it and what it changes itself; the graph marks each state.
 * @param {{ inh: import('./graph.js').GraphInheritance }} props
 */
function InheritancePanel({ inh }) {
  /** @param {import('../shared/i18n.js').MessageKey} key @param {string[]} items */
  const row = (key, items) => items.length > 0 && html`<div class="inh-row" data-inh=${key}><span class="inh-key">${t(key)}</span><span class="mono">${items.join(', ')}</span></div>`;
  const changed = inh.overridden.map((o) => `${o.state} (${[...o.keys, ...o.triggers.map((x) => 'on.' + x)].join(', ') || '—'})`);
  return html`<section class="inheritance" id="inheritance">
    <div class="inh-head"><b>${t('inh.title', { base: inh.base, n: inh.baseVersion })}</b><a class="btn small" href=${`#/flows/${inh.base}`}>${t('inh.openBase', { base: inh.base })}</a></div>
    <p class="muted">${t('inh.summary', { n: inh.inherited, base: inh.base })}</p>
    ${row('inh.flowKeys', inh.flowKeys)}${row('inh.phrases', inh.phrases)}${row('inh.shared', inh.sharedTriggers)}
    ${row('inh.overridden', changed)}${row('inh.added', inh.added)}${row('inh.removed', inh.removed)}
    <div class="inh-legend"><span class="muted">${t('inh.legend')}：</span><span class="sw inherited"></span>${t('inh.inherited')}<span class="sw overridden"></span>${t('inh.override')}<span class="sw added"></span>${t('inh.new')}</div>
  </section>`;
}

/** @param {Check} c */
function statusOf(c) {
  const errors = c.issues.filter((i) => i.severity === 'error').length;
  const warnings = c.issues.length - errors;
  const tests = c.tests;
  if (errors) return { bad: true, text: warnings ? t('ed.errorsWarnings', { n: errors, w: warnings }) : t('ed.errors', { n: errors }) };
  if (tests && tests.failures.length) return { bad: true, text: t('ed.testsFailing', { n: tests.failures.length }) };
  return { bad: false, text: tests ? t('ed.noErrorsCoverage', { covered: tests.covered, total: tests.total }) : t('ed.noErrors') };
}

/** @param {{ check: Check, onJump: (line: number | undefined) => void }} props */
function Findings({ check, onJump }) {
  const tests = check.tests;
  return html`<ol class="issues" id="issues">
    ${!check.issues.length && html`<li class="issue ok">${t('ed.noProblems')}</li>`}
    ${check.issues.map((i, n) => {
      const where = [i.line ? t('ed.line', { n: i.line }) : null, i.state ? t('ed.state', { id: i.state }) : null].filter(Boolean).join(' · ');
      const go = () => onJump(i.line || lineOfState(check.text, i.state));
      return html`<li key=${n} class=${'issue ' + i.severity} tabindex="0" onClick=${go} onKeyDown=${(/** @type {KeyboardEvent} */ e) => e.key === 'Enter' && go()}>
        <div class="issue-top"><span class=${'badge ' + (i.severity === 'error' ? 'red' : 'orange')}>${t(/** @type {any} */ (`sev.${i.severity}`))}</span><span class="where mono">${where}</span><span class="rule muted mono">${i.rule}</span></div>
        <div class="issue-msg">${i.message}</div>
        <div class="issue-fix"><b>${t('ed.fix')}</b>${i.fix}</div>
      </li>`;
    })}
    ${tests?.failures.map(
      (f, n) => html`<li key=${'f' + n} class="issue error"><div class="issue-top"><span class="badge red">${t('ed.test')}</span><span class="where mono">${f.file} · ${f.conversation}${f.turn ? ' · ' + t('ed.turn', { n: f.turn }) : ''}</span></div><div class="issue-msg">${f.message}</div></li>`,
    )}
    ${tests &&
    tests.untested.length > 0 &&
    html`<li class="issue info"><div class="issue-msg">${t('ed.untested', { n: tests.untested.length, file: tests.file || t('ed.anyTestFile') })}<span class="mono">${tests.untested.slice(0, 8).join(', ')}${tests.untested.length > 8 ? '…' : ''}</span></div></li>`}
  </ol>`;
}

/**
 * How conversations went at each state of one version, on its graph: reached, dropped with no reply,
 * waiting, handed off. @param {{ flowId: string, versions: any[], published: number }} props
 */
function StepFigures({ flowId, versions, published }) {
  const saved = versions.filter((v) => v.status !== 'draft').map((v) => v.version);
  const [version, setVersion] = useState(published);
  const [data, setData] = useState(/** @type {any} */ (null));
  useEffect(() => {
    setData(null);
    api(`/api/flows/${flowId}/versions/${version}/steps`).then(setData, (err) => toast(errorMessage(err), 'red'));
  }, [flowId, version]);
  return html`<div class="steps">
    <div class="steps-head">
      <label class="field inline">${t('steps.version')}
        <select id="steps-version" value=${version} onChange=${(/** @type {Event} */ e) => setVersion(Number(/** @type {HTMLSelectElement} */ (e.currentTarget).value))}>${saved.map((v) => html`<option value=${v}>v${v}</option>`)}</select>
      </label>
      ${data && html`<span class="muted" id="steps-count">${data.conversations ? t('steps.conversations', { n: data.conversations }) : t('steps.none')}</span>`}
    </div>
    <p class="muted small">${t('steps.intro')}</p>
    ${data ? html`<${FlowGraph} graph=${data.graph} steps=${data.states} onPick=${() => undefined} />` : html`<div class="muted">${t('common.loading')}</div>`}
  </div>`;
}

const TABS = /** @type {const} */ (['graph', 'steps', 'try', 'versions', 'changes', 'audit']);

/** The editor's look, inside its shadow root (the page's style sheets do not reach it; its custom properties do). */
const EDITOR_THEME = EditorView.theme({
  '&': { height: '100%', backgroundColor: '#fbfcfd', color: 'var(--ink)' },
  '&.cm-focused': { outline: 'none' },
  '.cm-scroller': { fontFamily: 'var(--mono)', fontSize: '12.5px', lineHeight: '19px' },
  '.cm-gutters': { backgroundColor: '#f3f5f8', borderRight: '1px solid var(--line)', color: '#98a2b3' },
  '.cm-lintRange-error': { backgroundImage: 'none', textDecoration: 'underline wavy var(--danger)', textUnderlineOffset: '3px' },
  '.cm-tooltip-lint': { maxWidth: '520px', whiteSpace: 'pre-wrap', fontFamily: 'var(--font)' },
});

/** @param {{ flowId: string }} props */
export function FlowEditor({ flowId }) {
  const [data, setData] = useState(/** @type {any} */ (null));
  const [dirty, setDirty] = useState(false);
  const [check, setCheck] = useState(/** @type {Check | null} */ (null));
  const [checking, setChecking] = useState(false);
  const [notice, setNotice] = useState(/** @type {{ kind: 'success' | 'error', content: any } | null} */ (null));
  const [tab, setTab] = useState(/** @type {(typeof TABS)[number]} */ ('graph'));
  const [tried, setTried] = useState(false);
  const [compare, setCompare] = useState(/** @type {{ from: number, to: number } | undefined} */ (undefined));
  const [error, setError] = useState(/** @type {string | null} */ (null));
  const host = useRef(/** @type {HTMLDivElement | null} */ (null));
  const view = useRef(/** @type {EditorView | null} */ (null));
  const timer = useRef(/** @type {ReturnType<typeof setTimeout> | undefined} */ (undefined));
  const seq = useRef(0);
  const savedRef = useRef('');

  const text = () => view.current?.state.doc.toString() ?? '';

  /** Shows a check's findings as lint marks, if it is of the text now in the editor. @param {Check} c */
  const mark = (c) => {
    const v = view.current;
    if (!v || v.state.doc.toString() !== c.text) return;
    const doc = v.state.doc;
    const diagnostics = c.issues
      .map((i) => ({ i, line: i.line || lineOfState(c.text, i.state) }))
      .filter((x) => x.line && x.line <= doc.lines)
      .map(({ i, line }) => {
        const l = doc.line(/** @type {number} */ (line));
        return { from: l.from, to: l.to, severity: i.severity, message: `${i.message}\n${t('ed.fix')}${i.fix}`, source: i.rule };
      });
    v.dispatch(setDiagnostics(v.state, diagnostics));
  };

  const runCheck = async () => {
    const mine = ++seq.current;
    const yamlText = text();
    setChecking(true);
    try {
      const r = await api('/api/flows/check', { method: 'POST', body: { yaml: yamlText, flowId } });
      if (mine !== seq.current) return;
      const c = { ...r, text: yamlText };
      setCheck(c);
      mark(c);
    } catch (err) {
      if (mine === seq.current) toast(errorMessage(err), 'red');
    } finally {
      if (mine === seq.current) setChecking(false);
    }
  };

  /** @param {boolean} [replaceText] */
  const load = async (replaceText = true) => {
    const d = await api(`/api/flows/${flowId}`);
    setData(d);
    savedRef.current = d.flow.yaml;
    if (replaceText) replaceDoc(d.flow.yaml);
    setDirty(text() !== d.flow.yaml);
    return d;
  };

  /** Puts the text in the editor changing only what differs (the saved draft's version line), so the cursor and scroll stay. @param {string} next */
  const replaceDoc = (next) => {
    const v = view.current;
    if (!v) return;
    const cur = v.state.doc.toString();
    if (cur === next) return;
    let start = 0;
    while (start < cur.length && start < next.length && cur[start] === next[start]) start++;
    let end = 0;
    while (end < cur.length - start && end < next.length - start && cur[cur.length - 1 - end] === next[next.length - 1 - end]) end++;
    v.dispatch({ changes: { from: start, to: cur.length - end, insert: next.slice(start, next.length - end) } });
  };

  useEffect(() => {
    load().then(
      (d) => {
        if (!host.current) return;
        // In a shadow root: CodeMirror then styles itself with constructed style sheets, which the page's CSP
        // (style-src 'self', nothing inline) allows; in the document it would need an inline <style>.
        const shadow = host.current.shadowRoot ?? host.current.attachShadow({ mode: 'open' });
        const mount = document.createElement('div');
        mount.style.height = '100%';
        shadow.replaceChildren(mount);
        view.current = new EditorView({
          parent: mount,
          root: shadow,
          state: EditorState.create({
            doc: d.flow.yaml,
            extensions: [
              basicSetup,
              yaml(),
              lintGutter(),
              keymap.of([indentWithTab]),
              EditorState.tabSize.of(2),
              EDITOR_THEME,
              EditorView.contentAttributes.of({ 'aria-label': t('ed.yamlLabel'), spellcheck: 'false', autocapitalize: 'off', lang: 'en' }),
              EditorView.updateListener.of((u) => {
                if (!u.docChanged) return;
                setDirty(u.state.doc.toString() !== savedRef.current);
                clearTimeout(timer.current);
                timer.current = setTimeout(runCheck, 400);
              }),
            ],
          }),
        });
        // load() ran before the editor existed, when its empty text looked like an unsaved change.
        setDirty(false);
        const c = { issues: d.issues, graph: d.graph, text: d.flow.yaml };
        setCheck(c);
        mark(c);
        void runCheck();
      },
      (err) => setError(errorMessage(err)),
    );
    return () => {
      clearTimeout(timer.current);
      view.current?.destroy();
      view.current = null;
    };
  }, [flowId]);

  /** A state's definition in the text; a state taken from the base has none here, so say where it is. @param {string} state */
  const pickState = (state) => {
    const line = lineOfState(text(), state);
    const inh = check?.graph?.inheritance;
    if (!line && inh && check?.graph?.nodes.some((n) => n.id === state && n.origin === 'inherited')) toast(t('inh.inheritedState', { state, base: inh.base }));
    else jump(line);
  };

  /** @param {number | undefined} line */
  const jump = (line) => {
    const v = view.current;
    if (!v || !line || line > v.state.doc.lines) return;
    const l = v.state.doc.line(line);
    // The line's content, without its indentation.
    const from = l.from + (l.text.length - l.text.trimStart().length);
    v.dispatch({ selection: { anchor: from, head: l.to }, scrollIntoView: true });
    v.focus();
  };

  /** @param {() => Promise<void>} fn */
  const action = async (fn) => {
    try {
      await fn();
    } catch (err) {
      setNotice({ kind: 'error', content: errorMessage(err) });
    }
  };

  const saveDraft = async () => {
    const r = await api(`/api/flows/${flowId}/draft`, { method: 'PUT', body: { yaml: text() } });
    // The server writes the draft's version into its "version:" line: the editor shows what was saved.
    await load(true);
    return r;
  };

  const onSave = () =>
    action(async () => {
      const r = await saveDraft();
      setNotice(null);
      toast(t('ed.saved', { n: r.version }));
    });

  const onDiscard = () =>
    action(async () => {
      if (!(await confirmDialog({ title: t('ed.discardTitle'), body: html`<p>${t('ed.confirmDiscard')}</p>`, confirmLabel: t('ed.discard'), tone: 'danger' }))) return;
      if (data.flow.draftVersion) await api(`/api/flows/${flowId}/draft`, { method: 'DELETE' });
      await load(true);
      setNotice(null);
      toast(t('ed.discarded'));
    });

  const refusal = (/** @type {Check} */ c) =>
    html`<ul class="reasons">
      ${c.issues.filter((i) => i.severity === 'error').map((i) => html`<li>${i.state ? i.state + ': ' : ''}${i.message} — ${i.fix}</li>`)}
      ${(c.tests?.failures ?? []).map((f) => html`<li>${t('ed.test')} "${f.conversation}"${f.turn ? ' ' + t('ed.turn', { n: f.turn }) : ''}: ${f.message}</li>`)}
    </ul>`;

  const onPublish = () =>
    action(async () => {
      if (dirty) await saveDraft();
      /** @type {Diff} */
      const d = await api(`/api/flows/${flowId}/diff`);
      const ok = await confirmDialog({
        title: t('ed.publishTitle', { flow: flowId, n: d.to }),
        body: html`<p>${t('ed.publishBody', { n: d.to, from: d.from })}</p><${DiffTable} d=${d} />`,
        confirmLabel: t('ed.publishConfirm'),
        wide: true,
      });
      if (!ok) return;
      try {
        const r = await api(`/api/flows/${flowId}/publish`, { method: 'POST' });
        await load(false);
        setNotice({ kind: 'success', content: html`<b>${t('ed.publishedOk', { flow: flowId, n: r.version })}</b> ${t('ed.publishedDetail', { n: r.version, prev: r.previous })}` });
      } catch (err) {
        if (/** @type {{ id?: string }} */ (err).id !== 'publish_refused') throw err;
        // The reasons are the checker's and the tests' findings on the saved draft: shown here and in the list.
        const r = await api('/api/flows/check', { method: 'POST', body: { yaml: text(), flowId } });
        const c = { ...r, text: text() };
        setCheck(c);
        mark(c);
        await load(false);
        setNotice({ kind: 'error', content: html`<b>${errorMessage(err)}</b> ${t('ed.fixThese')}${refusal(c)}` });
      }
    });

  const onRollback = (/** @type {number} */ version) =>
    action(async () => {
      if (!(await confirmDialog({ title: t('ed.rollbackTitle', { n: version }), body: html`<p>${t('ed.rollbackConfirm', { n: version })}</p>`, confirmLabel: t('ed.rollback', { n: version }) }))) return;
      await api(`/api/flows/${flowId}/rollback`, { method: 'POST', body: { version } });
      await load(!dirty);
      setNotice({ kind: 'success', content: t('ed.rolledBack', { n: version }) });
    });

  if (error) return html`<div class="page"><div class="alert error page-error">${error}</div></div>`;
  const flow = data?.flow;
  const status = check ? statusOf(check) : null;
  const show = (/** @type {(typeof TABS)[number]} */ k) => {
    setTab(k);
    if (k === 'try') setTried(true);
    if (k !== 'changes') setCompare(undefined);
  };
  const tabName = { graph: t('tab.graph'), steps: t('tab.steps'), try: t('tab.try'), versions: t('tab.versions'), changes: t('tab.changes'), audit: t('tab.audit') };

  return html`<div class="page editor-page">
    <div class="page-head">
      <div>
        <a href="#/flows" class="back">${t('ed.back')}</a>
        <div class="title-row">
          <h1>${flowId}</h1>
          ${flow &&
          html`<div class="badges">
            <span class="muted">${flow.title}</span>
            <span class="badge green" id="published-badge">${t('ed.publishedBadge', { n: flow.publishedVersion })}</span>
            ${flow.draftVersion && html`<span class="badge orange" id="draft-badge">${t('ed.draftBadge', { n: flow.draftVersion })}</span>`}
            ${dirty && html`<span class="badge blue" id="unsaved-badge">${t('ed.unsaved')}</span>`}
          </div>`}
        </div>
      </div>
      <div class="actions">
        <button class="btn" type="button" id="save-draft" disabled=${!dirty} onClick=${onSave}>${t('ed.save')}</button>
        <button class="btn" type="button" id="discard" disabled=${!flow?.draftVersion && !dirty} onClick=${onDiscard}>${t('ed.discard')}</button>
        <a class="btn" href=${`/api/flows/${flowId}/export`} download=${`${flowId}.yaml`}>${t('ed.export')}</a>
        <button class="btn primary" type="button" id="publish" disabled=${!flow?.draftVersion && !dirty} onClick=${onPublish}>${t('ed.publish')}</button>
      </div>
    </div>
    <div class="notice" id="notice">${notice && html`<div class=${'alert ' + notice.kind} role=${notice.kind === 'error' ? 'alert' : 'status'}>${notice.content}</div>`}</div>
    <div class="editor-grid">
      <section class="card editor-card">
        <div class="card-head"><h2>${t('ed.yaml')}</h2>
          <span class=${'check-status' + (checking ? '' : status ? (status.bad ? ' bad' : ' good') : '')} id="check-status" role="status">${checking ? t('ed.checking') : status?.text}</span>
        </div>
        <div class="code" id="yaml" ref=${host}></div>
        <div class="issues-head"><h3>${t('ed.checker')}</h3></div>
        ${check && html`<${Findings} check=${check} onJump=${jump} />`}
      </section>
      <section class="card side-card">
        <div class="side-tabs" role="tablist">
          ${TABS.map((k) => html`<button key=${k} type="button" role="tab" data-tab=${k} aria-selected=${tab === k} class=${tab === k ? 'active' : ''} onClick=${() => show(k)}>${tabName[k]}</button>`)}
        </div>
        <div class=${'panel graph-panel' + (tab === 'graph' ? '' : ' hidden')} id="graph">
          ${check?.graph?.inheritance && html`<${InheritancePanel} inh=${check.graph.inheritance} />`}
          <${FlowGraph} graph=${check?.graph ?? null} onPick=${pickState} />
        </div>
        <div class=${'panel' + (tab === 'try' ? '' : ' hidden')} id="try">${tried && html`<${TryIt} flowId=${flowId} getYaml=${text} />`}</div>
        ${tab === 'versions' &&
        flow &&
        html`<div class="panel" id="versions"><ol class="versions">
          ${flow.versions.map(
            (/** @type {any} */ v) => html`<li key=${v.version} data-version=${v.version}>
              <div class="v-top"><b class="mono">v${v.version}</b><span class=${'badge ' + (v.status === 'published' ? 'green' : v.status === 'draft' ? 'orange' : '')}>${t(/** @type {any} */ (`vs.${v.status}`))}</span>${v.source === 'seed' && html`<span class="badge">${t('ed.fromFlows')}</span>`}</div>
              <div class="muted small">${v.publishedAt ? t('ed.publishedBy', { who: v.publishedBy, when: fmt().dateTime(v.publishedAt) }) : t('ed.savedBy', { who: v.createdBy, when: fmt().dateTime(v.updatedAt) })}</div>
              <div class="v-actions">
                ${v.status !== 'published' && html`<button class="btn small" type="button" onClick=${() => (setTab('changes'), setCompare({ from: flow.publishedVersion, to: v.version }))}>${t('ed.compare')}</button>`}
                <a class="btn small" href=${`/api/flows/${flowId}/export?version=${v.version}`} download=${`${flowId}.v${v.version}.yaml`}>${t('ed.exportVersion')}</a>
                ${v.status === 'earlier' && html`<button class="btn small" type="button" onClick=${() => onRollback(v.version)}>${t('ed.rollback', { n: v.version })}</button>`}
              </div>
            </li>`,
          )}
        </ol></div>`}
        ${tab === 'steps' && flow && html`<div class="panel graph-panel" id="steps"><${StepFigures} flowId=${flowId} versions=${flow.versions} published=${flow.publishedVersion} /></div>`}
        ${tab === 'changes' && html`<div class="panel" id="changes"><${Changes} flowId=${flowId} from=${compare?.from} to=${compare?.to} hasDraft=${!!flow?.draftVersion} /></div>`}
        ${tab === 'audit' && html`<div class="panel" id="audit"><${Audit} flowId=${flowId} /></div>`}
      </section>
    </div>
  </div>`;
}
