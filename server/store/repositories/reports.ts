// Managers' figures: what happened to the warnings received in a period, grouped by day, scam type,
// flow version, channel or unit. The unit of counting is the case (one person); each figure counts people
// unless it says replies or attempts. The centre's KPIs (docs/kpis.md) are computed from the same facts.
import type { Db } from './cases';
import { CHANNELS, HANDOFF_REASONS } from '../../../flows/engine/vocabulary';
import { fromJson } from '../ids';

export const GROUP_BYS = ['day', 'scam_type', 'flow_version', 'channel', 'unit'] as const;
export type GroupBy = (typeof GROUP_BYS)[number];
/** Re-victimisation windows, days after a warning. */
export const REVICTIMISATION_DAYS = [7, 30, 90] as const;
const DAY_MS = 86_400_000;

/** Attempt statuses that mean the warning got through: a call answered, a message delivered. */
const REACHED_STATUSES = ['completed', 'in-progress', 'answered', 'delivered', 'read', 'sent'];
const DISSUADED = ['dissuaded', 'safe_aware'];
/** An attempt that connected: a person answered the call (not voicemail), a text reached the phone or chat. */
const CONNECTED_STATUSES: Record<string, string[]> = {
  voice: ['completed', 'in-progress', 'answered'],
  sms: ['delivered', 'read'],
  telegram: ['sent', 'delivered', 'read'],
};
/** An officer's outcome that means they talked with the person themself. */
const OFFICER_TALKED = ['dissuaded', 'stop_payment_requested', 'safe_aware', 'false_alarm'];
/** Replies that are not an exchange with the warned person: not understood, or someone else's phone. */
const NOT_EFFECTIVE_INTENTS = ['other', 'wrong_person'];
export const NO_UNIT = '(no unit)';
/** Visit results that mean the officers met the person (not_home and wrong_person do not). */
const MET_AT_THE_DOOR = ['met_dissuaded', 'refused', 'already_paid'];
export const NOT_REACHED = '(not reached)';

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
  /** The code of the unit holding the case; null for a case no unit holds. */
  unit: string | null;
  /** Contact attempts to the person's own number or chat, each with whether it connected. */
  attempts: { channel: string; connected: boolean }[];
  /** Attempts to relatives (they count as contacts made). */
  relativeAttempts: number;
  /** The person replied with something understood, pressed a menu key, or an officer talked with them. */
  effective: boolean;
  /** When a station reported meeting the person at the door. */
  visitAt?: number;
  /** Losses reported after a warning: days from that warning to the loss. */
  lossDaysAfterWarning: number[];
  /** Organisation (issue 15): the case's station visits (deadline, when reported) and stop-payment requests. */
  visitTasks: { deadlineAt: number; reportedAt?: number }[];
  stopPaymentRequests: { status: string; withinWindow: boolean | null }[];
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
  /** Organisation (issue 15): station visits reported by their deadline (rate over visits whose deadline has passed or that were reported). */
  visitDeadlines: { tasks: number; reported: number; inTime: number; due: number; inTimeRate: number | null };
  /** Organisation (issue 15): stop-payment requests by status, and those filed within the first-level window. */
  stopPaymentRequests: { requests: number; byStatus: Record<string, number>; withinWindow: number; withinWindowRate: number | null };
  /** The centre's KPIs (formulas in docs/kpis.md). Rates are fractions 0…1, null when nothing to divide by. */
  kpis: Kpis;
  /** People who reported a loss after a warning, within 7, 30 and 90 days of it. */
  revictimisation: Revictimisation;
}

export interface Timing {
  median: number | null;
  p90: number | null;
  n: number;
}

export interface Kpis {
  attempts: number;
  connectedAttempts: number;
  connectionRate: number | null;
  connectedPeople: number;
  effective: number;
  effectiveCommunicationRate: number | null;
  dissuasionRate: number | null;
  visited: number;
  faceToFaceRate: number | null;
  contacts: number;
  contactsPerSuccess: number | null;
  timeToHuman: Timing;
  timeToVisit: Timing;
}

export interface RevictimisationWindow {
  /** People whose window has closed: warned at least this many days before the report was made. */
  eligible: number;
  /** Of those, people who reported a loss within the window after a warning. */
  victims: number;
  rate: number | null;
}

export interface Revictimisation {
  /** People with a loss reported after a warning, whenever it happened. */
  victims: number;
  d7: RevictimisationWindow;
  d30: RevictimisationWindow;
  d90: RevictimisationWindow;
}

export interface ReportRange {
  from: string;
  to: string;
  /** Minutes east of UTC for day boundaries (China: 480). */
  tzOffsetMinutes: number;
  flowId?: string;
  scamType?: string;
  /** Organisation (issue 15): the first-level accounts' stop-payment window (org/banks.yaml; default 30). */
  stopPaymentWindowMinutes?: number;
}

const ms = (iso: string) => Date.parse(iso);

export async function loadCaseFacts(db: Db, r: ReportRange): Promise<CaseFacts[]> {
  let q = db
    .selectFrom('cases')
    .select(['id', 'opened_at', 'scam_type', 'flow_id', 'flow_version', 'outcome', 'unit_id'])
    .where('opened_at', '>=', r.from)
    .where('opened_at', '<', r.to);
  if (r.flowId) q = q.where('flow_id', '=', r.flowId);
  if (r.scamType) q = q.where('scam_type', '=', r.scamType);
  const cases = await q.execute();
  if (!cases.length) return [];
  const ids = cases.map((c) => c.id);
  const unitCodes = new Map((await db.selectFrom('units').select(['id', 'code']).execute()).map((u) => [u.id, u.code]));
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
      unit: c.unit_id ? (unitCodes.get(c.unit_id) ?? c.unit_id) : null,
      attempts: [],
      relativeAttempts: 0,
      effective: false,
      lossDaysAfterWarning: [],
      visitTasks: [],
      stopPaymentRequests: [],
    });
  }
  // Case ids go to the database in slices: PostgreSQL and SQLite both cap bound parameters.
  for (let i = 0; i < ids.length; i += 500) {
    const slice = ids.slice(i, i + 500);
    const [warnings, attempts, replies, handoffs, voicemails, losses, visits, stopPayments] = await Promise.all([
      db.selectFrom('warnings').select(['case_id', 'received_at']).where('case_id', 'in', slice).execute(),
      db.selectFrom('contact_attempts').select(['case_id', 'channel', 'status', 'to_relative', 'provider_id', 'created_at', 'updated_at']).where('case_id', 'in', slice).where('status', '<>', 'cancelled').execute(),
      db.selectFrom('messages').select(['case_id', 'channel', 'at_risk', 'intent', 'body', 'classification', 'created_at']).where('case_id', 'in', slice).where('direction', '=', 'in').where('author', '=', 'citizen').execute(),
      db.selectFrom('handoffs').select(['case_id', 'reason', 'claimed_at', 'resolved_at', 'outcome']).where('case_id', 'in', slice).execute(),
      // A call answered by a machine is 'completed' too; the webhook notes it as a voicemail.
      db.selectFrom('audit_events').select(['case_id', 'detail']).where('case_id', 'in', slice).where('action', '=', 'voicemail').execute(),
      db.selectFrom('fraud_reports').select(['case_id', 'occurred_at', 'warning_at']).where('case_id', 'in', slice).where('warning_at', 'is not', null).execute(),
      db.selectFrom('visit_tasks').select(['case_id', 'deadline_at', 'reported_at', 'result', 'status']).where('case_id', 'in', slice).where('status', '<>', 'cancelled').execute(),
      db.selectFrom('stop_payment_requests').select(['case_id', 'status', 'first_mentioned_at', 'requested_at']).where('case_id', 'in', slice).execute(),
    ]);
    const voicemailCalls = new Set(voicemails.map((v) => fromJson<{ callSid?: string }>(v.detail, {}).callSid).filter(Boolean));
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
      if (a.to_relative) {
        f.relativeAttempts += 1;
        continue;
      }
      f.firstContactAt = Math.min(f.firstContactAt ?? Infinity, ms(a.created_at));
      if (REACHED_STATUSES.includes(a.status)) reach(a.case_id, ms(a.updated_at), a.channel);
      const connected = (CONNECTED_STATUSES[a.channel] ?? []).includes(a.status) && !(a.channel === 'voice' && a.provider_id && voicemailCalls.has(a.provider_id));
      f.attempts.push({ channel: a.channel, connected });
    }
    for (const m of replies) {
      const f = facts.get(m.case_id)!;
      f.answered = true;
      if (m.at_risk === 1) f.atRiskReplies += 1;
      reach(m.case_id, ms(m.created_at), m.channel);
      if (isUnderstood(m)) f.effective = true;
    }
    for (const l of losses) {
      const days = (ms(l.occurred_at) - ms(l.warning_at!)) / DAY_MS;
      facts.get(l.case_id!)!.lossDaysAfterWarning.push(days);
    }
    for (const [caseId, r2] of reachedAt) facts.get(caseId)!.reachedChannel = r2.channel;
    for (const h of handoffs) {
      const f = facts.get(h.case_id)!;
      if (!f.handoffReasons.includes(h.reason)) f.handoffReasons.push(h.reason);
      if (h.claimed_at) f.firstPickupAt = Math.min(f.firstPickupAt ?? Infinity, ms(h.claimed_at));
      if (h.outcome && !f.outcomes.includes(h.outcome)) f.outcomes.push(h.outcome);
      if (h.outcome && OFFICER_TALKED.includes(h.outcome)) f.effective = true;
    }
    // Face to face: the station reported that its officers met the person at the door.
    for (const v of visits) {
      const f = facts.get(v.case_id)!;
      f.visitTasks.push({ deadlineAt: ms(v.deadline_at), ...(v.reported_at ? { reportedAt: ms(v.reported_at) } : {}) });
      if (v.status !== 'reported' || !v.result || !MET_AT_THE_DOOR.includes(v.result) || !v.reported_at) continue;
      f.visitAt = Math.min(f.visitAt ?? Infinity, ms(v.reported_at));
    }
    for (const sp of stopPayments) {
      const window = (r.stopPaymentWindowMinutes ?? 30) * 60_000;
      facts.get(sp.case_id)!.stopPaymentRequests.push({ status: sp.status, withinWindow: sp.first_mentioned_at ? ms(sp.requested_at) - ms(sp.first_mentioned_at) <= window : null });
    }
  }
  for (const f of facts.values()) if (f.outcomes.some((o) => DISSUADED.includes(o))) f.effective = true;
  return [...facts.values()];
}

/** A reply that carried meaning: a menu key, or words the classifier understood from the warned person. */
function isUnderstood(m: { intent: string | null; body: string; classification: string | null }): boolean {
  if (/^\[[0-9*#]+\]$/.test(m.body)) return true;
  const c = fromJson<{ lowConfidence?: boolean } | null>(m.classification, null);
  return !!m.intent && !NOT_EFFECTIVE_INTENTS.includes(m.intent) && c?.lowConfidence !== true;
}

/** Nearest-rank percentile of seconds; null when there is nothing to measure. */
export function percentile(values: number[], p: number): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function keyOf(f: CaseFacts, by: GroupBy): string {
  switch (by) {
    case 'day':
      return f.day;
    case 'scam_type':
      return f.scamType;
    case 'flow_version':
      return f.flow;
    case 'channel':
      return f.reachedChannel ?? NOT_REACHED;
    case 'unit':
      return f.unit ?? NO_UNIT;
  }
}

/**
 * Groups people and computes each group's figures. By channel, a person belongs to the channel that
 * first reached them, while attempts (and so the connection rate) count under their own channel.
 */
export function aggregate(facts: CaseFacts[], by: GroupBy | 'total', asOf = Date.now()): ReportRow[] {
  const groups = new Map<string, CaseFacts[]>();
  for (const f of facts) {
    const k = by === 'total' ? 'total' : keyOf(f, by);
    groups.set(k, [...(groups.get(k) ?? []), f]);
  }
  if (by === 'channel') for (const f of facts) for (const a of f.attempts) if (!groups.has(a.channel)) groups.set(a.channel, []);
  const rows = [...groups.entries()].map(([key, list]) => row(key, list, asOf, by === 'channel' ? facts.flatMap((f) => f.attempts.filter((a) => a.channel === key)) : undefined));
  return rows.sort((a, b) => a.key.localeCompare(b.key, 'en', { numeric: true }));
}

const rate = (n: number, d: number): number | null => (d > 0 ? n / d : null);

/** One group's figures under a key of the caller's (reports per unit, issue 15); an empty list gives zeros. */
export const summarise = (key: string, list: CaseFacts[], asOf = Date.now()): ReportRow => row(key, list, asOf);

function row(key: string, list: CaseFacts[], asOf: number, channelAttempts?: CaseFacts['attempts']): ReportRow {
  const count = (pred: (f: CaseFacts) => boolean) => list.filter(pred).length;
  const secs = (pick: (f: CaseFacts) => number | undefined) =>
    list.flatMap((f) => {
      const t = pick(f);
      return t === undefined ? [] : [Math.max(0, Math.round((t - f.firstWarningAt) / 1000))];
    });
  const contact = secs((f) => f.firstContactAt);
  const pickup = secs((f) => f.firstPickupAt);
  const visit = secs((f) => f.visitAt);
  const attempts = channelAttempts ?? list.flatMap((f) => f.attempts);
  const connectedAttempts = attempts.filter((a) => a.connected).length;
  const connectedPeople = count((f) => f.answered || f.attempts.some((a) => a.connected));
  const effective = count((f) => f.effective);
  const dissuaded = count((f) => f.outcomes.some((o) => DISSUADED.includes(o)));
  const visited = count((f) => f.visitAt !== undefined);
  const contacts = list.reduce((n, f) => n + f.attempts.length + f.relativeAttempts, 0);
  const window = (days: number): RevictimisationWindow => {
    const eligible = list.filter((f) => f.firstWarningAt + days * DAY_MS <= asOf);
    const victims = eligible.filter((f) => f.lossDaysAfterWarning.some((d) => d <= days)).length;
    return { eligible: eligible.length, victims, rate: rate(victims, eligible.length) };
  };
  return {
    key,
    warnings: list.reduce((n, f) => n + f.warnings, 0),
    people: list.length,
    contacted: count((f) => f.firstContactAt !== undefined),
    reached: count((f) => f.reachedChannel !== undefined),
    reachedByChannel: Object.fromEntries(CHANNELS.map((c) => [c, count((f) => f.reachedChannel === c)])),
    answered: count((f) => f.answered),
    dissuaded,
    handedOff: count((f) => f.handoffReasons.length > 0),
    handoffsByReason: Object.fromEntries(HANDOFF_REASONS.map((r) => [r, count((f) => f.handoffReasons.includes(r))])),
    atRiskReplies: list.reduce((n, f) => n + f.atRiskReplies, 0),
    stopPayments: count((f) => f.outcomes.includes('stop_payment_requested')),
    // Visits asked for: dispatched from the desk, or a station visit task.
    visits: count((f) => f.outcomes.includes('visit_dispatched') || f.visitTasks.length > 0),
    firstContact: { median: percentile(contact, 50), p90: percentile(contact, 90), n: contact.length },
    humanPickup: { median: percentile(pickup, 50), p90: percentile(pickup, 90), n: pickup.length },
    visitDeadlines: visitDeadlines(list, asOf),
    stopPaymentRequests: stopPaymentFigures(list),
    kpis: {
      attempts: attempts.length,
      connectedAttempts,
      connectionRate: rate(connectedAttempts, attempts.length),
      connectedPeople,
      effective,
      effectiveCommunicationRate: rate(effective, connectedPeople),
      dissuasionRate: rate(dissuaded, effective),
      visited,
      faceToFaceRate: rate(visited, list.length),
      contacts,
      contactsPerSuccess: rate(contacts, dissuaded),
      timeToHuman: { median: percentile(pickup, 50), p90: percentile(pickup, 90), n: pickup.length },
      timeToVisit: { median: percentile(visit, 50), p90: percentile(visit, 90), n: visit.length },
    },
    revictimisation: {
      victims: count((f) => f.lossDaysAfterWarning.length > 0),
      d7: window(7),
      d30: window(30),
      d90: window(90),
    },
  };
}

function visitDeadlines(list: CaseFacts[], asOf: number): ReportRow['visitDeadlines'] {
  const tasks = list.flatMap((f) => f.visitTasks);
  const reported = tasks.filter((t) => t.reportedAt !== undefined);
  const inTime = reported.filter((t) => t.reportedAt! <= t.deadlineAt).length;
  // A visit counts once its result is in or its deadline has passed: one still running is neither kept nor missed.
  const due = tasks.filter((t) => t.reportedAt !== undefined || t.deadlineAt <= asOf).length;
  return { tasks: tasks.length, reported: reported.length, inTime, due, inTimeRate: rate(inTime, due) };
}

function stopPaymentFigures(list: CaseFacts[]): ReportRow['stopPaymentRequests'] {
  const all = list.flatMap((f) => f.stopPaymentRequests);
  const byStatus: Record<string, number> = { requested: 0, confirmed: 0, frozen: 0, refused: 0, amount_returned: 0 };
  for (const r of all) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
  const timed = all.filter((r) => r.withinWindow !== null);
  const within = timed.filter((r) => r.withinWindow).length;
  return { requests: all.length, byStatus, withinWindow: within, withinWindowRate: rate(within, timed.length) };
}

/** Rates and ratios to four decimals, so a spreadsheet shows what the API says. */
const fixed = (v: number | null): number | null => (v === null ? null : Math.round(v * 10_000) / 10_000);

type Cell = string | number | null;
/** One CSV column: its header and its value in a row, side by side so the two can never drift apart. */
type Column = readonly [header: string, value: (r: ReportRow) => Cell];
const col = (header: string, value: (r: ReportRow) => Cell): Column => [header, value];
const timing = (header: string, pick: (r: ReportRow) => { median: number | null; p90: number | null }): Column[] => [
  col(`${header}_median_s`, (r) => pick(r).median),
  col(`${header}_p90_s`, (r) => pick(r).p90),
];

const CSV: readonly Column[] = [
  col('group', (r) => r.key),
  col('warnings', (r) => r.warnings),
  col('people', (r) => r.people),
  col('contacted', (r) => r.contacted),
  col('reached', (r) => r.reached),
  ...CHANNELS.map((c) => col(`reached_${c}`, (r) => r.reachedByChannel[c] ?? 0)),
  col('answered', (r) => r.answered),
  col('dissuaded', (r) => r.dissuaded),
  col('handed_off', (r) => r.handedOff),
  ...HANDOFF_REASONS.map((x) => col(`handoff_${x}`, (r) => r.handoffsByReason[x] ?? 0)),
  col('at_risk_replies', (r) => r.atRiskReplies),
  col('stop_payments', (r) => r.stopPayments),
  col('visits', (r) => r.visits),
  ...timing('first_contact', (r) => r.firstContact),
  ...timing('human_pickup', (r) => r.humanPickup),
  col('attempts', (r) => r.kpis.attempts),
  col('connected_attempts', (r) => r.kpis.connectedAttempts),
  col('connection_rate', (r) => fixed(r.kpis.connectionRate)),
  col('connected_people', (r) => r.kpis.connectedPeople),
  col('effective_communication', (r) => r.kpis.effective),
  col('effective_communication_rate', (r) => fixed(r.kpis.effectiveCommunicationRate)),
  col('dissuasion_rate', (r) => fixed(r.kpis.dissuasionRate)),
  col('visited', (r) => r.kpis.visited),
  col('face_to_face_rate', (r) => fixed(r.kpis.faceToFaceRate)),
  col('contacts', (r) => r.kpis.contacts),
  col('contacts_per_success', (r) => fixed(r.kpis.contactsPerSuccess)),
  ...timing('time_to_human', (r) => r.kpis.timeToHuman),
  ...timing('time_to_visit', (r) => r.kpis.timeToVisit),
  col('victims_after_warning', (r) => r.revictimisation.victims),
  ...REVICTIMISATION_DAYS.flatMap((d) => {
    const w = (r: ReportRow) => r.revictimisation[`d${d}` as const];
    return [col(`eligible_${d}d`, (r) => w(r).eligible), col(`revictimised_${d}d`, (r) => w(r).victims), col(`revictimisation_rate_${d}d`, (r) => fixed(w(r).rate))];
  }),
  // Organisation (issue 15): visits by their deadline, stop-payment requests within the first-level window.
  col('visit_tasks', (r) => r.visitDeadlines.tasks),
  col('visits_due', (r) => r.visitDeadlines.due),
  col('visits_in_time', (r) => r.visitDeadlines.inTime),
  col('visits_in_time_rate', (r) => fixed(r.visitDeadlines.inTimeRate)),
  col('stop_payment_requests', (r) => r.stopPaymentRequests.requests),
  col('stop_payments_within_window', (r) => r.stopPaymentRequests.withinWindow),
  col('stop_payments_within_window_rate', (r) => fixed(r.stopPaymentRequests.withinWindowRate)),
];

export const CSV_COLUMNS = CSV.map(([header]) => header);

export function toCsv(rows: ReportRow[]): string {
  const cell = (v: Cell) => {
    const s = v === null ? '' : String(v);
    // Quote what needs it; a leading =, +, - or @ would run as a formula in a spreadsheet.
    const safe = /^[=+\-@]/.test(s) ? `'${s}` : s;
    return /[",\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  const lines = rows.map((r) => CSV.map(([, value]) => cell(value(r))).join(','));
  return [CSV_COLUMNS.join(','), ...lines].join('\r\n') + '\r\n';
}
