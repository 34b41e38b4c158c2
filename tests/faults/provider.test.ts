// The provider misbehaves: 500s and timeouts on the API, callbacks re-delivered and out of order.
// The citizen still gets exactly one warning, and every case keeps a next step.
import path from 'node:path';
import { startStack, eventually, type Stack } from '../support/stack';
import { postSignedTwilio } from '../support/twilio-callbacks';
import { faultDatabase, faultFigures, reconcile, reportFigures, runSize, settleOrReport, warningFor } from './reconcile';

const POLICY = path.resolve(__dirname, '../support/policies/no-quiet-hours.yaml');
jest.setTimeout(90_000 + runSize(3) * 600);

describe('provider faults', () => {
  let stack: Stack;
  const ids: string[] = [];
  const phones: string[] = [];
  let repliedPhone = '';
  beforeAll(async () => {
    stack = await startStack({ db: faultDatabase(), env: { POLICY_FILE: POLICY, PROVIDER_CONFIRM_WAIT_MS: '1500' } });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const warn = async (tag: string, extra: Record<string, unknown> = {}) => {
    const w = warningFor(tag, ids.length, extra);
    const r = await stack.api('POST', '/api/warnings', 'intake', w);
    expect(r.status).toBe(202);
    ids.push(w.externalId);
    phones.push(w.phone);
    return { ...w, caseId: r.body.caseId as string, caseRef: r.body.caseRef as string };
  };

  const signedPost = (pathAndQuery: string, params: Record<string, string>) => postSignedTwilio(stack.appUrl, stack.env.TWILIO_AUTH_TOKEN!, pathAndQuery, params);

  it('retries through two Twilio 500s and sends the warning once', async () => {
    await stack.network.control.injectFault({ target: 'twilio', kind: 500, count: 2, pathContains: 'Messages' });
    const w = await warn('p500');
    const sms = await stack.network.control.waitForSms(w.phone, { timeoutMs: 30_000 });
    expect(sms.body).toContain(w.caseRef);
    const refused = (await stack.network.control.apiRequests()).filter((r) => r.fault === 500);
    expect(refused).toHaveLength(2);
  });

  it('retries after a Twilio request times out and sends the warning once', async () => {
    await stack.network.control.injectFault({ target: 'twilio', kind: 'timeout', count: 1, pathContains: 'Messages' });
    const w = await warn('ptimeout');
    const sms = await stack.network.control.waitForSms(w.phone, { timeoutMs: 40_000 });
    expect(sms.body).toContain(w.caseRef);
  });

  it('never sends twice when Twilio sent the SMS but its answer was lost: the status callback confirms it', async () => {
    await stack.network.control.injectFault({ target: 'twilio', kind: 'accepted-timeout', count: 1, pathContains: 'Messages' });
    const w = await warn('plost');
    const sms = await stack.network.control.waitForSms(w.phone, { timeoutMs: 10_000 });
    expect(sms.body).toContain(w.caseRef);
    const confirmed = await eventually(async () => {
      const v = (await stack.api('GET', `/api/cases/${w.caseId}`, 'desk')).body;
      return v.attempts[0]?.provider_id && v.attempts[0].status === 'delivered' ? v : undefined;
    }, 'the attempt confirmed by its status callback', 30_000);
    expect(confirmed.attempts).toEqual([expect.objectContaining({ channel: 'sms', attempt_no: 1, status: 'delivered', provider_id: sms.sid })]);
    // The case waits for the person as usual: the rung's deadline, nothing sent again.
    expect(confirmed.case.nextAction).toBe('rung_deadline');
    await new Promise((r) => setTimeout(r, 11_000)); // past the Twilio client's timeout: the lost answer changes nothing
    expect(stack.network.state.messages.filter((m) => m.to === w.phone)).toHaveLength(1);
  });

  it('never sends twice when Twilio carried out the request and then answered 502 (a load balancer, or a 5xx after processing)', async () => {
    const size = runSize(3);
    // Small runs: every warning's request answered 502 after it was sent; at scale, one in four.
    const faults = size <= 3 ? size : Math.ceil(size / 4);
    await stack.network.control.injectFault({ target: 'twilio', kind: 'accepted-502', count: faults, pathContains: 'Messages' });
    const batch = Array.from({ length: size }, (_, i) => warningFor('p502', ids.length + i));
    const r = await stack.api('POST', '/api/warnings', 'intake', { warnings: batch });
    expect(r.body).toMatchObject({ accepted: size });
    const ws = batch.map((w, i) => ({ ...w, caseId: r.body.results[i].caseId as string }));
    ids.push(...batch.map((w) => w.externalId));
    phones.push(...batch.map((w) => w.phone));
    for (const w of ws) await stack.network.control.waitForSms(w.phone, { timeoutMs: 30_000 });
    expect((await stack.network.control.apiRequests()).filter((x) => x.fault === 'accepted-502')).toHaveLength(faults);
    // Each attempt settles on the one SMS that went out: its status callback or a look-up with Twilio confirms it.
    const name = `${faults} of ${size} warning requests answered 502 after Twilio sent them`;
    const batchIds = batch.map((w) => w.externalId);
    let settled: any[] = [];
    await settleOrReport(name, () => stack.db.open(), stack.network, batchIds, faults, eventually(async () => {
      const views = await Promise.all(ws.map(async (w) => (await stack.api('GET', `/api/cases/${w.caseId}`, 'desk')).body));
      settled = views;
      return views.every((v) => v.attempts.length === 1 && v.attempts[0].provider_id) ? views : undefined;
    }, 'each attempt confirmed', 30_000 + size * 300));
    const store = await stack.db.open();
    try {
      reportFigures(name, await faultFigures(store.db, stack.network, batchIds, faults));
    } finally {
      await store.close();
    }
    for (const [i, w] of ws.entries()) {
      const sent = stack.network.state.messages.filter((m) => m.to === w.phone);
      expect(sent).toHaveLength(1);
      expect(settled[i].attempts[0].provider_id).toBe(sent[0]!.sid);
    }
  });

  it('processes a re-delivered reply once: one inbound message, one answer', async () => {
    const w = await warn('pdup');
    repliedPhone = w.phone;
    await stack.network.control.waitForSms(w.phone, { timeoutMs: 15_000 });
    await stack.network.control.sendSms(w.phone, '我知道是骗子，我不会转钱的');
    const reply = await stack.network.control.waitForSms(w.phone, { timeoutMs: 15_000 });
    const [incoming] = await stack.network.control.callbacks({ kind: 'incoming-sms' }).then((cbs) => cbs.filter((c) => c.params.From === w.phone));
    const again = await stack.network.control.redeliver(incoming!.id);
    expect(again.status).toBe(200);
    await new Promise((r) => setTimeout(r, 1500));
    const view = await stack.api('GET', `/api/cases/${w.caseId}`, 'desk');
    expect(view.body.transcript.filter((m: { direction: string }) => m.direction === 'in')).toHaveLength(1);
    const toCitizen = (await stack.network.control.inbox(w.phone)).filter((i) => i.direction === 'to-citizen');
    expect(toCitizen.map((i) => i.ref)).toEqual([expect.any(String), reply.sid]);
  });

  it('keeps the newest SMS status when an older one arrives late', async () => {
    const w = await warn('porder');
    const sms = await stack.network.control.waitForSms(w.phone, { timeoutMs: 15_000 });
    await stack.network.control.waitForCallback({ ref: sms.sid, kind: 'sms-status', status: 'delivered' }, { timeoutMs: 10_000 });
    const [delivered] = await stack.network.control.callbacks({ ref: sms.sid, status: 'delivered' });
    // A 'sent' callback overtaken by 'delivered' arrives last, as Twilio does not guarantee order.
    const late = await signedPost(new URL(delivered!.url).pathname + new URL(delivered!.url).search, { ...(delivered!.params as Record<string, string>), MessageStatus: 'sent', SmsStatus: 'sent' });
    expect(late.status).toBe(204);
    const store = await stack.db.open();
    try {
      const attempt = await store.db.selectFrom('contact_attempts').select(['status']).where('case_id', '=', w.caseId).executeTakeFirstOrThrow();
      expect(attempt.status).toBe('delivered');
    } finally {
      await store.close();
    }
  });

  it('ends with every warning worked exactly once', async () => {
    await eventually(async () => phones.every((p) => stack.network.state.messages.some((m) => m.to === p)), 'a warning to each');
    // One warning SMS per person; the person who replied got exactly one answer besides.
    const outbound = (p: string) => stack.network.state.messages.filter((m) => m.direction !== 'inbound' && m.to === p).length;
    expect(phones.map((p) => [p, outbound(p)])).toEqual(phones.map((p) => [p, p === repliedPhone ? 2 : 1]));
    expect(stack.network.state.calls).toEqual([]);
    const store = await stack.db.open();
    try {
      expect(await reconcile(store.db, ids)).toEqual({ warnings: ids.length, problems: [] });
      const injected = (await stack.network.control.apiRequests()).filter((r) => r.fault !== null).length;
      const figures = await faultFigures(store.db, stack.network, ids, injected);
      reportFigures('provider faults (500, timeout, accepted-timeout, accepted-502)', figures);
      expect(figures).toMatchObject({ accepted: ids.length, contacted: ids.length, duplicated: 0, lost: 0, problems: [] });
    } finally {
      await store.close();
    }
  });
});
