// Runs the conversations in flows/tests/<flowId>.yaml and measures which transitions they exercise.
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { INTENTS } from '../../nlu-models/src/intents';
import type { CompiledFlow } from './compiled';
import { startConversation, step } from './step';
import { SAMPLE_VARS_BY_LOCALE, fillTemplate } from './template';
import type { ConversationState, FlowAction, FlowContext, FlowEvent, FlowFacts } from './types';
import { CHANNELS, LOCALES, RISK_LEVELS } from './vocabulary';

const FactsSchema = z
  .object({ riskLevel: z.enum(RISK_LEVELS), warningCount: z.number().int().min(0), attemptCount: z.number().int().min(0) })
  .partial()
  .strict();
const VarsSchema = z.record(z.string(), z.union([z.string(), z.number()]));
const ReplySchema = z.union([
  z.enum(INTENTS),
  z
    .object({
      intent: z.enum(INTENTS),
      confidence: z.number().min(0).max(1).optional(),
      lowConfidence: z.boolean().optional(),
      text: z.string().optional(),
      digits: z.string().optional(),
      button: z.string().optional(),
      payment: z.object({ amounts: z.array(z.number()), methods: z.array(z.string()), times: z.array(z.string()) }).partial().optional(),
    })
    .strict(),
]);
const TurnSchema = z
  .object({
    reply: ReplySchema.optional(),
    event: z.enum(['no_reply', 'unanswered', 'voicemail']).optional(),
    repeat: z.number().int().min(1).optional().describe('Send the same input this many times; expectations apply to the last.'),
    facts: FactsSchema.optional(),
    state: z.string().optional(),
    actions: z.array(z.record(z.string(), z.unknown())).optional().describe('Exactly these actions, in order; each lists the fields to compare.'),
    ended: z.boolean().optional(),
    says: z.string().optional().describe('Text the prompts must contain (templates filled).'),
  })
  .strict()
  .refine((t) => Boolean(t.reply) !== Boolean(t.event), 'give exactly one of reply or event');
const ContextSchema = z
  .object({ channel: z.enum(CHANNELS).optional(), locale: z.enum(LOCALES).optional(), facts: FactsSchema.optional(), vars: VarsSchema.optional() })
  .strict();
export const FlowTestFileSchema = z
  .object({
    flow: z.string(),
    context: ContextSchema.optional(),
    conversations: z.array(ContextSchema.extend({ name: z.string(), turns: z.array(TurnSchema).min(1) }).strict()).min(1),
  })
  .strict();
type Turn = z.infer<typeof TurnSchema>;

export interface FlowTestFailure {
  file: string;
  conversation: string;
  turn?: number;
  message: string;
}

export interface FlowCoverage {
  flowId: string;
  version: number;
  conversations: number;
  covered: number;
  total: number;
  missing: string[];
}

export interface FlowTestReport {
  failures: FlowTestFailure[];
  coverage: FlowCoverage[];
}

export const FLOW_TESTS_DIR = path.resolve(__dirname, '..', 'tests');

/**
 * Runs every test file against the flows it names (and the flows extending them). With onlyTheseFlows
 * (the console checking one draft), files naming other flows are skipped instead of failing.
 */
export function runFlowTests(flows: Map<string, CompiledFlow>, dir: string = FLOW_TESTS_DIR, opts: { onlyTheseFlows?: boolean } = {}): FlowTestReport {
  const failures: FlowTestFailure[] = [];
  const exercised = new Map<string, Set<string>>();
  const conversations = new Map<string, number>();
  for (const id of flows.keys()) exercised.set(id, new Set()), conversations.set(id, 0);
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort() : [];

  for (const name of files) {
    const file = path.relative(process.cwd(), path.join(dir, name));
    let parsed: z.infer<typeof FlowTestFileSchema>;
    try {
      const r = FlowTestFileSchema.safeParse(parseYaml(fs.readFileSync(path.join(dir, name), 'utf8')));
      if (!r.success) {
        for (const i of r.error.issues) failures.push({ file, conversation: '-', message: `${i.path.join('.')}: ${i.message}` });
        continue;
      }
      parsed = r.data;
    } catch (e) {
      failures.push({ file, conversation: '-', message: `YAML: ${(e as Error).message.split('\n')[0]}` });
      continue;
    }
    // A base flow's conversations also run on every flow that extends it: they share its graph.
    const targets = [...flows.values()].filter((f) => f.id === parsed.flow || f.base?.id === parsed.flow);
    if (!targets.length) {
      if (!opts.onlyTheseFlows) failures.push({ file, conversation: '-', message: `flow '${parsed.flow}' does not exist or failed its checks` });
      continue;
    }
    for (const flow of targets) {
      for (const conv of parsed.conversations) {
        conversations.set(flow.id, (conversations.get(flow.id) ?? 0) + 1);
        const ctx = contextFor(parsed.context, conv);
        const seen = exercised.get(flow.id)!;
        const name = flow.id === parsed.flow ? conv.name : `${conv.name} (on ${flow.id}, which extends ${parsed.flow})`;
        const fail = (turn: number | undefined, message: string) => failures.push({ file, conversation: name, turn, message });
        try {
          runConversation(flow, ctx, conv.turns, seen, fail);
        } catch (e) {
          fail(undefined, `threw ${(e as Error).message}`);
        }
      }
    }
  }

  const coverage: FlowCoverage[] = [...flows.values()].map((f) => {
    const seen = exercised.get(f.id)!;
    const missing = f.transitions.map((t) => t.id).filter((id) => !seen.has(id));
    return { flowId: f.id, version: f.version, conversations: conversations.get(f.id) ?? 0, covered: f.transitions.length - missing.length, total: f.transitions.length, missing };
  });
  return { failures, coverage };
}

type Ctx = z.infer<typeof ContextSchema>;
function contextFor(base: Ctx | undefined, conv: Ctx): FlowContext {
  const channel = conv.channel ?? base?.channel ?? 'sms';
  const facts: FlowFacts = { riskLevel: 'medium', warningCount: 1, attemptCount: 1, ...base?.facts, ...conv.facts, channel };
  const locale = conv.locale ?? base?.locale ?? 'zh';
  return { channel, locale, vars: { ...SAMPLE_VARS_BY_LOCALE[locale], ...base?.vars, ...conv.vars }, facts };
}

function eventOf(t: Turn): FlowEvent {
  if (t.event) return { type: t.event };
  const r = typeof t.reply === 'string' ? { intent: t.reply } : t.reply!;
  const lowConfidence = r.lowConfidence ?? (r.confidence !== undefined && r.confidence < 0.5);
  return {
    type: 'reply',
    intent: r.intent,
    confidence: r.confidence ?? (lowConfidence ? 0.3 : 0.9),
    lowConfidence,
    text: r.text ?? '',
    ...(r.digits ? { digits: r.digits } : {}),
    ...(r.button ? { button: r.button } : {}),
    ...(r.payment ? { payment: { amounts: [], methods: [], times: [], ...r.payment } } : {}),
  };
}

function runConversation(flow: CompiledFlow, ctx0: FlowContext, turns: Turn[], seen: Set<string>, fail: (turn: number | undefined, m: string) => void) {
  let state: ConversationState = startConversation(flow, ctx0).state;
  turns.forEach((t, i) => {
    const ctx = t.facts ? { ...ctx0, facts: { ...ctx0.facts, ...t.facts } } : ctx0;
    let last;
    for (let n = 0; n < (t.repeat ?? 1); n++) {
      last = step(flow, state, eventOf(t), ctx);
      state = last.state;
      if (last.transition) seen.add(last.transition);
    }
    const r = last!;
    const n = i + 1;
    if (t.state !== undefined && r.state.stateId !== t.state) fail(n, `expected state '${t.state}', got '${r.state.stateId}' (via ${r.transition ?? 'no transition'})`);
    if (t.ended !== undefined && r.state.ended !== t.ended) fail(n, `expected ended: ${t.ended}, got ${r.state.ended}`);
    if (t.actions !== undefined && !actionsMatch(r.actions, t.actions)) {
      fail(n, `expected actions ${JSON.stringify(t.actions)}, got ${JSON.stringify(r.actions)}`);
    }
    if (t.says !== undefined) {
      const want = fillTemplate(t.says, ctx.vars);
      const text = r.prompts.map((p) => p.text).join('\n');
      if (!text.includes(want)) fail(n, `expected the prompts to contain "${want}", got "${text}"`);
    }
  });
}

function actionsMatch(got: FlowAction[], want: Record<string, unknown>[]): boolean {
  return got.length === want.length && want.every((w, i) => Object.entries(w).every(([k, v]) => (got[i] as Record<string, unknown>)[k] === v));
}
