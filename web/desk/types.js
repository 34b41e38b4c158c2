// @ts-check
// Shapes of the desk API's answers (server/http/routes/desk.ts, server/people/case-view.ts), for the checker.

/**
 * @typedef {object} Handoff
 * @property {string} id
 * @property {string} caseId
 * @property {string} reason
 * @property {number} priority
 * @property {'open' | 'claimed' | 'resolved'} status
 * @property {string | null} note
 * @property {string | null} claimedBy
 * @property {string | null} claimedAt
 * @property {string | null} resolvedAt
 * @property {string | null} outcome
 * @property {any} outcomeDetail
 * @property {string} slaDueAt
 * @property {string | null} escalatedAt
 * @property {string} createdAt
 * @property {'dissuasion' | 'review'} [kind] organisation (issue 15): a second review has its own form
 * @property {string | null} [assignedBy]
 */

/**
 * @typedef {Handoff & {
 *   caseRef: string, name: string | null, phone: string, scamType: string, riskLevel: string, warningCount: number,
 *   locale: string, caseStatus?: string, mine: boolean, overdue: boolean,
 *   lastReply: { body: string, intent: string | null, at: string } | null
 * }} ListItem
 */

/** @typedef {{ value: string, count: number, label?: { zh: string, en: string } }} FacetValue */

/**
 * @typedef {object} QueueAnswer
 * @property {string} now
 * @property {{ username: string, role: string, supervisor: boolean }} you
 * @property {{ open: number, claimed: number, escalated: number }} counts
 * @property {number} matched
 * @property {Record<string, FacetValue[]>} facets
 * @property {ListItem[]} items
 * @property {{ id: string, caseId: string, caseRef: string, reason: string, name: string | null }[]} [urgent]
 */

/**
 * @typedef {object} ResolvedAnswer
 * @property {string} now
 * @property {Record<string, FacetValue[]>} facets
 * @property {ListItem[]} items
 * @property {string | null} next
 */

/**
 * @typedef {{ kind: 'warning', at: string, id: string, source: string, externalId: string, scamType: string, riskLevel: string, signals: string[], amount: number | null }} WarningItem
 * @typedef {{ kind: 'attempt', at: string, id: string, channel: string, target: string, toRelative: boolean, attemptNo: number, status: string, errorCode: string | null }} AttemptItem
 * @typedef {{ kind: 'message', at: string, id: string, direction: 'in' | 'out', channel: string, body: string, author: string | null, stateId: string | null,
 *   intent: string | null, confidence: number | null, atRisk: boolean | null, lowConfidence: boolean | null, cues: string[],
 *   payment: { amounts: number[], methods: string[], times: string[], accounts?: string[] } | null, delivery: 'sent' | 'pending' | 'failed' | null,
 *   correction?: { intent: string, by: string, at: string } | null }} MessageItem
 * @typedef {{ kind: 'event', at: string, id: string, action: string, actor: string, detail: any }} EventItem
 * @typedef {WarningItem | AttemptItem | MessageItem | EventItem} TimelineItem
 */

/**
 * @typedef {object} CaseView
 * @property {{ id: string, caseRef: string, status: 'open' | 'closed', name: string | null, phone: string, locale: string, scamType: string, riskLevel: string,
 *   warningCount: number, amount: number | null, precinct: string | null, hasTelegram: boolean, relatives: { relation: string | null, name: string | null, phone: string }[],
 *   activeChannel: string | null, optedOut: boolean, outcome: string | null, openedAt: string, closedAt: string | null }} case
 * @property {boolean} phoneVisible
 * @property {{ flowId: string | null, flowVersion: number | null, title: string | null, stateId: string | null, turns: number, lowConfidenceCount: number,
 *   slots: Record<string, string>, ended: boolean, outcome: string | null, nextAction: string | null, nextActionAt: string | null }} flow
 * @property {Handoff | null} handoff
 * @property {Handoff[]} handoffs
 * @property {{ firstMentionedAt: string | null, amount: number | null, method: string | null, paidAt: string | null, account: string | null,
 *   said: { amounts: number[], methods: string[], times: string[], accounts?: string[] } } | null} stopPayment
 * @property {{ username: string, holdsClaim: boolean, supervisor: boolean, canAct: boolean, canClaim: boolean }} you
 * @property {TimelineItem[]} timeline
 * @property {{ id: string, author: string, body: string, createdAt: string }[]} notes
 */

export {};
