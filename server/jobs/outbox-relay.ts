// The outbox relay: sends one outbox row, so that the provider accepts it at most once.
//   pending ──claim──▶ sending ──answer──▶ sent
//                         │ 4xx refusal ──▶ failed (permanent) | pending later (429: try again)
//                         │ 5xx, timeout, worker died ──▶ unconfirmed
//   unconfirmed ──status callback, or the provider's own records say it went──▶ sent
//               ──the provider has no such message or call──▶ pending (sent again)
// A claim is a compare-and-set on the row: a stale or duplicated job never takes a send another holds.
import type { Job } from 'bull';
import type { Rendered } from '../../flows/engine';
import { ChannelError } from '../../bots/channel';
import { getAttempt } from '../store/repositories/attempts';
import { getMessage, setMessageProviderId } from '../store/repositories/messages';
import { claimDueOutboxWithPayload, claimOutbox, getOutbox, knownProviderIds, moveOutbox, outboxDue, recordSent } from '../store/repositories/outbox';
import type { Dialect } from '../store/db';
import { audit } from '../store/repositories/audit';
import { fromJson, isoIn, nowIso } from '../store/ids';
import type { OutboxRow } from '../store/schema';
import { UnrecoverableJobError } from '../errors';
import type { Services } from '../services';
import { runCaseEvent } from '../cases/case-events';
import { conversationPort } from '../cases/conversation';
import type { Tx } from '../cases/outbox';
import { enqueueRelay, type RelayJob } from './queues';

/** Refusals worth another try (429, 408) are tried this many times, then the send counts as failed. */
const MAX_TRIES = 6;

export async function processRelayJob(s: Services, job: Job<RelayJob>): Promise<string> {
  const id = job.data?.outboxId;
  if (typeof id !== 'string') throw new UnrecoverableJobError(`malformed delivery job ${job.id}: ${JSON.stringify(job.data).slice(0, 200)}`);
  // Held back only while this process answers a burst of warnings, and never long after the job was due.
  const done = await s.intakeFirst.turn(job.timestamp + (job.opts.delay ?? 0));
  try {
    return await relayOutbox(s, id);
  } finally {
    done();
  }
}

export async function relayOutbox(s: Services, id: string): Promise<string> {
  // Usually the row is pending and due: claimed and read in one statement, straight to the provider.
  const claimed = await claimDueOutboxWithPayload(s.store.db, s.store.dialect, id);
  if (claimed) return send(s, claimed.row, claimed.row.claim_token!, claimed.messagePayload);
  const row = await getOutbox(s.store.db, id);
  if (!row) return 'no such outbox row';
  const now = nowIso();
  switch (row.status) {
    case 'sent':
    case 'failed':
    case 'cancelled':
      return row.status;
    case 'pending': {
      if (row.due_at > now) return 'not due yet';
      const token = await claimOutbox(s.store.db, row.id, now);
      if (!token) return 'claimed by another run';
      return send(s, { ...row, status: 'sending', claim_token: token, claimed_at: now }, token);
    }
    case 'sending': {
      // Someone is sending it, or was and went quiet (a worker killed or frozen mid-send): never send it again
      // before the provider has said whether it already has it.
      if (row.claimed_at && Date.parse(row.claimed_at) > Date.now() - s.config.outboxClaimStaleMs) return 'being sent';
      if (!(await moveOutbox(s.store.db, row.id, { status: 'sending', token: row.claim_token ?? undefined }, { status: 'unconfirmed', due_at: now }))) return 'moved on meanwhile';
      await audit(s.store.db, { caseId: row.case_id, actor: 'relay', action: 'send_stalled', detail: { outboxId: row.id, channel: row.channel, claimedAt: row.claimed_at } });
      return confirm(s, { ...row, status: 'unconfirmed' });
    }
    case 'unconfirmed':
      if (row.due_at > now) return 'waiting for confirmation';
      return confirm(s, row);
  }
}

/** `messagePayload`: the message's payload when the claim read it already (undefined: read it here). */
async function send(s: Services, row: OutboxRow, token: string, messagePayload?: string | null): Promise<string> {
  let request: () => Promise<{ providerId: string; status: string }>;
  try {
    // The row's case exists (a foreign key): its id is all the callback URLs need.
    const c = { id: row.case_id };
    const base = `${s.callbackBase}/webhooks/twilio`;
    if (row.kind === 'call') {
      const attemptId = row.attempt_id!;
      const opts = fromJson<{ machineDetection?: boolean }>(row.payload, {});
      // Recorded calls (policy.yaml recording) say so first: the answer URL tells the webhook to give the notice.
      const recorded = s.policy.recording?.enabled === true;
      request = () =>
        s.channels.voice.call({
          to: row.target,
          answerUrl: `${base}/voice?caseId=${c.id}&attemptId=${attemptId}${recorded ? '&recorded=1' : ''}`,
          statusCallbackUrl: `${base}/voice/status?caseId=${c.id}&attemptId=${attemptId}&outboxId=${row.id}`,
          machineDetection: opts.machineDetection ?? true,
          ...(recorded ? { recordingStatusCallbackUrl: `${base}/voice/recording?caseId=${c.id}&attemptId=${attemptId}` } : {}),
        });
    } else {
      const payload = messagePayload !== undefined ? messagePayload : row.message_id ? (await getMessage(s.store.db, row.message_id))?.payload : undefined;
      const rendered = fromJson<Rendered | null>(payload, null);
      if (!rendered) throw new UnrecoverableJobError(`outbox ${row.id}: message ${row.message_id} has no rendering`);
      if (row.channel === 'telegram') {
        const telegram = s.channels.telegram;
        if (!telegram) throw new ChannelError('telegram', 'Telegram is not configured', 'not_configured', true, 400);
        request = () => telegram.send({ to: row.target, rendered });
      } else {
        const status = `${base}/sms/status?caseId=${c.id}&outboxId=${row.id}${row.attempt_id ? `&attemptId=${row.attempt_id}` : ''}`;
        request = () => s.channels.sms.send({ to: row.target, rendered, statusCallbackUrl: status });
      }
    }
  } catch (err) {
    // Nothing reached the provider: the row is free again (or refused for good when it cannot be sent).
    if (err instanceof UnrecoverableJobError || (err instanceof ChannelError && err.permanent)) return refused(s, row, token, err as Error, true);
    await moveOutbox(s.store.db, row.id, { status: 'sending', token }, { status: 'pending', claim_token: null, claimed_at: null });
    throw err;
  }
  try {
    const sent = await request();
    await markSent(s, row, sent.providerId, sent.status, { status: 'sending', token });
    return `sent ${sent.providerId}`;
  } catch (err) {
    if (!(err instanceof ChannelError)) throw err; // our own failure after the provider answered: the stale claim is confirmed later
    if (err.nothingDone) return refused(s, row, token, err, err.permanent);
    // No answer, or a 5xx: the provider may have it. Wait for its status callback, then look it up.
    await moveOutbox(s.store.db, row.id, { status: 'sending', token }, { status: 'unconfirmed', due_at: isoIn(s.config.providerConfirmWaitMs), error: err.message.slice(0, 500) });
    if (row.attempt_id) await s.store.db.updateTable('contact_attempts').set({ status: 'unconfirmed', error_code: err.code ?? null, detail: err.message.slice(0, 500), updated_at: nowIso() }).where('id', '=', row.attempt_id).where('status', 'in', ['queued', 'sending']).execute();
    await audit(s.store.db, { caseId: row.case_id, actor: 'relay', action: row.attempt_id ? 'contact_failed' : 'delivery_failed', detail: { channel: row.channel, code: err.code, permanent: false, unconfirmed: true, outboxId: row.id, ...(row.message_id ? { messageId: row.message_id } : {}) } });
    await enqueueRelay(s.queues, { outboxId: row.id, due: isoIn(s.config.providerConfirmWaitMs) }).catch(() => undefined);
    return `unconfirmed (${err.code}): confirming`;
  }
}

/** The provider refused: nothing went out. Permanent → failed (the lifecycle hears of it); else try again later. */
async function refused(s: Services, row: OutboxRow, token: string, err: Error, permanent: boolean): Promise<string> {
  const code = err instanceof ChannelError ? err.code : undefined;
  const tries = row.tries + 1;
  const final = permanent || tries >= MAX_TRIES;
  await audit(s.store.db, { caseId: row.case_id, actor: 'relay', action: row.attempt_id ? 'contact_failed' : 'delivery_failed', detail: { channel: row.channel, code, permanent, outboxId: row.id, ...(row.message_id ? { messageId: row.message_id } : {}) } });
  if (!final) {
    const due = isoIn(2000 * 2 ** (tries - 1));
    await moveOutbox(s.store.db, row.id, { status: 'sending', token }, { status: 'pending', due_at: due, tries, claim_token: null, claimed_at: null, error: err.message.slice(0, 500) });
    await enqueueRelay(s.queues, { outboxId: row.id, due }).catch(() => undefined);
    return `refused (${code}): trying again`;
  }
  if (!(await moveOutbox(s.store.db, row.id, { status: 'sending', token }, { status: 'failed', tries, error: err.message.slice(0, 500) }))) return 'moved on meanwhile';
  if (row.message_id) await setMessageProviderId(s.store.db, row.message_id, `failed:${code ?? 'unknown'}`);
  if (row.attempt_id) {
    const attempt = await getAttempt(s.store.db, row.attempt_id);
    if (attempt) {
      await s.store.db.updateTable('contact_attempts').set({ status: 'failed', error_code: code ?? null, detail: err.message.slice(0, 500), updated_at: nowIso() }).where('id', '=', attempt.id).execute();
      await runCaseEvent(s, row.case_id, { type: 'attempt_outcome', attempt: attempt.attempt_no, outcome: 'failed', permanent }, conversationPort, 'relay');
    }
  } else if (!permanent) {
    // A reply or desk message that keeps failing: a person must know the citizen did not get it.
    await runCaseEvent(s, row.case_id, { type: 'automation_failing', note: `a message to the citizen keeps failing: ${err.message.slice(0, 200)}` }, conversationPort, 'relay');
  }
  return `failed (${code})`;
}

/**
 * Did an unconfirmed send go out? A status callback may have said so already; else the provider's own
 * records are looked up (Twilio: the messages or calls to this number since we asked). Only when the
 * provider has nothing is it sent again.
 */
async function confirm(s: Services, row: OutboxRow): Promise<string> {
  const attempt = row.attempt_id ? await getAttempt(s.store.db, row.attempt_id) : undefined;
  const message = row.message_id ? await getMessage(s.store.db, row.message_id) : undefined;
  const known = attempt?.provider_id ?? (message?.provider_id && !/^(sending|failed):/.test(message.provider_id) ? message.provider_id : undefined);
  if (known) {
    await markSent(s, row, known, attempt?.status ?? 'sent', { status: 'unconfirmed' });
    return `confirmed by its status callback (${known})`;
  }
  const since = row.claimed_at ?? row.updated_at;
  let found: { providerId: string; status: string } | undefined;
  try {
    const ids = await knownProviderIds(s.store.db, row.case_id);
    if (row.kind === 'call') found = await s.channels.voice.findPlaced({ to: row.target, since, known: ids });
    else if (row.channel === 'sms') {
      const rendered = fromJson<Rendered | null>(message?.payload, null);
      if (rendered?.channel === 'sms') found = await s.channels.sms.findSent({ to: row.target, body: rendered.text, since, known: ids });
    } else {
      // Telegram keeps no record we can ask: never risk a second message. The lifecycle's deadlines go on.
      await moveOutbox(s.store.db, row.id, { status: 'unconfirmed' }, { status: 'sent', error: 'unconfirmed: Telegram cannot be asked whether it was sent' });
      await audit(s.store.db, { caseId: row.case_id, actor: 'relay', action: 'delivery_unconfirmed', detail: { channel: row.channel, outboxId: row.id } });
      return 'unconfirmed for good (Telegram has no look-up)';
    }
  } catch (err) {
    const due = isoIn(s.config.providerConfirmWaitMs);
    await moveOutbox(s.store.db, row.id, { status: 'unconfirmed' }, { due_at: due });
    await enqueueRelay(s.queues, { outboxId: row.id, due }).catch(() => undefined);
    return `look-up failed (${(err as Error).message.slice(0, 80)}): later`;
  }
  if (found) {
    await markSent(s, row, found.providerId, found.status, { status: 'unconfirmed' });
    await audit(s.store.db, { caseId: row.case_id, actor: 'relay', action: 'contact_confirmed', detail: { channel: row.channel, by: 'provider look-up', providerId: found.providerId, outboxId: row.id } });
    return `confirmed by look-up (${found.providerId})`;
  }
  if (!(await moveOutbox(s.store.db, row.id, { status: 'unconfirmed' }, { status: 'pending', due_at: nowIso(), claim_token: null, claimed_at: null }))) return 'moved on meanwhile';
  await audit(s.store.db, { caseId: row.case_id, actor: 'relay', action: 'contact_not_confirmed', detail: { channel: row.channel, outboxId: row.id } });
  return relayOutbox(s, row.id);
}

/** The send went out: the row, its attempt and its message get the provider's id. */
async function markSent(s: Services, row: OutboxRow, providerId: string, status: string, from: Parameters<typeof moveOutbox>[2]): Promise<void> {
  // The relay has not read the attempt (a status callback may have moved it first): the database compares.
  const { db, dialect } = s.store;
  if (dialect === 'postgres') await recordSent(db, dialect, row, providerId, status, from);
  else await db.transaction().execute((trx) => recordSent(trx, dialect, row, providerId, status, from));
  s.events.publish({ type: 'case', caseId: row.case_id, change: 'delivered' });
}

/**
 * A provider's status callback names the outbox row it is about: whatever the relay knows, it went out.
 * Runs inside the callback's transaction (on PostgreSQL one statement needs none); the row's case when this
 * confirmed it (the case has news for the desk).
 */
export const confirmFromCallback = (trx: Tx, dialect: Dialect, outboxId: string, providerId: string): Promise<string | undefined> =>
  recordSent(trx, dialect, outboxId, providerId, 'sent', { status: ['pending', 'sending', 'unconfirmed'] });

/** The sweeper's half for the outbox: rows due or stuck are queued again (Redis may have lost their jobs). */
export async function sweepOutbox(s: Services, limit = 500): Promise<number> {
  const now = nowIso();
  const rows = await outboxDue(s.store.db, now, new Date(Date.now() - s.config.outboxClaimStaleMs).toISOString(), limit);
  for (const r of rows) await enqueueRelay(s.queues, { outboxId: r.id, due: r.due_at }, { replaceFinished: true });
  return rows.length;
}
