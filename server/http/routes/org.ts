// The organisation's API: units (read by everyone, changed by admins), people in units and their presence,
// and on the desk: assign, transfer and take over a case, move it to another unit.
import express, { type Router } from 'express';
import { z } from 'zod';
import type { Services } from '../../services';
import { requireRole } from '../auth';
import { parseWith } from '../validate';
import { AuthenticationError } from '../../errors';
import { addUnit, changeUnit, newUnitSchema, presentUnit, unitPatchSchema } from '../../org/units-admin';
import { listPeople, placePerson, placementSchema, presenceSchema, presentPerson, setPresence, heldCounts } from '../../org/people-admin';
import { presentPlacement, supervisesAnything, supervisesCity, unitRoleOf } from '../../org/people';
import { unitScope } from '../../org/scope-guard';
import { unitCode } from '../../org/units-file';
import { findUserByUsername } from '../../store/repositories/users';
import { presentHandoff } from '../../people/case-view';
import { assign, assignSchema, moveCase, moveSchema, takeOver, takeoverSchema } from '../../people/assignment';
import { viewerOf } from '../../people/visibility';
import { query as reportQuery, range as reportRange } from './reports';
import { unitReports } from '../../org/unit-reports';
import { ForbiddenError } from '../../errors';

const idParams = z.object({ id: z.uuid('must be an id') });
const codeParams = z.object({ code: unitCode });
const usernameParams = z.object({ username: z.string().trim().min(1).max(64) });

export function orgRoutes(s: Services): Router {
  const router = express.Router();
  const admin = requireRole('admin');
  const anyone = requireRole('desk', 'station', 'manager');
  const desk = requireRole('desk', 'manager');

  router.get('/api/org/units', anyone, (_req, res) => {
    const dir = s.org.units;
    res.json({ default: dir.defaultUnit.code, units: dir.units.map((u) => presentUnit(dir, u)), visitDeadlineMinutes: s.org.visitDeadlineMinutes });
  });

  router.post('/api/org/units', admin, async (req, res) => {
    const input = parseWith(newUnitSchema, req.body ?? {}, 'unit');
    const unit = await addUnit(s, req.principal!.id, input);
    res.status(201).json({ unit: presentUnit(s.org.units, unit) });
  });

  router.patch('/api/org/units/:code', admin, async (req, res) => {
    const { code } = parseWith(codeParams, req.params, 'unit code');
    const patch = parseWith(unitPatchSchema, req.body ?? {}, 'unit change');
    const unit = await changeUnit(s, req.principal!.id, code, patch);
    res.json({ unit: presentUnit(s.org.units, unit) });
  });

  router.get('/api/org/people', desk, async (req, res) => {
    res.json({ people: await listPeople(s, viewerOf(req)) });
  });

  router.patch('/api/org/people/:username', admin, async (req, res) => {
    const { username } = parseWith(usernameParams, req.params, 'username');
    const input = parseWith(placementSchema, req.body ?? {}, 'placement');
    res.json({ person: await placePerson(s, req.principal!.id, username, input) });
  });

  router.get('/api/org/me', anyone, async (req, res) => {
    if (!req.user) throw new AuthenticationError('sign in as a person to see your unit');
    const u = (await findUserByUsername(s.store.db, req.user.username))!;
    const v = viewerOf(req);
    res.json({
      person: presentPerson(s.org.units, u, (await heldCounts(s)).get(u.username) ?? 0, s.config.org.defaultCapacity),
      unitRole: unitRoleOf(v),
      supervisor: supervisesAnything(v),
      citySupervisor: supervisesCity(s.org.units, v),
      placement: presentPlacement(s.org.units, { unit_id: u.unit_id, routing: null, routing_hint: null }).unit,
    });
  });

  router.put('/api/org/me/presence', desk, async (req, res) => {
    if (!req.user) throw new AuthenticationError('sign in as a person to set your presence');
    const { presence } = parseWith(presenceSchema, req.body ?? {}, 'presence');
    res.json(await setPresence(s, req.user.id, req.user.username, presence));
  });

  // Reports per unit: supervisors see their unit and those under it; managers and admins the whole centre.
  router.get('/api/org/reports', desk, async (req, res) => {
    const v = viewerOf(req);
    if (!supervisesAnything(v)) throw new ForbiddenError('reports per unit are for supervisors, managers and admins');
    const q = parseWith(reportQuery, req.query, 'query');
    const r = reportRange(q);
    const asOf = Date.now();
    res.json({ from: r.fromDate, to: r.toDate, tz: q.tz, asOf: new Date(asOf).toISOString(), units: await unitReports(s, v, r, asOf) });
  });

  // On the desk: the same unit scope as every other desk route.
  router.use('/api/desk/handoffs/:id', unitScope(s, 'handoff'));
  router.use('/api/desk/cases/:id', unitScope(s, 'case'));

  for (const path of ['assign', 'transfer'] as const) {
    router.post(`/api/desk/handoffs/:id/${path}`, desk, async (req, res) => {
      const { id } = parseWith(idParams, req.params, 'handoff id');
      const input = parseWith(assignSchema, req.body ?? {}, path);
      res.json({ handoff: presentHandoff(await assign(s, viewerOf(req), id, input)) });
    });
  }

  router.post('/api/desk/handoffs/:id/takeover', desk, async (req, res) => {
    const { id } = parseWith(idParams, req.params, 'handoff id');
    const { note } = parseWith(takeoverSchema, req.body ?? {}, 'takeover');
    res.json({ handoff: presentHandoff(await takeOver(s, viewerOf(req), id, note)) });
  });

  router.post('/api/desk/cases/:id/move', desk, async (req, res) => {
    const { id } = parseWith(idParams, req.params, 'case id');
    const input = parseWith(moveSchema, req.body ?? {}, 'move');
    res.json(await moveCase(s, viewerOf(req), id, input));
  });

  return router;
}
