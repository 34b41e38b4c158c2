// Stop-payment requests: filed from the desk while the citizen is on the line, followed until the bank
// answers, joined into a three-way call with the bank, and exported for the stop-payment system.
import express, { type Router } from 'express';
import { z } from 'zod';
import type { Services } from '../../services';
import { requireRole } from '../auth';
import { parseWith } from '../validate';
import { NotFoundError } from '../../errors';
import { audit } from '../../store/repositories/audit';
import { getCase } from '../../store/repositories/cases';
import { nowIso } from '../../store/ids';
import { maskPhone } from '../../log';
import { isSupervisor, viewerOf } from '../../people/visibility';
import { unitScope } from '../../org/scope-guard';
import { queueScope } from '../../org/people';
import { bankCallSchema, startBankCall } from '../../org/bank-call';
import { STOP_PAYMENT_STATUSES, countdown, fileSchema, fileStopPayment, firstMentionOf, listStopPaymentRequestsForCase, presentStopPayment, setStopPaymentStatus, statusSchema } from '../../org/stop-payments';
import { stopPaymentRequestsCsv } from '../../org/stop-payment-export';

const idParams = z.object({ id: z.uuid('must be an id') });
const exportQuery = z.object({
  format: z.enum(['json', 'csv']).default('json'),
  since: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 time like 2026-09-08T00:00:00Z' }).optional(),
  status: z.enum(STOP_PAYMENT_STATUSES).optional(),
});

export function orgStopPaymentRoutes(s: Services): Router {
  const router = express.Router();
  const desk = requireRole('desk', 'manager');
  router.use('/api/desk/cases/:id', unitScope(s, 'case'));

  router.get('/api/org/banks', desk, (_req, res) => {
    res.json({ firstLevelWindowMinutes: s.org.firstLevelWindowMinutes, banks: s.org.banks.map((b) => ({ code: b.code, name: b.name })) });
  });

  router.get('/api/desk/cases/:id/stop-payments', desk, async (req, res) => {
    const { id } = parseWith(idParams, req.params, 'case id');
    const c = await getCase(s.store.db, id);
    if (!c) throw new NotFoundError(`case ${id} not found`);
    const requests = await listStopPaymentRequestsForCase(s.store.db, id);
    res.json({
      // The clock runs from the first mention until a request is filed.
      clock: countdown(await firstMentionOf(s.store.db, c), s.org.firstLevelWindowMinutes, requests[0]?.requested_at ?? null),
      requests: requests.map((r) => presentStopPayment(s, r)),
    });
  });

  router.post('/api/desk/cases/:id/stop-payments', desk, async (req, res) => {
    const { id } = parseWith(idParams, req.params, 'case id');
    const input = parseWith(fileSchema, req.body ?? {}, 'stop-payment');
    res.status(201).json({ request: presentStopPayment(s, await fileStopPayment(s, viewerOf(req), id, input)) });
  });

  router.patch('/api/org/stop-payments/:id', desk, async (req, res) => {
    const { id } = parseWith(idParams, req.params, 'request id');
    const input = parseWith(statusSchema, req.body ?? {}, 'stop-payment status');
    res.json({ request: presentStopPayment(s, await setStopPaymentStatus(s, viewerOf(req), id, input)) });
  });

  router.post('/api/org/stop-payments/:id/call', desk, async (req, res) => {
    const { id } = parseWith(idParams, req.params, 'request id');
    const input = parseWith(bankCallSchema, req.body ?? {}, 'three-way call');
    res.status(202).json(await startBankCall(s, viewerOf(req), id, input));
  });

  router.get('/api/org/stop-payments', desk, async (req, res) => {
    const { format, since, status } = parseWith(exportQuery, req.query, 'query');
    const v = viewerOf(req);
    const scope = queueScope(s.org.units, v);
    let q = s.store.db
      .selectFrom('stop_payment_requests')
      .innerJoin('cases', 'cases.id', 'stop_payment_requests.case_id')
      .selectAll('stop_payment_requests')
      .select(['cases.case_ref', 'cases.name', 'cases.phone'])
      .where((eb) => (scope.includeUnitless ? eb.or([eb('stop_payment_requests.unit_id', 'in', scope.units), eb('stop_payment_requests.unit_id', 'is', null)]) : eb('stop_payment_requests.unit_id', 'in', scope.units)));
    if (since) q = q.where('stop_payment_requests.requested_at', '>=', new Date(since).toISOString());
    if (status) q = q.where('stop_payment_requests.status', '=', status);
    const rows = await q.orderBy('stop_payment_requests.requested_at', 'desc').limit(5000).execute();
    const fullPhones = v.kind === 'api_key' || isSupervisor(v);
    const requests = rows.map((r) => presentStopPayment(s, r, { caseRef: r.case_ref, citizen: r.name, phone: fullPhones ? r.phone : maskPhone(r.phone) }));
    await audit(s.store.db, { actor: v.id, action: 'stop_payment_export', detail: { format, count: requests.length, since: since ?? null, status: status ?? null, of: 'requests' } });
    if (format === 'csv') {
      const stamp = nowIso().slice(0, 16).replace(/[-:]/g, '').replace('T', '-');
      res.setHeader('Content-Type', 'text/csv; charset=utf-8');
      res.setHeader('Content-Disposition', `attachment; filename="stop-payment-requests-${stamp}.csv"`);
      res.send(`\uFEFF${stopPaymentRequestsCsv(requests, s.config.utcOffsetMinutes)}`);
      return;
    }
    res.json({ generatedAt: nowIso(), count: requests.length, requests });
  });

  return router;
}
