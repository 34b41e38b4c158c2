// The managers' script trials: start, list, report, stop.
import express, { type Router } from 'express';
import { z } from 'zod';
import type { Services } from '../../services';
import { requireRole } from '../auth';
import { parseWith } from '../validate';
import { ScriptTrials } from '../../trials/service';
import { startTrialSchema, stopTrialSchema } from '../../trials/schema';

const idParams = z.object({ id: z.uuid('must be a trial id') });
const listQuery = z.object({ flowId: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'must be a flow id').optional() });

export function trialsRoutes(s: Services): Router {
  const router = express.Router();
  const trials = new ScriptTrials({ db: s.store.db, registry: s.flows });
  const manager = requireRole('manager');

  router.get('/api/trials', manager, async (req, res) => {
    const q = parseWith(listQuery, req.query, 'query');
    res.json({ trials: await trials.list(q.flowId) });
  });

  router.post('/api/trials', manager, async (req, res) => {
    const b = parseWith(startTrialSchema, req.body, 'trial');
    res.status(201).json(await trials.start(b, req.principal!.id));
  });

  router.get('/api/trials/:id', manager, async (req, res) => {
    const { id } = parseWith(idParams, req.params, 'trial id');
    res.json(await trials.get(id));
  });

  router.post('/api/trials/:id/stop', manager, async (req, res) => {
    const { id } = parseWith(idParams, req.params, 'trial id');
    const b = parseWith(stopTrialSchema, req.body, 'stop request');
    res.json(await trials.stop(id, b, req.principal!.id));
  });

  return router;
}
