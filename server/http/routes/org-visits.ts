// The second review's form on the desk, and the police stations' visit tasks (the station page's API).
import express, { type Router } from 'express';
import { z } from 'zod';
import type { Services } from '../../services';
import { requireRole } from '../auth';
import { parseWith } from '../validate';
import { presentHandoff } from '../../people/case-view';
import { viewerOf } from '../../people/visibility';
import { unitScope } from '../../org/scope-guard';
import { decideReview, reviewSchema } from '../../org/review';
import { advanceVisit, listVisitTasks, loadTask, presentVisitTask, reportSchema, reportVisit } from '../../org/visits';
import { audit } from '../../store/repositories/audit';
import { unitRoleOf } from '../../org/people';
import { callRelative, messageRelative, relativeMessageSchema, relativeParams } from '../../people/relatives';
import { idempotent } from '../idempotency';

const idParams = z.object({ id: z.uuid('must be an id') });
const listQuery = z.object({ status: z.enum(['open', 'all']).default('open') });

export function orgVisitRoutes(s: Services): Router {
  const router = express.Router();
  const desk = requireRole('desk', 'manager');
  const station = requireRole('station', 'desk', 'manager');
  router.use('/api/desk/handoffs/:id', unitScope(s, 'handoff'));
  router.use('/api/desk/cases/:id', unitScope(s, 'case'));

  // Relatives from the desk (the holder of the case only), idempotent like the desk's writes to the citizen.
  router.post(
    '/api/desk/cases/:id/relatives/:index/messages',
    desk,
    idempotent(s, 'relative_message', async (req, res) => {
      const { id, index } = parseWith(relativeParams, req.params, 'relative');
      const { body } = parseWith(relativeMessageSchema, req.body ?? {}, 'message');
      const m = await messageRelative(s, viewerOf(req), id, index, body);
      res.status(202).json({ message: { id: m.id, channel: m.channel, body: m.body, author: m.author, createdAt: m.created_at, delivery: 'pending' } });
    }),
  );

  router.post(
    '/api/desk/cases/:id/relatives/:index/call',
    desk,
    idempotent(s, 'relative_call', async (req, res) => {
      const { id, index } = parseWith(relativeParams, req.params, 'relative');
      res.status(202).json(await callRelative(s, viewerOf(req), id, index, req.user?.phone ?? null));
    }),
  );

  router.post('/api/desk/handoffs/:id/review', desk, async (req, res) => {
    const { id } = parseWith(idParams, req.params, 'handoff id');
    const input = parseWith(reviewSchema, req.body ?? {}, 'review');
    const r = await decideReview(s, viewerOf(req), id, input);
    res.json({ handoff: presentHandoff(r.handoff), station: r.station, deadlineAt: r.deadlineAt });
  });

  // Station officers see full numbers and the transcript of their own station's tasks; the desk above sees them too.
  router.get('/api/station/tasks', station, async (req, res) => {
    const { status } = parseWith(listQuery, req.query, 'query');
    const v = viewerOf(req);
    const tasks = await listVisitTasks(s, v, { open: status === 'open' });
    res.json({ unitRole: unitRoleOf(v), tasks: await Promise.all(tasks.map((t) => presentVisitTask(s, t, { full: false }))) });
  });

  router.get('/api/station/tasks/:id', station, async (req, res) => {
    const { id } = parseWith(idParams, req.params, 'task id');
    const task = await loadTask(s, viewerOf(req), id);
    await audit(s.store.db, { caseId: task.case_id, actor: req.principal!.id, action: 'case_read', detail: { via: 'station', taskId: id } });
    res.json({ task: await presentVisitTask(s, task, { full: true }) });
  });

  for (const [path, step] of [
    ['accept', 'accept'],
    ['on-the-way', 'on_the_way'],
  ] as const) {
    router.post(`/api/station/tasks/:id/${path}`, station, async (req, res) => {
      const { id } = parseWith(idParams, req.params, 'task id');
      res.json({ task: await presentVisitTask(s, await advanceVisit(s, viewerOf(req), id, step), { full: true }) });
    });
  }

  router.post('/api/station/tasks/:id/report', station, async (req, res) => {
    const { id } = parseWith(idParams, req.params, 'task id');
    const input = parseWith(reportSchema, req.body ?? {}, 'report');
    res.json({ task: await presentVisitTask(s, await reportVisit(s, viewerOf(req), id, input), { full: true }) });
  });

  return router;
}
