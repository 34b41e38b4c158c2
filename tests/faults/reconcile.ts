// The reconciliation every fault test ends with: each accepted warning has a case, and each case has a
// next step (a due action, an open handoff) or an outcome; every person was warned exactly once per attempt
// and every message the app meant to send went out exactly once.
import type { Kysely } from 'kysely';
import type { Database } from '../../server/store/schema';
import type { PhoneNetwork } from '../../tools/phone-network/server';
import { postgresDatabase, sqliteDatabase, type TestDatabase } from '../support/databases';

/** The engine a fault run uses: SQLite, or PostgreSQL with FAULT_DB=postgres (each fault runs on both). */
export const faultDatabase = (): TestDatabase => (process.env.FAULT_DB === 'postgres' ? postgresDatabase() : sqliteDatabase());

export interface Reconciliation {
  warnings: number;
  /** "externalId: why" for each warning that is lost or stuck; empty when all is well */
  problems: string[];
}

export async function reconcile(db: Kysely<Database>, externalIds: string[]): Promise<Reconciliation> {
  const warnings = await db.selectFrom('warnings').select(['external_id', 'case_id']).where('external_id', 'in', externalIds).execute();
  const cases = await db.selectFrom('cases').selectAll().execute();
  const handoffs = await db.selectFrom('handoffs').select(['case_id']).where('status', 'in', ['open', 'claimed']).execute();
  const byId = new Map(cases.map((c) => [c.id, c]));
  const withHuman = new Set(handoffs.map((h) => h.case_id));
  const problems: string[] = [];
  for (const id of externalIds) {
    const w = warnings.find((x) => x.external_id === id);
    if (!w) {
      problems.push(`${id}: accepted but not stored`);
      continue;
    }
    const c = byId.get(w.case_id);
    if (!c) problems.push(`${id}: no case ${w.case_id}`);
    else if (!(c.next_action && c.next_action_at) && !withHuman.has(c.id) && !c.outcome) problems.push(`${id}: case ${c.case_ref} has no next step, no open handoff and no outcome`);
  }
  return { warnings: warnings.length, problems };
}

/** A fault run in figures: what was injected, accepted, contacted, duplicated and lost. */
export interface FaultFigures {
  injected: number;
  accepted: number;
  /** people who got at least one contact from the app (SMS, call) */
  contacted: number;
  /** sends the provider carried out beyond one per message or attempt the app recorded */
  duplicated: number;
  /** accepted warnings whose person got nothing, plus messages the app meant to send that never went */
  lost: number;
  /** "phone: why" for each duplicate or loss */
  problems: string[];
}

/**
 * Compares what the provider (the phone network) carried out with what the app recorded: a send whose sid
 * the app never recorded is a duplicate (the app sent again and kept only one of them); an outbound SMS the
 * app stored but never got a sid for is lost, unless the app cancelled or the provider refused it for good.
 */
export async function faultFigures(db: Kysely<Database>, network: PhoneNetwork, externalIds: string[], injected: number): Promise<FaultFigures> {
  const warnings = await db.selectFrom('warnings').select(['external_id', 'case_id', 'phone']).where('external_id', 'in', externalIds).execute();
  const caseIds = [...new Set(warnings.map((w) => w.case_id))];
  const messages = caseIds.length
    ? await db.selectFrom('messages').select(['id', 'case_id', 'channel', 'provider_id', 'payload']).where('case_id', 'in', caseIds).where('direction', '=', 'out').where('channel', '=', 'sms').execute()
    : [];
  const attempts = caseIds.length ? await db.selectFrom('contact_attempts').select(['case_id', 'channel', 'provider_id', 'status', 'target']).where('case_id', 'in', caseIds).execute() : [];
  const cancelled = new Set<string>();
  try {
    // Messages whose send the app called off on purpose (the person was reached another way first).
    const rows = caseIds.length
      ? await (db as Kysely<any>).selectFrom('outbox').select(['message_id']).where('case_id', 'in', caseIds).where('status', 'in', ['cancelled', 'failed']).execute()
      : [];
    for (const r of rows as { message_id: string | null }[]) if (r.message_id) cancelled.add(r.message_id);
  } catch {
    // No outbox table (before the outbox existed): nothing was called off.
  }
  const recorded = new Set([...messages.map((m) => m.provider_id), ...attempts.map((a) => a.provider_id)].filter((p): p is string => !!p));
  const phoneOf = new Map(warnings.map((w) => [w.case_id, w.phone]));
  const problems: string[] = [];
  let duplicated = 0;
  let lost = 0;
  let contacted = 0;
  const s = network.state;
  for (const phone of new Set(warnings.map((w) => w.phone))) {
    const sms = s.messages.filter((m) => m.to === phone && m.direction !== 'inbound');
    const calls = s.calls.filter((c) => c.to === phone && c.direction === 'outbound-api');
    if (sms.length || calls.length) contacted += 1;
    else {
      lost += 1;
      problems.push(`${phone}: accepted, never contacted`);
    }
    for (const m of sms) {
      if (recorded.has(m.sid)) continue;
      duplicated += 1;
      problems.push(`${phone}: SMS ${m.sid} went out but the app kept another send of it ("${m.body.slice(0, 30)}…")`);
    }
    for (const c of calls) {
      if (recorded.has(c.sid)) continue;
      duplicated += 1;
      problems.push(`${phone}: call ${c.sid} was placed but the app kept another one`);
    }
  }
  for (const m of messages) {
    const to = (JSON.parse(m.payload ?? '{}') as { to?: string }).to ?? phoneOf.get(m.case_id);
    const sent = !!m.provider_id && !m.provider_id.startsWith('sending:') && !m.provider_id.startsWith('failed:');
    if (sent || cancelled.has(m.id) || m.provider_id?.startsWith('failed:')) continue;
    lost += 1;
    problems.push(`${to}: message ${m.id} was never sent (${m.provider_id ?? 'no send'})`);
  }
  return { injected, accepted: warnings.length, contacted, duplicated, lost, problems };
}

/** How many warnings a fault run sends: its small default, or FAULT_RUN_SIZE for a run at scale. */
export const runSize = (small: number): number => Number(process.env.FAULT_RUN_SIZE ?? small);

/**
 * Waits for a run to settle; if it never does, the figures of what happened are printed before the
 * failure (a run on code that loses or repeats messages still says how many).
 */
export async function settleOrReport(name: string, db: () => Promise<{ db: Kysely<Database>; close(): Promise<void> }>, network: PhoneNetwork, externalIds: string[], injected: number, settled: Promise<unknown>): Promise<void> {
  try {
    await settled;
  } catch (err) {
    const store = await db();
    try {
      reportFigures(`${name} (did not settle)`, await faultFigures(store.db, network, externalIds, injected));
    } finally {
      await store.close();
    }
    throw err;
  }
}

/** Prints a run's figures on one line, for the closing note of a fault run. */
export function reportFigures(name: string, f: FaultFigures): void {
  process.stdout.write(`FAULT-FIGURES ${name}: injected ${f.injected}, accepted ${f.accepted}, contacted ${f.contacted}, duplicated ${f.duplicated}, lost ${f.lost}\n`);
}

/** Phones that got more than one warning SMS or more than one call from the app; empty when nobody did. */
export function contactedTwice(network: PhoneNetwork, phones: string[]): string[] {
  const s = network.state;
  return phones.filter((p) => s.messages.filter((m) => m.to === p && m.direction !== 'inbound').length > 1 || s.calls.filter((c) => c.to === p).length > 1);
}

const PHONE_BASE = 10_000_000 + Math.floor(Math.random() * 80_000_000);
let phoneSeq = 0;
/** A warning for a new, unique mobile number. */
export const warningFor = (tag: string, i: number, extra: Record<string, unknown> = {}) => ({
  source: 'fault-test',
  externalId: `${tag}-${i}`,
  phone: `+86137${PHONE_BASE + phoneSeq++}`,
  scamType: 'investment',
  riskLevel: 'medium',
  ...extra,
});
