// A citizen who missed our call rings the number back: recognised by caller number, they continue their
// own case (no new case), and the contact ladder stops calling them.
import { startE2E, warn, caseView, caseRow, advance, waitAudit, waitHandoff, type E2E } from './helpers';
import { eventually } from '../support/stack';

describe('calling back', () => {
  let e: E2E;
  beforeAll(async () => {
    e = await startE2E();
  });
  afterAll(async () => {
    await e?.stop();
  });

  it('a missed citizen who calls back continues their case and the ladder stops', async () => {
    const phone = '+8613900139081';
    const net = e.stack.network.control;
    await net.setBehaviour(phone, { call: 'no-answer' });
    const { caseId, caseRef } = await warn(e.stack, { phone, riskLevel: 'high' });
    const missed = await net.waitForCall(phone, { timeoutMs: 15000 });
    await net.waitForCallEnd(missed.sid, { timeoutMs: 10000 });
    // Unanswered: the next rung (the written warning at once, another call later).
    await waitAudit(e.stack, caseId, 'rung_started', 2);

    const incoming = await net.placeCall(phone);
    const greet = await net.waitForGather(incoming.sid, { timeoutMs: 10000 });
    expect(greet.prompt.join('')).toContain(`您的案件编号是${caseRef}`);
    expect(greet.language).toBe('cmn-Hans-CN');
    expect(greet.action).toContain(`caseId=${caseId}`);
    // Calling us is an answer: the ladder stops at once, before they say anything.
    expect(JSON.parse((await caseRow(e, caseId)).lifecycle!)).toMatchObject({ reached: true, phase: 'conversation' });

    await net.answerGather(incoming.sid, { speech: '没有，我没有转过钱', confidence: 0.9 });
    const next = await net.waitForGather(incoming.sid);
    expect(next.prompt.join('')).toContain('现在还有人让您转账');

    const view = await caseView(e.stack, caseId);
    expect(view.transcript.filter((m: { direction: string; channel: string }) => m.direction === 'in' && m.channel === 'voice')).toHaveLength(1);
    expect(view.transcript.find((m: { flowId: string }) => m.flowId === 'return_contact')).toBeDefined();
    const cases = await e.store.db.selectFrom('cases').select('id').where('phone', '=', phone).execute();
    expect(cases).toEqual([{ id: caseId }]);
    const row = await caseRow(e, caseId);
    expect(JSON.parse(row.lifecycle!).reached).toBe(true);

    // When the next call would have been due: no call goes out while or after they talk to us.
    await net.hangUp(incoming.sid);
    await advance(e, caseId);
    await eventually(async () => (await caseRow(e, caseId)).next_action_at !== row.next_action_at || undefined, 'the due action to run');
    expect((await net.calls(phone)).filter((c) => c.direction === 'outbound-api')).toHaveLength(1);
    expect((await caseView(e.stack, caseId)).audit.filter((a: { action: string }) => a.action === 'rung_started')).toHaveLength(2);
  });

  it('a caller with no open case gets a return-contact case and can reach a human', async () => {
    const phone = '+8613900139082';
    const net = e.stack.network.control;
    const incoming = await net.placeCall(phone);
    await net.waitForGather(incoming.sid, { timeoutMs: 10000 });
    await net.answerGather(incoming.sid, { digits: '0' });
    const c = await eventually(async () => e.store.db.selectFrom('cases').selectAll().where('phone', '=', phone).executeTakeFirst(), 'a case for the caller');
    const h = await waitHandoff(e.stack, c.id, 'request_human');
    expect(h.status).toBe('open');
    expect((await caseView(e.stack, c.id)).audit.some((a: { action: string }) => a.action === 'return_contact')).toBe(true);
  });
});
