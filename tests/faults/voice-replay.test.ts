// Twilio asks for a call's TwiML again (its own retry after a slow answer, or a proxy replaying the request)
// while the conversation has moved on. The replay is answered with what the call was first told and
// changes nothing: the conversation is not reset to its first question.
import { startE2E, warn, caseRow, type E2E } from '../e2e/helpers';
import { faultDatabase, faultFigures, reconcile, reportFigures } from './reconcile';

jest.setTimeout(60_000);

describe('a replayed voice webhook', () => {
  let e: E2E;
  beforeAll(async () => {
    e = await startE2E({ ringMs: 20_000, db: faultDatabase() });
  });
  afterAll(async () => {
    await e?.stop();
  });

  it('answers the same TwiML and leaves the conversation where it was', async () => {
    const phone = '+8613900139121';
    const net = e.stack.network.control;
    const { caseId } = await warn(e.stack, { phone, riskLevel: 'high' });
    const call = await net.waitForCall(phone, { timeoutMs: 15_000 });
    await net.answerCall(call.sid);
    await net.waitForGather(call.sid);
    await net.answerGather(call.sid, { speech: '没有，我没有转过钱', confidence: 0.9 });
    const second = await net.waitForGather(call.sid);
    expect(second.prompt.join('')).toContain('现在还有人让您转账');
    const before = await caseRow(e, caseId);
    const conversation = JSON.parse(before.conversation!);
    expect(conversation.stateId).not.toBe('greet');

    const [answer] = await net.callbacks({ ref: call.sid, kind: 'voice-url' });
    const again = await net.redeliver(answer!.id);
    expect(again.status).toBe(200);
    expect(again.responseBody).toBe(answer!.responseBody);
    const after = await caseRow(e, caseId);
    expect(JSON.parse(after.conversation!)).toEqual(conversation);
    expect(after.next_action).toBe(before.next_action);

    // The citizen goes on from where they were.
    await net.answerGather(call.sid, { speech: '没有人让我转账了，我不会转的', confidence: 0.9 });
    await net.waitForCallEnd(call.sid, { timeoutMs: 10_000 });
    const outcome = await caseRow(e, caseId);
    expect(JSON.parse(outcome.conversation!).stateId).not.toBe('greet');

    const externalIds = (await e.store.db.selectFrom('warnings').select('external_id').where('case_id', '=', caseId).execute()).map((w) => w.external_id);
    const figures = await faultFigures(e.store.db, e.stack.network, externalIds, 1);
    reportFigures('voice answer webhook replayed mid-call', figures);
    expect(figures).toMatchObject({ accepted: 1, contacted: 1, duplicated: 0, lost: 0, problems: [] });
    expect(await reconcile(e.store.db, externalIds)).toEqual({ warnings: 1, problems: [] });
  });
});
