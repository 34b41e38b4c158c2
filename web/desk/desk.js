// The dissuasion desk: a live queue (server-sent events), the case view, and the officer's actions.
(function () {
  'use strict';
  const { api, h, toast, requireSession, logout } = window.Quanzu;

  const REASONS = {
    already_paid: 'Already paid',
    mid_scam: 'Still in the scam',
    request_human: 'Asked for an officer',
    low_confidence: 'Not understood',
    distrust: 'Distrusts the call',
    unreachable: 'Unreachable',
    review: 'Review: high risk',
    opted_out: 'Opted out (STOP)',
    flow_error: 'Flow error',
    other: 'Other',
  };
  const INTENTS = {
    safe_aware: 'safe, aware',
    mid_scam: 'still in scam',
    already_paid: 'already paid',
    request_human: 'wants officer',
    distrust: 'distrust',
    wrong_person: 'wrong person',
    busy_later: 'busy, later',
    question: 'question',
    other: 'other',
  };
  const SCAMS = {
    pig_butchering: 'Pig butchering',
    impersonation_police: 'Fake police',
    fake_customer_service: 'Fake customer service',
    task_rebate: 'Task rebate',
    loan: 'Loan fee',
    investment: 'Fake investment',
    gaming_trade: 'Game trading',
    sextortion: 'Sextortion',
    relative_in_trouble: 'Relative in trouble',
    other: 'Other scam',
  };
  const OUTCOMES = [
    ['dissuaded', 'Dissuaded'],
    ['stop_payment_requested', 'Paid: stop-payment requested'],
    ['visit_dispatched', 'In-person visit dispatched'],
    ['unreachable', 'Unreachable'],
    ['wrong_person', 'Wrong person'],
    ['false_alarm', 'False alarm'],
  ];
  const OUTCOME_LABEL = Object.fromEntries(OUTCOMES.concat([['returned_to_flow', 'Returned to the automated flow']]));
  const EVENTS = {
    triaged: 'Triaged',
    handoff_opened: 'Handed to the desk',
    handoff_raised: 'Handoff raised',
    handoff_claimed: 'Claimed',
    handoff_released: 'Released to the queue',
    handoff_escalated: 'Escalated: unclaimed past SLA',
    handoff_resolved: 'Resolved',
    handoff_returned: 'Returned to the automated flow',
    desk_call: 'Desk call placed',
    sms_opt_out: 'Citizen opted out of SMS',
    sms_opt_in: 'Citizen opted back in',
    voicemail: 'Voicemail reached',
    call_not_answered: 'Call not answered',
    retry_scheduled: 'Retry scheduled',
    next_channel: 'Next channel',
    relative_contacted: 'Relative contacted',
    callback_scheduled: 'Callback scheduled',
    flow_ended: 'Flow ended',
    case_closed: 'Case closed',
    delivery_failed: 'Delivery failed',
  };

  const state = { me: null, queue: null, offset: 0, selected: null, view: null, viewAt: 0 };
  const $ = (id) => document.getElementById(id);
  const serverNow = () => Date.now() + state.offset;

  function clock(ms) {
    const neg = ms < 0;
    let s = Math.floor(Math.abs(ms) / 1000);
    const hours = Math.floor(s / 3600);
    s -= hours * 3600;
    const m = Math.floor(s / 60);
    const sec = String(s % 60).padStart(2, '0');
    return (neg ? '-' : '') + (hours ? hours + ':' + String(m).padStart(2, '0') : m) + ':' + sec;
  }
  const timeOf = (iso) => new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
  const dateTimeOf = (iso) => new Date(iso).toLocaleString([], { hour12: false });
  const reasonTone = (r) => (r === 'already_paid' ? 'red' : r === 'mid_scam' ? 'orange' : 'blue');
  const riskTone = (r) => (r === 'high' ? 'red' : r === 'medium' ? 'orange' : '');
  const stripeClass = (item) => (item.reason === 'already_paid' ? 'p-already_paid' : item.reason === 'mid_scam' ? 'p-mid_scam' : item.priority >= 60 ? 'p-high' : '');

  // ---------- Queue ----------
  let queueTimer = null;
  function reloadQueueSoon() {
    clearTimeout(queueTimer);
    queueTimer = setTimeout(loadQueue, 120);
  }
  async function loadQueue() {
    const q = await api('/api/desk/queue');
    state.offset = Date.parse(q.now) - Date.now();
    state.queue = q;
    renderQueue();
  }

  function renderQueue() {
    const q = state.queue;
    const list = $('queue');
    list.replaceChildren(...q.items.map(queueItem));
    $('queue-empty').classList.toggle('hidden', q.items.length > 0);
    $('counts').replaceChildren(
      h(
        'span',
        { class: 'counts' },
        h('span', { class: 'badge blue', title: 'Waiting for an officer' }, q.counts.open + ' waiting'),
        h('span', { class: 'badge', title: 'Claimed by an officer' }, q.counts.claimed + ' claimed'),
        q.counts.escalated ? h('span', { class: 'badge solid-red', title: 'Unclaimed past their SLA' }, q.counts.escalated + ' escalated') : null,
      ),
    );
    const esc = $('escalation');
    if (q.you.supervisor && q.counts.escalated) {
      esc.textContent = q.counts.escalated === 1 ? '1 handoff is past its SLA and nobody has claimed it.' : q.counts.escalated + ' handoffs are past their SLA and nobody has claimed them.';
      esc.classList.remove('hidden');
    } else esc.classList.add('hidden');
    document.title = (q.counts.open ? '(' + q.counts.open + ') ' : '') + 'Desk · Quanzu';
    tick();
  }

  function queueItem(item) {
    const escalated = item.status === 'open' && item.escalatedAt;
    return h(
      'li',
      {
        class: 'qitem ' + stripeClass(item) + (escalated ? ' escalated' : '') + (item.caseId === state.selected ? ' selected' : ''),
        dataset: { caseId: item.caseId, handoffId: item.id },
        tabindex: 0,
        onclick: () => openCase(item.caseId),
        onkeydown: (e) => e.key === 'Enter' && openCase(item.caseId),
      },
      h('div', { class: 'line1' }, h('span', { class: 'ref' }, item.caseRef), h('span', { class: 'name' }, item.name || 'Name unknown'), h('span', { class: 'qphone mono' }, item.phone), escalated ? h('span', { class: 'badge solid-red' }, 'Escalated') : null),
      item.status === 'open'
        ? h('div', { class: 'clock', dataset: { due: item.slaDueAt }, title: 'Time left to claim (SLA)' }, '')
        : h('div', { class: 'claimed' }, item.mine ? 'Claimed by you' : 'Claimed by ' + item.claimedBy),
      h(
        'div',
        { class: 'line2' },
        h('span', { class: 'badge ' + reasonTone(item.reason) }, REASONS[item.reason] || item.reason),
        h('span', { class: 'badge ' + riskTone(item.riskLevel) }, item.riskLevel + ' risk'),
        h('span', { class: 'badge' }, SCAMS[item.scamType] || item.scamType),
        item.warningCount >= 2 ? h('span', { class: 'badge orange' }, item.warningCount + ' warnings') : null,
      ),
      item.lastReply ? h('div', { class: 'reply', title: item.lastReply.body }, '“' + item.lastReply.body + '”') : item.note ? h('div', { class: 'reply muted' }, item.note) : null,
    );
  }

  function tick() {
    const now = serverNow();
    for (const el of document.querySelectorAll('[data-due]')) {
      const left = Date.parse(el.dataset.due) - now;
      el.textContent = left >= 0 ? clock(left) : 'late ' + clock(-left);
      el.classList.toggle('late', left < 0);
      el.classList.toggle('soon', left >= 0 && left < 60000);
    }
    for (const el of document.querySelectorAll('[data-since]')) el.textContent = clock(now - Date.parse(el.dataset.since));
  }

  // ---------- Live stream ----------
  function connect() {
    const conn = $('conn');
    const es = new EventSource('/api/desk/stream');
    es.addEventListener('ready', () => {
      conn.textContent = 'Live';
      conn.classList.add('live');
      // Anything missed while disconnected.
      reloadQueueSoon();
      if (state.selected) reloadCaseSoon();
    });
    es.addEventListener('handoff', (e) => {
      const ev = JSON.parse(e.data);
      reloadQueueSoon();
      if (ev.caseId === state.selected) reloadCaseSoon();
      if (ev.change === 'opened') toast('New handoff in the queue');
      if (ev.change === 'escalated') toast('A handoff is past its SLA and still unclaimed', 'red');
    });
    es.addEventListener('case', (e) => {
      const ev = JSON.parse(e.data);
      if (ev.caseId === state.selected) reloadCaseSoon();
      else reloadQueueSoon();
    });
    es.onerror = async () => {
      conn.textContent = 'Reconnecting…';
      conn.classList.remove('live');
      if (es.readyState === EventSource.CLOSED) {
        // The server refused the stream (signed out?): check, then try again.
        await api('/api/session').catch(() => undefined);
        setTimeout(connect, 3000);
      }
    };
  }

  // ---------- Case ----------
  let caseTimer = null;
  function reloadCaseSoon() {
    clearTimeout(caseTimer);
    caseTimer = setTimeout(() => state.selected && loadCase(state.selected), 150);
  }

  async function openCase(caseId) {
    state.selected = caseId;
    for (const el of document.querySelectorAll('.qitem')) el.classList.toggle('selected', el.dataset.caseId === caseId);
    await loadCase(caseId);
  }

  async function loadCase(caseId) {
    const view = await api('/api/desk/cases/' + caseId);
    if (state.selected !== caseId) return;
    // Keep what the officer is typing across live refreshes.
    const draft = document.querySelector('#composer-text');
    const kept = draft ? draft.value : '';
    const form = document.querySelector('#resolve-form');
    const keptForm = form ? Object.fromEntries(new FormData(form)) : null;
    const sameCase = state.view && state.view.case.id === caseId;
    state.view = view;
    renderCase(view);
    if (sameCase) {
      const d = document.querySelector('#composer-text');
      if (d) d.value = kept;
      const f = document.querySelector('#resolve-form');
      if (f && keptForm) for (const [k, v] of Object.entries(keptForm)) if (f.elements[k]) f.elements[k].value = v;
      syncOutcomeFields();
    }
  }

  async function act(fn, okText) {
    try {
      await fn();
      if (okText) toast(okText);
    } catch (err) {
      toast(err.message.charAt(0).toUpperCase() + err.message.slice(1), 'red');
    }
    reloadQueueSoon();
    if (state.selected) await loadCase(state.selected);
  }

  function renderCase(v) {
    $('placeholder').classList.add('hidden');
    const body = $('case-body');
    body.classList.remove('hidden');
    const c = v.case;
    const ho = v.handoff;
    const you = v.you;
    const claimedByOther = ho && ho.status === 'claimed' && !you.holdsClaim;

    const actions = h(
      'div',
      { class: 'actions' },
      ho && you.canClaim ? h('button', { class: 'btn primary', type: 'button', onclick: () => act(() => api('/api/desk/handoffs/' + ho.id + '/claim', { method: 'POST' }), 'Claimed') }, 'Claim') : null,
      ho && you.holdsClaim ? h('button', { class: 'btn', type: 'button', onclick: () => act(() => api('/api/desk/cases/' + c.id + '/call', { method: 'POST' }).then((r) => toast('Calling ' + r.ringing + '; the citizen is connected when you answer'))) }, 'Call citizen') : null,
      ho && you.holdsClaim ? h('button', { class: 'btn', type: 'button', onclick: () => confirm('Hand this case back to the automated flow?') && act(() => api('/api/desk/handoffs/' + ho.id + '/return', { method: 'POST', body: {} }), 'Returned to the automated flow') }, 'Return to flow') : null,
      ho && ho.status === 'claimed' && (you.holdsClaim || you.supervisor)
        ? h('button', { class: 'btn', type: 'button', onclick: () => act(() => api('/api/desk/handoffs/' + ho.id + '/release', { method: 'POST' }), 'Released to the queue') }, you.holdsClaim ? 'Release' : 'Take back from ' + ho.claimedBy)
        : null,
    );

    const head = h(
      'div',
      { class: 'card' },
      h(
        'div',
        { class: 'case-head' },
        h(
          'div',
          { class: 'title' },
          h('h1', null, h('span', { class: 'ref' }, c.caseRef), h('span', null, c.name || 'Name unknown'), h('span', { class: 'badge ' + riskTone(c.riskLevel) }, c.riskLevel + ' risk'), c.status === 'closed' ? h('span', { class: 'badge green' }, 'Closed: ' + (OUTCOME_LABEL[c.outcome] || c.outcome || '')) : null),
          h(
            'div',
            { class: 'facts' },
            h('span', null, 'Phone ', h('span', { class: 'phone' + (v.phoneVisible ? '' : ' masked'), id: 'citizen-phone', title: v.phoneVisible ? '' : 'Claim the case to see the full number' }, c.phone)),
            h('span', null, h('b', null, SCAMS[c.scamType] || c.scamType)),
            h('span', null, h('b', null, c.warningCount), ' warning' + (c.warningCount === 1 ? '' : 's')),
            c.amount ? h('span', null, 'Amount in warning ', h('b', null, '¥' + c.amount.toLocaleString())) : null,
            c.precinct ? h('span', null, 'Precinct ', h('b', null, c.precinct)) : null,
            h('span', null, 'Language ', h('b', null, c.locale === 'en' ? 'English' : 'Chinese')),
            c.activeChannel ? h('span', null, 'Channel ', h('b', null, c.activeChannel)) : null,
            c.optedOut ? h('span', { class: 'badge orange' }, 'SMS opted out') : null,
          ),
        ),
        actions,
      ),
      ho
        ? h(
            'div',
            { class: 'handoff-line' },
            h('span', { class: 'badge ' + reasonTone(ho.reason) }, REASONS[ho.reason] || ho.reason),
            h('span', { class: 'muted' }, 'priority ' + ho.priority),
            ho.status === 'open' ? h('span', null, 'SLA ', h('span', { class: 'mono', dataset: { due: ho.slaDueAt } })) : h('span', null, 'Claimed by ', h('b', null, ho.claimedBy === you.username ? 'you' : ho.claimedBy)),
            ho.escalatedAt ? h('span', { class: 'badge solid-red' }, 'Escalated ' + timeOf(ho.escalatedAt)) : null,
            ho.note ? h('span', { class: 'muted' }, '· ' + ho.note) : null,
          )
        : null,
    );

    const notice =
      ho && !you.holdsClaim
        ? h(
            'div',
            { class: 'notice' },
            claimedByOther
              ? 'This case is claimed by ' + ho.claimedBy + (you.supervisor ? '. You can take it back to the queue.' : '. You can read it; only they can act on it.')
              : you.supervisor
                ? 'Claim this case to write to or call the citizen.'
                : 'Claim this case to see the full number, write to or call the citizen, and resolve it.',
          )
        : null;

    const timelineCard = h(
      'div',
      { class: 'card' },
      h('div', { class: 'card-head' }, h('h2', null, 'Timeline'), h('span', { class: 'muted' }, v.timeline.length + ' entries')),
      h('ol', { class: 'timeline', id: 'timeline' }, v.timeline.map(timelineItem)),
      ho && you.holdsClaim ? composer(v) : null,
    );

    const side = h('div', { class: 'side' }, ho ? resolveCard(v) : null, flowCard(v), relativesCard(v));
    body.replaceChildren(...[head, notice, h('div', { class: 'cols' }, timelineCard, side)].filter(Boolean));
    syncOutcomeFields();
    tick();
    const tl = $('timeline');
    if (tl) tl.lastElementChild?.scrollIntoView({ block: 'nearest' });
  }

  function timelineItem(t) {
    if (t.kind === 'message') {
      const officer = t.direction === 'out' && t.author && t.author !== 'flow' && !t.author.startsWith('flow:');
      const who = t.direction === 'in' ? 'Citizen' : officer ? 'Officer ' + t.author : t.author === 'flow:relative' ? 'Flow (to relative)' : 'Flow' + (t.stateId ? ' · ' + t.stateId : '');
      return h(
        'li',
        { class: 'tl-msg ' + t.direction + (t.atRisk ? ' risk' : '') + (officer ? ' officer' : ''), dataset: { kind: 'message', direction: t.direction } },
        h('div', { class: 'bubble' }, t.body),
        h(
          'div',
          { class: 'meta' },
          h('span', null, who),
          h('span', null, '· ' + t.channel + ' · ' + timeOf(t.at)),
          t.intent ? h('span', { class: 'badge ' + (t.atRisk ? 'red' : t.intent === 'safe_aware' ? 'green' : 'blue'), title: 'Classified intent' }, INTENTS[t.intent] || t.intent) : null,
          t.confidence != null ? h('span', { title: 'Classifier confidence' }, Math.round(t.confidence * 100) + '%' + (t.lowConfidence ? ' (low)' : '')) : null,
          (t.cues || []).map((cue) => h('span', { class: 'cue', title: 'Cue' }, cue)),
          t.payment && t.payment.amounts && t.payment.amounts.length ? h('span', { class: 'badge red' }, '¥' + t.payment.amounts.map((a) => a.toLocaleString()).join(', ')) : null,
          t.delivery ? h('span', { class: t.delivery === 'failed' ? 'badge red' : '' }, t.delivery === 'sent' ? '✓ sent' : t.delivery === 'failed' ? 'not delivered' : 'sending…') : null,
        ),
      );
    }
    let text;
    if (t.kind === 'warning') text = [h('b', null, 'Warning'), ' from ' + t.source + ' (' + t.externalId + '): ' + (SCAMS[t.scamType] || t.scamType) + ', ' + t.riskLevel + ' risk' + (t.signals.length ? ', ' + t.signals.join(', ') : '') + (t.amount ? ', ¥' + t.amount.toLocaleString() : '')];
    else if (t.kind === 'attempt') text = [h('b', null, (t.toRelative ? 'Relative ' : 'Contact ') + t.channel), ' #' + t.attemptNo + ' to ' + t.target + ': ' + t.status + (t.errorCode ? ' (' + t.errorCode + ')' : '')];
    else {
      const d = t.detail || {};
      const extra = d.outcome ? ': ' + (OUTCOME_LABEL[d.outcome] || d.outcome) : d.reason ? ': ' + (REASONS[d.reason] || d.reason) : d.note ? ': ' + d.note : '';
      text = [h('b', null, EVENTS[t.action] || t.action), extra, t.actor && !['sla', 'system'].includes(t.actor) ? ' · ' + t.actor : ''];
    }
    return h('li', { class: 'tl-sys', dataset: { kind: t.kind } }, h('span', { class: 'at', title: dateTimeOf(t.at) }, timeOf(t.at)), h('span', null, text));
  }

  function composer(v) {
    const channel = v.case.activeChannel === 'telegram' && v.case.hasTelegram ? 'Telegram' : 'SMS';
    const text = h('textarea', { id: 'composer-text', placeholder: 'Write to the citizen (' + channel + ')…', maxlength: 1000, 'aria-label': 'Message to the citizen' });
    const send = async () => {
      const body = text.value.trim();
      if (!body) return;
      await act(async () => {
        await api('/api/desk/cases/' + v.case.id + '/messages', { method: 'POST', body: { body } });
        text.value = '';
        // Delivery happens on a worker; look again shortly for the ✓.
        setTimeout(reloadCaseSoon, 2000);
      }, 'Message queued for ' + channel);
    };
    text.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) send();
    });
    return h(
      'div',
      { class: 'composer' },
      text,
      h('div', { class: 'row' }, h('span', { class: 'hint' }, 'Sent by ' + channel + ' as you. Never ask for passwords, card numbers or codes. Ctrl+Enter sends.'), h('button', { class: 'btn primary', type: 'button', id: 'send', onclick: send }, 'Send')),
    );
  }

  function resolveCard(v) {
    const sp = v.stopPayment;
    const paid = v.handoff.reason === 'already_paid' || !!sp;
    const disabled = !v.you.holdsClaim && !v.you.supervisor;
    const field = (label, name, attrs, wide) => h('label', { class: 'field' + (wide ? ' wide' : '') }, label, h('input', Object.assign({ name, disabled }, attrs)));
    const form = h(
      'form',
      { id: 'resolve-form', onsubmit: (e) => (e.preventDefault(), submitResolve(v)) },
      h(
        'div',
        { class: 'form-grid' },
        h(
          'label',
          { class: 'field wide' },
          'Outcome',
          h('select', { name: 'outcome', disabled, onchange: syncOutcomeFields }, OUTCOMES.map(([value, label]) => h('option', { value, selected: paid ? value === 'stop_payment_requested' : value === 'dissuaded' }, label))),
        ),
        h(
          'div',
          { class: 'form-grid wide', dataset: { for: 'stop_payment_requested' } },
          field('Amount', 'amount', { type: 'number', min: '0', step: '0.01', value: sp && sp.amount != null ? sp.amount : '' }),
          field('Currency', 'currency', { value: 'CNY', maxlength: 3 }),
          field('Bank / method', 'method', { value: sp && sp.method ? sp.method : '', placeholder: 'e.g. ICBC, Alipay' }, true),
          field('Receiving account', 'account', { value: sp && sp.account ? sp.account : '', placeholder: 'Account or payee the money went to' }, true),
          field('Paid at', 'paidAt', { value: sp && sp.paidAt ? sp.paidAt : '', placeholder: 'e.g. 10:20 today' }, true),
        ),
        h('div', { class: 'wide', dataset: { for: 'visit_dispatched' } }, field('Police station sent', 'precinct', { value: v.case.precinct || '' }, true)),
        h('label', { class: 'field wide' }, 'Note', h('textarea', { name: 'note', rows: 2, disabled, placeholder: 'What happened, for the record' })),
      ),
      h('div', { class: 'form-actions' }, h('button', { class: 'btn ' + (paid ? 'danger' : 'primary'), type: 'submit', disabled, id: 'resolve' }, paid ? 'Resolve and request stop-payment' : 'Resolve')),
    );
    if (!paid)
      return h('div', { class: 'card' }, h('div', { class: 'card-head' }, h('h2', null, 'Resolve')), h('div', { class: 'card-body' }, form));
    return h(
      'div',
      { class: 'card fastlane', id: 'fastlane' },
      h('div', { class: 'card-head' }, h('h2', null, 'Stop-payment fast lane'), sp && sp.firstMentionedAt ? h('span', { class: 'golden', title: 'Since the citizen first said they paid (' + dateTimeOf(sp.firstMentionedAt) + ')', dataset: { since: sp.firstMentionedAt } }) : null),
      h(
        'div',
        { class: 'card-body' },
        sp && (sp.said.amounts.length || sp.said.methods.length || sp.said.times.length)
          ? h('div', { class: 'said' }, 'Citizen said:', sp.said.amounts.map((a) => h('span', { class: 'badge red' }, '¥' + a.toLocaleString())), sp.said.methods.map((m) => h('span', { class: 'badge' }, m)), sp.said.times.map((t) => h('span', { class: 'badge' }, t)))
          : null,
        form,
      ),
    );
  }

  function syncOutcomeFields() {
    const form = document.querySelector('#resolve-form');
    if (!form) return;
    const outcome = form.elements.outcome.value;
    for (const el of form.querySelectorAll('[data-for]')) el.classList.toggle('hidden', el.dataset.for !== outcome);
  }

  async function submitResolve(v) {
    const f = document.querySelector('#resolve-form').elements;
    const outcome = f.outcome.value;
    const body = { outcome, note: f.note.value.trim() || undefined };
    if (outcome === 'stop_payment_requested')
      body.stopPayment = { amount: Number(f.amount.value), currency: f.currency.value.trim().toUpperCase() || 'CNY', method: f.method.value, account: f.account.value, paidAt: f.paidAt.value };
    if (outcome === 'visit_dispatched') body.visit = { precinct: f.precinct.value };
    await act(() => api('/api/desk/handoffs/' + v.handoff.id + '/resolve', { method: 'POST', body }), 'Resolved: ' + OUTCOME_LABEL[outcome]);
  }

  function flowCard(v) {
    const f = v.flow;
    const slots = Object.entries(f.slots || {});
    return h(
      'div',
      { class: 'card' },
      h('div', { class: 'card-head' }, h('h2', null, 'Automated flow')),
      h(
        'div',
        { class: 'card-body' },
        h(
          'dl',
          { class: 'kv' },
          h('dt', null, 'Flow'),
          h('dd', null, f.flowId ? (f.title || f.flowId) + ' (v' + f.flowVersion + ')' : 'not started'),
          h('dt', null, 'State'),
          h('dd', { class: 'mono' }, f.stateId || '—', f.ended ? ' (ended' + (f.outcome ? ': ' + f.outcome : '') + ')' : ''),
          h('dt', null, 'Replies'),
          h('dd', null, f.turns + (f.lowConfidenceCount ? ' (' + f.lowConfidenceCount + ' not understood)' : '')),
          slots.length ? [h('dt', null, 'Collected'), h('dd', null, slots.map(([k, val]) => k + ': ' + val).join('; '))] : null,
          h('dt', null, 'Next'),
          h('dd', null, f.nextAction ? f.nextAction.replace('_', ' ') + ' at ' + timeOf(f.nextActionAt) : 'nothing scheduled'),
        ),
      ),
    );
  }

  function relativesCard(v) {
    if (!v.case.relatives.length) return null;
    return h(
      'div',
      { class: 'card' },
      h('div', { class: 'card-head' }, h('h2', null, 'Relatives')),
      h('div', { class: 'card-body' }, h('dl', { class: 'kv' }, v.case.relatives.map((r) => [h('dt', null, r.relation || 'relative'), h('dd', { class: 'phone' + (v.phoneVisible ? '' : ' masked') }, (r.name ? r.name + ' ' : '') + r.phone)]))),
    );
  }

  // ---------- Start ----------
  async function start() {
    state.me = await requireSession(['desk', 'manager']);
    $('who').textContent = (state.me.displayName || state.me.username) + ' · ' + state.me.role;
    $('logout').addEventListener('click', logout);
    await loadQueue();
    connect();
    setInterval(tick, 1000);
    // Countdowns run locally; a slow full refresh guards against a missed event.
    setInterval(loadQueue, 60000);
    const fromHash = location.hash.slice(1);
    if (/^[0-9a-f-]{36}$/.test(fromHash)) openCase(fromHash);
  }
  start().catch((err) => {
    if (err && err.status !== 401 && err.message !== 'forbidden') toast('The desk could not load: ' + err.message, 'red');
  });
})();
