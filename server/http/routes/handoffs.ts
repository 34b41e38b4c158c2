// GET /api/handoffs?status=open — the desk queue, most urgent first.
import express, { type Router } from 'express';
import { z } from 'zod';
import type { Services } from '../../services';
import { requireRole } from '../auth';
import { parseWith } from '../validate';
import { listHandoffs } from '../../store/repositories/handoffs';
import { maskPhone } from '../../masking';
import { isSupervisor, phoneMasker, viewerOf } from '../../people/visibility';

const query = z.object({ status: z.enum(['open', 'claimed', 'resolved', 'active']).default('open') });

export function handoffsRoutes(s: Services): Router {
  const router = express.Router();
  router.get('/api/handoffs', requireRole('desk', 'manager'), async (req, res) => {
    const { status } = parseWith(query, req.query, 'query');
    const rows = await listHandoffs(s.store.db, status);
    // Signed-in desk officers see numbers masked here; they see them in full in the case view of their own claim.
    const v = viewerOf(req);
    const full = v.kind === 'api_key' || isSupervisor(v);
    res.json({
      handoffs: rows.map((h) => ({
        id: h.id,
        caseId: h.case_id,
        caseRef: h.case_ref,
        reason: h.reason,
        priority: h.priority,
        status: h.status,
        note: h.note,
        claimedBy: h.claimed_by,
        slaDueAt: h.sla_due_at,
        escalatedAt: h.escalated_at,
        createdAt: h.created_at,
        name: h.name,
        phone: full ? h.phone : maskPhone(h.phone),
        scamType: h.scam_type,
        riskLevel: h.risk_level,
        warningCount: h.warning_count,
        locale: h.locale,
      })).map(phoneMasker(full).deep),
    });
  });
  return router;
}
