// Keeps each person to their unit's cases on the desk routes: a case or handoff outside the units the
// viewer sees answers 403 naming the unit, before any handler reads or changes it.
import type { RequestHandler } from 'express';
import type { Services } from '../services';
import { ForbiddenError } from '../errors';
import { viewerOf } from '../people/visibility';
import { seesUnit } from './people';

/** The unit of a case, or of the case a handoff belongs to; undefined when there is no such row. */
async function unitOf(s: Services, kind: 'case' | 'handoff', id: string): Promise<{ unitId: string | null } | undefined> {
  if (kind === 'case') return s.store.db.selectFrom('cases').select('unit_id as unitId').where('id', '=', id).executeTakeFirst();
  return s.store.db.selectFrom('handoffs').innerJoin('cases', 'cases.id', 'handoffs.case_id').select('cases.unit_id as unitId').where('handoffs.id', '=', id).executeTakeFirst();
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Checks `req.params[param]` (a case or handoff id) against the viewer's units. An id that is malformed or
 * unknown passes through, so the handler answers 400 or 404 as it always has.
 */
export function unitScope(s: Services, kind: 'case' | 'handoff', param = 'id'): RequestHandler {
  return async (req, _res, next) => {
    try {
      const id = String(req.params[param] ?? '');
      if (!req.principal || !UUID.test(id)) return next();
      const found = await unitOf(s, kind, id);
      if (!found) return next();
      const dir = s.org.units;
      if (!seesUnit(dir, viewerOf(req), found.unitId)) {
        const unit = dir.byId(found.unitId);
        return next(new ForbiddenError(`this ${kind} belongs to ${unit ? `${unit.name.zh} (${unit.code})` : 'another unit'}, not to your unit`));
      }
      next();
    } catch (err) {
      next(err);
    }
  };
}
