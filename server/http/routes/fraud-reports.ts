// POST /api/fraud-reports — losses reported to the police, from the case system (role intake).
import express, { type Router } from 'express';
import type { Services } from '../../services';
import { requireRole } from '../auth';
import { ValidationError } from '../../errors';
import { storeFraudReport, validateFraudReport, type FraudReportResult } from '../../cases/fraud-reports';
import { MAX_FRAUD_REPORT_BATCH } from '../../cases/fraud-report-schema';

export function fraudReportsRoutes(s: Services): Router {
  const router = express.Router();
  router.post('/api/fraud-reports', requireRole('intake'), async (req, res) => {
    const body = req.body as unknown;
    if (body === undefined || body === null || typeof body !== 'object') throw new ValidationError('body must be a fraud report object or {"reports":[…]} (send Content-Type: application/json)');
    const batch = Array.isArray((body as { reports?: unknown }).reports);
    const items: unknown[] = batch ? (body as { reports: unknown[] }).reports : [body];
    if (items.length === 0) throw new ValidationError('reports: must hold at least one report');
    if (items.length > MAX_FRAUD_REPORT_BATCH) throw new ValidationError(`reports: at most ${MAX_FRAUD_REPORT_BATCH} per request, got ${items.length}`);
    // One transaction per report: a bad one never undoes the others.
    const results: FraudReportResult[] = [];
    for (const [index, raw] of items.entries()) {
      const v = validateFraudReport(raw, s.config.defaultRegion);
      results.push(v.ok ? await storeFraudReport(s, index, v.value, req.principal!.id) : { index, status: 'rejected', reason: v.reason });
    }
    const summary = { accepted: 0, duplicate: 0, rejected: 0 };
    for (const r of results) summary[r.status] += 1;
    const first = results[0]!;
    if (!batch && first.status === 'rejected') {
      res.status(400).json({ error: 'validation_error', message: `invalid fraud report: ${first.reason}`, ...summary, results });
      return;
    }
    res.status(202).json(batch ? { ...summary, results } : { ...first, ...summary, results });
  });
  return router;
}
