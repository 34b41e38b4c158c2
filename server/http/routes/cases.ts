// GET /api/cases/:id — everything known about a case: warnings, transcript, attempts, handoffs, audit.
// People and systems of the desk and the managers only: an intake key reads back its own warnings
// (GET /api/warnings/:source/:externalId), never a case.
import express, { type Router } from 'express';
import { z } from 'zod';
import type { Services } from '../../services';
import { requireRole } from '../auth';
import { parseWith } from '../validate';
import { NotFoundError } from '../../errors';
import { getCase } from '../../store/repositories/cases';
import { listWarningsForCase } from '../../store/repositories/warnings';
import { listMessagesForCase } from '../../store/repositories/messages';
import { listAttemptsForCase } from '../../store/repositories/attempts';
import { listHandoffsForCase } from '../../store/repositories/handoffs';
import { audit, listAuditForCase } from '../../store/repositories/audit';
import { fromJson } from '../../store/ids';
import { presentCase } from '../present';
import { phoneMasker, seesPhones, viewerOf } from '../../people/visibility';

const params = z.object({ id: z.uuid('must be a case id') });

export function casesRoutes(s: Services): Router {
  const router = express.Router();
  router.get('/api/cases/:id', requireRole('desk', 'manager'), async (req, res) => {
    const { id } = parseWith(params, req.params, 'case id');
    const c = await getCase(s.store.db, id);
    if (!c) throw new NotFoundError(`case ${id} not found`);
    const [warnings, messages, attempts, handoffs, events] = await Promise.all([
      listWarningsForCase(s.store.db, id),
      listMessagesForCase(s.store.db, id),
      listAttemptsForCase(s.store.db, id),
      listHandoffsForCase(s.store.db, id),
      listAuditForCase(s.store.db, id),
    ]);
    // Desk officers see phone numbers only on a case they hold the claim for (server/people/visibility.ts).
    const visible = seesPhones(viewerOf(req), handoffs.find((h) => h.status !== 'resolved'));
    const mask = phoneMasker(visible);
    const maskRelatives = (json: string) => fromJson<{ phone: string }[]>(json, []).map((r) => ({ ...r, phone: mask.phone(r.phone) }));
    await audit(s.store.db, { caseId: id, actor: req.principal!.id, action: 'case_read', ...(visible ? {} : { detail: { phoneVisible: false } }) });
    res.json(mask.deep({
      case: { ...presentCase(c), phone: mask.phone(c.phone)!, relatives: maskRelatives(c.relatives) },
      warnings: warnings.map((w) => ({ ...w, phone: mask.phone(w.phone)!, signals: fromJson(w.signals, []), relatives: maskRelatives(w.relatives) })),
      transcript: messages.map((m) => ({
        id: m.id,
        direction: m.direction,
        channel: m.channel,
        body: mask.text(m.body),
        author: m.author,
        flowId: m.flow_id,
        flowVersion: m.flow_version,
        stateId: m.state_id,
        intent: m.intent,
        confidence: m.confidence,
        atRisk: m.at_risk === null ? null : m.at_risk === 1,
        classification: fromJson(m.classification, null),
        delivered: m.direction === 'out' ? !!m.provider_id && !m.provider_id.startsWith('sending:') && !m.provider_id.startsWith('failed:') : undefined,
        createdAt: m.created_at,
      })),
      attempts: attempts.map((a) => ({ ...a, target: a.channel === 'telegram' ? a.target : mask.phone(a.target)! })),
      handoffs,
      audit: events.map((e) => ({ ...e, detail: fromJson(e.detail, null) })),
    }));
  });
  return router;
}
