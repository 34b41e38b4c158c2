// Warning → case. Idempotent by (source, externalId); one open case per phone number.
import type { Kysely } from 'kysely';
import type { CaseRow, Database, WarningRow } from '../store/schema';
import { findOpenCaseByPhone, untouchedCaseState, updateCase } from '../store/repositories/cases';
import { findWarning, insertWarningOpeningCase, insertWarningUpdatingCase, openCaseUnlessKnown } from '../store/repositories/warnings';
import type { Dialect } from '../store/db';
import { audit } from '../store/repositories/audit';
import { newCaseRef, newId, nowIso, toJson, fromJson } from '../store/ids';
import { describeZodIssues } from '../errors';
import { scamTypeOf, type ScamType } from '../../flows/engine/vocabulary';
import { PendingEvents } from '../events';
import type { Services } from '../services';
import { normalisePhone } from './phone';
import { warningSchema, type WarningInput } from './warning-schema';
import { advanceCase, readLifecycle } from './case-events';
import { conversationPort } from './conversation';
import { deferredTriage } from './lifecycle';
import type { Applied } from './outbox';
import type { Routed, RoutingHints } from '../org/routing';

/** Organisation (issue 15): places a warning's case in a unit (server/org/routing.ts); absent = no units. */
export type RouteWarning = (hints: RoutingHints) => Routed;

export type IntakeResult =
  | { index: number; status: 'accepted'; caseId: string; caseRef: string; newCase: boolean; warningCount: number; /** what the decision left for after commit (internal: not for the response) */ work?: Pick<Applied, 'caseId' | 'outbox' | 'next'> }
  | { index: number; status: 'duplicate'; caseId: string; caseRef?: string }
  | { index: number; status: 'rejected'; reason: string };

const RISK_ORDER = { low: 0, medium: 1, high: 2 } as const;
type Risk = keyof typeof RISK_ORDER;
const higherRisk = (a: string, b: string): string => (RISK_ORDER[(b as Risk)] ?? 0) > (RISK_ORDER[(a as Risk)] ?? 0) ? b : a;

interface NormalisedWarning {
  input: WarningInput;
  phone: string;
  relatives: { phone: string; relation: string | null; name: string | null }[];
  scamType: ScamType;
  /** The upstream's label when it is not one of our scam types. */
  upstreamScamType: string | null;
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
  const { scamType, upstream } = scamTypeOf(w.scamType);
  return { ok: true, value: { input: w, phone: phone.e164, relatives, scamType, upstreamScamType: upstream } };
}

function defaultLocale(phone: string): 'zh' | 'en' {
  return /^\+86|^\+852|^\+853|^\+886/.test(phone) ? 'zh' : 'en';
}

export interface StoreOptions {
  /**
   * The engine (SQLite unless given). PostgreSQL locks the open case, so concurrent warnings for one person count
   * one after the other, and writes a new case with its warning in one statement.
   */
  dialect?: Dialect;
  /**
   * The services to decide with: the lifecycle triages the warning in the same transaction and its first
   * contacts go to the outbox with it. Without them the case is left due for triage by a worker.
   */
  decide?: Services;
  /** Organisation (issue 15): places a new case in a unit (server/org/routing.ts); absent = no unit. */
  route?: RouteWarning;
}

/**
 * Stores one validated warning and the case's decision on it in its own transaction, so a warning, its case
 * change and the outbound effects decided land together. A unique-constraint race (another process took the
 * same warning or opened the same case) is retried. The intake route shares transactions instead
 * (storeWarningOnce in a group commit).
 */
export async function storeWarning(db: Kysely<Database>, index: number, w: NormalisedWarning, actor: string, opts: StoreOptions = {}): Promise<IntakeResult> {
  for (let attempt = 0; ; attempt++) {
    const pending = new PendingEvents();
    try {
      const r = await db.transaction().execute((trx) => storeWarningOnce(trx, index, w, actor, opts, pending));
      if (opts.decide) pending.flushTo(opts.decide.events);
      return r;
    } catch (err) {
      if (attempt >= 2 || !isUniqueViolation(err)) throw err;
    }
  }
}

/**
 * The unit of work of storing one warning and its case's decision, in a transaction the caller opens and
 * commits (the intake route's group commit). It touches only the database and `pending` (live events to
 * publish after commit), so it can run again after a rollback with a fresh `pending`.
 */
export async function storeWarningOnce(db: Kysely<Database>, index: number, w: NormalisedWarning, actor: string, opts: StoreOptions, pending: PendingEvents): Promise<IntakeResult> {
  const dialect = opts.dialect ?? 'sqlite';
  const { input } = w;
  const now = nowIso();
  const telegramChatId = input.telegramChatId == null ? null : String(input.telegramChatId);
  const routed = opts.route?.({ unitCode: input.unitCode, address: input.address, precinct: input.precinct });
  const warningOn = (caseId: string): WarningRow => ({
    id: newId(),
    source: input.source,
    external_id: input.externalId,
    case_id: caseId,
    phone: w.phone,
    name: input.name ?? null,
    locale: input.locale ?? null,
    scam_type: w.scamType,
    upstream_scam_type: w.upstreamScamType,
    risk_level: input.riskLevel ?? 'medium',
    signals: toJson(input.signals ?? []),
    amount: input.amount ?? null,
    relatives: toJson(w.relatives),
    precinct: input.precinct ?? null,
    telegram_chat_id: telegramChatId,
    unit_code: input.unitCode ?? null,
    address: input.address ?? null,
    received_at: input.receivedAt ? new Date(input.receivedAt).toISOString() : now,
    created_at: now,
  });

  // The case as this transaction leaves it, for the decision (no read back of what was just written).
  let c: CaseRow;
  let open: CaseRow | undefined;
  let written = false;
  if (dialect === 'postgres') {
    // One statement: the duplicate check, the person's open case (locked), or else the new case and its warning.
    const draft = newCaseRow(w, now, telegramChatId, routed);
    const first = await openCaseUnlessKnown(db, draft, warningOn(draft.id));
    if (first.duplicateOf) return { index, status: 'duplicate', caseId: first.duplicateOf };
    open = first.open;
    written = !open;
    c = open ?? draft;
  } else {
    const seen = await findWarning(db, input.source, input.externalId);
    if (seen) return { index, status: 'duplicate', caseId: seen.case_id };
    open = await findOpenCaseByPhone(db, w.phone);
    c = open ?? newCaseRow(w, now, telegramChatId, routed);
  }
  const caseId = c.id;

  if (open) {
    const warningCount = open.warning_count + 1;
    const relatives = fromJson<NormalisedWarning['relatives']>(open.relatives, []);
    for (const r of w.relatives) if (!relatives.some((x) => x.phone === r.phone)) relatives.push(r);
    // The facts only grow: risk only goes up, the largest amount counts, a known scam type replaces `other`.
    const patch = {
      warning_count: warningCount,
      risk_level: higherRisk(open.risk_level, input.riskLevel ?? 'medium'),
      amount: Math.max(open.amount ?? 0, input.amount ?? 0) || null,
      scam_type: open.scam_type === 'other' ? w.scamType : open.scam_type,
      telegram_chat_id: open.telegram_chat_id ?? telegramChatId,
      name: open.name ?? input.name ?? null,
      precinct: open.precinct ?? input.precinct ?? null,
      relatives: toJson(relatives),
      ...reroute(open, routed, input.address),
    };
    await insertWarningUpdatingCase(db, dialect, open.id, patch, warningOn(open.id));
    c = { ...open, ...patch, updated_at: now };
    await audit(db, { caseId, actor, action: 'warning_added', detail: { source: input.source, externalId: input.externalId, warningCount } });
  } else {
    if (!written) await insertWarningOpeningCase(db, c, warningOn(caseId));
    await audit(db, { caseId, actor, action: 'case_opened', detail: { source: input.source, externalId: input.externalId } });
  }
  const { case_ref: caseRef, warning_count: warningCount } = c;

  // Every warning is a lifecycle event (re-triage included), decided here with its warning.
  if (opts.decide) {
    const adv = await advanceCase(db, opts.decide, c, { type: 'warning_received', newCase: !open }, pending, conversationPort, actor);
    return { index, status: 'accepted', caseId, caseRef, newCase: !open, warningCount, work: { caseId, outbox: adv.outbox, next: adv.next } };
  }
  const next = await deferTriage(db, c, now);
  return { index, status: 'accepted', caseId, caseRef, newCase: !open, warningCount, work: { caseId, outbox: [], next } };
}

/** A new case for the warned person, as its first warning opens it. */
function newCaseRow(w: NormalisedWarning, now: string, telegramChatId: string | null, routed: Routed | undefined): CaseRow {
  const { input } = w;
  return {
    id: newId(),
    case_ref: newCaseRef(),
    phone: w.phone,
    status: 'open',
    name: input.name ?? null,
    locale: input.locale ?? defaultLocale(w.phone),
    scam_type: w.scamType,
    risk_level: input.riskLevel ?? 'medium',
    warning_count: 1,
    amount: input.amount ?? null,
    precinct: input.precinct ?? null,
    telegram_chat_id: telegramChatId,
    relatives: toJson(w.relatives),
    ...untouchedCaseState(now),
    unit_id: routed?.unit.id ?? null,
    routing: routed?.routing ?? null,
    routing_hint: routed?.hint ?? null,
    address: input.address ?? null,
  };
}

/** No services to decide with: the case is left due for triage now; a worker's lifecycle decides. */
async function deferTriage(db: Kysely<Database>, c: CaseRow, now: string): Promise<{ action: string; at: string }> {
  const state = c.lifecycle ? readLifecycle(c) : deferredTriage(now);
  if (!state.timers.some((t) => t.action === 'triage')) state.timers.push({ action: 'triage', at: now });
  const first = [...state.timers].sort((a, b) => (a.at < b.at ? -1 : 1))[0]!;
  await updateCase(db, c.id, { lifecycle: toJson(state), next_action: first.action, next_action_at: first.at });
  return { action: first.action, at: first.at };
}

/**
 * A repeat warning may place a case that routing could not: a case at the default unit or flagged
 * unrouted moves where the new warning's code or address says. A case placed by a code, an address or a
 * supervisor stays put.
 */
function reroute(open: { routing: string | null; address: string | null }, routed: Routed | undefined, address: string | null | undefined) {
  const patch: { unit_id?: string; routing?: Routed['routing']; routing_hint?: string | null; address?: string } = {};
  if (!open.address && address) patch.address = address;
  const weak = open.routing === null || open.routing === 'default' || open.routing === 'unrouted';
  if (routed && weak && (routed.routing === 'code' || routed.routing === 'address')) Object.assign(patch, { unit_id: routed.unit.id, routing: routed.routing, routing_hint: routed.hint });
  return patch;
}

/** Worth running the warning again: another transaction took the same warning or case first, or PostgreSQL broke a deadlock or a serialization conflict. */
export function isRetriableConflict(err: unknown): boolean {
  const code = (err as { code?: string })?.code;
  return isUniqueViolation(err) || code === '40P01' || code === '40001';
}

export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || /UNIQUE constraint failed/.test(e?.message ?? '');
}
