// The dissuasion desk API: the live queue (JSON and server-sent events), claims, the case view and the
// actions on a claimed case. Phone numbers are masked for desk officers until they hold the claim.
import express, { type Router } from 'express';
import { z } from 'zod';
import type { Services } from '../../services';
import type { LiveEvent } from '../../events';
import { requireRole } from '../auth';
import { parseWith } from '../validate';
import { NotFoundError } from '../../errors';
import { listHandoffs } from '../../store/repositories/handoffs';
import { getCase } from '../../store/repositories/cases';
import { audit } from '../../store/repositories/audit';
import { nowIso } from '../../store/ids';
import { maskPhone, maskPhonesIn } from '../../log';
import { isSupervisor, viewerOf } from '../../people/visibility';
import { buildCaseView, presentHandoff } from '../../people/case-view';
import { callCitizen, claim, messageSchema, release, resolve, resolveSchema, returnSchema, returnToFlow, sendMessage } from '../../people/desk-actions';
import { presentPlacement, queueScope, unitRoleOf } from '../../org/people';
import { unitScope } from '../../org/scope-guard';

const idParams = z.object({ id: z.uuid('must be an id') });
/** Server-sent events keep-alive, under the usual 60 s proxy idle timeout. */
const HEARTBEAT_MS = 20_000;

export function deskRoutes(s: Services): Router {
  const router = express.Router();
  const people = requireRole('desk', 'manager');
  // Organisation (issue 15): each person acts only on their units' cases.
  router.use('/api/desk/cases/:id', unitScope(s, 'case'));
  router.use('/api/desk/handoffs/:id', unitScope(s, 'handoff'));

  router.get('/api/desk/queue', people, async (req, res) => {
    const v = viewerOf(req);
    const rows = await listHandoffs(s.store.db, 'active', queueScope(s.org.units, v));
    const caseIds = [...new Set(rows.map((r) => r.case_id))];
    const lastIn = new Map<string, { body: string; intent: string | null; at: string }>();
    if (caseIds.length) {
      const msgs = await s.store.db
        .selectFrom('messages')
        .select(['case_id', 'body', 'intent', 'created_at'])
        .where('case_id', 'in', caseIds)
        .where('direction', '=', 'in')
        .orderBy('created_at', 'desc')
        .execute();
      for (const m of msgs) if (!lastIn.has(m.case_id)) lastIn.set(m.case_id, { body: m.body, intent: m.intent, at: m.created_at });
    }
    const now = nowIso();
    const items = rows.map((h) => {
      // The queue never shows a desk officer a full number: only the case view of their own claim does.
      const visible = v.kind === 'api_key' || isSupervisor(v);
      const last = lastIn.get(h.case_id);
      return {
        ...presentHandoff(h),
        caseRef: h.case_ref,
        name: h.name,
        phone: visible ? h.phone : maskPhone(h.phone),
        scamType: h.scam_type,
        riskLevel: h.risk_level,
        warningCount: h.warning_count,
        locale: h.locale,
        mine: h.status === 'claimed' && h.claimed_by === v.id,
        kind: h.kind,
        assignedBy: h.assigned_by,
        ...presentPlacement(s.org.units, h),
        overdue: h.status === 'open' && h.sla_due_at <= now,
        lastReply: last ? { body: (visible ? last.body : maskPhonesIn(last.body)).slice(0, 160), intent: last.intent, at: last.at } : null,
      };
    });
    res.json({
      now,
      you: { username: v.id, role: v.role, supervisor: isSupervisor(v), unitRole: unitRoleOf(v), unit: presentPlacement(s.org.units, { unit_id: v.unitId ?? null, routing: null, routing_hint: null }).unit },
      counts: {
        open: items.filter((i) => i.status === 'open').length,
        claimed: items.filter((i) => i.status === 'claimed').length,
        escalated: items.filter((i) => i.status === 'open' && i.escalatedAt).length,
      },
      items,
    });
  });

  router.get('/api/desk/stream', people, (req, res) => {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write(`retry: 3000\nevent: ready\ndata: ${JSON.stringify({ at: nowIso() })}\n\n`);
    const onEvent = (e: LiveEvent) => {
      res.write(`event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`);
    };
    s.events.on('event', onEvent);
    const heartbeat = setInterval(() => res.write(`: ${Date.now()}\n\n`), HEARTBEAT_MS);
    heartbeat.unref();
    req.on('close', () => {
      clearInterval(heartbeat);
      s.events.off('event', onEvent);
    });
  });

  router.get('/api/desk/cases/:id', people, async (req, res) => {
    const { id } = parseWith(idParams, req.params, 'case id');
    const c = await getCase(s.store.db, id);
    if (!c) throw new NotFoundError(`case ${id} not found`);
    const v = viewerOf(req);
    const view = await buildCaseView(s, c, v);
    await audit(s.store.db, { caseId: id, actor: v.id, action: 'case_read', detail: { via: 'desk', phoneVisible: view.phoneVisible } });
    res.json(view);
  });

  router.post('/api/desk/handoffs/:id/claim', people, async (req, res) => {
    const { id } = parseWith(idParams, req.params, 'handoff id');
    res.json({ handoff: presentHandoff(await claim(s, viewerOf(req), id)) });
  });

  router.post('/api/desk/handoffs/:id/release', people, async (req, res) => {
    const { id } = parseWith(idParams, req.params, 'handoff id');
    res.json({ handoff: presentHandoff(await release(s, viewerOf(req), id)) });
  });

  router.post('/api/desk/handoffs/:id/resolve', people, async (req, res) => {
    const { id } = parseWith(idParams, req.params, 'handoff id');
    const input = parseWith(resolveSchema, req.body ?? {}, 'resolution');
    res.json({ handoff: presentHandoff(await resolve(s, viewerOf(req), id, input)) });
  });

  router.post('/api/desk/handoffs/:id/return', people, async (req, res) => {
    const { id } = parseWith(idParams, req.params, 'handoff id');
    const { note } = parseWith(returnSchema, req.body ?? {}, 'return');
    res.json({ handoff: presentHandoff(await returnToFlow(s, viewerOf(req), id, note)) });
  });

  router.post('/api/desk/cases/:id/messages', people, async (req, res) => {
    const { id } = parseWith(idParams, req.params, 'case id');
    const { body } = parseWith(messageSchema, req.body ?? {}, 'message');
    const m = await sendMessage(s, viewerOf(req), id, body);
    res.status(202).json({ message: { id: m.id, channel: m.channel, body: m.body, author: m.author, createdAt: m.created_at, delivery: 'pending' } });
  });

  router.post('/api/desk/cases/:id/call', people, async (req, res) => {
    const { id } = parseWith(idParams, req.params, 'case id');
    res.status(202).json(await callCitizen(s, viewerOf(req), id, req.user?.phone ?? null));
  });

  return router;
}
