// Everything a dissuader needs about one case, on one screen: the case, its handoff, the flow state,
// the stop-payment prefill, and one timeline of warnings, contact attempts, messages and desk events.
import type { Services } from '../services';
import type { CaseRow, HandoffRow } from '../store/schema';
import { listWarningsForCase } from '../store/repositories/warnings';
import { listMessagesForCase } from '../store/repositories/messages';
import { listAttemptsForCase } from '../store/repositories/attempts';
import { listHandoffsForCase } from '../store/repositories/handoffs';
import { listAuditForCase } from '../store/repositories/audit';
import { listCorrectionsForCase } from '../store/repositories/intent-corrections';
import { fromJson } from '../store/ids';
import type { ConversationState } from '../../flows/engine';
import type { Classification } from '../../nlu-models/src/intents';
import { holdsClaim, isSupervisor, phoneMasker, seesPhones, type Viewer } from './visibility';
import { stopPaymentPrefill } from './stop-payment';
import { presentPlacement } from '../org/people';
import { countdown, earliest, listStopPaymentRequestsForCase, paymentHeardAt, presentStopPayment } from '../org/stop-payments';

/** Desk events worth a line on the timeline (reads and routine bookkeeping are left out). */
export const TIMELINE_ACTIONS = new Set([
  'triaged',
  'handoff_opened',
  'handoff_raised',
  'handoff_claimed',
  'handoff_released',
  'handoff_escalated',
  'handoff_resolved',
  'handoff_returned',
  'desk_call',
  'sms_opt_out',
  'sms_opt_in',
  'voicemail',
  'call_not_answered',
  'retry_scheduled',
  'next_channel',
  'relative_contacted',
  'callback_scheduled',
  'flow_ended',
  'case_closed',
  'delivery_failed',
  'fraud_report_matched',
  'call_recorded',
  'recording_deleted',
  // Organisation (issue 15)
  'handoff_assigned',
  'handoff_transferred',
  'handoff_taken_over',
  'case_moved',
  'review_decided',
  'visit_requested',
  'visit_accepted',
  'visit_on_the_way',
  'visit_reported',
  'visit_overdue',
  'relative_message',
  'relative_call',
  'stop_payment_filed',
  'stop_payment_status',
  'bank_call',
  'bank_call_event',
]);

export type TimelineItem =
  | { kind: 'warning'; at: string; id: string; source: string; externalId: string; scamType: string; riskLevel: string; signals: string[]; amount: number | null }
  | { kind: 'attempt'; at: string; id: string; channel: string; target: string; toRelative: boolean; attemptNo: number; status: string; errorCode: string | null }
  | {
      kind: 'message';
      at: string;
      id: string;
      direction: 'in' | 'out';
      channel: string;
      body: string;
      author: string | null;
      stateId: string | null;
      intent: string | null;
      confidence: number | null;
      atRisk: boolean | null;
      lowConfidence: boolean | null;
      cues: string[];
      payment: Classification['payment'] | null;
      delivery: 'sent' | 'pending' | 'failed' | null;
      /** An officer's correction of the classifier's intent, if any. */
      correction: { intent: string; by: string; at: string } | null;
    }
  | { kind: 'event'; at: string; id: string; action: string; actor: string; detail: unknown };

export const presentHandoff = (h: HandoffRow) => ({
  id: h.id,
  caseId: h.case_id,
  reason: h.reason,
  priority: h.priority,
  status: h.status,
  note: h.note,
  claimedBy: h.claimed_by,
  claimedAt: h.claimed_at,
  resolvedAt: h.resolved_at,
  outcome: h.outcome,
  outcomeDetail: fromJson(h.outcome_detail, null),
  slaDueAt: h.sla_due_at,
  escalatedAt: h.escalated_at,
  createdAt: h.created_at,
  // Organisation (issue 15)
  kind: h.kind,
  assignedBy: h.assigned_by,
});

function deliveryOf(providerId: string | null): 'sent' | 'pending' | 'failed' {
  if (!providerId || providerId.startsWith('sending:')) return 'pending';
  return providerId.startsWith('failed:') ? 'failed' : 'sent';
}

export async function buildCaseView(s: Services, c: CaseRow, viewer: Viewer) {
  const db = s.store.db;
  const [warnings, messages, attempts, handoffs, events, corrections] = await Promise.all([
    listWarningsForCase(db, c.id),
    listMessagesForCase(db, c.id),
    listAttemptsForCase(db, c.id),
    listHandoffsForCase(db, c.id),
    listAuditForCase(db, c.id),
    listCorrectionsForCase(db, c.id),
  ]);
  const correctionOf = new Map(corrections.map((k) => [k.message_id, { intent: k.intent, by: k.corrected_by, at: k.corrected_at }]));
  const active = handoffs.find((h) => h.status !== 'resolved');
  const visible = seesPhones(viewer, active);
  const mask = phoneMasker(visible);
  const conversation = fromJson<ConversationState | null>(c.conversation, null);
  const relatives = fromJson<{ phone: string; relation: string | null; name?: string | null }[]>(c.relatives, []);

  const timeline: TimelineItem[] = [
    ...warnings.map((w) => ({
      kind: 'warning' as const,
      at: w.created_at,
      id: w.id,
      source: w.source,
      externalId: w.external_id,
      scamType: w.scam_type,
      riskLevel: w.risk_level,
      signals: fromJson<string[]>(w.signals, []),
      amount: w.amount,
    })),
    ...attempts.map((a) => ({
      kind: 'attempt' as const,
      at: a.created_at,
      id: a.id,
      channel: a.channel,
      target: a.channel === 'telegram' ? 'Telegram' : mask.phone(a.target)!,
      toRelative: a.to_relative === 1,
      attemptNo: a.attempt_no,
      status: a.status,
      errorCode: a.error_code,
    })),
    ...messages.map((m) => {
      const cl = fromJson<Partial<Classification> | null>(m.classification, null);
      return {
        kind: 'message' as const,
        at: m.created_at,
        id: m.id,
        direction: m.direction,
        channel: m.channel,
        body: mask.text(m.body),
        author: m.author,
        stateId: m.state_id,
        intent: m.intent,
        confidence: m.confidence,
        atRisk: m.at_risk === null ? null : m.at_risk === 1,
        lowConfidence: cl?.lowConfidence ?? null,
        cues: cl?.cues ?? [],
        payment: cl?.payment ?? null,
        delivery: m.direction === 'out' ? deliveryOf(m.provider_id) : null,
        // Organisation (issue 15): written to a relative, not to the person.
        toRelative: m.direction === 'out' && !!fromJson<{ to?: string }>(m.payload, {}).to,
        correction: correctionOf.get(m.id) ?? null,
      };
    }),
    ...events
      .filter((e) => TIMELINE_ACTIONS.has(e.action))
      .map((e) => ({ kind: 'event' as const, at: e.created_at, id: `audit-${e.id}`, action: e.action, actor: e.actor, detail: fromJson(e.detail, null) })),
  ];
  // Within one millisecond a reply and the prompt answering it are stored together: the citizen's words come first.
  const tieRank = (t: (typeof timeline)[number]) => (t.kind === 'message' && (t as { direction?: string }).direction === 'in' ? 0 : 1);
  timeline.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : tieRank(a) - tieRank(b)));

  const prefill = stopPaymentPrefill(messages, conversation?.slots ?? {});
  const stopPaymentRequests = await listStopPaymentRequestsForCase(db, c.id);
  const mine = holdsClaim(viewer, active);
  return mask.deep({
    case: {
      id: c.id,
      caseRef: c.case_ref,
      status: c.status,
      name: c.name,
      phone: mask.phone(c.phone),
      locale: c.locale,
      scamType: c.scam_type,
      riskLevel: c.risk_level,
      warningCount: c.warning_count,
      amount: c.amount,
      precinct: c.precinct,
      hasTelegram: !!c.telegram_chat_id,
      relatives: relatives.map((r) => ({ relation: r.relation, name: r.name ?? null, phone: mask.phone(r.phone) })),
      activeChannel: c.active_channel,
      optedOut: c.opted_out === 1,
      outcome: c.outcome,
      openedAt: c.opened_at,
      closedAt: c.closed_at,
    },
    phoneVisible: visible,
    placement: { ...presentPlacement(s.org.units, c), address: c.address },
    flow: {
      flowId: c.flow_id,
      flowVersion: c.flow_version,
      title: c.flow_id && c.flow_version != null ? s.flows.version(c.flow_id, c.flow_version)?.title ?? null : null,
      stateId: conversation?.stateId ?? null,
      turns: conversation?.turns ?? 0,
      lowConfidenceCount: conversation?.lowConfidenceCount ?? 0,
      slots: conversation?.slots ?? {},
      ended: conversation?.ended ?? false,
      outcome: conversation?.outcome ?? null,
      nextAction: c.next_action,
      nextActionAt: c.next_action_at,
    },
    handoff: active ? presentHandoff(active) : null,
    handoffs: handoffs.map(presentHandoff),
    stopPayment: prefill,
    // Organisation (issue 15): the requests filed, and the clock against the first-level window.
    stopPaymentRequests: stopPaymentRequests.map((r) => presentStopPayment(s, r)),
    stopPaymentClock: countdown(earliest(prefill?.firstMentionedAt, await paymentHeardAt(db, c.id)), s.org.firstLevelWindowMinutes, stopPaymentRequests[0]?.requested_at ?? null),
    you: {
      username: viewer.id,
      holdsClaim: mine,
      supervisor: isSupervisor(viewer),
      canAct: mine,
      canClaim: !!active && active.status === 'open',
    },
    timeline,
  });
}
