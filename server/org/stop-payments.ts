// Stop-payment requests ("report means stop-payment"): what the citizen sent, to which account, filed by the
// desk at once and followed until the bank answers. Status: requested → confirmed | frozen | refused, and
// confirmed | frozen → amount_returned. The clock runs from the citizen's first mention of a payment against
// the window for first-level accounts (org/banks.yaml, 30 minutes).
import { z } from 'zod';
import type { Services } from '../services';
import type { CaseRow, StopPaymentRequestRow } from '../store/schema';
import type { Db } from '../store/repositories/cases';
import { getCase } from '../store/repositories/cases';
import { activeHandoffForCase } from '../store/repositories/handoffs';
import { listMessagesForCase } from '../store/repositories/messages';
import { audit } from '../store/repositories/audit';
import { fromJson, newId, nowIso } from '../store/ids';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../errors';
import { stopPaymentPrefill, stopPaymentSchema, type StopPaymentDetail } from '../people/stop-payment';
import { holdsClaim, type Viewer } from '../people/visibility';
import type { ConversationState } from '../../flows/engine';
import { seesUnit, supervisesUnit } from './people';

export const STOP_PAYMENT_STATUSES = ['requested', 'confirmed', 'frozen', 'refused', 'amount_returned'] as const;
export type StopPaymentStatus = (typeof STOP_PAYMENT_STATUSES)[number];

/** Where a request may go from each status. */
export const NEXT_STATUSES: Record<StopPaymentStatus, StopPaymentStatus[]> = {
  requested: ['confirmed', 'frozen', 'refused'],
  confirmed: ['frozen', 'amount_returned', 'refused'],
  frozen: ['amount_returned'],
  refused: [],
  amount_returned: [],
};

export const fileSchema = stopPaymentSchema.extend({
  bankCode: z.string().trim().min(2).max(32).optional(),
  note: z.string().trim().max(2000).optional(),
});
export type FileInput = z.infer<typeof fileSchema>;

export const statusSchema = z
  .object({
    status: z.enum(STOP_PAYMENT_STATUSES),
    note: z.string().trim().max(2000).optional(),
    bankReference: z.string().trim().min(1).max(100).optional(),
    returnedAmount: z.number({ message: 'must be a number' }).positive('must be more than 0').max(1e10).optional(),
  })
  .strict()
  .refine((s) => s.status !== 'amount_returned' || s.returnedAmount !== undefined, { path: ['returnedAmount'], message: 'required when the amount was returned' });
export type StatusInput = z.infer<typeof statusSchema>;

/**
 * When the centre first heard of the payment without the citizen writing it: a station's officers told at the
 * door (a visit reported already_paid), or a loss reported to the police while the case was open.
 */
export async function paymentHeardAt(db: Db, caseId: string): Promise<string | null> {
  const [visit, report] = await Promise.all([
    db.selectFrom('visit_tasks').select((eb) => eb.fn.min('reported_at').as('at')).where('case_id', '=', caseId).where('result', '=', 'already_paid').executeTakeFirst(),
    db.selectFrom('fraud_reports').select((eb) => eb.fn.min('received_at').as('at')).where('case_id', '=', caseId).where('handoff_id', 'is not', null).executeTakeFirst(),
  ]);
  return earliest(visit?.at ?? null, report?.at ?? null);
}

export const earliest = (...times: (string | null | undefined)[]): string | null => times.filter((t): t is string => !!t).sort()[0] ?? null;

/** When the centre first heard the money had gone — the citizen's words (the prefill's clock), a station, the police — or null. */
export async function firstMentionOf(db: Db, c: CaseRow): Promise<string | null> {
  const conversation = fromJson<ConversationState | null>(c.conversation, null);
  return earliest(stopPaymentPrefill(await listMessagesForCase(db, c.id), conversation?.slots ?? {})?.firstMentionedAt, await paymentHeardAt(db, c.id));
}

/** The countdown the desk shows: from the first mention, against the first-level window. */
export function countdown(firstMentionedAt: string | null, windowMinutes: number, enteredAt: string | null, now = Date.now()) {
  if (!firstMentionedAt) return { firstMentionedAt: null, windowMinutes, deadlineAt: null, secondsLeft: null, enteredWithinWindow: null, minutesFromMention: null };
  const deadline = Date.parse(firstMentionedAt) + windowMinutes * 60_000;
  const entered = enteredAt ? Date.parse(enteredAt) : null;
  return {
    firstMentionedAt,
    windowMinutes,
    deadlineAt: new Date(deadline).toISOString(),
    secondsLeft: entered === null ? Math.round((deadline - now) / 1000) : null,
    enteredWithinWindow: entered === null ? null : entered <= deadline,
    minutesFromMention: entered === null ? null : Math.round((entered - Date.parse(firstMentionedAt)) / 6000) / 10,
  };
}

/** Writes one request in the caller's transaction (the desk's resolve files one the same way). */
export async function insertStopPaymentRequest(
  db: Db,
  r: { caseRow: CaseRow; handoffId: string | null; detail: StopPaymentDetail; bankCode?: string | null; note?: string | null; requestedBy: string; firstMentionedAt: string | null },
): Promise<StopPaymentRequestRow> {
  const now = nowIso();
  const row: StopPaymentRequestRow = {
    id: newId(),
    case_id: r.caseRow.id,
    handoff_id: r.handoffId,
    unit_id: r.caseRow.unit_id,
    status: 'requested',
    amount: r.detail.amount,
    currency: r.detail.currency,
    method: r.detail.method,
    account: r.detail.account,
    paid_at: r.detail.paidAt,
    bank_code: r.bankCode ?? null,
    first_mentioned_at: r.firstMentionedAt,
    requested_by: r.requestedBy,
    requested_at: now,
    status_by: r.requestedBy,
    status_at: now,
    returned_amount: null,
    bank_reference: null,
    note: r.note ?? null,
    conference_name: null,
    conference_sid: null,
    created_at: now,
    updated_at: now,
  };
  await db.insertInto('stop_payment_requests').values(row).execute();
  await audit(db, { caseId: r.caseRow.id, actor: r.requestedBy, action: 'stop_payment_filed', detail: { requestId: row.id, amount: row.amount, currency: row.currency, method: row.method, bank: row.bank_code, firstMentionedAt: row.first_mentioned_at } });
  return row;
}

export const getStopPaymentRequest = (db: Db, id: string) => db.selectFrom('stop_payment_requests').selectAll().where('id', '=', id).executeTakeFirst();
export const listStopPaymentRequestsForCase = (db: Db, caseId: string) => db.selectFrom('stop_payment_requests').selectAll().where('case_id', '=', caseId).orderBy('requested_at').execute();

/** The officer on the case files a request while the citizen is still on the line (before resolving). */
export async function fileStopPayment(s: Services, v: Viewer, caseId: string, input: FileInput): Promise<StopPaymentRequestRow> {
  const c = await getCase(s.store.db, caseId);
  if (!c) throw new NotFoundError(`case ${caseId} not found`);
  const active = await activeHandoffForCase(s.store.db, c.id);
  if (!holdsClaim(v, active) && !supervisesUnit(s.org.units, v, c.unit_id)) throw new ForbiddenError(active?.status === 'claimed' ? `this case is claimed by ${active.claimed_by}` : 'claim the case before filing a stop-payment');
  if (input.bankCode && !s.org.bank(input.bankCode)) throw new ValidationError(`bankCode: no bank ${input.bankCode}; known: ${s.org.banks.map((b) => b.code).join(', ') || 'none (org/banks.yaml lists none)'}`);
  const firstMentionedAt = await firstMentionOf(s.store.db, c);
  const row = await s.store.db.transaction().execute((trx) =>
    insertStopPaymentRequest(trx, { caseRow: c, handoffId: active?.id ?? null, detail: input, bankCode: input.bankCode ? s.org.bank(input.bankCode)!.code : null, note: input.note, requestedBy: v.id, firstMentionedAt }),
  );
  s.events.publish({ type: 'org', change: 'stop_payment', caseId: c.id, requestId: row.id });
  return row;
}

/** The bank answered: the desk of the case's unit records it. */
export async function setStopPaymentStatus(s: Services, v: Viewer, requestId: string, input: StatusInput): Promise<StopPaymentRequestRow> {
  const r = await getStopPaymentRequest(s.store.db, requestId);
  if (!r) throw new NotFoundError(`stop-payment request ${requestId} not found`);
  if (!seesUnit(s.org.units, v, r.unit_id)) throw new ForbiddenError('this stop-payment request belongs to another unit');
  const allowed = NEXT_STATUSES[r.status];
  if (!allowed.includes(input.status))
    throw new ConflictError(allowed.length ? `a ${r.status} request can become ${allowed.join(' or ')}, not ${input.status}` : `this request is ${r.status}: that is final`);
  const now = nowIso();
  const done = await s.store.db.transaction().execute(async (trx) => {
    const u = await trx
      .updateTable('stop_payment_requests')
      .set({
        status: input.status,
        status_by: v.id,
        status_at: now,
        updated_at: now,
        ...(input.bankReference ? { bank_reference: input.bankReference } : {}),
        ...(input.returnedAmount !== undefined ? { returned_amount: input.returnedAmount } : {}),
        ...(input.note ? { note: r.note ? `${r.note}\n${input.note}` : input.note } : {}),
      })
      .where('id', '=', r.id)
      .where('status', '=', r.status)
      .executeTakeFirst();
    if (Number(u.numUpdatedRows) === 0) return false;
    await audit(trx, { caseId: r.case_id, actor: v.id, action: 'stop_payment_status', detail: { requestId: r.id, from: r.status, to: input.status, bankReference: input.bankReference ?? null, returnedAmount: input.returnedAmount ?? null, note: input.note ?? null } });
    return true;
  });
  if (!done) throw new ConflictError('the request changed meanwhile: reload and try again');
  s.events.publish({ type: 'org', change: 'stop_payment', caseId: r.case_id, requestId: r.id });
  return (await getStopPaymentRequest(s.store.db, r.id))!;
}

export function presentStopPayment(s: Services, r: StopPaymentRequestRow, opts: { phone?: string; caseRef?: string; citizen?: string | null } = {}) {
  const bank = r.bank_code ? s.org.bank(r.bank_code) : undefined;
  const unit = s.org.units.byId(r.unit_id) ?? s.org.units.root;
  return {
    id: r.id,
    caseId: r.case_id,
    handoffId: r.handoff_id,
    ...(opts.caseRef ? { caseRef: opts.caseRef } : {}),
    ...(opts.citizen !== undefined ? { citizen: opts.citizen } : {}),
    ...(opts.phone ? { phone: opts.phone } : {}),
    unit: unit.code,
    status: r.status,
    next: NEXT_STATUSES[r.status],
    amount: r.amount,
    currency: r.currency,
    method: r.method,
    account: r.account,
    paidAt: r.paid_at,
    bank: bank ? { code: bank.code, name: bank.name } : r.bank_code ? { code: r.bank_code, name: null } : null,
    requestedBy: r.requested_by,
    requestedAt: r.requested_at,
    statusBy: r.status_by,
    statusAt: r.status_at,
    returnedAmount: r.returned_amount,
    bankReference: r.bank_reference,
    note: r.note,
    conference: r.conference_sid ? { name: r.conference_name, sid: r.conference_sid } : null,
    clock: countdown(r.first_mentioned_at, s.org.firstLevelWindowMinutes, r.requested_at),
  };
}
