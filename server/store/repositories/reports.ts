// Managers' figures: what happened to the warnings received in a period, grouped by day, scam type or
// flow version. The unit is the case (one person); each figure counts people unless it says replies.
import type { Db } from './cases';
import { CHANNELS, HANDOFF_REASONS } from '../../../flows/engine/vocabulary';

export type GroupBy = 'day' | 'scam_type' | 'flow_version';

/** Attempt statuses that mean the warning got through: a call answered, a message delivered. */
const REACHED_STATUSES = ['completed', 'in-progress', 'answered', 'delivered', 'read', 'sent'];
const DISSUADED = ['dissuaded', 'safe_aware'];

export interface CaseFacts {
  id: string;
  day: string;
  scamType: string;
  flow: string;
  warnings: number;
  firstWarningAt: number;
  firstContactAt?: number;
  reachedChannel?: string;
  answered: boolean;
  atRiskReplies: number;
  handoffReasons: string[];
  firstPickupAt?: number;
  outcomes: string[];
}

export interface ReportRow {
  key: string;
  warnings: number;
  people: number;
  contacted: number;
  reached: number;
  reachedByChannel: Record<string, number>;
  answered: number;
  dissuaded: number;
  handedOff: number;
  handoffsByReason: Record<string, number>;
  atRiskReplies: number;
  stopPayments: number;
  visits: number;
  /** Seconds from the first warning to the first contact attempt. */
  firstContact: { median: number | null; p90: number | null; n: number };
  /** Seconds from the first warning to a human claiming the case's first handoff. */
  humanPickup: { median: number | null; p90: number | null; n: number };
}

export interface ReportRange {
  from: string;
  to: string;
  /** Minutes east of UTC for day boundaries (China: 480). */
  tzOffsetMinutes: number;
  flowId?: string;
  scamType?: string;
}

const ms = (iso: string) => Date.parse(iso);

export async function loadCaseFacts(db: Db, r: ReportRange): Promise<CaseFacts[]> {
  let q = db
    .selectFrom('cases')
    .select(['id', 'opened_at', 'scam_type', 'flow_id', 'flow_version', 'outcome'])
    .where('opened_at', '>=', r.from)
    .where('opened_at', '<', r.to);
  if (r.flowId) q = q.where('flow_id', '=', r.flowId);
  if (r.scamType) q = q.where('scam_type', '=', r.scamType);
  const cases = await q.execute();
  if (!cases.length) return [];
  const ids = cases.map((c) => c.id);
  const facts = new Map<string, CaseFacts>();
  for (const c of cases) {
    facts.set(c.id, {
      id: c.id,
      day: new Date(ms(c.opened_at) + r.tzOffsetMinutes * 60_000).toISOString().slice(0, 10),
      scamType: c.scam_type,
      flow: c.flow_id ? `${c.flow_id} v${c.flow_version}` : '(no conversation)',
      warnings: 0,
      firstWarningAt: ms(c.opened_at),
      answered: false,
      atRiskReplies: 0,
      handoffReasons: [],
      outcomes: c.outcome ? [c.outcome] : [],
    });
  }
  // Case ids go to the database in slices: PostgreSQL and SQLite both cap bound parameters.
  for (let i = 0; i < ids.length; i += 500) {
    const slice = ids.slice(i, i + 500);
    const [warnings, attempts, replies, handoffs] = await Promise.all([
      db.selectFrom('warnings').select(['case_id', 'received_at']).where('case_id', 'in', slice).execute(),
      db.selectFrom('contact_attempts').select(['case_id', 'channel', 'status', 'created_at', 'updated_at']).where('case_id', 'in', slice).where('to_relative', '=', 0).where('status', '<>', 'cancelled').execute(),
      db.selectFrom('messages').select(['case_id', 'channel', 'at_risk', 'created_at']).where('case_id', 'in', slice).where('direction', '=', 'in').where('author', '=', 'citizen').execute(),
      db.selectFrom('handoffs').select(['case_id', 'reason', 'claimed_at', 'outcome']).where('case_id', 'in', slice).execute(),
    ]);
    const reachedAt = new Map<string, { at: number; channel: string }>();
    const reach = (caseId: string, at: number, channel: string) => {
      const cur = reachedAt.get(caseId);
      if (!cur || at < cur.at) reachedAt.set(caseId, { at, channel });
    };
    for (const w of warnings) {
      const f = facts.get(w.case_id)!;
      f.warnings += 1;
      f.firstWarningAt = Math.min(f.firstWarningAt, ms(w.received_at));
    }
    for (const a of attempts) {
      const f = facts.get(a.case_id)!;
      f.firstContactAt = Math.min(f.firstContactAt ?? Infinity, ms(a.created_at));
      if (REACHED_STATUSES.includes(a.status)) reach(a.case_id, ms(a.updated_at), a.channel);
    }
    for (const m of replies) {
      const f = facts.get(m.case_id)!;
      f.answered = true;
      if (m.at_risk === 1) f.atRiskReplies += 1;
      reach(m.case_id, ms(m.created_at), m.channel);
    }
    for (const [caseId, r2] of reachedAt) facts.get(caseId)!.reachedChannel = r2.channel;
    for (const h of handoffs) {
      const f = facts.get(h.case_id)!;
      if (!f.handoffReasons.includes(h.reason)) f.handoffReasons.push(h.reason);
      if (h.claimed_at) f.firstPickupAt = Math.min(f.firstPickupAt ?? Infinity, ms(h.claimed_at));
      if (h.outcome && !f.outcomes.includes(h.outcome)) f.outcomes.push(h.outcome);
    }
  }
  return [...facts.values()];
}

/** Nearest-rank percentile of seconds; null when there is nothing to measure. */
export function percentile(values: number[], p: number): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function keyOf(f: CaseFacts, by: GroupBy): string {
  return by === 'day' ? f.day : by === 'scam_type' ? f.scamType : f.flow;
}

export function aggregate(facts: CaseFacts[], by: GroupBy | 'total'): ReportRow[] {
  const groups = new Map<string, CaseFacts[]>();
  for (const f of facts) {
    const k = by === 'total' ? 'total' : keyOf(f, by);
    groups.set(k, [...(groups.get(k) ?? []), f]);
  }
  const rows = [...groups.entries()].map(([key, list]) => row(key, list));
  return rows.sort((a, b) => a.key.localeCompare(b.key, 'en', { numeric: true }));
}

function row(key: string, list: CaseFacts[]): ReportRow {
  const count = (pred: (f: CaseFacts) => boolean) => list.filter(pred).length;
  const secs = (pick: (f: CaseFacts) => number | undefined) =>
    list.flatMap((f) => {
      const t = pick(f);
      return t === undefined ? [] : [Math.max(0, Math.round((t - f.firstWarningAt) / 1000))];
    });
  const contact = secs((f) => f.firstContactAt);
  const pickup = secs((f) => f.firstPickupAt);
  return {
    key,
    warnings: list.reduce((n, f) => n + f.warnings, 0),
    people: list.length,
    contacted: count((f) => f.firstContactAt !== undefined),
    reached: count((f) => f.reachedChannel !== undefined),
    reachedByChannel: Object.fromEntries(CHANNELS.map((c) => [c, count((f) => f.reachedChannel === c)])),
    answered: count((f) => f.answered),
    dissuaded: count((f) => f.outcomes.some((o) => DISSUADED.includes(o))),
    handedOff: count((f) => f.handoffReasons.length > 0),
    handoffsByReason: Object.fromEntries(HANDOFF_REASONS.map((r) => [r, count((f) => f.handoffReasons.includes(r))])),
    atRiskReplies: list.reduce((n, f) => n + f.atRiskReplies, 0),
    stopPayments: count((f) => f.outcomes.includes('stop_payment_requested')),
    visits: count((f) => f.outcomes.includes('visit_dispatched')),
    firstContact: { median: percentile(contact, 50), p90: percentile(contact, 90), n: contact.length },
    humanPickup: { median: percentile(pickup, 50), p90: percentile(pickup, 90), n: pickup.length },
  };
}

export const CSV_COLUMNS = [
  'group',
  'warnings',
  'people',
  'contacted',
  'reached',
  ...CHANNELS.map((c) => `reached_${c}`),
  'answered',
  'dissuaded',
  'handed_off',
  ...HANDOFF_REASONS.map((r) => `handoff_${r}`),
  'at_risk_replies',
  'stop_payments',
  'visits',
  'first_contact_median_s',
  'first_contact_p90_s',
  'human_pickup_median_s',
  'human_pickup_p90_s',
];

export function toCsv(rows: ReportRow[]): string {
  const cell = (v: string | number | null) => {
    const s = v === null ? '' : String(v);
    // Quote what needs it; a leading =, +, - or @ would run as a formula in a spreadsheet.
    const safe = /^[=+\-@]/.test(s) ? `'${s}` : s;
    return /[",\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  const lines = rows.map((r) =>
    [
      r.key,
      r.warnings,
      r.people,
      r.contacted,
      r.reached,
      ...CHANNELS.map((c) => r.reachedByChannel[c] ?? 0),
      r.answered,
      r.dissuaded,
      r.handedOff,
      ...HANDOFF_REASONS.map((x) => r.handoffsByReason[x] ?? 0),
      r.atRiskReplies,
      r.stopPayments,
      r.visits,
      r.firstContact.median,
      r.firstContact.p90,
      r.humanPickup.median,
      r.humanPickup.p90,
    ]
      .map(cell)
      .join(','),
  );
  return [CSV_COLUMNS.join(','), ...lines].join('\r\n') + '\r\n';
}
