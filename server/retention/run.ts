// Data retention: what quanzu forgets, and when. Expired sessions, old login attempts, webhook
// de-duplication keys and idempotency keys are deleted. Of a case closed long enough ago, the personal
// data is removed while every row the reports count stays (cases, warnings, attempts, messages, handoffs
// keep their dates, channels, statuses, intents and outcomes), so the centre's figures never change.
// Policy and reasons: docs/retention.md.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../store/schema';
import type { RetentionPolicy } from '../config';
import '../store/schema-trust';
import { fromJson, toJson } from '../store/ids';
import { maskDeep, maskNumbersIn } from '../masking';
import { pruneIdempotencyKeys } from '../store/repositories/idempotency';
import { audit } from '../store/repositories/audit';
import type { CallRecordings } from '../../bots/recordings';
import { purgeRecordings } from '../recordings/retention';

const DAY = 86_400_000;
/** Cases handled per transaction: short transactions, so the live system never waits long behind one. */
const BATCH = 200;
/** Login attempts older than this are no use to the throttle (its window is a minute). */
const LOGIN_ATTEMPTS_MS = DAY;
/** A retry with the same Idempotency-Key comes within minutes; a week is generous. */
const IDEMPOTENCY_KEYS_MS = 7 * DAY;
/** What a phone, card or account number becomes once removed. */
export const REMOVED = '[removed]';

export interface RetentionReport {
  at: string;
  dryRun: boolean;
  sessions: number;
  loginAttempts: number;
  providerEvents: number;
  idempotencyKeys: number;
  /** Closed cases whose numbers (and names, relatives, chat ids, provider error texts) were removed. */
  numbers: number;
  /** Closed cases whose transcripts were removed. */
  transcripts: number;
  /** Call recordings of closed cases deleted at Twilio (their reference dropped; server/recordings/retention.ts). */
  recordings: number;
  /** Recordings due that could not be deleted at Twilio, or were not tried because no Twilio client was given: left for the next run. */
  recordingsKept?: number;
}

class DryRun extends Error {}

const removeNumbers = (text: string) => maskNumbersIn(text, { replace: () => REMOVED });
const removeNumbersJson = (json: string | null) => (json === null ? null : toJson(maskDeep(fromJson<unknown>(json, null), { replace: () => REMOVED })));

/** What the classifier found, without what the citizen said: intents and cues stay for the figures. */
function classificationWithoutDetails(json: string | null): string | null {
  const c = fromJson<Record<string, unknown> | null>(json, null);
  if (!c) return json;
  const keep = ['intent', 'confidence', 'atRisk', 'lowConfidence', 'cues', 'modelVersion', 'model'];
  return toJson(Object.fromEntries(Object.entries(c).filter(([k]) => keep.includes(k))));
}

async function dueCases(db: Kysely<Database>, closedBefore: string, column: 'numbers_removed_at' | 'transcripts_removed_at', after: string): Promise<string[]> {
  const rows = await db
    .selectFrom('cases')
    .leftJoin('case_retention', 'case_retention.case_id', 'cases.id')
    .select('cases.id')
    .where('cases.status', '=', 'closed')
    .where('cases.closed_at', '<', closedBefore)
    .where('cases.id', '>', after)
    .where((eb) => eb.or([eb('case_retention.case_id', 'is', null), eb(`case_retention.${column}`, 'is', null)]))
    .orderBy('cases.id')
    .limit(BATCH)
    .execute();
  return rows.map((r) => r.id);
}

async function mark(trx: Transaction<Database>, ids: string[], column: 'numbers_removed_at' | 'transcripts_removed_at', at: string): Promise<void> {
  for (const id of ids) {
    await trx
      .insertInto('case_retention')
      .values({ case_id: id, numbers_removed_at: null, transcripts_removed_at: null, [column]: at })
      .onConflict((oc) => oc.column('case_id').doUpdateSet({ [column]: at }))
      .execute();
  }
}

async function removeNumbersOf(trx: Transaction<Database>, ids: string[]): Promise<void> {
  await trx.updateTable('cases').set({ phone: REMOVED, name: null, relatives: '[]', telegram_chat_id: null }).where('id', 'in', ids).execute();
  await trx.updateTable('warnings').set({ phone: REMOVED, name: null, relatives: '[]', telegram_chat_id: null }).where('case_id', 'in', ids).execute();
  await trx.updateTable('contact_attempts').set({ target: REMOVED, detail: null }).where('case_id', 'in', ids).execute();
  for (const h of await trx.selectFrom('handoffs').select(['id', 'note', 'outcome_detail']).where('case_id', 'in', ids).execute()) {
    await trx
      .updateTable('handoffs')
      .set({ note: h.note === null ? null : removeNumbers(h.note), outcome_detail: removeNumbersJson(h.outcome_detail) })
      .where('id', '=', h.id)
      .execute();
  }
  for (const a of await trx.selectFrom('audit_events').select(['id', 'detail']).where('case_id', 'in', ids).where('detail', 'is not', null).execute()) {
    const detail = removeNumbersJson(a.detail);
    if (detail !== a.detail) await trx.updateTable('audit_events').set({ detail }).where('id', '=', a.id).execute();
  }
  for (const m of await trx.selectFrom('messages').select(['id', 'body', 'classification', 'payload']).where('case_id', 'in', ids).execute()) {
    await trx
      .updateTable('messages')
      .set({ body: removeNumbers(m.body), classification: removeNumbersJson(m.classification), payload: removeNumbersJson(m.payload) })
      .where('id', '=', m.id)
      .execute();
  }
}

async function removeTranscriptsOf(trx: Transaction<Database>, ids: string[]): Promise<void> {
  for (const m of await trx.selectFrom('messages').select(['id', 'classification']).where('case_id', 'in', ids).execute()) {
    await trx.updateTable('messages').set({ body: '', payload: null, classification: classificationWithoutDetails(m.classification) }).where('id', '=', m.id).execute();
  }
  for (const c of await trx.selectFrom('cases').select(['id', 'conversation']).where('id', 'in', ids).where('conversation', 'is not', null).execute()) {
    const conv = fromJson<Record<string, unknown> | null>(c.conversation, null);
    if (conv) await trx.updateTable('cases').set({ conversation: toJson({ ...conv, slots: {} }) }).where('id', '=', c.id).execute();
  }
}

/** One pass over closed cases due for a step, batch by batch, each batch one transaction. */
async function forEachDueBatch(
  db: Kysely<Database>,
  closedBefore: string,
  column: 'numbers_removed_at' | 'transcripts_removed_at',
  dryRun: boolean,
  at: string,
  work: (trx: Transaction<Database>, ids: string[]) => Promise<void>,
): Promise<number> {
  let count = 0;
  let after = '';
  for (;;) {
    const ids = await dueCases(db, closedBefore, column, after);
    if (!ids.length) return count;
    count += ids.length;
    after = ids[ids.length - 1]!;
    await db
      .transaction()
      .execute(async (trx) => {
        await work(trx, ids);
        await mark(trx, ids, column, at);
        if (dryRun) throw new DryRun();
      })
      .catch((err) => {
        if (!(err instanceof DryRun)) throw err;
      });
  }
}

export interface RunOptions {
  /** Count what would go, change nothing. */
  dryRun?: boolean;
  /** The moment the policy is applied at (default now). */
  now?: Date;
  /** Who ran it, for the audit log. */
  actor?: string;
  /** Twilio's recordings (the worker's; the CLI's when Twilio is configured): without it no recording is deleted. */
  recordings?: CallRecordings;
}

/** Applies the retention policy once. Safe to run again at any time: what is gone stays gone, and only new work is done. */
export async function runRetention(db: Kysely<Database>, policy: RetentionPolicy, opts: RunOptions = {}): Promise<RetentionReport> {
  const now = (opts.now ?? new Date()).getTime();
  const at = new Date(now).toISOString();
  const dryRun = opts.dryRun ?? false;
  const before = (ms: number) => new Date(now - ms).toISOString();
  const deleted = async (q: { executeTakeFirst(): Promise<{ numDeletedRows: bigint }> }) => Number((await q.executeTakeFirst()).numDeletedRows);
  const count = async (table: 'sessions' | 'login_attempts' | 'provider_events' | 'idempotency_keys', column: string, cutoff: string, inclusive = false) => {
    const op = inclusive ? sql.raw('<=') : sql.raw('<');
    const r = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(table)} where ${sql.ref(column)} ${op} ${cutoff}`.execute(db);
    return Number(r.rows[0]?.n ?? 0);
  };

  const report: RetentionReport = { at, dryRun, sessions: 0, loginAttempts: 0, providerEvents: 0, idempotencyKeys: 0, numbers: 0, transcripts: 0, recordings: 0 };
  const providerCutoff = before(policy.providerEventsDays * DAY);
  if (dryRun) {
    report.sessions = await count('sessions', 'expires_at', at, true);
    report.loginAttempts = await count('login_attempts', 'at', before(LOGIN_ATTEMPTS_MS));
    report.providerEvents = await count('provider_events', 'created_at', providerCutoff);
    report.idempotencyKeys = await count('idempotency_keys', 'created_at', before(IDEMPOTENCY_KEYS_MS));
  } else {
    report.sessions = await deleted(db.deleteFrom('sessions').where('expires_at', '<=', at));
    report.loginAttempts = await deleted(db.deleteFrom('login_attempts').where('at', '<', before(LOGIN_ATTEMPTS_MS)));
    report.providerEvents = await deleted(db.deleteFrom('provider_events').where('created_at', '<', providerCutoff));
    report.idempotencyKeys = await pruneIdempotencyKeys(db, before(IDEMPOTENCY_KEYS_MS));
  }
  if (policy.numbersDays !== null) report.numbers = await forEachDueBatch(db, before(policy.numbersDays * DAY), 'numbers_removed_at', dryRun, at, removeNumbersOf);
  if (policy.transcriptsDays !== null) report.transcripts = await forEachDueBatch(db, before(policy.transcriptsDays * DAY), 'transcripts_removed_at', dryRun, at, removeTranscriptsOf);
  if (policy.recordingsDays !== null) {
    const closedBefore = before(policy.recordingsDays * DAY);
    if (opts.recordings) {
      const r = await purgeRecordings({ db, recordings: opts.recordings }, { closedBefore, dryRun, actor: opts.actor ?? 'retention' });
      report.recordings = r.deleted;
      if (r.failed) report.recordingsKept = r.failed;
    } else {
      // Without Twilio the audio cannot be deleted, and dropping only our reference would hide it: keep both.
      const due = await db.selectFrom('call_recordings').innerJoin('cases', 'cases.id', 'call_recordings.case_id').select((eb) => eb.fn.countAll().as('n')).where('cases.status', '=', 'closed').where('cases.closed_at', '<', closedBefore).where('call_recordings.deleted_at', 'is', null).executeTakeFirst();
      if (Number(due?.n ?? 0)) report.recordingsKept = Number(due!.n);
    }
  }
  if (!dryRun) await audit(db, { actor: opts.actor ?? 'retention', action: 'retention_run', detail: { ...report, policy: { ...policy, checkEveryMs: undefined } } });
  return report;
}
