// The desk end to end through HTTP, on the whole running system: a citizen's reply by SMS hands the case to
// the desk live; an officer claims it, reads it, writes and calls through the phone network, and resolves it;
// phone numbers stay masked for everyone else; every step is audited.
import type { Classifier } from '../../nlu-models/src/intents';
import { loadClassifier } from '../../nlu-models/src';
import { eventually } from '../support/stack';
import { Person, addUser, citizenTexts, handoffOf, startDeskHarness, warnCitizen, type DeskHarness } from './desk-harness';

const PHONE = '+8613800138000';
const MASKED = '+86138****8000';
const PAID = '我刚才已经用支付宝转了8000元到安全账户 6222020200112233445';

/** Reads server-sent events until `until` accepts one (or the timeout passes). */
async function collectEvents(url: string, cookie: string, trigger: () => Promise<unknown>, until: (e: { event: string; data: any }) => boolean) {
  const ctrl = new AbortController();
  const res = await fetch(url, { headers: { Cookie: cookie, Accept: 'text/event-stream' }, signal: ctrl.signal });
  expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const seen: { event: string; data: any }[] = [];
  let buffer = '';
  let triggered = false;
  const timer = setTimeout(() => ctrl.abort(), 10_000);
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let i: number;
      while ((i = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, i);
        buffer = buffer.slice(i + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (!event || !data) continue;
        const e = { event, data: JSON.parse(data) };
        seen.push(e);
        if (event === 'ready' && !triggered) {
          triggered = true;
          await trigger();
        }
        if (until(e)) return seen;
      }
    }
  } catch (err) {
    if ((err as Error).name !== 'AbortError') throw err;
  } finally {
    clearTimeout(timer);
    ctrl.abort();
  }
  return seen;
}

describe('dissuasion desk API', () => {
  let h: DeskHarness;
  let alice: Person;
  let bob: Person;
  let carol: Person;
  let caseId: string;
  let caseRef: string;
  let handoffId: string;
  let classifier: Classifier;

  beforeAll(async () => {
    h = await startDeskHarness();
    classifier = await loadClassifier();
    await addUser(h.store, 'alice', 'desk', { phone: '+8613911112222' });
    await addUser(h.store, 'bob', 'desk');
    await addUser(h.store, 'carol', 'manager');
    alice = new Person(h.baseUrl);
    bob = new Person(h.baseUrl);
    carol = new Person(h.baseUrl);
    await alice.login('alice');
    await bob.login('bob');
    await carol.login('carol');
    // Medium risk: the flow starts by SMS and there is no review handoff yet, so the reply opens the first one.
    ({ caseId, caseRef } = await warnCitizen(h, { phone: PHONE, name: '王某', scamType: 'impersonation_police', riskLevel: 'medium', relatives: [{ phone: '+8613900139000', relation: 'father' }] }));
  });
  afterAll(() => h.close());

  it('pushes the new handoff to a desk stream as soon as the citizen says they paid', async () => {
    const events = await collectEvents(
      `${h.baseUrl}/api/desk/stream`,
      alice.cookie!,
      async () => expect(await citizenTexts(h, PHONE, PAID)).toBe(200),
      (e) => e.event === 'handoff' && e.data.change === 'opened',
    );
    const opened = events.find((e) => e.event === 'handoff');
    expect(opened?.data).toEqual({ type: 'handoff', handoffId: expect.any(String), caseId, change: 'opened' });
    handoffId = opened!.data.handoffId;
  });

  it('lists the handoff on the queue with the phone masked, its reason, SLA deadline and the last reply', async () => {
    const { status, body } = await alice.json('GET', '/api/desk/queue');
    expect(status).toBe(200);
    expect(body.counts).toEqual({ open: 1, claimed: 0, escalated: 0 });
    expect(body.items).toHaveLength(1);
    const item = body.items[0];
    expect(item).toMatchObject({ id: handoffId, caseId, reason: 'already_paid', priority: 100, status: 'open', phone: MASKED, name: '王某', riskLevel: 'medium', mine: false, overdue: false });
    // already_paid must be claimed within 2 minutes of the handoff.
    expect(Date.parse(item.slaDueAt) - Date.parse(item.createdAt)).toBeGreaterThan(115_000);
    expect(Date.parse(item.slaDueAt) - Date.parse(item.createdAt)).toBeLessThanOrEqual(120_000);
    // Anything that looks like a number is masked in the reply too.
    expect(item.lastReply).toEqual({ body: '我刚才已经用支付宝转了8000元到安全账户 6222****3445', intent: 'already_paid', at: expect.any(String) });
    // Supervisors see the numbers.
    const sup = (await carol.json('GET', '/api/desk/queue')).body.items[0];
    expect(sup.phone).toBe(PHONE);
    expect(sup.lastReply.body).toBe(PAID);
    // The contract's list masks it for signed-in desk officers too, but not for systems with an API key.
    expect((await alice.json('GET', '/api/handoffs?status=open')).body.handoffs[0].phone).toBe(MASKED);
    const byKey = await fetch(`${h.baseUrl}/api/handoffs?status=open`, { headers: { Authorization: `Bearer ${h.stack.keys.desk}` } });
    expect((await byKey.json()).handoffs[0].phone).toBe(PHONE);
  });

  it('shows an unclaimed case with numbers masked, and audits the read', async () => {
    const { status, body } = await alice.json('GET', `/api/desk/cases/${caseId}`);
    expect(status).toBe(200);
    expect(body.phoneVisible).toBe(false);
    expect(body.case.phone).toBe(MASKED);
    expect(body.case.relatives).toEqual([{ relation: 'father', name: null, phone: '+86139****9000' }]);
    expect(body.you).toMatchObject({ holdsClaim: false, canAct: false, canClaim: true });
    const contract = await alice.json('GET', `/api/cases/${caseId}`);
    expect(contract.body.case.phone).toBe(MASKED);
    expect(contract.body.warnings[0].phone).toBe(MASKED);
    const reads = await h.store.db.selectFrom('audit_events').selectAll().where('case_id', '=', caseId).where('action', '=', 'case_read').execute();
    expect(reads.map((r) => [r.actor, JSON.parse(r.detail!)])).toEqual([
      ['alice', { via: 'desk', phoneVisible: false }],
      ['alice', { phoneVisible: false }],
    ]);
  });

  it('lets one officer claim; a second gets 409 naming who holds it', async () => {
    const claimed = await alice.json('POST', `/api/desk/handoffs/${handoffId}/claim`);
    expect(claimed.status).toBe(200);
    expect(claimed.body.handoff).toMatchObject({ status: 'claimed', claimedBy: 'alice' });
    const second = await bob.json('POST', `/api/desk/handoffs/${handoffId}/claim`);
    expect(second).toEqual({ status: 409, body: { error: 'conflict', message: 'this handoff is already claimed by alice' } });
  });

  it('shows the holder the full number and the whole timeline with intent, confidence and cues', async () => {
    const { body } = await alice.json('GET', `/api/desk/cases/${caseId}`);
    expect(body.phoneVisible).toBe(true);
    expect(body.case.phone).toBe(PHONE);
    expect(body.case.relatives[0].phone).toBe('+8613900139000');
    expect(body.handoff).toMatchObject({ reason: 'already_paid', status: 'claimed', claimedBy: 'alice' });
    // The shipped script for police impersonation; the reply said amount, method, time and account, so
    // it asks none of them again and tells the citizen an officer is coming.
    expect(body.flow).toMatchObject({ flowId: 'impersonation_police', flowVersion: 1, title: '冒充公检法 / fake police, prosecutor or court', stateId: 'paid_done', turns: 1 });
    const kinds = body.timeline.map((t: { kind: string; action?: string; direction?: string }) => t.kind + (t.action ? `:${t.action}` : t.direction ? `:${t.direction}` : ''));
    // Triage and the SMS attempt happen around the same moment, in either order; the conversation is in order.
    expect(kinds).toEqual(expect.arrayContaining(['event:triaged', 'attempt']));
    expect(kinds.filter((k: string) => k !== 'event:triaged' && k !== 'attempt')).toEqual(['warning', 'message:out', 'message:in', 'message:out', 'event:handoff_opened', 'event:handoff_claimed']);
    expect(body.timeline.find((t: { kind: string }) => t.kind === 'attempt')).toMatchObject({ channel: 'sms', target: PHONE, attemptNo: 1 });
    // The reply with exactly what the trained classifier understood from it.
    const understood = classifier.classify(PAID);
    expect(understood).toMatchObject({ intent: 'already_paid', atRisk: true });
    expect(understood.cues).toContain('safe_account');
    const reply = body.timeline.find((t: { direction?: string }) => t.direction === 'in');
    expect(reply).toMatchObject({ body: PAID, intent: 'already_paid', confidence: understood.confidence, atRisk: true, cues: understood.cues, payment: understood.payment });
    // Others still see it masked, in the transcript too.
    const other = await bob.json('GET', `/api/desk/cases/${caseId}`);
    expect(other.body.case.phone).toBe(MASKED);
    expect(other.body.you).toMatchObject({ holdsClaim: false, canClaim: false });
  });

  it('prefills the stop-payment form from what the citizen said, with the time it was first said', async () => {
    const { body } = await alice.json('GET', `/api/desk/cases/${caseId}`);
    const reply = body.timeline.find((t: { direction?: string }) => t.direction === 'in');
    expect(body.stopPayment).toEqual({
      firstMentionedAt: reply.at,
      amount: 8000,
      method: 'alipay',
      paidAt: '刚才',
      account: '6222020200112233445',
      said: { amounts: [8000], methods: ['alipay'], times: ['刚才'], accounts: ['6222020200112233445'] },
    });
  });

  it('sends the holder’s message to the citizen’s phone by SMS; others may not write', async () => {
    const refused = await bob.json('POST', `/api/desk/cases/${caseId}/messages`, { body: 'hello' });
    expect(refused).toEqual({ status: 403, body: { error: 'forbidden', message: 'this case is claimed by alice' } });
    const empty = await alice.json('POST', `/api/desk/cases/${caseId}/messages`, { body: '   ' });
    expect(empty).toEqual({ status: 400, body: { error: 'validation_error', message: 'invalid message: body: write something first' } });
    const text = '王先生您好，我是反诈中心民警，请立即停止转账，我马上给您打电话。';
    const sent = await alice.json('POST', `/api/desk/cases/${caseId}/messages`, { body: text });
    expect(sent.status).toBe(202);
    expect(sent.body.message).toMatchObject({ channel: 'sms', author: 'alice', delivery: 'pending' });
    const got = await h.net.waitForSms(PHONE, { contains: '反诈中心民警', timeoutMs: 10_000 });
    expect(got).toMatchObject({ to: PHONE, from: h.stack.env.TWILIO_FROM, body: text });
    const last = await eventually(async () => {
      const item = (await alice.json('GET', `/api/desk/cases/${caseId}`)).body.timeline.filter((t: { kind: string }) => t.kind === 'message').at(-1);
      return item?.delivery === 'sent' && item;
    }, 'the desk message to show as sent');
    expect(last).toMatchObject({ kind: 'message', direction: 'out', author: 'alice', body: text, delivery: 'sent' });
  });

  it("calls the officer's own phone and connects the citizen", async () => {
    const { status, body } = await alice.json('POST', `/api/desk/cases/${caseId}/call`);
    expect(status).toBe(202);
    expect(body).toEqual({ callSid: expect.stringMatching(/^CA/), ringing: 'your phone' });
    // Alice's phone rings; when she answers she hears which case it is and the citizen is dialled in.
    const ringing = await h.net.waitForCall('+8613911112222', { timeoutMs: 10_000 });
    expect(ringing).toMatchObject({ sid: body.callSid, from: h.stack.env.TWILIO_FROM, statusCallback: `${h.baseUrl}/webhooks/twilio/voice/status?caseId=${caseId}` });
    await h.net.answerCall(ringing.sid);
    const bridged = await eventually(async () => {
      const c = await h.net.call(ringing.sid);
      return c.connectedTo ? c : undefined;
    }, 'the citizen to be connected');
    expect(bridged.connectedTo).toBe(PHONE);
    // In the case's language (a Chinese case), from the message catalogue.
    expect(bridged.transcript.filter((e: { kind: string }) => e.kind === 'say').map((e) => (e as { text?: string; language?: string }) ).map((e) => [e.text, e.language])).toEqual([[`市反诈中心：正在为您接通案件 ${caseRef.split('').join(' ')}。`, 'zh-CN']]);
    await h.net.endDial(ringing.sid);
    await h.net.waitForCallEnd(ringing.sid);
  });

  it('refuses a stop-payment resolution without the account, naming the field', async () => {
    const r = await alice.json('POST', `/api/desk/handoffs/${handoffId}/resolve`, { outcome: 'stop_payment_requested', stopPayment: { amount: 8000, method: 'alipay', account: '', paidAt: '刚才' } });
    expect(r).toEqual({ status: 400, body: { error: 'validation_error', message: 'invalid resolution: stopPayment.account: required: the account or payee the money went to' } });
    const unknown = await alice.json('POST', `/api/desk/handoffs/${handoffId}/resolve`, { outcome: 'scared_them' });
    expect(unknown.status).toBe(400);
  });

  it('resolves with a stop-payment request: the case closes, every desk hears it, the audit has the details', async () => {
    const events = await collectEvents(
      `${h.baseUrl}/api/desk/stream`,
      bob.cookie!,
      async () => {
        const r = await alice.json('POST', `/api/desk/handoffs/${handoffId}/resolve`, {
          outcome: 'stop_payment_requested',
          note: 'Citizen confirmed; bank called.',
          stopPayment: { amount: 8000, method: 'alipay', account: '6222020200112233445', paidAt: '10:20' },
        });
        expect(r.status).toBe(200);
        expect(r.body.handoff).toMatchObject({ status: 'resolved', outcome: 'stop_payment_requested', note: 'Citizen confirmed; bank called.' });
      },
      (e) => e.event === 'handoff' && e.data.change === 'resolved',
    );
    expect(events.at(-1)!.data).toEqual({ type: 'handoff', handoffId, caseId, change: 'resolved' });
    const c = await h.store.db.selectFrom('cases').selectAll().where('id', '=', caseId).executeTakeFirstOrThrow();
    expect(c).toMatchObject({ status: 'closed', outcome: 'stop_payment_requested', next_action: null });
    const actions = await h.store.db.selectFrom('audit_events').select(['actor', 'action']).where('case_id', '=', caseId).where('actor', 'in', ['alice', 'bob']).orderBy('id').execute();
    expect(actions.filter((a) => a.action !== 'case_read')).toEqual([
      { actor: 'alice', action: 'handoff_claimed' },
      { actor: 'alice', action: 'desk_message' },
      { actor: 'alice', action: 'desk_call' },
      { actor: 'alice', action: 'handoff_resolved' },
      // The outcome files a stop-payment request that the bank's answers then move on (issue 15).
      { actor: 'alice', action: 'stop_payment_filed' },
    ]);
    const again = await alice.json('POST', `/api/desk/handoffs/${handoffId}/resolve`, { outcome: 'dissuaded' });
    expect(again).toEqual({ status: 409, body: { error: 'conflict', message: 'this handoff is already resolved' } });
  });

  it('exports stop-payment requests for the bank liaison as JSON and CSV', async () => {
    const json = await carol.json('GET', '/api/stop-payments?format=json');
    expect(json.status).toBe(200);
    expect(json.body.count).toBe(1);
    const row = json.body.stopPayments[0];
    expect(row).toMatchObject({ caseId, caseRef, handoffId, citizen: '王某', phone: PHONE, amount: 8000, currency: 'CNY', method: 'alipay', account: '6222020200112233445', paidAt: '10:20', requestedBy: 'alice', note: 'Citizen confirmed; bank called.' });
    expect(row.firstMentionedAt <= row.requestedAt).toBe(true);
    expect((await alice.json('GET', '/api/stop-payments')).body.stopPayments[0].phone).toBe(MASKED);

    const csv = await carol.request('GET', '/api/stop-payments?format=csv');
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toMatch(/^attachment; filename="stop-payments-\d{8}-\d{4}\.csv"$/);
    // In the person's language (Chinese unless they chose otherwise), times as the centre's wall time with its offset.
    const local = (iso: string) => {
      const d = new Date(Date.parse(iso) + 8 * 3600_000).toISOString();
      return `${d.slice(0, 10)} ${d.slice(11, 19)} +08:00`;
    };
    const lines = (await csv.text()).replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toBe('案件编号,申请止付时间,首次提到付款时间,距首次提到（分钟）,金额,币种,银行/支付方式,收款账户,付款时间（市民所述）,市民,电话,经办民警,备注,案件 ID,转人工 ID');
    expect(lines[1]).toBe(
      [row.caseRef, local(row.requestedAt), local(row.firstMentionedAt), row.minutesFromMention, 8000, 'CNY', '支付宝', '6222020200112233445', '10:20', '王某', PHONE, 'alice', 'Citizen confirmed; bank called.', caseId, handoffId].join(','),
    );
    expect(lines).toHaveLength(3);
    const en = (await (await carol.request('GET', '/api/stop-payments?format=csv&lang=en')).text()).replace(/^\uFEFF/, '').split('\r\n');
    expect(en[0]).toBe('Case ref,Requested at,First said paid at,Minutes from mention,Amount,Currency,Bank / method,Receiving account,Paid at (as said),Citizen,Phone,Requested by,Note,Case id,Handoff id');
    expect(en[1]).toContain(`,${local(row.requestedAt)},`);
    expect(en[1]).toContain(',Alipay,');
    expect((await carol.json('GET', '/api/stop-payments?format=csv&lang=fr')).status).toBe(400);
    const bad = await carol.json('GET', '/api/stop-payments?format=xlsx');
    expect(bad.status).toBe(400);
  });
});

describe('desk claims and the automated flow', () => {
  let h: DeskHarness;
  let alice: Person;
  let bob: Person;
  let carol: Person;

  beforeAll(async () => {
    h = await startDeskHarness();
    await addUser(h.store, 'alice', 'desk');
    await addUser(h.store, 'bob', 'desk');
    await addUser(h.store, 'carol', 'manager');
    for (const [p, u] of [
      [(alice = new Person(h.baseUrl)), 'alice'],
      [(bob = new Person(h.baseUrl)), 'bob'],
      [(carol = new Person(h.baseUrl)), 'carol'],
    ] as const)
      await p.login(u);
  });
  afterAll(() => h.close());

  /** A warned citizen gets the flow's first text and answers it; the reply hands the case to the desk. */
  async function handoffFor(phone: string, text: string, reason: string): Promise<{ caseId: string; handoffId: string }> {
    const { caseId } = await warnCitizen(h, { phone, locale: /[\u4e00-\u9fff]/.test(text) ? 'zh' : 'en' });
    expect(await citizenTexts(h, phone, text)).toBe(200);
    const hf = await handoffOf(h, caseId);
    expect(hf.reason).toBe(reason);
    return { caseId, handoffId: hf.id };
  }

  it('orders the queue most urgent first: already paid before still in the scam, older first within a priority', async () => {
    const a = await handoffFor('+8613800000001', 'they told me to move it to a safe account', 'mid_scam');
    const b = await handoffFor('+8613800000002', 'I already paid 5000 yuan', 'already_paid');
    const c = await handoffFor('+8613800000003', 'they keep telling me to move my savings to a safe account today', 'mid_scam');
    const { body } = await alice.json('GET', '/api/desk/queue');
    expect(body.items.map((i: { caseId: string; reason: string }) => [i.caseId, i.reason])).toEqual([
      [b.caseId, 'already_paid'],
      [a.caseId, 'mid_scam'],
      [c.caseId, 'mid_scam'],
    ]);
  });

  it('lets only the holder release, and a supervisor take a claim back', async () => {
    const { handoffId } = await handoffFor('+8613800000004', 'I transferred 300 yuan just now', 'already_paid');
    await alice.json('POST', `/api/desk/handoffs/${handoffId}/claim`);
    expect(await bob.json('POST', `/api/desk/handoffs/${handoffId}/release`)).toEqual({ status: 403, body: { error: 'forbidden', message: 'only alice or a supervisor can release this handoff' } });
    const taken = await carol.json('POST', `/api/desk/handoffs/${handoffId}/release`);
    expect(taken.body.handoff).toMatchObject({ status: 'open', claimedBy: null });
    const audit = await h.store.db.selectFrom('audit_events').select(['actor', 'detail']).where('action', '=', 'handoff_released').executeTakeFirstOrThrow();
    expect(audit).toEqual({ actor: 'carol', detail: JSON.stringify({ handoffId, from: 'alice' }) });
  });

  it('records a visit dispatched with the precinct', async () => {
    const { caseId, handoffId } = await handoffFor('+8613800000005', '我已经转了2000元', 'already_paid');
    await bob.json('POST', `/api/desk/handoffs/${handoffId}/claim`);
    const missing = await bob.json('POST', `/api/desk/handoffs/${handoffId}/resolve`, { outcome: 'visit_dispatched', visit: { precinct: '' } });
    expect(missing.body.message).toBe('invalid resolution: visit.precinct: required: the police station sent');
    const r = await bob.json('POST', `/api/desk/handoffs/${handoffId}/resolve`, { outcome: 'visit_dispatched', visit: { precinct: '城东派出所' }, note: 'Officers on the way' });
    expect(r.body.handoff).toMatchObject({ outcome: 'visit_dispatched', outcomeDetail: { visit: { precinct: '城东派出所' } } });
    expect((await h.store.db.selectFrom('cases').select('outcome').where('id', '=', caseId).executeTakeFirstOrThrow()).outcome).toBe('visit_dispatched');
  });

  it('returns a case to the automated flow: the handoff closes and the flow answers the citizen again', async () => {
    const phone = '+8613800000006';
    const { caseId, handoffId } = await handoffFor(phone, 'the officer on the line says I must transfer everything to a safe account now', 'mid_scam');
    await h.net.waitForSms(phone, { contains: 'Please stop paying now', timeoutMs: 10_000 });
    await alice.json('POST', `/api/desk/handoffs/${handoffId}/claim`);
    const outbound = async () => (await h.store.db.selectFrom('messages').select('id').where('case_id', '=', caseId).where('direction', '=', 'out').execute()).length;
    // While an officer holds the case, the script leaves the citizen's texts to them.
    const before = await outbound();
    expect(await citizenTexts(h, phone, 'who is this and why are you texting me?')).toBe(200);
    expect(await outbound()).toBe(before);

    const r = await alice.json('POST', `/api/desk/handoffs/${handoffId}/return`, { note: 'Citizen calm; flow can follow up' });
    expect(r.body.handoff).toMatchObject({ status: 'resolved', outcome: 'returned_to_flow', note: 'Citizen calm; flow can follow up' });
    const c = await h.store.db.selectFrom('cases').selectAll().where('id', '=', caseId).executeTakeFirstOrThrow();
    expect(c.status).toBe('open');
    // Mid-conversation: the flow waits for a reply as it would have, half an hour.
    expect(c.next_action).toBe('no_reply');
    expect(Date.parse(c.next_action_at!) - Date.parse(r.body.handoff.resolvedAt)).toBeGreaterThan(29 * 60_000);
    // The citizen's next text gets the script's answer again.
    expect(await citizenTexts(h, phone, 'who is this and why are you texting me?')).toBe(200);
    const answer = await h.net.waitForSms(phone, { timeoutMs: 10_000 });
    expect(answer.body).toContain('You are right to be careful');
  });

  it('explains what to do when there is no phone to ring for a call', async () => {
    const { caseId, handoffId } = await handoffFor('+8613800000007', 'I already paid 100 yuan', 'already_paid');
    await bob.json('POST', `/api/desk/handoffs/${handoffId}/claim`);
    const r = await bob.json('POST', `/api/desk/cases/${caseId}/call`);
    expect(r).toEqual({
      status: 400,
      body: { error: 'validation_error', message: 'no phone to ring for you: add yours with `npm run user:add -- --username <you> --phone +86… --update`, or set TWILIO_DESK_NUMBER' },
    });
  });
});
