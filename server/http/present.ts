// How stored rows are shown through the API.
import type { CaseRow } from '../store/schema';
import { fromJson } from '../store/ids';

export function presentCase(c: CaseRow) {
  return {
    id: c.id,
    caseRef: c.case_ref,
    phone: c.phone,
    status: c.status,
    name: c.name,
    locale: c.locale,
    scamType: c.scam_type,
    riskLevel: c.risk_level,
    warningCount: c.warning_count,
    amount: c.amount,
    precinct: c.precinct,
    telegramChatId: c.telegram_chat_id,
    relatives: fromJson(c.relatives, []),
    flowId: c.flow_id,
    flowVersion: c.flow_version,
    conversation: fromJson(c.conversation, null),
    activeChannel: c.active_channel,
    nextAction: c.next_action,
    nextActionAt: c.next_action_at,
    plan: fromJson(c.plan, null),
    /** The case's lifecycle (server/cases/lifecycle.ts); `plan` is only kept for cases from before it. */
    lifecycle: fromJson(c.lifecycle, null),
    optedOut: c.opted_out === 1,
    outcome: c.outcome,
    openedAt: c.opened_at,
    updatedAt: c.updated_at,
    closedAt: c.closed_at,
  };
}
