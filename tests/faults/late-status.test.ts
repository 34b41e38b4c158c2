// Status callbacks that come late or twice: Twilio does not promise order, retries its callbacks, and a
// proxy may replay one. A status belongs to its own attempt: one for an attempt the case has moved past is
// recorded and changes nothing; a second terminal status for the same call moves nothing a second time.
import { startE2E, warn, caseView, caseRow, advance, type E2E } from '../e2e/helpers';
import { eventually } from '../support/stack';
import { resendWith } from '../support/twilio-callbacks';
import { faultDatabase, faultFigures, reconcile, reportFigures } from './reconcile';

jest.setTimeout(90_000);

describe('late and duplicate terminal statuses', () => {
  let e: E2E;
  const ids: string[] = [];
  beforeAll(async () => {
    // A ringing phone keeps ringing for a minute, so a call stays the case's current attempt while we look.
    e = await startE2E({ ringMs: 60_000, db: faultDatabase() });
  });
  afterAll(async () => {
    await e?.stop();
  });
  const externalIdOf = async (caseId: string) => (await e.store.db.selectFrom('warnings').select('external_id').where('case_id', '=', caseId).executeTakeFirstOrThrow()).external_id;
  const forge = (cb: Parameters<typeof resendWith>[2], changes: Record<string, string>) => resendWith(e.stack.appUrl, e.stack.env.TWILIO_AUTH_TOKEN!, cb, changes);

  it('a second terminal status for an unanswered call does not skip the next call', async () => {
    const phone = '+8613900139111';
    const net = e.stack.network.control;
    await net.setBehaviour(phone, { call: 'busy' });
    const { caseId } = await warn(e.stack, { phone, riskLevel: 'high' });
    ids.push(await externalIdOf(caseId));
    const first = await net.waitForCall(phone, { timeoutMs: 15_000 });
    const busy = await net.waitForCallback({ ref: first.sid, kind: 'call-status', status: 'busy' }, { timeoutMs: 10_000 });
    // Unanswered: the next rung (a text now, and the next call after its deadline).
    await net.waitForSms(phone, { timeoutMs: 15_000 });
    const planned = await eventually(async () => {
      const row = await caseRow(e, caseId);
      return row.next_action ? row : undefined;
    }, 'the next call to be planned');

    // The same call reported again as failed with an error code, as a replayed or reordered callback would.
    expect((await forge(busy, { CallStatus: 'failed', ErrorCode: '31005' })).status).toBe(204);
    const after = await caseRow(e, caseId);
    expect([after.next_action, after.next_action_at]).toEqual([planned.next_action, planned.next_action_at]);
    expect((await caseView(e.stack, caseId)).handoffs.filter((h: { reason: string }) => h.reason === 'unreachable')).toEqual([]);

    await advance(e, caseId);
    const second = await net.waitForCall(phone, { timeoutMs: 15_000 });
    expect(second.sid).not.toBe(first.sid);
  });

  it('a late undelivered for an earlier attempt is recorded and does not move the ladder on', async () => {
    const phone = '+8613900139112';
    const net = e.stack.network.control;
    const { caseId } = await warn(e.stack, { phone, riskLevel: 'medium' });
    ids.push(await externalIdOf(caseId));
    const sms = await net.waitForSms(phone, { timeoutMs: 15_000 });
    const delivered = await net.waitForCallback({ ref: sms.sid, kind: 'sms-status', status: 'delivered' }, { timeoutMs: 10_000 });
    // No reply to the text: the next rung calls, and the phone rings.
    await advance(e, caseId);
    const call = await net.waitForCall(phone, { timeoutMs: 15_000 });
    await eventually(async () => (await caseView(e.stack, caseId)).attempts.find((a: { channel: string; provider_id: string | null }) => a.channel === 'voice' && a.provider_id), 'the call recorded');
    const before = await caseRow(e, caseId);

    expect((await forge(delivered, { MessageStatus: 'undelivered', SmsStatus: 'undelivered', ErrorCode: '30003' })).status).toBe(204);
    const view = await caseView(e.stack, caseId);
    expect(view.attempts.find((a: { channel: string }) => a.channel === 'sms')).toMatchObject({ status: 'undelivered', error_code: '30003' });
    expect(view.handoffs.filter((h: { reason: string }) => h.reason === 'unreachable')).toEqual([]);
    const after = await caseRow(e, caseId);
    expect([after.next_action, after.next_action_at]).toEqual([before.next_action, before.next_action_at]);
    expect((await net.call(call.sid)).status).toBe('ringing');
    await net.rejectCall(call.sid);
  });

  it('ends with every warning worked exactly once per attempt', async () => {
    const figures = await faultFigures(e.store.db, e.stack.network, ids, 2);
    reportFigures('late and duplicate terminal statuses', figures);
    expect(figures).toMatchObject({ accepted: 2, contacted: 2, duplicated: 0, lost: 0, problems: [] });
    expect(await reconcile(e.store.db, ids)).toEqual({ warnings: 2, problems: [] });
  });
});
