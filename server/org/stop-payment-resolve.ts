// The desk's resolve with "stop-payment requested" files the request in the same transaction, unless the
// officer already filed one for this handoff during the call.
import type { Services } from '../services';
import type { HandoffRow } from '../store/schema';
import type { Db } from '../store/repositories/cases';
import { getCase } from '../store/repositories/cases';
import type { StopPaymentDetail } from '../people/stop-payment';
import { firstMentionOf, insertStopPaymentRequest } from './stop-payments';

export async function fileOnResolve(trx: Db, _s: Services, h: HandoffRow, detail: StopPaymentDetail, by: string, note: string | null): Promise<void> {
  const filed = await trx.selectFrom('stop_payment_requests').select('id').where('handoff_id', '=', h.id).executeTakeFirst();
  if (filed) return;
  const c = await getCase(trx, h.case_id);
  if (!c) return;
  await insertStopPaymentRequest(trx, { caseRow: c, handoffId: h.id, detail, note, requestedBy: by, firstMentionedAt: await firstMentionOf(trx, c) });
}
