// The message catalogue: every system text outside the flows (menus, Telegram commands, voice system
// prompts, the officer's bridge call, opt-out answers), in every locale, chosen by the case's locale.
// The texts live in flows/messages/catalogue.yaml; the ids and the placeholders each may use are this
// file's contract with the code that sends them.
import fs from 'node:fs';
import path from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { fillTemplate, templateVariables } from './template';
import type { CheckIssue } from './types';
import { LOCALES, type Locale } from './vocabulary';

export const MESSAGES = {
  'menu.sms_line': ['key', 'label'],
  'menu.voice_line': ['key', 'label'],
  'menu.voice_human_key': ['key'],
  'menu.yes': [],
  'menu.no': [],
  'telegram.bind_ask': [],
  'telegram.share_button': [],
  'telegram.bound': ['case_ref'],
  'telegram.mismatch': [],
  'telegram.unknown_code': [],
  'telegram.help': ['callback_number'],
  'telegram.human': [],
  'telegram.no_case': [],
  'voice.connecting_officer': [],
  'voice.goodbye': [],
  'voice.voicemail': ['centre_name', 'callback_number', 'case_ref'],
  'desk.bridge_intro': ['centre_name', 'case_ref'],
  'sms.opted_out': ['callback_number'],
  'sms.opted_in': ['callback_number'],
} as const satisfies Record<string, readonly string[]>;
export type MessageId = keyof typeof MESSAGES;
export const MESSAGE_IDS = Object.keys(MESSAGES) as MessageId[];

export type Catalogue = Record<MessageId, Record<Locale, string>>;

export const CATALOGUE_FILE = path.resolve(__dirname, '..', 'messages', 'catalogue.yaml');

const LINK = /https?:|www\.|\b[a-z0-9-]+\.(?:com|cn|net|org|top|xyz|io|me|cc|vip|app|link)\b/i;

/** Reads and checks a catalogue; the catalogue is undefined when any error was found. */
export function parseCatalogue(text: string, file: string): { catalogue?: Catalogue; issues: CheckIssue[] } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const issue = (rule: string, message: string, fix: string, at?: (string | number)[]): CheckIssue => {
    const node = at ? (doc.getIn(at, true) as { range?: [number, number, number] } | undefined) : undefined;
    return { severity: 'error', file, ...(node?.range ? { line: lines.linePos(node.range[0]).line } : {}), rule, message, fix };
  };
  if (doc.errors.length) return { issues: doc.errors.map((e) => issue('yaml_syntax', `YAML syntax: ${e.message.split('\n')[0]}`, 'check indentation and quoting')) };
  const raw = doc.toJS() as Record<string, Record<string, Record<string, unknown>>> | null;
  const issues: CheckIssue[] = [];
  const out: Partial<Catalogue> = {};
  const seen = new Set<string>();
  for (const [group, entries] of Object.entries(raw ?? {})) {
    for (const [name, texts] of Object.entries(entries ?? {})) {
      const id = `${group}.${name}`;
      seen.add(id);
      if (!(id in MESSAGES)) {
        issues.push(issue('unknown_message', `message '${id}' is not one the code sends`, `use one of: ${MESSAGE_IDS.join(', ')}`, [group, name]));
        continue;
      }
      const allowed = MESSAGES[id as MessageId] as readonly string[];
      const byLocale = {} as Record<Locale, string>;
      for (const locale of LOCALES) {
        const t = (texts as Record<string, unknown> | null)?.[locale];
        if (typeof t !== 'string' || !t) {
          issues.push(issue('missing_locale_text', `no '${locale}' text for message '${id}'`, `add ${locale}: "…"`, [group, name]));
          continue;
        }
        for (const v of templateVariables(t)) if (!allowed.includes(v)) issues.push(issue('unknown_template_variable', `unknown placeholder {${v}} in ${id}.${locale}`, allowed.length ? `use ${allowed.map((a) => `{${a}}`).join(' ')}` : 'this message takes no placeholders', [group, name, locale]));
        const link = LINK.exec(t);
        if (link) issues.push(issue('link_in_text', `link "${link[0]}" in ${id}.${locale}: we never send links`, 'remove the link; name the call-back number instead', [group, name, locale]));
        byLocale[locale] = t;
      }
      out[id as MessageId] = byLocale;
    }
  }
  for (const id of MESSAGE_IDS) if (!seen.has(id)) issues.push(issue('missing_message', `message '${id}' is missing`, `add ${id.split('.')[1]}: { zh: "…", en: "…" } under ${id.split('.')[0]}:`));
  return issues.length ? { issues } : { catalogue: out as Catalogue, issues };
}

let loaded: Catalogue | undefined;

/** The shipped catalogue, read once; throws (at start, or in flows:check) when it has errors. */
export function catalogue(): Catalogue {
  if (loaded) return loaded;
  const file = path.relative(process.cwd(), CATALOGUE_FILE) || CATALOGUE_FILE;
  const r = parseCatalogue(fs.readFileSync(CATALOGUE_FILE, 'utf8'), file);
  if (!r.catalogue) throw new Error(`the message catalogue has ${r.issues.length} error(s):\n${r.issues.map((i) => `  ${i.file}${i.line ? `:${i.line}` : ''}: ${i.message} (${i.fix})`).join('\n')}`);
  return (loaded = r.catalogue);
}

/** One system text in this locale, its placeholders filled. */
export function systemText(id: MessageId, locale: Locale, vars: Record<string, string | number | undefined> = {}): string {
  return fillTemplate(catalogue()[id][locale], vars);
}

/** The locale of a case ('en' or 'zh'), as stored. */
export const caseLocale = (c: { locale: string | null | undefined }): Locale => (c.locale === 'en' ? 'en' : 'zh');
