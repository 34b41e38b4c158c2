// The consoles' catalogue covers the code's vocabulary in both languages: every intent, scam type, risk,
// handoff reason, outcome, channel, cue rule, state and event of the shipped scripts, timeline event and
// server error id has a Chinese and an English label, and both languages hold the same labels with the
// same placeholders.
import fs from 'node:fs';
import path from 'node:path';
import { loadFlowsDir } from '../../../flows/engine';
import { INTENTS } from '../../../nlu-models/src/intents';
import { CUE_RULES } from '../../../nlu-models/src/cues';
import { CHANNELS, HANDOFF_REASONS, LOCALES, OUTCOMES, RISK_LEVELS, SCAM_TYPES } from '../../../flows/engine/vocabulary';
import { TIMELINE_ACTIONS } from '../../../server/people/case-view';
import { STOP_PAYMENT_COLUMNS } from '../../../server/people/stop-payment';
import { MESSAGES, STOP_PAYMENT_HEADERS, VOCABULARY, localTimeWithOffset, timeZoneOf, translate, type VocabularyKind } from '../../../web/i18n';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const CJK = /[\u3400-\u9fff]/;

function expectLabelled(kind: VocabularyKind, values: readonly string[]): void {
  const table = VOCABULARY[kind] as Record<string, { zh: string; en: string } | undefined>;
  const missing = values.filter((v) => !table[v]?.zh?.trim() || !table[v]?.en?.trim());
  expect({ kind, missing }).toEqual({ kind, missing: [] });
  // Chinese labels are Chinese (brand names such as Telegram excepted); English ones are not.
  const notChinese = values.filter((v) => !CJK.test(table[v]!.zh) && table[v]!.zh !== table[v]!.en);
  expect({ kind, notChinese }).toEqual({ kind, notChinese: [] });
  expect({ kind, chineseInEnglish: values.filter((v) => CJK.test(table[v]!.en)) }).toEqual({ kind, chineseInEnglish: [] });
}

// The scripts as they run: inheritance (extends) resolved, as the checker and the registry see them.
const shippedFlows = [...loadFlowsDir().flows.values()].map((f) => ({
  id: f.id,
  states: f.states,
  on: f.on,
})) as { id: string; states: Record<string, { on?: Record<string, unknown> }>; on?: Record<string, unknown> }[];

describe('the consoles\u2019 vocabulary labels', () => {
  it('names every value of the typed vocabulary in zh and en', () => {
    expectLabelled('intent', INTENTS);
    expectLabelled('scamType', SCAM_TYPES);
    expectLabelled('risk', RISK_LEVELS);
    expectLabelled('reason', HANDOFF_REASONS);
    expectLabelled('outcome', OUTCOMES);
    expectLabelled('channel', CHANNELS);
    expectLabelled('language', LOCALES);
  });

  it('names every cue rule of the classifier', () => {
    expect(CUE_RULES.length).toBeGreaterThan(5);
    expectLabelled('cue', CUE_RULES.map((c) => c.name));
  });

  it('names every state and every event of the shipped scripts', () => {
    expect(shippedFlows.length).toBeGreaterThan(10);
    expectLabelled('flowState', [...new Set(shippedFlows.flatMap((f) => Object.keys(f.states)))]);
    const events = new Set<string>();
    for (const f of shippedFlows) {
      for (const e of Object.keys(f.on ?? {})) events.add(e);
      for (const st of Object.values(f.states)) for (const e of Object.keys(st.on ?? {})) events.add(e);
    }
    expectLabelled('flowEvent', [...events]);
  });

  it('names every event the desk timeline shows', () => {
    expectLabelled('timelineEvent', [...TIMELINE_ACTIONS]);
  });

  it('has a message for every error id the server answers with', () => {
    const ids = new Set<string>();
    const scan = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, entry.name);
        if (entry.isDirectory()) scan(p);
        else if (p.endsWith('.ts')) for (const m of fs.readFileSync(p, 'utf8').matchAll(/(?:super|AppError)\(\s*\d{3},\s*'([a-z_]+)'/g)) ids.add(m[1]!);
      }
    };
    scan(path.join(ROOT, 'server'));
    // The body parser's and the last-resort ids of the error middleware.
    for (const id of ['malformed_body', 'body_too_large', 'unsupported_encoding', 'unsupported_charset', 'request_aborted', 'bad_request', 'internal_error']) ids.add(id);
    expect(ids.size).toBeGreaterThan(8);
    const missing = [...ids].filter((id) => !MESSAGES.zh[`error.${id}`] || !MESSAGES.en[`error.${id}`]);
    expect(missing).toEqual([]);
  });
});

describe('the consoles\u2019 messages', () => {
  const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

  it('hold the same labels with the same placeholders in both languages', () => {
    const zh = Object.keys(MESSAGES.zh);
    const en = Object.keys(MESSAGES.en).filter((k) => !k.endsWith('_one'));
    expect(en.sort()).toEqual(zh.sort());
    const differ = zh.filter((k) => JSON.stringify(placeholders(MESSAGES.zh[k]!)) !== JSON.stringify(placeholders(MESSAGES.en[k]!)));
    expect(differ).toEqual([]);
    const orphans = Object.keys(MESSAGES.en).filter((k) => k.endsWith('_one') && !(k.slice(0, -4) in MESSAGES.zh));
    expect(orphans).toEqual([]);
    expect(zh.filter((k) => !MESSAGES.zh[k]!.trim())).toEqual([]);
  });

  it('fills placeholders and picks the English singular', () => {
    expect(translate('zh', 'queue.warnings', { n: 1 })).toBe('1 次预警');
    expect(translate('en', 'queue.warnings', { n: 1 })).toBe('1 warning');
    expect(translate('en', 'queue.warnings', { n: 3 })).toBe('3 warnings');
    expect(translate('en', 'case.claimedBy', { who: 'li.wei' })).toBe('claimed by li.wei at {when}');
  });

  it('heads every stop-payment column in both languages', () => {
    for (const c of STOP_PAYMENT_COLUMNS) {
      expect(STOP_PAYMENT_HEADERS[c].zh).toMatch(CJK);
      expect(STOP_PAYMENT_HEADERS[c].en).not.toMatch(CJK);
    }
  });

  it('writes times in the centre\u2019s zone with its offset', () => {
    expect(timeZoneOf(480)).toBe('Etc/GMT-8');
    expect(timeZoneOf(-300)).toBe('Etc/GMT+5');
    expect(timeZoneOf(330)).toBe('+05:30');
    expect(localTimeWithOffset('2026-11-22T16:20:05.123Z', 480)).toBe('2026-11-23 00:20:05 +08:00');
    expect(localTimeWithOffset('2026-11-22T16:20:05Z', 330)).toBe('2026-11-22 21:50:05 +05:30');
    expect(new Intl.DateTimeFormat('zh-CN', { timeZone: timeZoneOf(480), hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date('2026-11-22T16:20:05Z'))).toBe('00:20');
  });
});
