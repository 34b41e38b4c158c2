// The managers' flow editor API: list, check, draft, diff, publish, roll back, export, try it, audit.
import express, { type Router } from 'express';
import { z } from 'zod';
import type { Services } from '../../services';
import { requireRole } from '../auth';
import { parseWith } from '../validate';
import { FlowsAdmin } from '../../flows-admin/service';
import { buildFlowGraph } from '../../flows-admin/graph';
import { stepAnalytics } from '../../flows-admin/step-analytics';
import { checkDraft } from '../../flows-admin/checking';
import { tryTurn } from '../../flows-admin/tryit';
import { timedClassify } from '../metrics';
import { CHANNELS, LOCALES } from '../../../flows/engine/vocabulary';
import type { ConversationState } from '../../../flows/engine';
import { AppError, ValidationError } from '../../errors';

const flowId = z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'must be a flow id (lower-case letters, digits, _)');
const idParams = z.object({ id: flowId });
const versionParams = z.object({ id: flowId, version: z.coerce.number().int().min(1) });
/** A flow is a few hundred lines; anything near this is a mistake (a pasted log, a binary). */
const MAX_YAML = 200_000;
const yamlText = z.string().min(1, 'is empty').max(MAX_YAML, `is longer than ${MAX_YAML} characters`);

const checkBody = z.object({ yaml: yamlText, flowId: flowId.optional() });
const draftBody = z.object({ yaml: yamlText });
const rollbackBody = z.object({ version: z.number().int().min(1) });
const diffQuery = z.object({ from: z.coerce.number().int().min(1).optional(), to: z.coerce.number().int().min(1).optional() });
const exportQuery = z.object({ version: z.coerce.number().int().min(1).optional() });
const auditQuery = z.object({ flowId: flowId.optional() });
const stateSchema = z
  .object({
    schemaVersion: z.literal(1),
    flowId: z.string(),
    flowVersion: z.number(),
    stateId: z.string(),
    turns: z.number().int().min(0),
    visits: z.record(z.string(), z.number()),
    lowConfidenceCount: z.number().int().min(0),
    slots: z.record(z.string(), z.string()),
    ended: z.boolean(),
    outcome: z.string().optional(),
    handoffs: z.array(z.string()).optional(),
  })
  .loose();
const tryBody = z.object({
  yaml: yamlText,
  locale: z.enum(LOCALES),
  channel: z.enum(CHANNELS),
  state: stateSchema.nullish(),
  input: z
    .union([
      z.object({ text: z.string().max(2000), digits: z.string().regex(/^[0-9*#]{1,8}$/).optional(), button: z.string().max(64).optional() }),
      z.object({ event: z.enum(['no_reply', 'unanswered', 'voicemail']) }),
    ])
    .optional(),
});

export function flowsRoutes(s: Services): Router {
  const router = express.Router();
  const admin = new FlowsAdmin({ db: s.store.db, registry: s.flows });
  const manager = requireRole('manager');
  const actor = (req: express.Request) => req.principal!.id;

  router.get('/api/flows', manager, async (_req, res) => {
    res.json({ flows: await admin.list() });
  });

  router.get('/api/flows/audit', manager, async (req, res) => {
    const q = parseWith(auditQuery, req.query, 'query');
    res.json({ events: await admin.auditLog(q.flowId) });
  });

  router.post('/api/flows/check', manager, async (req, res) => {
    const b = parseWith(checkBody, req.body, 'check request');
    const { resolved, ...r } = await admin.check(b.yaml, b.flowId);
    res.json({ ...r, graph: buildFlowGraph(b.yaml, r.issues, resolved) });
  });

  router.get('/api/flows/:id', manager, async (req, res) => {
    const { id } = parseWith(idParams, req.params, 'flow id');
    const flow = await admin.get(id);
    const check = checkDraft(flow.yaml, { flowId: id, base: (b) => s.flows.source(b) });
    res.json({ flow, issues: check.issues, graph: buildFlowGraph(flow.yaml, check.issues, check.resolved) });
  });

  router.get('/api/flows/:id/versions/:version', manager, async (req, res) => {
    const p = parseWith(versionParams, req.params, 'flow version');
    res.json({ flowId: p.id, version: p.version, yaml: await admin.versionYaml(p.id, p.version) });
  });

  // Per-step figures of a version with its graph: the managers' graph draws them on the states.
  router.get('/api/flows/:id/versions/:version/steps', manager, async (req, res) => {
    const p = parseWith(versionParams, req.params, 'flow version');
    const yaml = await admin.versionYaml(p.id, p.version);
    // A flow that extends a base is drawn whole (resolved against the base), as conversations ran it.
    const ran = s.flows.version(p.id, p.version);
    const resolved = ran?.inheritance ? { raw: ran.def as unknown as Record<string, unknown>, inheritance: ran.inheritance } : undefined;
    res.json({ ...(await stepAnalytics(s.store.db, p.id, p.version)), graph: buildFlowGraph(yaml, [], resolved) });
  });

  router.put('/api/flows/:id/draft', manager, async (req, res) => {
    const { id } = parseWith(idParams, req.params, 'flow id');
    const b = parseWith(draftBody, req.body, 'draft');
    res.json(await admin.saveDraft(id, b.yaml, actor(req)));
  });

  router.delete('/api/flows/:id/draft', manager, async (req, res) => {
    const { id } = parseWith(idParams, req.params, 'flow id');
    await admin.discardDraft(id, actor(req));
    res.status(204).end();
  });

  router.get('/api/flows/:id/diff', manager, async (req, res) => {
    const { id } = parseWith(idParams, req.params, 'flow id');
    const q = parseWith(diffQuery, req.query, 'query');
    res.json(await admin.diff(id, q.from, q.to));
  });

  router.post('/api/flows/:id/publish', manager, async (req, res) => {
    const { id } = parseWith(idParams, req.params, 'flow id');
    res.json(await admin.publish(id, actor(req)));
  });

  router.post('/api/flows/:id/rollback', manager, async (req, res) => {
    const { id } = parseWith(idParams, req.params, 'flow id');
    const b = parseWith(rollbackBody, req.body, 'rollback request');
    res.json(await admin.rollback(id, b.version, actor(req)));
  });

  router.get('/api/flows/:id/export', manager, async (req, res) => {
    const { id } = parseWith(idParams, req.params, 'flow id');
    const q = parseWith(exportQuery, req.query, 'query');
    const { version, yaml } = await admin.exportYaml(id, q.version);
    res.type('application/yaml; charset=utf-8').attachment(`${id}.yaml`).set('X-Flow-Version', String(version)).send(yaml);
  });

  // One turn of the draft in the browser: nothing is stored; the console sends the state back each turn.
  router.post('/api/flows/:id/try', manager, async (req, res) => {
    const { id } = parseWith(idParams, req.params, 'flow id');
    const b = parseWith(tryBody, req.body, 'try request');
    const checked = checkDraft(b.yaml, { flowId: id, version: b.state?.flowVersion ?? 1, base: (base) => s.flows.source(base) });
    if (!checked.flow) {
      const first = checked.issues.find((i) => i.severity === 'error');
      throw new ValidationError(`the draft cannot run until its errors are fixed${first ? `: ${first.message}` : ''}`, { issues: checked.issues });
    }
    // A state id of the conversation the console sent must be one of the draft's own (not an Object.prototype name).
    if (b.state && !Object.hasOwn(checked.flow.states, b.state.stateId)) {
      const known = Object.keys(checked.flow.states);
      throw new AppError(400, 'unknown_state', `state '${b.state.stateId.slice(0, 64)}' is not in this draft (it has ${known.slice(0, 20).join(', ')}${known.length > 20 ? ', …' : ''}): start the conversation again`);
    }
    const classifier = await s.classifier.get();
    const turn = tryTurn(checked.flow, (b.state ?? undefined) as ConversationState | undefined, b.input, {
      locale: b.locale,
      channel: b.channel,
      centre: s.config.centre,
      voices: { zh: s.config.twilio.voiceZh, en: s.config.twilio.voiceEn },
      classify: (text, locale) => timedClassify(() => classifier.classify(text, locale)),
    });
    res.json(turn);
  });

  return router;
}
