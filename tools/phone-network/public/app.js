// The citizen page: one phone at a time, kept live by the network's event stream.
'use strict';

const state = { key: null, busy: false, again: false };

async function rpc(method, ...args) {
  const res = await fetch(`/_control/rpc/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ args }),
  });
  const body = await res.json();
  if (!res.ok) throw new Error(body.error || `${method} failed (${res.status})`);
  return body.result;
}

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) el.append(c instanceof Node ? c : String(c));
  return el;
}

function act(fn) {
  return async (e) => {
    if (e && e.preventDefault) e.preventDefault();
    try {
      await fn(e);
    } catch (err) {
      alert(err.message);
    }
    refresh();
  };
}

const time = (iso) => (iso ? new Date(iso).toLocaleTimeString() : '');
const isChatKey = (key) => key.startsWith('tg:');

function open(key) {
  state.key = key.trim();
  location.hash = encodeURIComponent(state.key);
  refresh();
}

async function refresh() {
  if (state.busy) {
    state.again = true;
    return;
  }
  state.busy = true;
  try {
    const numbers = await rpc('numbers');
    renderNumbers(numbers);
    if (state.key) await renderPhone(state.key, numbers);
  } catch (err) {
    console.error(err);
  } finally {
    state.busy = false;
    if (state.again) {
      state.again = false;
      refresh();
    }
  }
}

function renderNumbers(numbers) {
  const list = document.getElementById('number-list');
  list.replaceChildren(
    ...(numbers.length
      ? numbers.map((n) =>
          h('li', { class: n.key === state.key ? 'sel' : '', onclick: () => open(n.key) },
            h('span', {}, h('span', { class: 'key' }, n.key),
              n.desk && h('span', { class: 'badge desk' }, 'desk phone'),
              n.ringing && h('span', { class: 'badge ring' }, 'ringing'),
              n.waitingGather && h('span', { class: 'badge' }, 'on a call')),
            h('span', { class: 'counts' }, `${n.sms} sms · ${n.calls} calls · ${n.telegram} tg`)))
      : [h('li', { class: 'hint' }, 'Nothing yet: no SMS, call or Telegram message has gone out.')]),
  );
}

async function renderPhone(key, numbers) {
  const summary = numbers.find((n) => n.key === key);
  const phone = isChatKey(key) ? null : key;
  const chatIds = isChatKey(key) ? [Number(key.slice(3))] : summary ? summary.telegramChatIds : [];
  const [inbox, calls, behaviour, chats] = await Promise.all([
    phone ? rpc('inbox', phone) : [],
    phone ? rpc('calls', phone) : [],
    phone ? rpc('behaviour', phone) : {},
    Promise.all(chatIds.map((id) => rpc('telegramChat', id))),
  ]);
  const section = document.getElementById('phone');
  const cards = [whoCard(key, phone, behaviour, summary && summary.desk)];
  const live = calls.filter((c) => !['completed', 'busy', 'no-answer', 'failed', 'canceled'].includes(c.status));
  for (const c of live) cards.push(callCard(c, summary && summary.desk));
  if (phone) cards.push(smsCard(phone, inbox));
  for (const chat of chats) cards.push(telegramCard(chat, phone));
  if (phone && chats.length === 0) cards.push(startTelegramCard(phone));
  if (phone) cards.push(historyCard(calls));
  // Keep what the person is typing across live refreshes.
  const typed = {};
  section.querySelectorAll('input[data-keep]').forEach((i) => (typed[i.dataset.keep] = i.value));
  const focused = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.keep : null;
  section.replaceChildren(...cards);
  section.querySelectorAll('input[data-keep]').forEach((i) => {
    if (typed[i.dataset.keep] !== undefined) i.value = typed[i.dataset.keep];
    if (i.dataset.keep === focused) i.focus();
  });
}

function whoCard(key, phone, behaviour, desk) {
  const modes = ['manual', 'answer', 'no-answer', 'busy', 'voicemail', 'reject', 'fail'];
  return h('div', { class: 'card wide who' },
    h('span', { class: 'num' }, key),
    desk && h('span', { class: 'badge desk', title: 'The desk\'s "Call citizen" rings this phone; answer it to be connected to the citizen' }, 'desk phone'),
    phone && h('label', {}, 'When called: ',
      h('select', { onchange: act((e) => rpc('setBehaviour', phone, { ...behaviour, call: e.target.value })) },
        modes.map((m) => h('option', { value: m, selected: (behaviour.call || 'manual') === m }, m === 'manual' ? 'ring (I answer)' : m)))),
    phone && h('label', {}, 'SMS: ',
      h('select', { onchange: act((e) => rpc('setBehaviour', phone, { ...behaviour, sms: e.target.value })) },
        ['delivered', 'undelivered', 'failed'].map((m) => h('option', { value: m, selected: (behaviour.sms || 'delivered') === m }, m)))),
    phone && behaviour.optedOut && h('span', { class: 'badge' }, 'opted out (STOP)'),
    phone && h('button', { class: 'primary', onclick: act(() => rpc('placeCall', phone)) }, '📞 Call the centre'));
}

function callCard(c, desk) {
  const ringing = c.status === 'ringing' && c.direction === 'outbound-api';
  const lines = c.transcript.filter((e) => e.kind !== 'status' || !['queued', 'initiated', 'ringing'].includes(e.status)).map((e) => {
    if (e.kind === 'say') return h('div', { class: 'say' }, '🔊 ', e.text, h('span', { class: 'lang' }, [e.language, e.voice].filter(Boolean).join(' · ')));
    if (e.kind === 'input') return h('div', { class: 'ev' }, '🗣 you: ', e.speech !== null ? `“${e.speech}”` : `keys ${e.digits}`);
    if (e.kind === 'error') return h('div', { class: 'ev err' }, `⚠ ${e.code}: ${e.message}`);
    if (e.kind === 'dial') return h('div', { class: 'ev' }, `☎ connecting to ${e.number}`);
    if (e.kind === 'status') return h('div', { class: 'ev' }, e.status === 'in-progress' ? '· answered' : `· ${e.status}`);
    if (e.kind === 'no-input') return h('div', { class: 'ev' }, '· (silence)');
    return null;
  });
  const g = c.gather;
  return h('div', { class: `card wide call ${ringing ? '' : 'active'}` },
    h('h3', {}, ringing ? `📞 Incoming call from ${c.from}` : c.direction === 'inbound' ? `📞 You are calling ${c.to}` : `📞 On a call with ${c.from}`),
    ringing
      ? h('div', {}, h('button', { class: 'good', onclick: act(() => rpc('answerCall', c.sid)) }, 'Answer'), ' ',
          h('button', { class: 'bad', onclick: act(() => rpc('rejectCall', c.sid)) }, 'Reject'), ' ',
          h('button', { onclick: act(() => rpc('answerCall', c.sid, { machine: true })) }, 'Let voicemail take it'))
      : h('div', {}, lines,
          c.connectedTo && h('div', { class: 'gather' }, desk ? `Connected to the citizen ${c.connectedTo}. ` : `Connected to ${c.connectedTo} (the desk). `, h('button', { onclick: act(() => rpc('endDial', c.sid)) }, desk ? 'Citizen hangs up' : 'Desk hangs up')),
          g && gatherBox(c, g),
          h('div', { class: 'compose' }, h('button', { class: 'bad', onclick: act(() => rpc('hangUp', c.sid)) }, 'Hang up'))));
}

function gatherBox(c, g) {
  const speech = g.input.includes('speech');
  const dtmf = g.input.includes('dtmf');
  const keys = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'];
  return h('div', { class: 'gather' },
    h('div', {}, h('strong', {}, 'The line is listening'), ` — ${g.input.join(' + ')}, language ${g.language}`, g.hints ? `, hints: ${g.hints}` : ''),
    g.warnings.map((w) => h('div', { class: 'ev err' }, `⚠ ${w.code}: ${w.message}`)),
    speech && h('form', { class: 'compose', onsubmit: act((e) => {
      const text = e.target.querySelector('input[type=text]').value.trim();
      if (!text) throw new Error('Type what you say first');
      return rpc('answerGather', c.sid, { speech: text, confidence: Number(e.target.querySelector('input[type=number]').value) });
    }) },
      h('input', { type: 'text', placeholder: 'Say something… e.g. 我已经转了八千', 'data-keep': `speech-${c.sid}` }),
      h('input', { type: 'number', min: '0', max: '1', step: '0.05', value: '0.9', title: 'confidence', style: 'width:70px' }),
      h('button', { class: 'primary', type: 'submit' }, '🗣 Speak')),
    dtmf && h('div', { class: 'keypad' }, keys.map((k) => h('button', { onclick: act(() => rpc('answerGather', c.sid, { digits: k })) }, k))),
    h('div', { class: 'compose' }, h('button', { onclick: act(() => rpc('silence', c.sid)) }, 'Stay silent')));
}

function smsCard(phone, inbox) {
  const items = inbox.filter((i) => i.channel !== 'telegram');
  return h('div', { class: 'card' },
    h('h2', {}, 'SMS & voicemail'),
    h('div', { class: 'thread' },
      items.length ? items.map((i) => {
        const failed = i.status === 'failed' || i.status === 'undelivered';
        const cls = i.channel === 'voicemail' ? 'in voicemail' : i.direction === 'to-citizen' ? `in${failed ? ' failed' : ''}` : 'out';
        return h('div', { class: `bubble ${cls}` }, i.channel === 'voicemail' ? `📼 Voicemail: ${i.text}` : i.text,
          h('span', { class: 'meta' }, `${i.direction === 'to-citizen' ? 'from' : 'to'} ${i.peer} · ${time(i.at)} · ${i.status}`));
      }) : h('div', { class: 'hint' }, 'No SMS yet.')),
    h('form', { class: 'compose', onsubmit: act(async (e) => {
      const input = e.target.querySelector('input');
      if (!input.value.trim()) throw new Error('Type a reply first');
      await rpc('sendSms', phone, input.value);
      input.value = '';
    }) }, h('input', { type: 'text', placeholder: 'Reply by SMS…', 'data-keep': `sms-${phone}` }), h('button', { class: 'primary', type: 'submit' }, 'Send')));
}

function telegramCard(view, phone) {
  const chat = view.chat;
  const chatId = chat ? chat.chatId : null;
  const messages = view.messages;
  const lastKb = [...messages].reverse().find((m) => m.from === 'bot' && (m.replyKeyboard || m.removeKeyboard));
  const replyKb = lastKb && lastKb.replyKeyboard;
  return h('div', { class: 'card' },
    h('h2', {}, `Telegram chat ${chatId}${chat && chat.phone ? ` · ${chat.phone}` : ''}`),
    h('div', { class: 'thread' },
      messages.length ? messages.map((m) => h('div', { class: `bubble ${m.from === 'bot' ? 'in' : 'out'}` },
        m.text !== null ? m.text : m.contact ? `📇 shared contact ${m.contact.phoneNumber}` : '',
        m.inlineKeyboard && h('div', { class: 'kb' }, m.inlineKeyboard.map((row) => h('div', { class: 'row' },
          row.map((b) => b.callbackData
            ? h('button', { onclick: act(() => rpc('pressButton', m.chatId, m.messageId, b.callbackData)) }, b.text)
            : h('a', { href: b.url, target: '_blank' }, b.text))))),
        h('span', { class: 'meta' }, `${m.from === 'bot' ? 'bot' : 'you'} · ${time(m.date)}${m.editedAt ? ' · edited' : ''}`)))
        : h('div', { class: 'hint' }, 'No messages yet.')),
    chat && chat.callbackAnswers.length > 0 && h('div', {}, h('span', { class: 'toast' }, `bot: ${chat.callbackAnswers[chat.callbackAnswers.length - 1].text || '✓'}`)),
    replyKb && h('div', { class: 'kb replykb' }, replyKb.map((row) => h('div', { class: 'row' }, row.map((b) =>
      h('button', { onclick: act(() => {
        if (!b.requestContact) return rpc('sendTelegram', chatId, b.text);
        const number = phone || prompt('Your phone number to share', '+86');
        if (number) return rpc('shareContact', chatId, number);
      }) }, b.requestContact ? `📇 ${b.text}` : b.text))))),
    h('form', { class: 'compose', onsubmit: act(async (e) => {
      const input = e.target.querySelector('input');
      if (!input.value.trim()) throw new Error('Type a message first');
      await rpc('sendTelegram', chatId, input.value);
      input.value = '';
    }) }, h('input', { type: 'text', placeholder: 'Message the bot… (/start, /help, /human)', 'data-keep': `tg-${chatId}` }), h('button', { class: 'primary', type: 'submit' }, 'Send')));
}

function startTelegramCard(phone) {
  const suggested = phone.replace(/\D/g, '').slice(-9);
  return h('div', { class: 'card' },
    h('h2', {}, 'Telegram'),
    h('div', { class: 'hint' }, 'No Telegram chat linked to this number. Open one with the bot (the chat is linked when you share your contact).'),
    h('form', { class: 'compose', onsubmit: act(async (e) => {
      const id = Number(e.target.querySelector('input').value);
      if (!Number.isSafeInteger(id) || id <= 0) throw new Error('A chat id is a positive number');
      await rpc('sendTelegram', id, '/start');
      open(`tg:${id}`);
    }) }, h('input', { type: 'text', value: suggested, 'data-keep': `tgstart-${phone}`, title: 'chat id' }), h('button', { type: 'submit' }, 'Send /start')));
}

function historyCard(calls) {
  return h('div', { class: 'card wide' },
    h('h2', {}, 'Calls'),
    calls.length ? h('table', { class: 'history' }, calls.slice().reverse().map((c) => h('tr', {},
      h('td', {}, time(c.dateCreated)),
      h('td', {}, c.direction === 'inbound' ? `you → ${c.to}` : `${c.from} → you`),
      h('td', {}, c.status + (c.answeredBy ? ` (${c.answeredBy})` : '')),
      h('td', {}, c.duration !== null ? `${c.duration}s` : ''),
      h('td', {}, c.transcript.filter((e) => e.kind === 'say').length + ' lines said'))))
      : h('div', { class: 'hint' }, 'No calls yet.'));
}

document.getElementById('open-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const value = document.getElementById('open-input').value.trim();
  if (value) open(value);
});

let timer = null;
function connect() {
  const live = document.getElementById('live');
  const events = new EventSource('/_control/events');
  events.addEventListener('open', () => live.classList.remove('off'));
  events.addEventListener('error', () => live.classList.add('off'));
  events.addEventListener('change', () => {
    clearTimeout(timer);
    timer = setTimeout(refresh, 60);
  });
}

if (location.hash.length > 1) state.key = decodeURIComponent(location.hash.slice(1));
connect();
refresh();
