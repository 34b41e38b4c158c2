// The contact ladder for someone who never picks up: three unanswered calls (with the policy's backoff),
// the written warning, a relative asked to help (told as little as possible), then an officer with a
// visit proposed. One live contact with the person at a time.
import { startE2E, warn, caseView, caseRow, advance, waitAudit, waitHandoff, type E2E } from './helpers';
import { eventually } from '../support/stack';

describe('ladder: unreachable person', () => {
  let e: E2E;
  beforeAll(async () => {
    e = await startE2E();
  });
  afterAll(async () => {
    await e?.stop();
  });

  it('calls three times, texts, asks a relative, then hands off as unreachable with a visit proposed', async () => {
    const phone = '+8613900139021';
    const relative = '+8613900139029';
    const net = e.stack.network.control;
    await net.setBehaviour(phone, { call: 'no-answer' });
    const { caseId, caseRef } = await warn(e.stack, { phone, riskLevel: 'high', amount: 38000, relatives: [{ phone: relative, relation: '女儿' }] });

    const sids: string[] = [];
    for (let n = 1; n <= 3; n++) {
      const call = await net.waitForCall(phone, { timeoutMs: 15000 });
      sids.push(call.sid);
      expect((await net.waitForCallEnd(call.sid, { timeoutMs: 10000 })).status).toBe('no-answer');
      if (n < 3) {
        const retries = await waitAudit(e.stack, caseId, 'retry_scheduled', n);
        expect(retries[n - 1].detail).toMatchObject({ channel: 'voice', inMinutes: n, why: 'call no-answer' });
        // While the retry waits, nothing else reaches the person.
        expect((await net.calls(phone)).length).toBe(n);
        await advance(e, caseId, 'contact');
      }
    }

    // Calls never overlapped: each one ended before the next was placed.
    const calls = await net.calls(phone);
    expect(calls.map((c) => c.sid)).toEqual(sids);
    for (let i = 1; i < calls.length; i++) expect(calls[i]!.dateCreated >= calls[i - 1]!.endTime!).toBe(true);

    // Next rung: the warning in writing, sent after the last call ended.
    const sms = await net.waitForSms(phone, { timeoutMs: 15000 });
    expect(sms.body).toContain(caseRef);
    expect(sms.dateCreated >= calls[2]!.endTime!).toBe(true);

    // No reply to the SMS: the relative is asked to help.
    await advance(e, caseId, 'no_reply');
    const toRelative = await net.waitForSms(relative, { timeoutMs: 15000 });
    expect(toRelative.body).toContain(caseRef);
    expect(toRelative.body).toContain('96110');
    // Minimal disclosure: no amount, no scam details.
    expect(toRelative.body).not.toMatch(/38000|38,000|诈骗|网恋|投资/);

    const h = await waitHandoff(e.stack, caseId, 'unreachable');
    expect(h.note).toContain('in-person visit proposed');
    const view = await caseView(e.stack, caseId);
    expect(view.attempts.map((a: { channel: string; to_relative: number }) => `${a.channel}${a.to_relative ? ':relative' : ''}`)).toEqual(['voice', 'voice', 'voice', 'sms', 'sms:relative']);
    expect(view.audit.filter((a: { action: string }) => a.action === 'relative_contacted')).toHaveLength(1);
    const row = await caseRow(e, caseId);
    expect(row.next_action).toBeNull();
    // Nothing more goes to the person after the handoff.
    await eventually(async () => (await net.inbox(phone)).filter((i) => i.direction === 'to-citizen').length === 1, 'the inbox to settle');

    // The relative answers: their words land on the person's case and raise its urgency; no case is opened for them.
    await net.sendSms(relative, '我问了，她说昨天已经转了三万给那个人');
    const raised = await waitHandoff(e.stack, caseId, 'already_paid');
    expect(raised.id).toBe(h.id);
    const after = await caseView(e.stack, caseId);
    expect(after.transcript.filter((m: { author: string }) => m.author === 'relative')).toEqual([
      expect.objectContaining({ direction: 'in', body: '我问了，她说昨天已经转了三万给那个人', intent: 'already_paid' }),
    ]);
    expect(await e.store.db.selectFrom('cases').select('id').where('phone', '=', relative).execute()).toEqual([]);
  });
});
