// Providers re-deliver callbacks (timeouts, their own retries). The second delivery, byte for byte the same
// and correctly signed, must change nothing: no second message, no second rung, no second reply.
import { startE2E, warn, caseView, caseRow, waitAudit, waitHandoff, type E2E } from './helpers';
import { eventually } from '../support/stack';

describe('re-delivered callbacks', () => {
  let e: E2E;
  beforeAll(async () => {
    e = await startE2E();
  });
  afterAll(async () => {
    await e?.stop();
  });

  const snapshot = async (caseId: string) => {
    const v = await caseView(e.stack, caseId);
    const row = await caseRow(e, caseId);
    return {
      transcript: v.transcript.map((m: { direction: string; body: string }) => `${m.direction}:${m.body}`),
      attempts: v.attempts.map((a: { id: string; status: string }) => `${a.id}:${a.status}`),
      handoffs: v.handoffs.map((h: { reason: string; priority: number }) => `${h.reason}:${h.priority}`),
      audit: v.audit.filter((a: { action: string }) => a.action !== 'case_read').map((a: { action: string }) => a.action),
      next: `${row.next_action}@${row.next_action_at}`,
      plan: row.plan,
      conversation: row.conversation,
    };
  };

  it('a call status (same CallSid + status) re-delivered starts no second rung', async () => {
    const phone = '+8613900139061';
    const net = e.stack.network.control;
    await net.setBehaviour(phone, { call: 'no-answer' });
    const { caseId } = await warn(e.stack, { phone, riskLevel: 'high' });
    const call = await net.waitForCall(phone, { timeoutMs: 15000 });
    await net.waitForCallEnd(call.sid, { timeoutMs: 10000 });
    const cb = await net.waitForCallback({ ref: call.sid, kind: 'call-status', status: 'no-answer' });
    // Unanswered: the next rung started (the written warning), and the text has settled.
    await waitAudit(e.stack, caseId, 'rung_started', 2);
    const sms = await net.waitForSms(phone, { timeoutMs: 15000 });
    await net.waitForCallback({ ref: sms.sid, kind: 'sms-status', status: 'delivered' }, { timeoutMs: 10000 });
    await eventually(async () => (await caseView(e.stack, caseId)).attempts.some((a: { status: string }) => a.status === 'delivered') || undefined, 'the text recorded as delivered');
    const before = await snapshot(caseId);
    const again = await net.redeliver(cb.id);
    expect(again.status).toBeGreaterThanOrEqual(200);
    expect(again.status).toBeLessThan(300);
    expect(await snapshot(caseId)).toEqual(before);
    expect(await net.calls(phone)).toHaveLength(1);
  });

  it('an incoming SMS (same MessageSid) re-delivered is one reply, answered once', async () => {
    const phone = '+8613900139062';
    const net = e.stack.network.control;
    const { caseId } = await warn(e.stack, { phone, riskLevel: 'medium' });
    await net.waitForSms(phone, { timeoutMs: 15000 });
    const sent = await net.sendSms(phone, '没有，我没转过钱');
    await net.waitForSms(phone, { timeoutMs: 15000 });
    const incoming = await net.waitForCallback({ ref: sent.sid, kind: 'incoming-sms' });
    const status = (await net.callbacks({ kind: 'sms-status', status: 'delivered' })).at(-1)!;
    const before = await snapshot(caseId);
    expect((await net.redeliver(incoming.id)).status).toBe(200);
    expect((await net.redeliver(status.id)).status).toBe(204);
    expect(await snapshot(caseId)).toEqual(before);
    const toCitizen = (await net.inbox(phone)).filter((i) => i.channel === 'sms' && i.direction === 'to-citizen');
    expect(toCitizen).toHaveLength(2);
  });

  it('a gather result re-delivered answers the same TwiML and records nothing new', async () => {
    const phone = '+8613900139063';
    const net = e.stack.network.control;
    const { caseId } = await warn(e.stack, { phone, riskLevel: 'high' });
    const call = await net.waitForCall(phone, { timeoutMs: 15000 });
    await net.answerCall(call.sid);
    await net.waitForGather(call.sid);
    await net.answerGather(call.sid, { speech: '对方还在让我转账', confidence: 0.9 });
    await waitHandoff(e.stack, caseId, 'mid_scam');
    const gather = await net.waitForCallback({ ref: call.sid, kind: 'gather-action' });
    await net.waitForCallEnd(call.sid);
    await net.waitForCallback({ ref: call.sid, kind: 'call-status', status: 'completed' });
    const before = await snapshot(caseId);
    const again = await net.redeliver(gather.id);
    expect(again.status).toBe(200);
    expect(again.responseBody).toBe(gather.responseBody);
    expect(await snapshot(caseId)).toEqual(before);
  });

  it('a Telegram update (same update_id) re-delivered is handled once', async () => {
    const chatId = 70061;
    const net = e.stack.network.control;
    const { caseId } = await warn(e.stack, { phone: '+8613900139064', riskLevel: 'low', telegramChatId: String(chatId) });
    await net.waitForTelegram(chatId, { timeoutMs: 15000 });
    const msg = await net.sendTelegram(chatId, '没有转过钱，我知道是骗子');
    await net.waitForTelegram(chatId, { timeoutMs: 15000 });
    const update = (await net.callbacks({ kind: 'telegram-update' })).find((c) => (c.params as { message?: { message_id?: number } }).message?.message_id === msg.messageId)!;
    const before = await snapshot(caseId);
    const botMessages = (await net.telegramChat(chatId)).messages.filter((m) => m.from === 'bot').length;
    expect((await net.redeliver(update.id)).status).toBe(200);
    expect(await snapshot(caseId)).toEqual(before);
    expect((await net.telegramChat(chatId)).messages.filter((m) => m.from === 'bot')).toHaveLength(botMessages);
  });
});
