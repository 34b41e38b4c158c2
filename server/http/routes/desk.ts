// The dissuasion desk API: the live queue (JSON and server-sent events), claims, the case view and the
// actions on a claimed case. Phone numbers are masked for desk officers until they hold the claim.
import express, { type Router } from 'express';
import { z } from 'zod';
import type { Services } from '../../services';
import { STREAMS_END, type LiveEvent } from '../../events';
import { requireRole } from '../auth';
import { idempotent } from '../idempotency';
import { parseWith } from '../validate';
import { NotFoundError, ValidationError } from '../../errors';
import { getCase } from '../../store/repositories/cases';
import { audit } from '../../store/repositories/audit';
import { nowIso } from '../../store/ids';
import { maskPhone, maskNumbersIn } from '../../masking';
import { isSupervisor, phoneMasker, viewerOf, type Viewer } from '../../people/visibility';
import { DESK_FILTERS, deskFacets, deskListQuery, deskUnitCounts, searchDeskList, type DeskListQuery, type DeskListRow, type DeskScope } from '../../people/desk-search';
import { fillPlaceholders } from '../../people/canned-replies';
import { insertNote, listCannedReplies, listNotesForCase } from '../../store/repositories/console';
import { findLiveSession } from '../../store/repositories/sessions';
import { buildCaseView, presentHandoff } from '../../people/case-view';
import { callCitizen, claim, messageSchema, release, resolve, resolveSchema, returnSchema, returnToFlow, sendMessage } from '../../people/desk-actions';
import { presentPlacement, queueScope, unitRoleOf } from '../../org/people';
import { unitScope } from '../../org/scope-guard';

const idParams = z.object({ id: z.uuid('must be an id') });
const noteSchema = z.object({ body: z.string().trim().min(1, 'write something first').max(2000, 'at most 2000 characters') });

/** Handoffs the desk is alerted to (sound, desktop notification) when the person opts in. */
const URGENT_REASONS = new Set(['already_paid', 'mid_scam']);

/** Open desk streams per session (sha256 of the cookie), so signing out ends them at once. */
const streamsBySession = new Map<string, Set<() => void>>();

/** Ends the desk event streams of a session that signed out (this process; others notice at their next heartbeat). */
export function endDeskStreams(sessionIdHash: string): void {
  for (const end of streamsBySession.get(sessionIdHash) ?? []) end();
  streamsBySession.delete(sessionIdHash);
}
/** Server-sent events keep-alive, under the usual 60 s proxy idle timeout. */
const HEARTBEAT_MS = 20_000;
/** What a console is told to wait before reconnecting (to another web process) when a stream ends. */
const RECONNECT_MS = 3000;

export function deskRoutes(s: Services): Router {
  const router = express.Router();
  const people = requireRole('desk', 'manager');
  // Organisation (issue 15): each person acts only on their units' cases.
  router.use('/api/desk/cases/:id', unitScope(s, 'case'));
  router.use('/api/desk/handoffs/:id', unitScope(s, 'handoff'));

  /** The last thing each case's citizen wrote, for the list rows. */
  async function lastRepliesOf(caseIds: string[]): Promise<Map<string, { body: string; intent: string | null; at: string }>> {
    const lastIn = new Map<string, { body: string; intent: string | null; at: string }>();
    if (!caseIds.length) return lastIn;
    const msgs = await s.store.db
      .selectFrom('messages')
      .select(['case_id', 'body', 'intent', 'created_at'])
      .where('case_id', 'in', caseIds)
      .where('direction', '=', 'in')
      .orderBy('created_at', 'desc')
      .execute();
    for (const m of msgs) if (!lastIn.has(m.case_id)) lastIn.set(m.case_id, { body: m.body, intent: m.intent, at: m.created_at });
    return lastIn;
  }

  /** One row of a desk list. The lists never show a desk officer a full number: only the case view of their own claim does. */
  async function presentRows(rows: DeskListRow[], v: Viewer) {
    const visible = v.kind === 'api_key' || isSupervisor(v);
    const lastIn = await lastRepliesOf([...new Set(rows.map((r) => r.handoff.case_id))]);
    const now = nowIso();
    return rows.map((r) => {
      const h = r.handoff;
      const last = lastIn.get(h.case_id);
      return {
        ...presentHandoff(h),
        caseRef: r.case_ref,
        name: r.name,
        phone: visible ? r.phone : maskPhone(r.phone),
        scamType: r.scam_type,
        riskLevel: r.risk_level,
        warningCount: r.warning_count,
        locale: r.locale,
        caseStatus: r.case_status,
        mine: h.status === 'claimed' && h.claimed_by === v.id,
        kind: h.kind,
        assignedBy: h.assigned_by,
        ...presentPlacement(s.org.units, r),
        overdue: h.status === 'open' && h.sla_due_at <= now,
        lastReply: last ? { body: (visible ? last.body : maskNumbersIn(last.body)).slice(0, 160), intent: last.intent, at: last.at } : null,
      };
    }).map(phoneMasker(visible).deep);
  }

  /**
   * Organisation (issue 15): a list holds the viewer's units' cases; the unit filter narrows it to one unit
   * and the units under it. The unit facet counts each unit the viewer sees.
   */
  function scopeOf(v: Viewer, q: DeskListQuery): { whole: DeskScope; filtered: DeskScope } {
    const dir = s.org.units;
    const whole = queueScope(dir, v);
    if (!q.unit) return { whole, filtered: whole };
    const unit = dir.byCode(q.unit);
    if (!unit) throw new ValidationError(`invalid query: unit: no unit ${q.unit}`);
    const seen = new Set(whole.units);
    return { whole, filtered: { units: [...dir.subtree(unit.id)].filter((id) => seen.has(id)).concat(seen.has(unit.id) ? [] : ['(none)']), includeUnitless: whole.includeUnitless && unit.id === dir.root.id } };
  }
  async function unitFacet(list: 'active' | 'resolved', scope: DeskScope) {
    const counts = await deskUnitCounts(s.store.db, list, scope);
    const dir = s.org.units;
    return scope.units.map((id) => dir.byId(id)!).filter(Boolean).map((u) => ({ value: u.code, label: u.name, count: (counts.get(u.id) ?? 0) + (u.id === dir.root.id ? counts.get(null) ?? 0 : 0) }));
  }

  router.get('/api/desk/queue', people, async (req, res) => {
    const v = viewerOf(req);
    const q = parseWith(deskListQuery, req.query, 'query');
    const scope = scopeOf(v, q);
    const filtered = Object.keys(req.query).some((k) => k === 'q' || k === 'unit' || DESK_FILTERS.some((f) => f.param === k));
    const [all, matching, facets, unitCounts] = await Promise.all([
      filtered ? searchDeskList(s.store.db, 'active', { limit: 500 }, v, scope.whole) : null,
      searchDeskList(s.store.db, 'active', q, v, scope.filtered),
      deskFacets(s.store.db, 'active', scope.whole),
      unitFacet('active', scope.whole),
    ]);
    facets.unit = unitCounts;
    const whole = all ?? matching;
    const items = await presentRows(matching, v);
    res.json({
      now: nowIso(),
      you: { username: v.id, role: v.role, supervisor: isSupervisor(v), unitRole: unitRoleOf(v), unit: presentPlacement(s.org.units, { unit_id: v.unitId ?? null, routing: null, routing_hint: null }).unit },
      // The whole queue's counts, whatever the filters: the tab title and the supervisor's banner say these.
      counts: {
        open: whole.filter((r) => r.handoff.status === 'open').length,
        claimed: whole.filter((r) => r.handoff.status === 'claimed').length,
        escalated: whole.filter((r) => r.handoff.status === 'open' && r.handoff.escalated_at).length,
      },
      matched: items.length,
      facets,
      items,
      // Waiting people who already paid or are still in the scam, whatever the filters: the console alerts on new ones.
      urgent: whole
        .filter((r) => r.handoff.status === 'open' && URGENT_REASONS.has(r.handoff.reason))
        .map((r) => ({ id: r.handoff.id, caseId: r.handoff.case_id, caseRef: r.case_ref, reason: r.handoff.reason, name: r.name })),
    });
  });

  router.get('/api/desk/resolved', people, async (req, res) => {
    const v = viewerOf(req);
    const q = parseWith(deskListQuery, req.query, 'query');
    const scope = scopeOf(v, q);
    const [rows, facets, unitCounts] = await Promise.all([searchDeskList(s.store.db, 'resolved', q, v, scope.filtered), deskFacets(s.store.db, 'resolved', scope.whole), unitFacet('resolved', scope.whole)]);
    facets.unit = unitCounts;
    const items = await presentRows(rows, v);
    res.json({ now: nowIso(), facets, items, next: rows.length === q.limit ? rows.at(-1)!.handoff.resolved_at : null });
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
    const onEnd = () => {
      res.end(`event: shutdown\ndata: ${JSON.stringify({ retryInMs: RECONNECT_MS })}\n\n`);
    };
    s.events.on('event', onEvent);
    s.events.once(STREAMS_END, onEnd);
    const session = req.sessionAuth?.idHash;
    const end = () => {
      // The browser would reconnect at once; "signed-out" tells the console to stop and go to the login page.
      res.write(`event: signed-out\ndata: {}\n\n`);
      res.end();
    };
    if (session) streamsBySession.set(session, (streamsBySession.get(session) ?? new Set()).add(end));
    const heartbeat = setInterval(() => {
      res.write(`: ${Date.now()}\n\n`);
      // A sign-out served by another web process, or a session that expired, ends this stream too.
      if (session)
        findLiveSession(s.store.db, session).then(
          (live) => live || end(),
          () => undefined,
        );
    }, HEARTBEAT_MS);
    heartbeat.unref();
    req.on('close', () => {
      clearInterval(heartbeat);
      s.events.off('event', onEvent);
      if (session) {
        const set = streamsBySession.get(session);
        set?.delete(end);
        if (set && !set.size) streamsBySession.delete(session);
      }
      s.events.off(STREAMS_END, onEnd);
    });
  });

  router.get('/api/desk/cases/:id', people, async (req, res) => {
    const { id } = parseWith(idParams, req.params, 'case id');
    const c = await getCase(s.store.db, id);
    if (!c) throw new NotFoundError(`case ${id} not found`);
    const v = viewerOf(req);
    const view = await buildCaseView(s, c, v);
    const mask = phoneMasker(view.phoneVisible);
    const notes = (await listNotesForCase(s.store.db, id)).map((n) => ({ id: n.id, author: n.author, body: mask.text(n.body), createdAt: n.created_at }));
    await audit(s.store.db, { caseId: id, actor: v.id, action: 'case_read', detail: { via: 'desk', phoneVisible: view.phoneVisible } });
    res.json({ ...view, notes });
  });

  router.post('/api/desk/cases/:id/notes', people, async (req, res) => {
    const { id } = parseWith(idParams, req.params, 'case id');
    const { body } = parseWith(noteSchema, req.body ?? {}, 'note');
    const c = await getCase(s.store.db, id);
    if (!c) throw new NotFoundError(`case ${id} not found`);
    const v = viewerOf(req);
    const note = await insertNote(s.store.db, { caseId: id, author: v.id, body });
    await audit(s.store.db, { caseId: id, actor: v.id, action: 'case_note_added', detail: { noteId: note.id, length: body.length } });
    s.events.publish({ type: 'case', caseId: id, change: 'note' });
    res.status(201).json({ note: { id: note.id, author: note.author, body: note.body, createdAt: note.created_at } });
  });

  router.get('/api/desk/cases/:id/canned-replies', people, async (req, res) => {
    const { id } = parseWith(idParams, req.params, 'case id');
    const c = await getCase(s.store.db, id);
    if (!c) throw new NotFoundError(`case ${id} not found`);
    const locale = c.locale === 'en' ? 'en' : 'zh';
    const officer = req.user?.displayName || req.user?.username || viewerOf(req).id;
    const values = { name: c.name ?? '', case_ref: c.case_ref, officer, centre_name: s.config.centre.name[locale], callback_number: s.config.centre.callbackNumber };
    const replies = (await listCannedReplies(s.store.db, locale)).map((r) => ({ id: r.id, title: r.title, body: r.body, text: fillPlaceholders(r.body, values) }));
    res.json({ locale, replies });
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

  // Idempotency-Key (server/http/idempotency.ts): a retried message or call is never sent twice.
  router.post(
    '/api/desk/cases/:id/messages',
    people,
    idempotent(s, 'desk_message', async (req, res) => {
      const { id } = parseWith(idParams, req.params, 'case id');
      const { body } = parseWith(messageSchema, req.body ?? {}, 'message');
      const m = await sendMessage(s, viewerOf(req), id, body);
      res.status(202).json({ message: { id: m.id, channel: m.channel, body: m.body, author: m.author, createdAt: m.created_at, delivery: 'pending' } });
    }),
  );

  router.post(
    '/api/desk/cases/:id/call',
    people,
    idempotent(s, 'desk_call', async (req, res) => {
      const { id } = parseWith(idParams, req.params, 'case id');
      res.status(202).json(await callCitizen(s, viewerOf(req), id, req.user?.phone ?? null));
    }),
  );

  return router;
}
