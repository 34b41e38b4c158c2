// The desk's canned replies, managed by managers: GET/POST /api/canned-replies, PUT/DELETE /api/canned-replies/:id.
// The desk reads them filled for a case at GET /api/desk/cases/:id/canned-replies (routes/desk.ts).
import express, { type Router } from 'express';
import { z } from 'zod';
import type { Services } from '../../services';
import { requireRole } from '../auth';
import { parseWith } from '../validate';
import { NotFoundError, ValidationError } from '../../errors';
import { LOCALES } from '../../../flows/engine/vocabulary';
import { deleteCannedReply, getCannedReply, insertCannedReply, listCannedReplies, updateCannedReply } from '../../store/repositories/console';
import { audit } from '../../store/repositories/audit';
import { CANNED_PLACEHOLDERS, unknownPlaceholders } from '../../people/canned-replies';
import type { CannedReplyRow } from '../../store/schema';

const idParams = z.object({ id: z.string().min(1).max(64) });
const title = z.string().trim().min(1, 'required').max(60, 'at most 60 characters');
const body = z.string().trim().min(1, 'required').max(1000, 'at most 1000 characters');
const createBody = z.object({ locale: z.enum(LOCALES, { message: `must be one of ${LOCALES.join(', ')}` }), title, body }).strict();
const updateBody = z.object({ title: title.optional(), body: body.optional(), position: z.number().int().min(1).max(10_000).optional() }).strict();
const listQuery = z.object({ locale: z.enum(LOCALES).optional() });

const present = (r: CannedReplyRow) => ({ id: r.id, locale: r.locale, title: r.title, body: r.body, position: r.position, updatedBy: r.updated_by, updatedAt: r.updated_at });

function checkPlaceholders(text: string | undefined): void {
  const bad = text ? unknownPlaceholders(text) : [];
  if (bad.length) throw new ValidationError(`invalid canned reply: body: unknown placeholder ${bad.map((b) => `{${b}}`).join(', ')}; known: ${CANNED_PLACEHOLDERS.map((p) => `{${p}}`).join(' ')}`);
}

export function cannedRepliesRoutes(s: Services): Router {
  const router = express.Router();
  const manager = requireRole('manager');

  router.get('/api/canned-replies', requireRole('desk', 'manager'), async (req, res) => {
    const { locale } = parseWith(listQuery, req.query, 'query');
    res.json({ placeholders: CANNED_PLACEHOLDERS, replies: (await listCannedReplies(s.store.db, locale)).map(present) });
  });

  router.post('/api/canned-replies', manager, async (req, res) => {
    const b = parseWith(createBody, req.body ?? {}, 'canned reply');
    checkPlaceholders(b.body);
    const row = await insertCannedReply(s.store.db, { ...b, by: req.principal!.id });
    await audit(s.store.db, { actor: req.principal!.id, action: 'canned_reply_added', detail: { id: row.id, locale: row.locale } });
    res.status(201).json({ reply: present(row) });
  });

  router.put('/api/canned-replies/:id', manager, async (req, res) => {
    const { id } = parseWith(idParams, req.params, 'canned reply id');
    const b = parseWith(updateBody, req.body ?? {}, 'canned reply');
    checkPlaceholders(b.body);
    if (!(await updateCannedReply(s.store.db, id, { ...b, by: req.principal!.id }))) throw new NotFoundError(`canned reply ${id} not found`);
    await audit(s.store.db, { actor: req.principal!.id, action: 'canned_reply_changed', detail: { id } });
    res.json({ reply: present((await getCannedReply(s.store.db, id))!) });
  });

  router.delete('/api/canned-replies/:id', manager, async (req, res) => {
    const { id } = parseWith(idParams, req.params, 'canned reply id');
    if (!(await deleteCannedReply(s.store.db, id))) throw new NotFoundError(`canned reply ${id} not found`);
    await audit(s.store.db, { actor: req.principal!.id, action: 'canned_reply_deleted', detail: { id } });
    res.status(204).end();
  });

  return router;
}
