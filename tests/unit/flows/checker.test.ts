// Every checker rule, fired on a flow broken in exactly that way, with the message a manager sees.
import { parseFlow } from '../../../flows/engine';
import type { CheckIssue } from '../../../flows/engine';
import { MINI } from './fixtures';

const check = (text: string) => parseFlow(text, { file: 'broken.yaml' });
const only = (text: string, rule: string) => check(text).issues.filter((i) => i.rule === rule);
const brief = (i: CheckIssue) => ({ severity: i.severity, state: i.state, line: i.line, message: i.message, fix: i.fix });
const sub = (from: string, to: string) => {
  if (!MINI.includes(from)) throw new Error(`fixture lacks ${from}`);
  return MINI.replace(from, to);
};

test('the fixture itself is clean', () => {
  const r = check(MINI);
  expect(r.issues).toEqual([]);
  expect(r.flow?.id).toBe('mini');
});

test('yaml_syntax', () => {
  const r = check('id: x\ntitle: [unclosed\n');
  expect(r.flow).toBeUndefined();
  expect(r.issues.map((i) => [i.rule, i.severity, i.line])).toEqual([['yaml_syntax', 'error', 3]]);
  expect(r.issues[0].message).toMatch(/^YAML syntax: /);
  expect(r.issues[0].fix).toBe('check indentation and quoting at that line (quote text that contains ": " or starts with a symbol)');
});

test('schema: a misspelt field, with its location', () => {
  const r = check(sub('    reprompt:', '    repromt:'));
  expect(r.flow).toBeUndefined();
  expect(r.issues.map(brief)).toEqual([
    {
      severity: 'error',
      state: 'greet',
      line: 21,
      message: 'states.greet: Unrecognized key: "repromt"',
      fix: 'correct the value to match flows/schema.json (an editor with YAML schema support shows the allowed fields)',
    },
  ]);
});

test('schema: a trigger that is neither an intent nor an event', () => {
  expect(only(sub('      safe_aware: done', '      safe_awre: done'), 'schema').map((i) => i.message)).toEqual(['states.greet.on: Unrecognized key: "safe_awre"']);
});

test('unknown_action, with a suggestion', () => {
  expect(only(sub('entry: [{ type: handoff, reason: request_human }]', 'entry: [{ type: handof, reason: request_human }]'), 'unknown_action').map(brief)).toEqual([
    {
      severity: 'error',
      state: 'human',
      line: 33,
      message: 'unknown action \'handof\' at states.human.entry.0',
      fix: "use one of: handoff, collect_slot, schedule_callback, contact_relative, end (did you mean 'handoff'?)",
    },
  ]);
});

test('unknown_guard, with a suggestion', () => {
  expect(only(sub('low_confidence_at_least', 'low_confidence_atleast'), 'unknown_guard').map(brief)).toEqual([
    {
      severity: 'error',
      state: undefined,
      line: 14,
      message: 'unknown guard \'low_confidence_atleast\' at on.low_confidence.0.guard',
      fix: "use one of: attempts_at_least, warning_count_at_least, risk_level_is, channel_is, visits_at_least, low_confidence_at_least, turns_at_least, slot_filled, handoff_made (did you mean 'low_confidence_at_least'?)",
    },
  ]);
});

test('unknown_target', () => {
  expect(only(sub('      safe_aware: done', '      safe_aware: dne'), 'unknown_target').map(brief)).toEqual([
    { severity: 'error', state: 'greet', line: 27, message: "greet.on.safe_aware[0] goes to state 'dne', which does not exist", fix: "use one of: greet, done, human (did you mean 'done'?)" },
  ]);
});

test('unreachable_state', () => {
  const text = `${MINI}  orphan:\n    say: { zh: "孤儿", en: "Orphan" }\n    entry: [{ type: end, outcome: false_alarm }]\n`;
  expect(only(text, 'unreachable_state').map(brief)).toEqual([
    { severity: 'error', state: 'orphan', line: 37, message: "state 'orphan' cannot be reached from the start state 'greet'", fix: 'add a transition with target: orphan, or delete the state' },
  ]);
});

test('no_path_to_end', () => {
  // b only ever leads back to itself, and nothing shared hands off.
  const text = `
id: np
title: No path
locales: [zh]
start: a
states:
  a:
    say: { zh: "A" }
    on: { safe_aware: done }
    default: b
  b:
    say: { zh: "B" }
    default: b
  done:
    say: { zh: "再见" }
    entry: [{ type: end, outcome: safe_aware }]
`;
  expect(only(text, 'no_path_to_end').map(brief)).toEqual([
    {
      severity: 'error',
      state: 'b',
      line: 12,
      message: "no path from state 'b' reaches an end or a handoff: a conversation here could never finish",
      fix: 'add a transition that hands off or ends (e.g. flow-level on: { request_human: { target: <a state whose entry hands off> } })',
    },
  ]);
});

test('intent_unhandled: no transition and no default', () => {
  const issues = only(sub('default: greet\n', ''), 'intent_unhandled');
  expect(issues.map((i) => i.message)).toEqual([
    "state 'greet' has no transition for intent 'distrust' and no default",
    "state 'greet' has no transition for intent 'wrong_person' and no default",
    "state 'greet' has no transition for intent 'busy_later' and no default",
    "state 'greet' has no transition for intent 'question' and no default",
    "state 'greet' has no transition for intent 'other' and no default",
  ]);
  expect(issues[0].fix).toBe("add on: { distrust: … } to the state or to the flow-level on:, or a default:");
});

test('intent_unhandled: only guarded transitions', () => {
  const issues = only(sub('default: greet\n', 'default: { guard: { type: channel_is, channel: voice }, target: greet }\n'), 'intent_unhandled');
  expect(issues[0].message).toBe("in state 'greet' every transition for intent 'distrust' has a guard: when none holds the reply is not handled");
  expect(issues[0].fix).toBe("add a last transition without a guard for 'distrust' (or a default:)");
});

test('at_risk_without_handoff: mid_scam and already_paid must reach a human', () => {
  const text = sub('  mid_scam: { target: human, actions: [{ type: handoff, reason: mid_scam }] }', '  mid_scam: greet');
  expect(only(text, 'at_risk_without_handoff').map(brief)).toEqual([
    {
      severity: 'error',
      state: 'greet',
      line: 10,
      message: "in state 'greet', a 'mid_scam' reply takes flow-level on.mid_scam[0], which does not hand off: a person still in a scam would be left without a human",
      fix: 'add { type: handoff, reason: mid_scam } to its actions, or target a state whose entry hands off',
    },
  ]);
});

test('missing_locale_text', () => {
  expect(only(sub('    reprompt: { zh: "您转过钱吗？", en: "Have you paid?" }', '    reprompt: { zh: "您转过钱吗？" }'), 'missing_locale_text').map(brief)).toEqual([
    { severity: 'error', state: 'greet', line: 21, message: "no 'en' text at states.greet.reprompt (has zh)", fix: 'add en: "…" beside the other locale(s); the flow declares locales: [zh, en]' },
  ]);
});

test('unknown_template_variable', () => {
  expect(only(sub('Hello {name}, we', 'Hello {nmae}, we'), 'unknown_template_variable').map(brief)).toEqual([
    {
      severity: 'error',
      state: 'greet',
      line: 20,
      message: 'unknown template variable {nmae} at states.greet.say.en',
      fix: "use one of {name} {amount} {centre_name} {callback_number} {case_ref} {scam_type} {precinct} {relative_relation} (did you mean 'name'?)",
    },
  ]);
});

test('unbounded_loop: a cycle without a turn limit', () => {
  expect(only(sub('limits: { maxTurns: 5 }\n', ''), 'unbounded_loop').map(brief)).toEqual([
    {
      severity: 'error',
      state: 'greet',
      line: 19,
      message: 'states greet → human → greet can repeat forever: the flow has no limits.maxTurns',
      fix: 'set limits: { maxTurns: 12 } and add a flow-level on: { turn_limit: … } that hands off or ends',
    },
  ]);
});

test('unbounded_loop: a turn limit nobody handles', () => {
  expect(only(sub('  turn_limit: human\n', ''), 'unbounded_loop').map((i) => i.message)).toEqual([
    "states greet → human → greet can repeat until limits.maxTurns (5), but state 'greet' has no unguarded turn_limit transition that hands off or ends",
  ]);
});

test('link_in_text: no links, ever', () => {
  expect(only(sub('好的，再见。', '详情见 www.fz-help.cn'), 'link_in_text').map(brief)).toEqual([
    {
      severity: 'error',
      state: 'done',
      line: 29,
      message: 'link "www." at states.done.say.zh: every text may be sent by SMS, and a warning must never carry a link (scammers send links; we never do)',
      fix: 'remove the link; tell the person to call back {callback_number} or 110 instead',
    },
  ]);
  expect(only(sub('Good, goodbye.', 'See https://x.io'), 'link_in_text')[0].message).toMatch(/^link "https:" at states\.done\.say\.en/);
  expect(only(sub('好的，再见。', '点击短链查看'), 'link_in_text')).toHaveLength(1);
});

test('asks_for_secret: a warning, unless the sentence says never', () => {
  const asks = only(sub('好的，再见。', '请告诉我您收到的验证码。'), 'asks_for_secret');
  expect(asks.map(brief)).toEqual([
    {
      severity: 'warning',
      state: 'done',
      line: 29,
      message: '"请告诉我您收到的验证码" at states.done.say.zh seems to ask for a 验证码: we never ask for passwords, verification codes or card numbers',
      fix: 'remove the request; to warn, say it with a negation, e.g. "任何人索要验证码都是诈骗"',
    },
  ]);
  expect(only(sub('Good, goodbye.', 'Please read me your card number.'), 'asks_for_secret')[0].message).toBe(
    '"Please read me your card number" at states.done.say.en seems to ask for a card number: we never ask for passwords, verification codes or card numbers',
  );
  expect(only(sub('好的，再见。', '不要把验证码告诉任何人。'), 'asks_for_secret')).toEqual([]);
  expect(only(sub('Good, goodbye.', 'Never share your PIN.'), 'asks_for_secret')).toEqual([]);
  // A warning does not refuse the flow.
  expect(check(sub('好的，再见。', '请告诉我您收到的验证码。')).flow).toBeDefined();
});

test('sms_too_long: more than 3 segments is a warning', () => {
  const long = '请注意'.repeat(70);
  expect(only(sub('好的，再见。', long), 'sms_too_long').map(brief)).toEqual([
    {
      severity: 'warning',
      state: 'done',
      line: 29,
      message: "state 'done' (zh) is 4 SMS segments with its menu (210 characters); keep a warning within 3",
      fix: 'shorten the text: about 201 characters in Chinese, 459 in plain English',
    },
  ]);
});

test('telegram_too_long', () => {
  expect(only(sub('Good, goodbye.', 'a'.repeat(4097)), 'telegram_too_long').map((i) => i.message)).toEqual([
    "state 'done' (en) has 4097 characters; Telegram accepts at most 4096",
  ]);
});

test('duplicate_option_key', () => {
  expect(only(sub("{ key: '2', intent: already_paid", "{ key: '1', intent: already_paid"), 'duplicate_option_key').map((i) => [i.message, i.fix])).toEqual([
    ["key 1 is used twice in the options of state 'greet'", 'give every option its own key'],
  ]);
});

test('choice_without_options and yes_no_unmapped', () => {
  expect(only(sub('    hangup: true\n', '    hangup: true\n    expects: choice\n'), 'choice_without_options')[0].message).toBe("state 'human' expects a choice but has no options");
  expect(only(sub('    hangup: true\n', '    hangup: true\n    expects: yes_no\n    yes: already_paid\n'), 'yes_no_unmapped')[0].message).toBe(
    "state 'human' expects yes/no but does not say which intent a yes and a no mean",
  );
});

test('a flow with any error is not returned', () => {
  const r = check(sub('      safe_aware: done', '      safe_aware: dne'));
  expect(r.flow).toBeUndefined();
});
