// Warning → case. Idempotent by (source, externalId); one open case per phone number.
import type { Kysely } from 'kysely';
import type { Database, WarningRow } from '../store/schema';
import { findOpenCaseByPhone, insertCase, updateCase } from '../store/repositories/cases';
import { findWarning, insertWarning } from '../store/repositories/warnings';
import { audit } from '../store/repositories/audit';
import { newCaseRef, newId, nowIso, toJson, fromJson } from '../store/ids';
import { describeZodIssues } from '../errors';
import { normalisePhone } from './phone';
import { warningSchema, type WarningInput } from './warning-schema';

export type IntakeResult =
  | { index: number; status: 'accepted'; caseId: string; caseRef: string; newCase: boolean; warningCount: number; /** the case's outbox entry after this warning (internal: not for the response) */ due?: { action: string; at: string } }
  | { index: number; status: 'duplicate'; caseId: string; caseRef?: string }
  | { index: number; status: 'rejected'; reason: string };

const RISK_ORDER = { low: 0, medium: 1, high: 2 } as const;
type Risk = keyof typeof RISK_ORDER;
const higherRisk = (a: string, b: string): string => (RISK_ORDER[(b as Risk)] ?? 0) > (RISK_ORDER[(a as Risk)] ?? 0) ? b : a;

interface NormalisedWarning {
  input: WarningInput;
  phone: string;
  relatives: { phone: string; relation: string | null; name: string | null }[];
}

export function validateWarning(raw: unknown, defaultRegion: string): { ok: true; value: NormalisedWarning } | { ok: false; reason: string } {
  const parsed = warningSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, reason: describeZodIssues(parsed.error.issues) };
  const w = parsed.data;
  const phone = normalisePhone(w.phone, defaultRegion);
  if (!phone.ok) return { ok: false, reason: `phone: ${phone.reason}` };
  const relatives: NormalisedWarning['relatives'] = [];
  for (const [i, r] of (w.relatives ?? []).entries()) {
    const p = normalisePhone(r.phone, defaultRegion);
    if (!p.ok) return { ok: false, reason: `relatives.${i}.phone: ${p.reason}` };
    if (p.e164 === phone.e164) return { ok: false, reason: `relatives.${i}.phone: is the warned person's own number` };
    relatives.push({ phone: p.e164, relation: r.relation ?? null, name: r.name ?? null });
  }
  return { ok: true, value: { input: w, phone: phone.e164, relatives } };
}

function defaultLocale(phone: string): 'zh' | 'en' {
  return /^\+86|^\+852|^\+853|^\+886/.test(phone) ? 'zh' : 'en';
}

/**
 * Stores one validated warning. Runs in a transaction so a warning and its case change land together.
 * A unique-constraint race (another process took the same warning or opened the same case) is retried once.
 */
export async function storeWarning(db: Kysely<Database>, index: number, w: NormalisedWarning, actor: string, opts: { lockRows?: boolean } = {}): Promise<IntakeResult> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await db.transaction().execute((trx) => storeWarningOnce(trx, index, w, actor, opts.lockRows ?? false));
    } catch (err) {
      if (attempt >= 2 || !isUniqueViolation(err)) throw err;
    }
  }
}

/**
 * The unit of work of storing one warning, in a transaction the caller opens and commits (the intake route's
 * group commit). It only touches the database, so it can run again after a rollback.
 */
export async function storeWarningOnce(db: Kysely<Database>, index: number, w: NormalisedWarning, actor: string, lockRows: boolean): Promise<IntakeResult> {
  const { input } = w;
  const seen = await findWarning(db, input.source, input.externalId);
  if (seen) return { index, status: 'duplicate', caseId: seen.case_id };

  const now = nowIso();
  // PostgreSQL: lock the open case so concurrent warnings for one person count one after the other.
  // (SQLite has one writer at a time already.)
  const open = lockRows
    ? await db.selectFrom('cases').selectAll().where('phone', '=', w.phone).where('status', '=', 'open').forUpdate().executeTakeFirst()
    : await findOpenCaseByPhone(db, w.phone);
  let caseId: string;
  let caseRef: string;
  let warningCount: number;
  let due: { action: string; at: string } | undefined;
  const telegramChatId = input.telegramChatId == null ? null : String(input.telegramChatId);

  if (open) {
    caseId = open.id;
    caseRef = open.case_ref;
    warningCount = open.warning_count + 1;
    const relatives = fromJson<NormalisedWarning['relatives']>(open.relatives, []);
    for (const r of w.relatives) if (!relatives.some((x) => x.phone === r.phone)) relatives.push(r);
    due = open.next_action === null ? { action: 'retriage', at: now } : open.next_action_at ? { action: open.next_action, at: open.next_action_at } : undefined;
    await updateCase(db, open.id, {
      warning_count: warningCount,
      risk_level: higherRisk(open.risk_level, input.riskLevel ?? 'medium'),
      amount: Math.max(open.amount ?? 0, input.amount ?? 0) || null,
      scam_type: open.scam_type === 'other' && input.scamType ? input.scamType : open.scam_type,
      telegram_chat_id: open.telegram_chat_id ?? telegramChatId,
      name: open.name ?? input.name ?? null,
      precinct: open.precinct ?? input.precinct ?? null,
      relatives: toJson(relatives),
      // A repeat warning is re-triaged (review thresholds), never re-contacted from scratch.
      ...(open.next_action === null ? { next_action: 'retriage', next_action_at: now } : {}),
    });
    await audit(db, { caseId, actor, action: 'warning_added', detail: { source: input.source, externalId: input.externalId, warningCount } });
  } else {
    caseId = newId();
    caseRef = newCaseRef();
    warningCount = 1;
    due = { action: 'triage', at: now };
    await insertCase(db, {
      id: caseId,
      case_ref: caseRef,
      phone: w.phone,
      status: 'open',
      name: input.name ?? null,
      locale: input.locale ?? defaultLocale(w.phone),
      scam_type: input.scamType ?? 'other',
      risk_level: input.riskLevel ?? 'medium',
      warning_count: 1,
      amount: input.amount ?? null,
      precinct: input.precinct ?? null,
      telegram_chat_id: telegramChatId,
      relatives: toJson(w.relatives),
      conversation: null,
      flow_id: null,
      flow_version: null,
      active_channel: null,
      next_action: 'triage',
      next_action_at: now,
      plan: null,
      opted_out: 0,
      outcome: null,
      opened_at: now,
      updated_at: now,
      closed_at: null,
    });
    await audit(db, { caseId, actor, action: 'case_opened', detail: { source: input.source, externalId: input.externalId } });
  }

  const row: WarningRow = {
    id: newId(),
    source: input.source,
    external_id: input.externalId,
    case_id: caseId,
    phone: w.phone,
    name: input.name ?? null,
    locale: input.locale ?? null,
    scam_type: input.scamType ?? 'other',
    risk_level: input.riskLevel ?? 'medium',
    signals: toJson(input.signals ?? []),
    amount: input.amount ?? null,
    relatives: toJson(w.relatives),
    precinct: input.precinct ?? null,
    telegram_chat_id: telegramChatId,
    received_at: input.receivedAt ? new Date(input.receivedAt).toISOString() : now,
    created_at: now,
  };
  await insertWarning(db, row);
  return { index, status: 'accepted', caseId, caseRef, newCase: !open, warningCount, due };
}

/** Worth running the warning again: another transaction took the same warning or case first, or PostgreSQL broke a deadlock. */
export function isRetriableConflict(err: unknown): boolean {
  const code = (err as { code?: string })?.code;
  return isUniqueViolation(err) || code === '40P01' || code === '40001';
}

export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || /UNIQUE constraint failed/.test(e?.message ?? '');
}
