// The format of flows/tests/journeys/*.yaml: a citizen's whole conversation on one channel and in one
// language, checked by what each answer is for (its state, the intent heard, slots, handoffs), never by
// its exact words. `npm run flows:test` runs them on the engine with the real classifier; `npm test`
// runs them through the local phone network and the real app (tests/e2e/journeys.test.ts).
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { INTENTS } from '../../nlu-models/src/intents';
import { CHANNELS, HANDOFF_REASONS, LOCALES, OUTCOMES, SCAM_TYPES } from './vocabulary';

/** How a reply's meaning was decided: a menu option chosen, a slot question answered, or the classifier. */
export const DECIDED_BY = ['option', 'slot', 'classifier'] as const;
export type DecidedBy = (typeof DECIDED_BY)[number];

const pattern = z.string().min(1).describe('A regular expression (case-insensitive).');

export const JourneyExpectSchema = z
  .object({
    state: z.string().optional().describe('The state whose prompt answers this turn (the last prompt sent).'),
    understood: z.enum(INTENTS).optional().describe("The intent recorded for the citizen's reply."),
    by: z.enum(DECIDED_BY).optional().describe('How that intent was decided.'),
    slots: z.record(z.string(), z.string()).optional().describe('These slots hold these values (others may exist too).'),
    handoff: z
      .union([z.literal('none'), z.enum(HANDOFF_REASONS)])
      .optional()
      .describe("The reason of the case's handoff now (the most urgent one), or none."),
    priority: z.number().int().optional().describe("The handoff's priority."),
    ended: z.boolean().optional().describe('The conversation has ended.'),
    outcome: z.enum(OUTCOMES).optional(),
    language: z.enum(LOCALES).optional().describe('The answer is written or spoken in this language.'),
    mentions: z.array(pattern).optional().describe('The answer must match each of these (wording rules, not exact text).'),
    avoids: z.array(pattern).optional().describe('The answer must match none of these.'),
    silent: z.boolean().optional().describe('Nothing is sent back for this turn.'),
  })
  .strict();
export type JourneyExpect = z.infer<typeof JourneyExpectSchema>;

export const JourneyTurnSchema = z
  .object({
    send: z.string().optional().describe('The citizen writes this (SMS, Telegram) or says it (voice).'),
    press: z.string().optional().describe('Telegram: tap the button with this label. Voice: press these keys.'),
    command: z.string().regex(/^\/[a-z]+$/).optional().describe('Telegram: send this command, e.g. /help.'),
    deskCall: z.literal(true).optional().describe("An officer takes the case and calls the citizen: the officer's phone rings first."),
    note: z.string().optional(),
    expect: JourneyExpectSchema.optional(),
  })
  .strict()
  .refine((t) => [t.send, t.press, t.command, t.deskCall].filter((x) => x !== undefined).length === 1, 'give exactly one of send, press, command or deskCall');
export type JourneyTurn = z.infer<typeof JourneyTurnSchema>;

export const JourneySchema = z
  .object({
    journey: z.string().min(1).describe('What the citizen does, in one sentence.'),
    catches: z.string().optional().describe('The failure (from issue #12 "Why") this journey reproduced on the code before the fix.'),
    channel: z.enum(CHANNELS),
    locale: z.enum(LOCALES),
    warning: z
      .object({
        scamType: z.enum(SCAM_TYPES).optional(),
        name: z.string().max(100).optional(),
        amount: z.number().optional(),
        telegramLanguage: z.string().optional().describe("Telegram: the citizen's app language (Telegram's language_code)."),
      })
      .strict()
      .optional(),
    first: JourneyExpectSchema.optional().describe('The first message (the warning).'),
    turns: z.array(JourneyTurnSchema),
  })
  .strict();
export type Journey = z.infer<typeof JourneySchema>;

export const JOURNEYS_DIR = path.resolve(__dirname, '..', 'tests', 'journeys');

export interface LoadedJourney {
  file: string;
  journey: Journey;
}

/** Every journey file, parsed; a file that does not match the format is a failure naming the field. */
export function loadJourneys(dir: string = JOURNEYS_DIR): { journeys: LoadedJourney[]; errors: { file: string; message: string }[] } {
  const journeys: LoadedJourney[] = [];
  const errors: { file: string; message: string }[] = [];
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort() : [];
  for (const name of files) {
    const file = path.relative(process.cwd(), path.join(dir, name));
    let raw: unknown;
    try {
      raw = parseYaml(fs.readFileSync(path.join(dir, name), 'utf8'));
    } catch (e) {
      errors.push({ file, message: `YAML: ${(e as Error).message.split('\n')[0]}` });
      continue;
    }
    const r = JourneySchema.safeParse(raw);
    if (!r.success) {
      for (const i of r.error.issues) errors.push({ file, message: `${i.path.join('.') || '(top level)'}: ${i.message}` });
      continue;
    }
    journeys.push({ file, journey: r.data });
  }
  return { journeys, errors };
}

/** What a turn observed, in the shape both runners report. */
export interface Observed {
  state?: string;
  understood?: string;
  by?: DecidedBy;
  slots: Record<string, string>;
  handoff: string;
  priority?: number;
  ended: boolean;
  outcome?: string;
  text?: string;
}

/** zh when Chinese characters carry the text (a Chinese name inside an English text does not make it Chinese). */
export function languageOf(text: string): 'zh' | 'en' {
  const cjk = (text.match(/[\u3400-\u9fff]/g) ?? []).length;
  const latin = (text.match(/[A-Za-z]/g) ?? []).length;
  return cjk * 3 > latin ? 'zh' : 'en';
}

/** The differences between what a turn expected and what it observed; empty when the turn held. */
export function compareTurn(want: JourneyExpect | undefined, got: Observed): string[] {
  if (!want) return [];
  const out: string[] = [];
  const eq = (what: string, w: unknown, g: unknown) => {
    if (w !== undefined && w !== g) out.push(`${what}: expected ${JSON.stringify(w)}, got ${JSON.stringify(g)}`);
  };
  if (want.silent) {
    if (got.text) out.push(`expected no answer, got "${got.text}"`);
  } else if (want.silent === false || want.state || want.mentions || want.avoids || want.language) {
    if (!got.text) out.push('expected an answer, got none');
  }
  eq('state', want.state, got.state);
  eq('understood as', want.understood, got.understood);
  eq('decided by', want.by, got.by ?? 'classifier');
  for (const [k, v] of Object.entries(want.slots ?? {})) eq(`slot ${k}`, v, got.slots[k]);
  eq('handoff', want.handoff, got.handoff);
  eq('handoff priority', want.priority, got.priority);
  eq('ended', want.ended, got.ended);
  eq('outcome', want.outcome, got.outcome);
  const text = got.text ?? '';
  if (want.language && text) {
    const lang = languageOf(text);
    if (lang !== want.language) out.push(`language: expected ${want.language}, got ${lang} in "${text.slice(0, 120)}"`);
  }
  for (const p of want.mentions ?? []) if (!new RegExp(p, 'i').test(text)) out.push(`expected the answer to match /${p}/: "${text.slice(0, 300)}"`);
  for (const p of want.avoids ?? []) if (new RegExp(p, 'i').test(text)) out.push(`expected the answer not to match /${p}/: "${text.slice(0, 300)}"`);
  return out;
}
