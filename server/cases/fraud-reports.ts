// A fraud report (a citizen reported a loss to the police) → matched by phone to the people we warned.
// A loss after a warning is a re-victimisation (the centre's own measure); a loss reported while the
// person's case is still open needs a human now: "report means stop-payment".
import type { Kysely } from 'kysely';
import type { Database, FraudReportRow } from '../store/schema';
import { findFraudReport, insertFraudReport, latestWarningBefore } from '../store/repositories/fraud-reports';
import { findLatestCaseByPhone, findOpenCaseByPhone } from '../store/repositories/cases';
import { audit } from '../store/repositories/audit';
import { newId, nowIso } from '../store/ids';
import { describeZodIssues } from '../errors';
import { PendingEvents } from '../events';
import type { Services } from '../services';
import { activeHandoffForCase } from '../store/repositories/handoffs';
import { advanceCase, type Advanced } from './case-events';
import { dispatch } from './outbox';
import { conversationPort } from './conversation';
import { scamTypeOf, type ScamType } from '../../flows/engine/vocabulary';
import { normalisePhone } from './phone';
import { isUniqueViolation } from './intake';
import { fraudReportSchema, type FraudReportInput } from './fraud-report-schema';

export type FraudReportResult =
  | { index: number; status: 'accepted'; reportId: string; matched: boolean; afterWarning: boolean; handoffOpened: boolean }
  | { index: number; status: 'duplicate'; reportId: string }
  | { index: number; status: 'rejected'; reason: string };

export interface NormalisedFraudReport {
  input: FraudReportInput;
  phone: string;
  occurredAt: string;
  scamType: ScamType;
  scamTypeGiven: string | null;
}

export function validateFraudReport(raw: unknown, defaultRegion: string): { ok: true; value: NormalisedFraudReport } | { ok: false; reason: string } {
  const parsed = fraudReportSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, reason: describeZodIssues(parsed.error.issues) };
  const r = parsed.data;
  const phone = normalisePhone(r.phone, defaultRegion);
  if (!phone.ok) return { ok: false, reason: `phone: ${phone.reason}` };
  const occurredAt = new Date(r.occurredAt).toISOString();
  if (Date.parse(occurredAt) > Date.now() + 5 * 60_000) return { ok: false, reason: `occurredAt: ${r.occurredAt} is in the future` };
  const { scamType, upstream } = scamTypeOf(r.scamType);
  return { ok: true, value: { input: r, phone: phone.e164, occurredAt, scamType, scamTypeGiven: upstream } };
}

/**
 * Stores one validated report and matches it, in one transaction (with the open case's lifecycle step). Idempotent by (source, externalId): a
 * report sent again changes nothing and answers 'duplicate'.
 */
export async function storeFraudReport(s: Services, index: number, r: NormalisedFraudReport, actor: string): Promise<FraudReportResult> {
  for (let attempt = 0; ; attempt++) {
    try {
      const pending = new PendingEvents();
      const { result, advanced } = await s.store.db.transaction().execute((trx) => storeOnce(trx, s, pending, index, r, actor));
      pending.flushTo(s.events);
      if (advanced) await dispatch(s, advanced);
      return result;
    } catch (err) {
      if (attempt >= 2 || !isUniqueViolation(err)) throw err;
    }
  }
}

async function storeOnce(db: Kysely<Database>, s: Services, pending: PendingEvents, index: number, r: NormalisedFraudReport, actor: string): Promise<{ result: FraudReportResult; advanced?: Advanced }> {
  const seen = await findFraudReport(db, r.input.source, r.input.externalId);
  if (seen) return { result: { index, status: 'duplicate', reportId: seen.id } };

  const warned = await latestWarningBefore(db, r.phone, r.occurredAt);
  const open =
    s.store.dialect === 'postgres'
      ? await db.selectFrom('cases').selectAll().where('phone', '=', r.phone).where('status', '=', 'open').forUpdate().executeTakeFirst()
      : await findOpenCaseByPhone(db, r.phone);
  // Warned only after the loss: still the person we warned, too late.
  const later = warned || open ? undefined : await findLatestCaseByPhone(db, r.phone);
  const row: FraudReportRow = {
    id: newId(),
    source: r.input.source,
    external_id: r.input.externalId,
    phone: r.phone,
    occurred_at: r.occurredAt,
    amount: r.input.amount ?? null,
    scam_type: r.scamType,
    scam_type_given: r.scamTypeGiven,
    // The loss is measured against the warning that came before it; a loss before any warning still
    // belongs to the person's case, but is no re-victimisation (warning_at stays null).
    case_id: warned?.case_id ?? open?.id ?? later?.id ?? null,
    warning_at: warned?.received_at ?? null,
    handoff_id: null,
    received_by: actor,
    received_at: nowIso(),
  };

  let handoffOpened = false;
  let advanced: Advanced | undefined;
  if (open) {
    // The case's lifecycle decides (an already_paid handoff at the top of the queue); its outbox carries it out.
    const amount = r.input.amount != null ? `¥${r.input.amount}` : 'an unknown amount';
    const before = await activeHandoffForCase(db, open.id);
    advanced = await advanceCase(db, s, open, { type: 'loss_reported', note: `fraud report ${r.input.source}/${r.input.externalId}: lost ${amount} at ${r.occurredAt}; stop-payment now` }, pending, conversationPort, actor);
    const after = await activeHandoffForCase(db, open.id);
    row.handoff_id = after?.id ?? null;
    handoffOpened = !!after && (after.id !== before?.id || after.priority !== before.priority || after.reason !== before.reason);
  }
  await insertFraudReport(db, row);
  for (const caseId of new Set([row.case_id, open?.id].filter((x): x is string => !!x))) {
    await audit(db, {
      caseId,
      actor,
      action: 'fraud_report_matched',
      detail: { reportId: row.id, source: row.source, externalId: row.external_id, occurredAt: row.occurred_at, amount: row.amount, afterWarning: row.warning_at !== null && caseId === row.case_id, handoffId: row.handoff_id },
    });
  }
  return { result: { index, status: 'accepted', reportId: row.id, matched: row.case_id !== null, afterWarning: row.warning_at !== null, handoffOpened }, advanced };
}
