// GET /api/stop-payments?format=json|csv[&since=ISO] — stop-payment requests for the bank liaison.
import express, { type Router } from 'express';
import { z } from 'zod';
import type { Services } from '../../services';
import { requireRole } from '../auth';
import { parseWith } from '../validate';
import { listResolvedWithOutcome } from '../../store/repositories/handoffs';
import { listMessagesForCase } from '../../store/repositories/messages';
import { audit } from '../../store/repositories/audit';
import { fromJson, nowIso } from '../../store/ids';
import { maskPhone, maskNumbersIn } from '../../masking';
import { getPreferences } from '../../store/repositories/console';
import { DEFAULT_UI_LOCALE, UI_LOCALES, isUiLocale } from '../../../web/i18n';
import { isSupervisor, viewerOf } from '../../people/visibility';
import { stopPaymentPrefill, toCsv, type StopPaymentDetail, type StopPaymentRecord } from '../../people/stop-payment';

const query = z.object({
  format: z.enum(['json', 'csv']).default('json'),
  /** CSV language; the signed-in person's console language by default, else Chinese. */
  lang: z.enum(UI_LOCALES, { message: `must be one of ${UI_LOCALES.join(', ')}` }).optional(),
  since: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 time like 2026-09-08T00:00:00Z' }).optional(),
});

export function stopPaymentRoutes(s: Services): Router {
  const router = express.Router();
  router.get('/api/stop-payments', requireRole('desk', 'manager'), async (req, res) => {
    const { format, since, lang } = parseWith(query, req.query, 'query');
    const v = viewerOf(req);
    const fullPhones = v.kind === 'api_key' || isSupervisor(v);
    const rows = await listResolvedWithOutcome(s.store.db, 'stop_payment_requested', since ? new Date(since).toISOString() : undefined);
    const records: StopPaymentRecord[] = [];
    for (const h of rows) {
      const sp = fromJson<{ stopPayment?: StopPaymentDetail } | null>(h.outcome_detail, null)?.stopPayment;
      if (!sp) continue;
      const firstMentionedAt = stopPaymentPrefill(await listMessagesForCase(s.store.db, h.case_id))?.firstMentionedAt ?? null;
      records.push({
        caseRef: h.case_ref,
        caseId: h.case_id,
        handoffId: h.id,
        citizen: h.name,
        phone: fullPhones ? h.phone : maskPhone(h.phone),
        amount: sp.amount,
        currency: sp.currency,
        method: sp.method,
        account: sp.account,
        paidAt: sp.paidAt,
        firstMentionedAt,
        requestedAt: h.resolved_at!,
        requestedBy: h.claimed_by,
        minutesFromMention: firstMentionedAt ? Math.round((Date.parse(h.resolved_at!) - Date.parse(firstMentionedAt)) / 6000) / 10 : null,
        // The account stays: it is what the bank needs. A number in the officer's note is a person's.
        note: fullPhones || !h.note ? h.note : maskNumbersIn(h.note),
      });
    }
    await audit(s.store.db, { actor: v.id, action: 'stop_payment_export', detail: { format, count: records.length, since: since ?? null } });
    if (format === 'csv') {
      const stamp = nowIso().slice(0, 16).replace(/[-:]/g, '').replace('T', '-');
      res.setHeader('Content-Type', 'text/csv; charset=utf-8');
      res.setHeader('Content-Disposition', `attachment; filename="stop-payments-${stamp}.csv"`);
      // A BOM so spreadsheet programs read the Chinese names as UTF-8.
      const saved = req.user ? (await getPreferences(s.store.db, req.user.id))?.locale : undefined;
      const locale = lang ?? (isUiLocale(saved) ? saved : DEFAULT_UI_LOCALE);
      res.send(`\uFEFF${toCsv(records, { locale, utcOffsetMinutes: s.config.utcOffsetMinutes })}`);
      return;
    }
    res.json({ generatedAt: nowIso(), count: records.length, stopPayments: records });
  });
  return router;
}
