// A status callback is carried out whole or not at all. The database refuses one of its writes half-way (here
// the audit row of an unanswered call, as a full disk or a lost connection would): Twilio gets a 5xx, and
// nothing of the callback stays written — not the attempt's status, not the delivery key — so Twilio's retry
// is processed whole: the attempt recorded once, the next rung started once.
import { sql } from 'kysely';
import { startE2E, warn, caseRow, type E2E } from '../e2e/helpers';
import { eventually } from '../support/stack';
import { ENGINES } from '../support/databases';

jest.setTimeout(60_000);

describe.each(ENGINES)('a status callback that fails half-way (%s)', (engine, makeDb) => {
  let e: E2E;
  beforeAll(async () => {
    e = await startE2E({ db: makeDb() });
  });
  afterAll(async () => {
    await e?.stop();
  });

  const refuseUnansweredAudit = async () => {
    if (engine === 'postgres') {
      await sql`CREATE FUNCTION refuse_call_not_answered() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.action = 'call_not_answered' THEN RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END $$`.execute(e.store.db);
      await sql`CREATE TRIGGER refuse_call_not_answered BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION refuse_call_not_answered()`.execute(e.store.db);
    } else {
      await sql`CREATE TRIGGER refuse_call_not_answered BEFORE INSERT ON audit_events WHEN NEW.action = 'call_not_answered' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END`.execute(e.store.db);
    }
  };
  const allowAgain = () => sql`DROP TRIGGER refuse_call_not_answered${sql.raw(engine === 'postgres' ? ' ON audit_events' : '')}`.execute(e.store.db);

  const seen = async (caseId: string, callSid: string) => {
    // The case's call (its first attempt), found by its case: an attempt the callback could not find fails the test.
    const attempt = await e.store.db.selectFrom('contact_attempts').select(['status', 'provider_id']).where('case_id', '=', caseId).where('attempt_no', '=', 1).executeTakeFirstOrThrow();
    expect(attempt.provider_id).toBe(callSid);
    const audits = await e.store.db.selectFrom('audit_events').select('action').where('case_id', '=', caseId).execute();
    const key = await e.store.db.selectFrom('provider_events').select('key').where('key', '=', `twilio:call:${callSid}:no-answer`).executeTakeFirst();
    return {
      attempt: attempt.status,
      notAnswered: audits.filter((a) => a.action === 'call_not_answered').length,
      rungs: audits.filter((a) => a.action === 'rung_started').length,
      keyRemembered: !!key,
    };
  };

  it('leaves nothing written, and the retry is processed whole', async () => {
    const phone = engine === 'postgres' ? '+8613900139172' : '+8613900139171';
    const net = e.stack.network.control;
    await net.setBehaviour(phone, { call: 'no-answer' });
    await refuseUnansweredAudit();
    const { caseId } = await warn(e.stack, { phone, riskLevel: 'high' });
    const call = await net.waitForCall(phone, { timeoutMs: 15_000 });
    const failed = await net.waitForCallback({ ref: call.sid, kind: 'call-status', status: 'no-answer' }, { timeoutMs: 15_000 });
    expect(failed.status).toBe(500);
    expect(await seen(caseId, call.sid)).toEqual({ attempt: expect.stringMatching(/^(?!no-answer$)[a-z-]+$/), notAnswered: 0, rungs: 1, keyRemembered: false });
    expect(await net.inbox(phone)).toEqual([]);

    await allowAgain();
    expect((await net.redeliver(failed.id)).status).toBe(204);
    expect(await seen(caseId, call.sid)).toEqual({ attempt: 'no-answer', notAnswered: 1, rungs: 2, keyRemembered: true });
    // The next rung, the written warning, goes out once.
    await net.waitForSms(phone, { timeoutMs: 15_000 });
    await eventually(async () => ((await caseRow(e, caseId)).next_action ? true : undefined), 'the next contact to be planned');
    expect((await net.inbox(phone)).filter((i) => i.channel === 'sms' && i.direction === 'to-citizen')).toHaveLength(1);
  });
});
