// Escalation by risk for a high-risk person who never picks up, as the centre works: unanswered → the
// warning in writing at once and another call within minutes → a relative at once (told as little as
// possible) → an officer, high in the queue, with a station visit requested. One live call at a time.
import { startE2E, warn, caseView, caseRow, advance, waitAudit, waitHandoff, type E2E } from './helpers';
import { eventually } from '../support/stack';
import { HANDOFF_PRIORITIES } from '../../flows/engine/vocabulary';

describe('ladder: unreachable high-risk person', () => {
  let e: E2E;
  beforeAll(async () => {
    e = await startE2E();
  });
  afterAll(async () => {
    await e?.stop();
  });

  it('calls, texts at once and calls again, asks a relative at once, then hands off high with a visit requested', async () => {
    const phone = '+8613900139021';
    const relative = '+8613900139029';
    const net = e.stack.network.control;
    await net.setBehaviour(phone, { call: 'no-answer' });
    const { caseId, caseRef } = await warn(e.stack, { phone, riskLevel: 'high', amount: 38000, relatives: [{ phone: relative, relation: '女儿' }] });

    const first = await net.waitForCall(phone, { timeoutMs: 15000 });
    const firstEnd = await net.waitForCallEnd(first.sid, { timeoutMs: 10000 });
    expect(firstEnd.status).toBe('no-answer');

    // Unanswered: the warning in writing at once, without waiting for a retry.
    const sms = await net.waitForSms(phone, { timeoutMs: 15000 });
    expect(sms.body).toContain(caseRef);
    expect(sms.dateCreated >= firstEnd.endTime!).toBe(true);
    // …and another call within the policy's few minutes, not half an hour.
    const planned = await eventually(async () => {
      const row = await caseRow(e, caseId);
      return row.next_action ? row : undefined;
    }, 'a second call to be planned');
    expect(Date.parse(planned.next_action_at!) - Date.now()).toBeLessThanOrEqual(5 * 60_000);
    expect(await net.calls(phone)).toHaveLength(1);
    await advance(e, caseId);
    const second = await net.waitForCall(phone, { timeoutMs: 15000 });
    const secondEnd = await net.waitForCallEnd(second.sid, { timeoutMs: 10000 });
    expect(second.dateCreated >= firstEnd.endTime!).toBe(true);

    // Unanswered again: a relative at once.
    const toRelative = await net.waitForSms(relative, { timeoutMs: 15000 });
    expect(toRelative.dateCreated >= secondEnd.endTime!).toBe(true);
    expect(toRelative.body).toContain(caseRef);
    expect(toRelative.body).toContain('96110');
    // Minimal disclosure: no amount, no scam details.
    expect(toRelative.body).not.toMatch(/38000|38,000|诈骗|网恋|投资/);

    // No answer from anyone before the rung's deadline: an officer, high in the queue, and a station visit.
    await advance(e, caseId);
    const h = await waitHandoff(e.stack, caseId, 'unreachable');
    expect(h.priority).toBeGreaterThanOrEqual(HANDOFF_PRIORITIES.unreachable_high);
    expect(h.note).toContain('visit');
    await waitAudit(e.stack, caseId, 'visit_requested');
    const view = await caseView(e.stack, caseId);
    expect(view.attempts.map((a: { channel: string; to_relative: number }) => `${a.channel}${a.to_relative ? ':relative' : ''}`)).toEqual(['voice', 'sms', 'voice', 'sms:relative']);
    expect(view.audit.filter((a: { action: string }) => a.action === 'relative_contacted')).toHaveLength(1);
    const row = await caseRow(e, caseId);
    expect(row.next_action).toBeNull();
    // Nothing more goes to the person after the handoff.
    await eventually(async () => (await net.inbox(phone)).filter((i) => i.direction === 'to-citizen').length === 1, 'the inbox to settle');
    expect(await net.calls(phone)).toHaveLength(2);

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
