// Reports: what happened to the warnings of a period, per day, scam type or script version; CSV export.
(function () {
  'use strict';
  const { api, h } = window.Quanzu;
  const COLORS = { warnings: '#94a3b8', reached: '#2563eb', answered: '#0ea5e9', dissuaded: '#16a34a', handedOff: '#f97316' };
  const REASONS = { already_paid: 'Already paid', mid_scam: 'Still in scam', request_human: 'Asked for officer', low_confidence: 'Not understood', distrust: 'Distrust', unreachable: 'Unreachable', review: 'Review', opted_out: 'Opted out', flow_error: 'Script error', other: 'Other' };
  const GROUPS = { day: 'Day', scam_type: 'Scam type', flow_version: 'Script version' };

  const fmtSecs = (s) => (s === null || s === undefined ? '—' : s < 60 ? `${s} s` : s < 3600 ? `${Math.floor(s / 60)} min ${s % 60 ? (s % 60) + ' s' : ''}`.trim() : `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`);
  const pct = (a, b) => (b ? `${Math.round((100 * a) / b)}%` : '—');
  const localDate = (d) => new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 10);

  async function reports(view) {
    const params = new URLSearchParams(location.hash.split('?')[1] || '');
    const today = new Date();
    const q = {
      from: params.get('from') || localDate(new Date(today.getTime() - 29 * 86400000)),
      to: params.get('to') || localDate(today),
      groupBy: params.get('groupBy') || 'day',
      flowId: params.get('flowId') || '',
    };
    const tz = -today.getTimezoneOffset();
    const { flows } = await api('/api/flows');

    const from = h('input', { type: 'date', value: q.from, 'aria-label': 'From' });
    const to = h('input', { type: 'date', value: q.to, 'aria-label': 'To' });
    const groupBy = h('select', { 'aria-label': 'Group by' }, Object.entries(GROUPS).map(([k, v]) => h('option', { value: k, selected: k === q.groupBy }, v)));
    const flow = h('select', { 'aria-label': 'Script' }, h('option', { value: '' }, 'All scripts'), flows.map((f) => h('option', { value: f.id, selected: f.id === q.flowId }, f.id)));
    const query = () => `from=${from.value}&to=${to.value}&groupBy=${groupBy.value}&tz=${tz}${flow.value ? `&flowId=${flow.value}` : ''}`;
    const csv = h('a', { class: 'btn', id: 'csv', href: `/api/reports.csv?${query()}` }, 'Export CSV');
    const form = h('form', { class: 'filters' },
      h('label', { class: 'field' }, 'From', from), h('label', { class: 'field' }, 'To', to), h('label', { class: 'field' }, 'Group by', groupBy), h('label', { class: 'field' }, 'Script', flow),
      h('button', { class: 'btn primary', type: 'submit' }, 'Show'), csv);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      location.hash = `#/reports?from=${from.value}&to=${to.value}&groupBy=${groupBy.value}${flow.value ? `&flowId=${flow.value}` : ''}`;
    });

    const r = await api(`/api/reports?${query()}`);
    csv.href = `/api/reports.csv?${query()}`;
    const t = r.total;
    const page = h('div', { class: 'page reports-page' },
      h('div', { class: 'page-head' }, h('div', null, h('h1', null, 'Reports'), h('p', { class: 'muted' }, `Warnings received ${r.from} to ${r.to}, and what became of each person warned.`))),
      form);
    view.appendChild(page);
    if (!t) {
      page.appendChild(h('div', { class: 'card empty-card' }, 'No warnings were received in this period.'));
      return null;
    }

    const tile = (label, value, sub, tone) => h('div', { class: 'kpi' + (tone ? ' ' + tone : '') }, h('div', { class: 'kpi-label' }, label), h('div', { class: 'kpi-value' }, value), h('div', { class: 'kpi-sub' }, sub || ''));
    page.appendChild(
      h('div', { class: 'kpis', id: 'kpis' },
        tile('Warnings received', t.warnings, `${t.people} people`),
        tile('People reached', t.reached, `${pct(t.reached, t.people)} · voice ${t.reachedByChannel.voice}, SMS ${t.reachedByChannel.sms}, Telegram ${t.reachedByChannel.telegram}`),
        tile('Answered', t.answered, `${pct(t.answered, t.reached)} of reached`),
        tile('Dissuaded', t.dissuaded, `${pct(t.dissuaded, t.answered)} of answered`, 'good'),
        tile('Handed off', t.handedOff, `${t.atRiskReplies} at-risk replies`),
        tile('Stop-payments', t.stopPayments, `${t.visits} in-person visits`, t.stopPayments ? 'bad' : ''),
        tile('Warning → first contact', fmtSecs(t.firstContact.median), `median · p90 ${fmtSecs(t.firstContact.p90)}`),
        tile('Warning → officer picks up', fmtSecs(t.humanPickup.median), `median · p90 ${fmtSecs(t.humanPickup.p90)}`),
      ),
    );

    const main = h('div', { class: 'chart-box', id: 'chart-main' });
    const reasons = h('div', { class: 'chart-box' });
    const channels = h('div', { class: 'chart-box' });
    page.appendChild(
      h('div', { class: 'report-grid' },
        h('section', { class: 'card wide' }, h('div', { class: 'card-head' }, h('h2', null, `By ${GROUPS[r.groupBy].toLowerCase()}`)), h('div', { class: 'card-body' }, main)),
        h('section', { class: 'card' }, h('div', { class: 'card-head' }, h('h2', null, 'Handed off, by reason')), h('div', { class: 'card-body' }, reasons)),
        h('section', { class: 'card' }, h('div', { class: 'card-head' }, h('h2', null, 'Reached, by channel')), h('div', { class: 'card-body' }, channels)),
      ),
    );
    window.QM.charts.groupedBars(main, {
      label: 'per group',
      categories: r.rows.map((x) => x.key),
      series: ['warnings', 'reached', 'answered', 'dissuaded', 'handedOff'].map((k) => ({ name: { warnings: 'Warnings', reached: 'Reached', answered: 'Answered', dissuaded: 'Dissuaded', handedOff: 'Handed off' }[k], color: COLORS[k], values: r.rows.map((x) => x[k]) })),
    });
    window.QM.charts.hBars(reasons, Object.entries(t.handoffsByReason).filter(([, v]) => v > 0).map(([k, v]) => ({ label: REASONS[k] || k, value: v })), '#f97316');
    window.QM.charts.hBars(channels, [['voice', 'Voice'], ['sms', 'SMS'], ['telegram', 'Telegram']].map(([k, l]) => ({ label: l, value: t.reachedByChannel[k] })), '#2563eb');

    if (r.groupBy === 'flow_version' && r.rows.length > 1) page.appendChild(compare(r.rows));
    page.appendChild(table(r));
    return null;
  }

  function table(r) {
    const cols = [
      ['Warnings', (x) => x.warnings], ['People', (x) => x.people], ['Reached', (x) => x.reached], ['Answered', (x) => x.answered], ['Dissuaded', (x) => x.dissuaded],
      ['Handed off', (x) => x.handedOff], ['At-risk replies', (x) => x.atRiskReplies], ['Stop-payments', (x) => x.stopPayments], ['Visits', (x) => x.visits],
      ['First contact (median / p90)', (x) => `${fmtSecs(x.firstContact.median)} / ${fmtSecs(x.firstContact.p90)}`],
      ['Officer picks up (median / p90)', (x) => `${fmtSecs(x.humanPickup.median)} / ${fmtSecs(x.humanPickup.p90)}`],
    ];
    const row = (x, cls) => h('tr', { class: cls || '' }, h('td', { class: 'mono' }, x.key), cols.map(([, f]) => h('td', { class: 'num' }, f(x))));
    return h('section', { class: 'card' }, h('div', { class: 'card-head' }, h('h2', null, 'Figures')),
      h('div', { class: 'table-wrap' }, h('table', { class: 'table', id: 'report-table' },
        h('thead', null, h('tr', null, h('th', null, GROUPS[r.groupBy]), cols.map(([n]) => h('th', { class: 'num' }, n)))),
        h('tbody', null, r.rows.map((x) => row(x)), row(r.total, 'total')))));
  }

  /** Two versions of a script side by side, on rates, so a change of words can be judged by results. */
  function compare(rows) {
    const a = h('select', { 'aria-label': 'Version A' }, rows.map((x, i) => h('option', { value: i, selected: i === rows.length - 2 }, x.key)));
    const b = h('select', { 'aria-label': 'Version B' }, rows.map((x, i) => h('option', { value: i, selected: i === rows.length - 1 }, x.key)));
    const body = h('tbody');
    // [label, value, is a rate, +1 when higher is better (0: neither: it follows who was warned)]
    const metrics = [
      ['People', (x) => x.people, false, 0],
      ['Reached', (x) => x.reached / (x.people || 1), true, 1],
      ['Answered, of reached', (x) => x.answered / (x.reached || 1), true, 1],
      ['Dissuaded, of answered', (x) => x.dissuaded / (x.answered || 1), true, 1],
      ['Handed off', (x) => x.handedOff / (x.people || 1), true, 0],
      ['At-risk replies per person', (x) => x.atRiskReplies / (x.people || 1), false, 0],
      ['Stop-payments', (x) => x.stopPayments, false, 0],
    ];
    const fmt = (v, rate) => (rate ? `${Math.round(v * 100)}%` : Number.isInteger(v) ? String(v) : v.toFixed(2));
    const fill = () => {
      const x = rows[a.value], y = rows[b.value];
      body.textContent = '';
      for (const [name, f, rate, better] of metrics) {
        const d = f(y) - f(x);
        const tone = better && d ? (d * better > 0 ? 'up' : 'down') : '';
        const diff = d === 0 ? '=' : (d > 0 ? '+' : '−') + (rate ? `${Math.round(Math.abs(d) * 100)} pts` : fmt(Math.abs(d), false));
        body.appendChild(h('tr', null, h('td', null, name), h('td', { class: 'num' }, fmt(f(x), rate)), h('td', { class: 'num' }, fmt(f(y), rate)), h('td', { class: 'num ' + tone }, diff)));
      }
    };
    a.addEventListener('change', fill);
    b.addEventListener('change', fill);
    fill();
    return h('section', { class: 'card', id: 'compare' }, h('div', { class: 'card-head' }, h('h2', null, 'Compare two versions'), h('div', { class: 'compare-pick' }, a, h('span', { class: 'muted' }, 'vs'), b)),
      h('table', { class: 'table' }, h('thead', null, h('tr', null, h('th', null, ''), h('th', { class: 'num' }, 'A'), h('th', { class: 'num' }, 'B'), h('th', { class: 'num' }, 'B − A'))), body));
  }

  window.QM = window.QM || {};
  window.QM.reports = reports;
})();
