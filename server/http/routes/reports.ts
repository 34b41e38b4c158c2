// GET /api/reports — the managers' figures and the centre's KPIs (docs/kpis.md) for a period, grouped by
// day, scam type, script version, channel or unit; /api/reports.csv — the same as CSV.
import express, { type Router } from 'express';
import { z } from 'zod';
import type { Services } from '../../services';
import { requireRole } from '../auth';
import { parseWith } from '../validate';
import { ValidationError } from '../../errors';
import { aggregate, GROUP_BYS, loadCaseFacts, toCsv, type ReportRange } from '../../store/repositories/reports';

const DAY = 86_400_000;
const MAX_DAYS = 400;
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD');

export const query = z.object({
  from: date.optional(),
  to: date.optional(),
  groupBy: z.enum(GROUP_BYS).default('day'),
  tz: z.coerce.number().int().min(-720).max(840).default(480).describe('Minutes east of UTC for day boundaries; default China (480).'),
  flowId: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/).optional(),
  scamType: z.string().regex(/^[a-z_]{1,40}$/).optional(),
});

/** from/to are local dates, to inclusive; default the last 30 days. */
export function range(q: z.infer<typeof query>): ReportRange & { fromDate: string; toDate: string } {
  const offset = q.tz * 60_000;
  const today = new Date(Date.now() + offset).toISOString().slice(0, 10);
  const toDate = q.to ?? today;
  const fromDate = q.from ?? new Date(Date.parse(toDate) - 29 * DAY).toISOString().slice(0, 10);
  const fromMs = Date.parse(`${fromDate}T00:00:00Z`) - offset;
  const toMs = Date.parse(`${toDate}T00:00:00Z`) + DAY - offset;
  if (toMs <= fromMs) throw new ValidationError('invalid query: to must not be before from');
  if (toMs - fromMs > MAX_DAYS * DAY) throw new ValidationError(`invalid query: a report covers at most ${MAX_DAYS} days`);
  return { from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString(), tzOffsetMinutes: q.tz, flowId: q.flowId, scamType: q.scamType, fromDate, toDate };
}

export function reportsRoutes(s: Services): Router {
  const router = express.Router();
  const load = async (raw: unknown) => {
    const q = parseWith(query, raw, 'query');
    const r = range(q);
    const facts = await loadCaseFacts(s.store.db, { ...r, stopPaymentWindowMinutes: s.org.firstLevelWindowMinutes });
    const asOf = Date.now();
    return { q, r, asOf, rows: aggregate(facts, q.groupBy, asOf), total: aggregate(facts, 'total', asOf)[0] ?? null };
  };

  router.get('/api/reports', requireRole('manager'), async (req, res) => {
    const { q, r, asOf, rows, total } = await load(req.query);
    res.json({ from: r.fromDate, to: r.toDate, tz: q.tz, groupBy: q.groupBy, asOf: new Date(asOf).toISOString(), rows, total });
  });

  router.get('/api/reports.csv', requireRole('manager'), async (req, res) => {
    const { q, r, rows, total } = await load(req.query);
    const csv = toCsv(total ? [...rows, { ...total, key: 'total' }] : rows);
    res.type('text/csv; charset=utf-8').attachment(`quanzu-report-${q.groupBy}-${r.fromDate}-${r.toDate}.csv`).send(`\ufeff${csv}`);
  });

  return router;
}
