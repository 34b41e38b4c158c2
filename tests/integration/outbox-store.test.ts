// The outbox on both engines: one send per message and per attempt, a claim only one run can take, a
// stale re-run that cannot take it again, and the sweeper's view of what is due or stuck.
import { sql } from 'kysely';
import type { Store } from '../../server/store/db';
import { insertCase } from '../../server/store/repositories/cases';
import { insertMessage, messageRow as unwrittenMessage } from '../../server/store/repositories/messages';
import { advanceAttemptStatus, beginAttempt, getAttempt } from '../../server/store/repositories/attempts';
import { firstDeliveryLockingCase } from '../../server/store/repositories/provider-events';
import { beginAttemptWithOutbox, cancelPendingForAttempts, claimDueOutboxWithPayload, claimOutbox, getOutbox, insertOutbox, moveOutbox, outboxDue, recordProgressReport, recordSent } from '../../server/store/repositories/outbox';
import { newCaseRef, newId, nowIso } from '../../server/store/ids';
import { isUniqueViolation } from '../../server/cases/intake';
import { confirmFromCallback } from '../../server/jobs/outbox-relay';
import { ENGINES, type TestDatabase } from '../support/databases';

describe.each(ENGINES)('outbox on %s', (engine, make) => {
  let db: TestDatabase;
  let store: Store;
  let caseId: string;
  beforeAll(async () => {
    db = make();
    store = await db.open();
    caseId = newId();
    const now = nowIso();
    await insertCase(store.db, { id: caseId, case_ref: newCaseRef(), phone: '+8613800138011', status: 'open', locale: 'zh', scam_type: 'loan', risk_level: 'medium', warning_count: 1, relatives: '[]', opted_out: 0, opened_at: now, updated_at: now });
  });
  afterAll(async () => {
    await store.close();
    await db.cleanup();
  });

  const refusedAsDuplicate = (p: Promise<unknown>) => p.then(() => 'inserted', (err: unknown) => (isUniqueViolation(err) ? 'duplicate' : String(err)));
  const message = () => insertMessage(store.db, { case_id: caseId, direction: 'out', channel: 'sms', body: 'hi', payload: JSON.stringify({ channel: 'sms', text: 'hi', segments: 1 }) });

  it('holds one send per message and one per attempt', async () => {
    const m = await message();
    await insertOutbox(store.db, { case_id: caseId, kind: 'message', channel: 'sms', purpose: 'prompt', target: '+8613800138011', message_id: m.id });
    expect(await refusedAsDuplicate(insertOutbox(store.db, { case_id: caseId, kind: 'message', channel: 'sms', purpose: 'prompt', target: '+8613800138011', message_id: m.id }))).toBe('duplicate');
    const { attempt } = await beginAttempt(store.db, { case_id: caseId, channel: 'voice', target: '+8613800138011', attempt_no: 1, dedupe_key: `${caseId}:attempt:1`, status: 'queued' });
    await insertOutbox(store.db, { case_id: caseId, kind: 'call', channel: 'voice', purpose: 'warning', target: '+8613800138011', attempt_id: attempt.id });
    expect(await refusedAsDuplicate(insertOutbox(store.db, { case_id: caseId, kind: 'call', channel: 'voice', purpose: 'warning', target: '+8613800138011', attempt_id: attempt.id }))).toBe('duplicate');
  });

  it('lets exactly one of many concurrent runs claim a send, and none claim it again', async () => {
    const row = await insertOutbox(store.db, { case_id: caseId, kind: 'message', channel: 'sms', purpose: 'prompt', target: '+8613800138011', message_id: (await message()).id });
    const claims = await Promise.all(Array.from({ length: 8 }, () => claimOutbox(store.db, row.id)));
    expect(claims.filter(Boolean)).toHaveLength(1);
    // A stale re-run of the same job, after the send: nothing to claim.
    const token = claims.find(Boolean)!;
    expect(await moveOutbox(store.db, row.id, { status: 'sending', token }, { status: 'sent', provider_id: 'SMx' })).toBe(true);
    expect(await claimOutbox(store.db, row.id)).toBeUndefined();
    // A run holding an old claim token cannot move the row either.
    expect(await moveOutbox(store.db, row.id, { status: 'sending', token }, { status: 'pending' })).toBe(false);
    expect((await getOutbox(store.db, row.id))!.status).toBe('sent');
  });

  it('records a send once: a stale claim writes nothing, a status already further along is kept', async () => {
    const { attempt } = await beginAttempt(store.db, { case_id: caseId, channel: 'sms', target: '+8613800138011', attempt_no: 7, dedupe_key: `${caseId}:attempt:7`, status: 'queued' });
    const m = await message();
    const row = await insertOutbox(store.db, { case_id: caseId, kind: 'message', channel: 'sms', purpose: 'warning', target: '+8613800138011', attempt_id: attempt.id, message_id: m.id });
    const token = (await claimOutbox(store.db, row.id))!;
    const sent = (from: Parameters<typeof recordSent>[5], providerId = 'SMrecord1', status = 'queued') =>
      store.dialect === 'postgres' ? recordSent(store.db, 'postgres', row, providerId, status, from) : store.db.transaction().execute((trx) => recordSent(trx, 'sqlite', row, providerId, status, from));
    const attemptRow = () => store.db.selectFrom('contact_attempts').selectAll().where('id', '=', attempt.id).executeTakeFirstOrThrow();
    const messageRow = () => store.db.selectFrom('messages').selectAll().where('id', '=', m.id).executeTakeFirstOrThrow();

    expect(await sent({ status: 'sending', token: 'someone-else' })).toBeUndefined();
    expect((await getOutbox(store.db, row.id))!).toMatchObject({ status: 'sending', provider_id: null });
    expect((await messageRow()).provider_id).toBeNull();
    expect(await attemptRow()).toMatchObject({ status: 'queued', provider_id: null });

    // A status callback got there first and took the attempt further: the relay's late 'queued' keeps it.
    await store.db.updateTable('contact_attempts').set({ status: 'delivered' }).where('id', '=', attempt.id).execute();
    expect(await sent({ status: 'sending', token })).toBe(caseId);
    expect((await getOutbox(store.db, row.id))!).toMatchObject({ status: 'sent', provider_id: 'SMrecord1' });
    expect((await messageRow()).provider_id).toBe('SMrecord1');
    expect(await attemptRow()).toMatchObject({ status: 'delivered', provider_id: 'SMrecord1' });
    // Already sent: a second report moves nothing.
    expect(await sent({ status: ['pending', 'sending', 'unconfirmed'] }, 'SMother')).toBeUndefined();
    expect((await messageRow()).provider_id).toBe('SMrecord1');
  });

  it('confirms an unconfirmed send from a status callback that names only the row', async () => {
    const { attempt } = await beginAttempt(store.db, { case_id: caseId, channel: 'sms', target: '+8613800138011', attempt_no: 9, dedupe_key: `${caseId}:attempt:9`, status: 'queued' });
    const m = await message();
    const row = await insertOutbox(store.db, { case_id: caseId, kind: 'message', channel: 'sms', purpose: 'warning', target: '+8613800138011', attempt_id: attempt.id, message_id: m.id });
    const token = (await claimOutbox(store.db, row.id))!;
    expect(await moveOutbox(store.db, row.id, { status: 'sending', token }, { status: 'unconfirmed' })).toBe(true);
    const confirm = (id: string) => store.db.transaction().execute((trx) => confirmFromCallback(trx, store.dialect, id, 'SMcallback9'));
    expect(await confirm('no-such-row')).toBeUndefined();
    expect(await confirm(row.id)).toBe(caseId);
    expect((await getOutbox(store.db, row.id))!).toMatchObject({ status: 'sent', provider_id: 'SMcallback9' });
    expect((await store.db.selectFrom('messages').select('provider_id').where('id', '=', m.id).executeTakeFirstOrThrow()).provider_id).toBe('SMcallback9');
    expect(await store.db.selectFrom('contact_attempts').select(['status', 'provider_id']).where('id', '=', attempt.id).executeTakeFirstOrThrow()).toEqual({ status: 'sent', provider_id: 'SMcallback9' });
    expect(await confirm(row.id)).toBeUndefined();
  });

  it('advances an attempt by rank in one statement, and keeps the first provider id', async () => {
    const { attempt } = await beginAttempt(store.db, { case_id: caseId, channel: 'sms', target: '+8613800138011', attempt_no: 8, dedupe_key: `${caseId}:attempt:8`, status: 'queued' });
    const read = () => store.db.selectFrom('contact_attempts').select(['status', 'provider_id', 'error_code']).where('id', '=', attempt.id).executeTakeFirstOrThrow();
    await advanceAttemptStatus(store.db, attempt.id, 'sent', undefined, 'SMa');
    expect(await read()).toEqual({ status: 'sent', provider_id: 'SMa', error_code: null });
    await advanceAttemptStatus(store.db, attempt.id, 'undelivered', '30003', 'SMb');
    expect(await read()).toEqual({ status: 'undelivered', provider_id: 'SMa', error_code: '30003' });
    // Behind: neither status nor error code goes back.
    await advanceAttemptStatus(store.db, attempt.id, 'sent', '99999', 'SMc');
    expect(await read()).toEqual({ status: 'undelivered', provider_id: 'SMa', error_code: '30003' });
  });

  // PostgreSQL alone has the one-statement progress report (SQLite records progress in its transaction).
  (engine === 'postgres' ? it : it.skip)('advances the named attempt by rank and confirms the row only while it waits for confirmation (one statement)', async () => {
    const { attempt } = await beginAttempt(store.db, { case_id: caseId, channel: 'sms', target: '+8613800138011', attempt_no: 10, dedupe_key: `${caseId}:attempt:10`, status: 'queued' });
    const m = await insertMessage(store.db, { case_id: caseId, direction: 'out', channel: 'sms', body: 'hi', payload: JSON.stringify({ channel: 'sms', text: 'hi', segments: 1 }) });
    const row = await insertOutbox(store.db, { case_id: caseId, kind: 'message', channel: 'sms', purpose: 'warning', target: '+8613800138011', attempt_id: attempt.id, message_id: m.id });
    const token = (await claimOutbox(store.db, row.id))!;
    const report = (status: string, errorCode?: string) => recordProgressReport(store.db, { outboxId: row.id, attemptId: attempt.id, providerId: 'SMprogress1', status, errorCode });
    const attemptNow = () => store.db.selectFrom('contact_attempts').select(['status', 'provider_id', 'error_code']).where('id', '=', attempt.id).executeTakeFirstOrThrow();

    // The relay is still waiting for the provider's answer: the report confirms the send.
    expect(await report('queued')).toBe(caseId);
    expect((await getOutbox(store.db, row.id))!).toMatchObject({ status: 'sent', provider_id: 'SMprogress1' });
    expect((await store.db.selectFrom('messages').select('provider_id').where('id', '=', m.id).executeTakeFirstOrThrow()).provider_id).toBe('SMprogress1');
    expect(await attemptNow()).toEqual({ status: 'queued', provider_id: 'SMprogress1', error_code: null });
    // The relay's own late answer finds the row taken and writes nothing.
    expect(await recordSent(store.db, 'postgres', row, 'SMprogress1', 'queued', { status: 'sending', token })).toBeUndefined();
    // Already confirmed: later reports only move the attempt on, never back.
    expect(await report('sent')).toBeUndefined();
    expect(await attemptNow()).toMatchObject({ status: 'sent' });
    await store.db.updateTable('contact_attempts').set({ status: 'delivered' }).where('id', '=', attempt.id).execute();
    expect(await report('sent')).toBeUndefined();
    expect(await attemptNow()).toMatchObject({ status: 'delivered', provider_id: 'SMprogress1' });
  });

  it('writes an attempt with the outbox row that sends it, and nothing at all for an attempt decided before', async () => {
    const spec = { case_id: caseId, channel: 'voice', target: '+8613800138011', attempt_no: 13, dedupe_key: `${caseId}:attempt:13`, status: 'queued' };
    const begun = await beginAttemptWithOutbox(store.db, store.dialect, spec, { case_id: caseId, kind: 'call', channel: 'voice', purpose: 'warning', target: spec.target, payload: '{"machineDetection":true}' });
    expect(begun).toBeDefined();
    // What was written is what the caller was given, read back through the plain reads.
    expect(await getAttempt(store.db, begun!.attempt.id)).toEqual(begun!.attempt);
    expect(await getOutbox(store.db, begun!.outbox.id)).toEqual(begun!.outbox);
    expect(begun!.outbox).toMatchObject({ attempt_id: begun!.attempt.id, status: 'pending', tries: 0, payload: '{"machineDetection":true}', message_id: null });
    // The same decision again (a retried job): no second attempt, no second send.
    const again = await beginAttemptWithOutbox(store.db, store.dialect, spec, { case_id: caseId, kind: 'call', channel: 'voice', purpose: 'warning', target: spec.target });
    expect(again).toBeUndefined();
    const attempts = await store.db.selectFrom('contact_attempts').select('id').where('dedupe_key', '=', spec.dedupe_key).execute();
    expect(attempts).toEqual([{ id: begun!.attempt.id }]);
    expect(await store.db.selectFrom('outbox').select('id').where('attempt_id', '=', begun!.attempt.id).execute()).toHaveLength(1);
  });

  it("carries the case's update with the attempt on PostgreSQL only when the attempt is written", async () => {
    const caseNow = () => store.db.selectFrom('cases').select(['active_channel', 'next_action', 'next_action_at']).where('id', '=', caseId).executeTakeFirstOrThrow();
    const before = await caseNow();
    const spec = { case_id: caseId, channel: 'sms', target: '+8613800138011', attempt_no: 14, dedupe_key: `${caseId}:attempt:14`, status: 'queued' };
    const patch = { active_channel: 'sms', next_action: 'contact_timeout', next_action_at: '2026-12-03T20:00:00.000Z' };
    const begun = await beginAttemptWithOutbox(store.db, store.dialect, spec, { case_id: caseId, kind: 'call', channel: 'voice', purpose: 'warning', target: spec.target }, { id: caseId, patch });
    expect(begun).toBeDefined();
    if (engine === 'postgres') {
      expect(begun!.caseWritten).toBe(true);
      expect(await caseNow()).toEqual(patch);
    } else {
      // SQLite writes the case in the decision's own statement: nothing carried, nothing changed here.
      expect(begun!.caseWritten).toBe(false);
      expect(await caseNow()).toEqual(before);
    }
    const written = await caseNow();
    // The same attempt again: nothing written, and the case update it carries is not applied either.
    const again = await beginAttemptWithOutbox(store.db, store.dialect, spec, { case_id: caseId, kind: 'call', channel: 'voice', purpose: 'warning', target: spec.target }, { id: caseId, patch: { ...patch, next_action: 'something_else' } });
    expect(again).toBeUndefined();
    expect(await caseNow()).toEqual(written);
  });

  it('writes the message a new attempt sends with it, and no message for an attempt decided before', async () => {
    const spec = { case_id: caseId, channel: 'sms', target: '+8613800138011', attempt_no: 15, dedupe_key: `${caseId}:attempt:15`, status: 'queued' };
    const message = unwrittenMessage({ case_id: caseId, direction: 'out', channel: 'sms', body: '您好，这里是市反诈中心。', payload: JSON.stringify({ channel: 'sms', text: '您好，这里是市反诈中心。', segments: 1 }), author: 'flow' });
    const begun = await beginAttemptWithOutbox(store.db, store.dialect, spec, { case_id: caseId, kind: 'message', channel: 'sms', purpose: 'warning', target: spec.target, message_id: message.id }, undefined, message);
    expect(begun).toBeDefined();
    expect(await store.db.selectFrom('messages').selectAll().where('id', '=', message.id).executeTakeFirst()).toEqual(message);
    expect(await getOutbox(store.db, begun!.outbox.id)).toMatchObject({ message_id: message.id });
    const other = unwrittenMessage({ case_id: caseId, direction: 'out', channel: 'sms', body: 'again', author: 'flow' });
    const again = await beginAttemptWithOutbox(store.db, store.dialect, spec, { case_id: caseId, kind: 'message', channel: 'sms', purpose: 'warning', target: spec.target, message_id: other.id }, undefined, other);
    expect(again).toBeUndefined();
    expect(await store.db.selectFrom('messages').select('id').where('id', '=', other.id).execute()).toEqual([]);
  });

  (engine === 'postgres' ? it : it.skip)('remembers a status report once, reads its attempt as a plain read would, locks its case and records a confirmed send\'s status', async () => {
    const { attempt } = await beginAttempt(store.db, { case_id: caseId, channel: 'sms', target: '+8613800138011', attempt_no: 11, dedupe_key: `${caseId}:attempt:11`, status: 'queued' });
    await advanceAttemptStatus(store.db, attempt.id, 'sent', undefined, 'SMdelivery1');
    const key = `SMdelivery1:delivered:${newId()}`;
    const plainRead = await getAttempt(store.db, attempt.id);
    const report = { key, attemptId: attempt.id, providerId: 'SMdelivery1', status: 'delivered' };
    const caseLockedElsewhere = () =>
      store.db
        .transaction()
        .execute(async (other) => {
          await sql`set local lock_timeout = '200ms'`.execute(other);
          await other.selectFrom('cases').select('id').where('id', '=', caseId).forUpdate().execute();
        })
        .then(() => 'free', (err: unknown) => (/lock timeout/.test(String(err)) ? 'locked' : String(err)));
    await store.db.transaction().execute(async (trx) => {
      const found = await firstDeliveryLockingCase(trx, report);
      expect(found).toMatchObject({ first: true, attempt: plainRead, statusRecorded: true });
      expect(found.locked).toMatchObject({ id: caseId, status: 'open', warning_count: 1 });
      // Another transaction cannot take the case while this report is processed.
      expect(await caseLockedElsewhere()).toBe('locked');
    });
    expect(await caseLockedElsewhere()).toBe('free');
    expect(await getAttempt(store.db, attempt.id)).toMatchObject({ status: 'delivered', provider_id: 'SMdelivery1' });
    // Twilio delivers the same report again: not new, nothing locked, nothing written.
    expect(await firstDeliveryLockingCase(store.db, report)).toMatchObject({ first: false, locked: undefined, statusRecorded: false });
    // A report on a send the relay has not confirmed (another provider id) leaves the status to the caller.
    const { attempt: unconfirmed } = await beginAttempt(store.db, { case_id: caseId, channel: 'sms', target: '+8613800138011', attempt_no: 12, dedupe_key: `${caseId}:attempt:12`, status: 'sending' });
    const early = await firstDeliveryLockingCase(store.db, { key: `SMearly:delivered:${newId()}`, attemptId: unconfirmed.id, providerId: 'SMearly', status: 'delivered' });
    expect(early).toMatchObject({ first: true, statusRecorded: false, locked: { id: caseId } });
    expect(await getAttempt(store.db, unconfirmed.id)).toMatchObject({ status: 'sending', provider_id: null });
    // A callback naming an attempt that does not exist is still remembered, with no attempt and no case.
    expect(await firstDeliveryLockingCase(store.db, { ...report, key: `${key}:other`, attemptId: newId() })).toEqual({ first: true, attempt: undefined, locked: undefined, statusRecorded: false });
  });

  it("claims a due row once, and on PostgreSQL reads the message's payload in the same statement", async () => {
    const m = await message();
    const row = await insertOutbox(store.db, { case_id: caseId, kind: 'message', channel: 'sms', purpose: 'prompt', target: '+8613800138011', message_id: m.id });
    const claimed = await claimDueOutboxWithPayload(store.db, store.dialect, row.id);
    expect(claimed?.row).toMatchObject({ id: row.id, status: 'sending', message_id: m.id });
    expect(claimed?.row.claim_token).toEqual(expect.any(String));
    expect(claimed?.messagePayload).toBe(store.dialect === 'postgres' ? JSON.stringify({ channel: 'sms', text: 'hi', segments: 1 }) : undefined);
    expect(claimed?.row).not.toHaveProperty('message_payload');
    expect(await claimDueOutboxWithPayload(store.db, store.dialect, row.id)).toBeUndefined();
    const { attempt } = await beginAttempt(store.db, { case_id: caseId, channel: 'voice', target: '+8613800138011', attempt_no: 12, dedupe_key: `${caseId}:attempt:12`, status: 'queued' });
    const call = await insertOutbox(store.db, { case_id: caseId, kind: 'call', channel: 'voice', purpose: 'warning', target: '+8613800138011', attempt_id: attempt.id });
    expect((await claimDueOutboxWithPayload(store.db, store.dialect, call.id))?.messagePayload).toBe(store.dialect === 'postgres' ? null : undefined);
  });

  it('does not claim before the row is due; calls off only what nobody started to send', async () => {
    const later = new Date(Date.now() + 60_000).toISOString();
    const { attempt: a } = await beginAttempt(store.db, { case_id: caseId, channel: 'sms', target: '+8613800138011', attempt_no: 2, dedupe_key: `${caseId}:attempt:2`, status: 'queued' });
    const { attempt: b } = await beginAttempt(store.db, { case_id: caseId, channel: 'sms', target: '+8613800138011', attempt_no: 3, dedupe_key: `${caseId}:attempt:3`, status: 'queued' });
    const waiting = await insertOutbox(store.db, { case_id: caseId, kind: 'message', channel: 'sms', purpose: 'warning', target: '+8613800138011', attempt_id: a.id, message_id: (await message()).id, due_at: later });
    const going = await insertOutbox(store.db, { case_id: caseId, kind: 'message', channel: 'sms', purpose: 'warning', target: '+8613800138011', attempt_id: b.id, message_id: (await message()).id });
    expect(await claimOutbox(store.db, waiting.id)).toBeUndefined();
    expect(await claimOutbox(store.db, going.id)).toBeDefined();
    expect(await cancelPendingForAttempts(store.db, [a.id, b.id])).toBe(1);
    expect([(await getOutbox(store.db, waiting.id))!.status, (await getOutbox(store.db, going.id))!.status]).toEqual(['cancelled', 'sending']);
  });

  it('shows the sweeper what is due, what waits for confirmation, and sends whose claimer went quiet', async () => {
    const now = nowIso();
    const due = await outboxDue(store.db, now, now, 100);
    const byStatus = (status: string) => due.filter((d) => d.status === status).length;
    // The claimed-and-held send from the last test is older than `now`: it shows as stuck.
    expect(byStatus('sending')).toBeGreaterThanOrEqual(1);
    expect(byStatus('sent') + byStatus('cancelled')).toBe(0);
    const fresh = await outboxDue(store.db, now, new Date(Date.now() - 3_600_000).toISOString(), 100);
    expect(fresh.filter((d) => d.status === 'sending')).toEqual([]);
  });
});

