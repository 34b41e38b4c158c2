// The reconciliation every fault test ends with: each accepted warning has a case, and each case has a
// next step (a due action, an open handoff) or an outcome. And nobody was contacted twice.
import type { Kysely } from 'kysely';
import type { Database } from '../../server/store/schema';
import type { PhoneNetwork } from '../../tools/phone-network/server';

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
