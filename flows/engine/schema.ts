// The flow format. flows/schema.json is generated from these types (npm run flows:schema),
// so an editor and the server validate a flow identically.
import { z } from 'zod';
import { INTENTS } from '../../nlu-models/src/intents';
import { ACTION_NAMES, ACTION_PARAMS, GUARD_NAMES, GUARD_PARAMS } from './registry';
import { CHANNELS, LOCALES } from './vocabulary';

export const EVENTS = ['no_reply', 'unanswered', 'voicemail', 'low_confidence', 'turn_limit'] as const;
export type FlowEventName = (typeof EVENTS)[number];
export const TRIGGERS = [...INTENTS, ...EVENTS] as const;
export type Trigger = (typeof TRIGGERS)[number];

const id = z.string().regex(/^[a-z][a-z0-9_]*$/, 'use lower_snake_case: letters, digits, _');

const PerLocaleSchema = z.object({ zh: z.string().min(1).optional(), en: z.string().min(1).optional() }).strict();

export const LocaleTextSchema = PerLocaleSchema.extend({
  voice: PerLocaleSchema.optional().describe('Spoken on calls instead of the plain text.'),
  written: PerLocaleSchema.optional().describe('Sent by SMS and Telegram instead of the plain text (a text cannot be "hung up").'),
  sms: PerLocaleSchema.optional().describe('Sent by SMS instead (before written).'),
  telegram: PerLocaleSchema.optional().describe('Sent by Telegram instead (before written).'),
})
  .strict()
  .describe(
    'Text per locale, optionally per channel. Templates: {name} {amount} {centre_name} {callback_number} {case_ref} {scam_type} {precinct} {relative_relation}, and the flow\'s phrases. {x|fallback} uses the fallback when x is empty; an empty {x} also drops the space before it.',
  );
export type LocaleText = z.infer<typeof LocaleTextSchema>;

const withType = <N extends string>(name: N, params: z.ZodObject) =>
  z.object({ type: z.literal(name), ...params.shape }).strict().describe(params.description ?? name);

export const GuardSchema = z
  .discriminatedUnion(
    'type',
    GUARD_NAMES.map((n) => withType(n, GUARD_PARAMS[n])) as unknown as [z.ZodObject, ...z.ZodObject[]],
  )
  .describe('A named condition; the transition is taken only when it holds.');
export type GuardRef = { type: string } & Record<string, unknown>;

export const ActionSchema = z
  .discriminatedUnion(
    'type',
    ACTION_NAMES.map((n) => withType(n, ACTION_PARAMS[n])) as unknown as [z.ZodObject, ...z.ZodObject[]],
  )
  .describe('A named action with its parameters.');
export type ActionRef = { type: string } & Record<string, unknown>;

export const TransitionSchema = z
  .object({
    target: id.optional().describe('Next state. Omitted: stay in this state and ask again.'),
    guard: GuardSchema.optional(),
    actions: z.array(ActionSchema).optional(),
    say: LocaleTextSchema.optional().describe("Said before the target state's prompt (e.g. the answer to a question)."),
  })
  .strict();
export type Transition = { target?: string; guard?: GuardRef; actions?: ActionRef[]; say?: LocaleText };

export const TransitionSpecSchema = z
  .union([id.describe('Shorthand for { target: <state> }.'), TransitionSchema, z.array(TransitionSchema).min(1)])
  .describe('One transition, or a list tried in order: the first whose guard holds is taken.');

const TransitionsSchema = z
  .partialRecord(z.enum(TRIGGERS), TransitionSpecSchema)
  .describe('Transitions by reply intent or event.');

export const OptionSchema = z
  .object({
    key: z.string().regex(/^[0-9]$/, 'a single digit 0-9 (a phone key)'),
    intent: z.enum(INTENTS),
    label: LocaleTextSchema,
  })
  .strict();

const HintsSchema = z
  .object({ zh: z.array(z.string()).optional(), en: z.array(z.string()).optional() })
  .strict()
  .describe('Speech-recognition hints per locale (voice).');

export const StateSchema = z
  .object({
    note: z.string().optional().describe('For readers of this file; never sent.'),
    say: LocaleTextSchema,
    reprompt: LocaleTextSchema.optional().describe('Said instead of say when the state asks again.'),
    expects: z.enum(['free', 'yes_no', 'choice']).optional().describe("Default: 'choice' when options are given, else 'free'."),
    yes: z.enum(INTENTS).optional().describe('expects: yes_no — the intent a yes means.'),
    no: z.enum(INTENTS).optional().describe('expects: yes_no — the intent a no means.'),
    options: z.array(OptionSchema).optional().describe('Numbered answers: phone keys on voice, "reply 1" on SMS, buttons on Telegram.'),
    hints: HintsSchema.optional(),
    asks: z
      .string()
      .regex(/^[a-z][a-z0-9_]*$/)
      .optional()
      .describe("The slot this state asks for (amount, method, time, account…). Skipped when the slot is already known; an answer is read as that slot first, then the state's default: is taken."),
    entry: z.array(ActionSchema).optional().describe('Actions run when the state is entered.'),
    hangup: z.boolean().optional().describe('Close the contact after this prompt (voice hangs up); replies are still routed.'),
    noReplySeconds: z.number().int().min(1).optional(),
    on: TransitionsSchema.optional(),
    default: TransitionSpecSchema.optional().describe('Taken for any intent without its own transition.'),
  })
  .strict();

const NoReplySecondsSchema = z
  .object(Object.fromEntries(CHANNELS.map((c) => [c, z.number().int().min(1).optional()])) as Record<(typeof CHANNELS)[number], z.ZodOptional<z.ZodNumber>>)
  .strict();

export const FlowSchema = z
  .object({
    $schema: z.string().optional(),
    id,
    version: z.number().int().min(1).optional().describe('Default 1; the server may assign its own on publish.'),
    title: z.string().min(1),
    description: z.string().optional(),
    locales: z.array(z.enum(LOCALES)).min(1).describe('Every text must exist in each of these.'),
    start: id,
    limits: z
      .object({
        maxTurns: z.number().int().min(1).optional().describe('After this many replies/silences, the next one raises turn_limit.'),
        noReplySeconds: NoReplySecondsSchema.optional().describe('Default: voice 10, sms 1800, telegram 1800.'),
      })
      .strict()
      .optional(),
    phrases: z
      .record(id, LocaleTextSchema)
      .optional()
      .describe('Named pieces of text the prompts use as {name}; a flow that extends this one can change a phrase instead of whole prompts.'),
    on: TransitionsSchema.optional().describe('Transitions shared by every state that does not define its own for that trigger.'),
    default: TransitionSpecSchema.optional().describe('Shared default, after the state default.'),
    states: z.record(id, StateSchema),
  })
  .strict();

// A flow that `extends` another lists only what differs (see extends.ts): every key optional, null removes.
const OverrideTransitionsSchema = z
  .partialRecord(z.enum(TRIGGERS), TransitionSpecSchema.nullable())
  .describe('Transitions by trigger; each replaces the base flow\'s for that trigger, null removes it.');
const overrideState = Object.fromEntries(
  Object.entries(StateSchema.shape).map(([k, v]) => [k, k === 'on' ? OverrideTransitionsSchema.nullable().optional() : (v as z.ZodType).nullable().optional()]),
);
export const OverrideStateSchema = z.object(overrideState).strict().describe('Keys given replace the base state\'s; `on:` is merged by trigger; null removes a key.');

export const FlowOverrideSchema = z
  .object({
    $schema: z.string().optional(),
    extends: id.describe('The base flow this one inherits from; only what differs is written here.'),
    id,
    version: z.number().int().min(1).optional(),
    title: z.string().min(1).optional(),
    description: z.string().optional(),
    locales: z.array(z.enum(LOCALES)).min(1).optional(),
    start: id.optional(),
    limits: FlowSchema.shape.limits.nullable(),
    phrases: z.record(id, LocaleTextSchema.nullable()).optional().describe("Phrases given replace the base flow's; null removes one."),
    on: OverrideTransitionsSchema.nullable().optional(),
    default: TransitionSpecSchema.nullable().optional(),
    states: z.record(id, OverrideStateSchema.nullable()).optional().describe('A new id adds a state; an existing one is merged with the base state; null removes it.'),
  })
  .strict();

export type TransitionSpec = string | Transition | Transition[];
export type StateDef = Omit<z.infer<typeof StateSchema>, 'on' | 'default' | 'entry'> & {
  on?: Partial<Record<Trigger, TransitionSpec>>;
  default?: TransitionSpec;
  entry?: ActionRef[];
};
export type FlowDef = Omit<z.infer<typeof FlowSchema>, 'on' | 'default' | 'states'> & {
  on?: Partial<Record<Trigger, TransitionSpec>>;
  default?: TransitionSpec;
  states: Record<string, StateDef>;
};

export function flowJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(z.union([FlowSchema, FlowOverrideSchema]), { io: 'input' }),
    $id: 'https://quanzu.local/flows/schema.json',
    title: 'quanzu dialogue flow',
  };
}
