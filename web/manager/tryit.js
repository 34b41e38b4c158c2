// "Try it": chat with the draft as a citizen would, on SMS, Telegram or a voice call, in zh or en.
// The conversation state lives here and goes to the server with each turn; nothing is stored.
(function () {
  'use strict';
  const { api, h } = window.Quanzu;

  function tryIt(container, flowId, getYaml) {
    let state = null;
    let locale = 'zh';
    let channel = 'sms';
    const log = h('div', { class: 'chat-log', 'aria-live': 'polite' });
    const input = h('input', { class: 'chat-input', placeholder: 'Reply as the citizen (on a call, a single key such as 1 is a key press)…', 'aria-label': 'Citizen reply', maxlength: '2000' });
    const send = h('button', { class: 'btn primary', type: 'submit' }, 'Send');
    const silence = h('button', { class: 'btn', type: 'button', title: 'The citizen does not answer' }, 'No reply');
    const localeSel = h('select', { 'aria-label': 'Language' }, h('option', { value: 'zh' }, '中文'), h('option', { value: 'en' }, 'English'));
    const channelSel = h('select', { 'aria-label': 'Channel' }, h('option', { value: 'sms' }, 'SMS'), h('option', { value: 'telegram' }, 'Telegram'), h('option', { value: 'voice' }, 'Voice call'));
    const restart = h('button', { class: 'btn', type: 'button' }, 'Restart');
    const status = h('div', { class: 'chat-status muted' });
    const form = h('form', { class: 'chat-form' }, input, send, silence);
    container.appendChild(h('div', { class: 'tryit' }, h('div', { class: 'chat-tools' }, localeSel, channelSel, restart, status), log, form));

    localeSel.addEventListener('change', () => ((locale = localeSel.value), start()));
    channelSel.addEventListener('change', () => ((channel = channelSel.value), start()));
    restart.addEventListener('click', () => start());
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const text = input.value.trim();
      if (!text) return;
      input.value = '';
      // On a call a lone key (1, 2, 0…) is a key press, as Twilio reports it: digits, no speech.
      turn(channel === 'voice' && /^[0-9*#]$/.test(text) ? { text: '', digits: text } : { text });
    });
    silence.addEventListener('click', () => turn({ event: 'no_reply' }));

    function bubbleForBot(t) {
      if (!t.prompts.length) return null;
      const r = t.rendered || {};
      const body = h('div', { class: 'bubble bot' });
      for (const p of t.prompts) body.appendChild(h('p', null, p.text));
      const meta = [h('span', { class: 'mono' }, t.prompts[t.prompts.length - 1].stateId)];
      if (r.channel === 'sms') meta.push(h('span', null, `${r.segments} SMS segment${r.segments === 1 ? '' : 's'}`));
      if (r.channel === 'telegram' && r.buttons && r.buttons.length) {
        body.appendChild(h('div', { class: 'tg-buttons' }, r.buttons.flat().map((b) => h('button', { class: 'btn small', type: 'button', onclick: () => turn({ text: b.text, button: b.data }) }, b.text))));
      }
      if (r.channel === 'voice') body.appendChild(h('details', { class: 'twiml' }, h('summary', null, 'TwiML spoken on the call'), h('pre', null, prettyXml(r.twiml))));
      if (t.ended) meta.push(h('span', { class: 'badge' }, 'conversation ended'));
      return h('div', { class: 'msg bot' }, body, h('div', { class: 'meta' }, meta));
    }

    function citizenBubble(textShown, t) {
      const c = t.classification;
      const chips = [];
      if (c) {
        chips.push(h('span', { class: 'badge ' + (c.atRisk ? 'red' : 'blue'), 'data-intent': c.intent }, c.intent));
        chips.push(h('span', { class: 'badge' + (c.lowConfidence ? ' orange' : '') }, `${Math.round(c.confidence * 100)}%${c.lowConfidence ? ' low' : ''}`));
        for (const cue of c.cues) chips.push(h('span', { class: 'badge orange' }, 'cue: ' + cue));
        const p = c.payment || {};
        if ((p.amounts || []).length || (p.methods || []).length || (p.times || []).length)
          chips.push(h('span', { class: 'badge' }, 'payment: ' + [...(p.amounts || []), ...(p.methods || []), ...(p.times || [])].join(' · ')));
      }
      const after = [];
      if (t.transition) after.push(h('span', { class: 'mono' }, t.transition));
      for (const a of t.actions) after.push(h('span', { class: 'badge ' + (a.type === 'handoff' ? 'solid-red' : '') }, describeAction(a)));
      return h('div', { class: 'msg citizen' }, h('div', { class: 'bubble citizen' }, textShown), h('div', { class: 'meta chips' }, chips), after.length ? h('div', { class: 'meta' }, after) : null);
    }

    async function start() {
      state = null;
      log.textContent = '';
      await turn(null);
    }

    async function turn(inputValue) {
      status.textContent = '';
      const shown = inputValue ? (inputValue.event ? '(no reply)' : inputValue.digits ? `pressed ${inputValue.digits}` : inputValue.text) : null;
      send.disabled = silence.disabled = true;
      try {
        const t = await api(`/api/flows/${flowId}/try`, { method: 'POST', body: { yaml: getYaml(), locale, channel, state, input: inputValue || undefined } });
        state = t.state;
        if (shown !== null) log.appendChild(citizenBubble(shown, t));
        const bot = bubbleForBot(t);
        if (bot) log.appendChild(bot);
        log.scrollTop = log.scrollHeight;
      } catch (err) {
        status.textContent = err.message;
        status.className = 'chat-status error';
      } finally {
        send.disabled = silence.disabled = false;
      }
    }

    return { start };
  }

  function describeAction(a) {
    switch (a.type) {
      case 'handoff':
        return `hand off: ${a.reason}${a.priority ? ' (' + a.priority + ')' : ''}`;
      case 'collect_slot':
        return `${a.slot} = ${a.value === undefined ? '—' : a.value}`;
      case 'schedule_callback':
        return `call back in ${a.afterMinutes} min`;
      case 'contact_relative':
        return 'contact a relative';
      case 'end':
        return `end: ${a.outcome}`;
      default:
        return a.type;
    }
  }

  function prettyXml(xml) {
    return String(xml || '').replace(/></g, '>\n<');
  }

  window.QM = window.QM || {};
  window.QM.tryIt = tryIt;
})();
