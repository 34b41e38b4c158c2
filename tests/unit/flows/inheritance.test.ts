// Script inheritance: an override resolved against its base before anything checks or runs it.
import { parseFlow, startConversation, step, type FlowSource } from '../../../flows/engine';
import { loadFlowsDir } from '../../../flows/engine';
import { MINI, ctx, reply } from './fixtures';

const base: FlowSource = { id: 'mini', version: 3, yaml: MINI, file: 'mini.yaml' };
const lookup = (id: string) => (id === 'mini' ? base : undefined);
const child = (body: string) => `extends: mini\nid: kid\nversion: 2\ntitle: Kid\n${body}`;

test('an override changes a text and adds a state; the rest is the base, and the editor learns which is which', () => {
  const r = parseFlow(
    child(`states:
  greet:
    say: { zh: "{name}您好，我们不会让您转账或索要验证码。请问转过钱吗？", en: "Hello {name}, we never ask for money or a code. Did you pay?" }
    on:
      question: extra
  extra:
    say: { zh: "这是说明。", en: "An explanation." }
    default: greet
`),
    { file: 'kid.yaml', base: lookup },
  );
  expect(r.issues).toEqual([]);
  const flow = r.flow!;
  expect(flow).toMatchObject({ id: 'kid', version: 2, base: { id: 'mini', version: 3 } });
  // Merged state by state, and `on:` trigger by trigger: greet keeps its base options and safe_aware transition.
  expect(flow.def.states.greet.options?.map((o) => o.key)).toEqual(['1', '2']);
  expect(Object.keys(flow.def.states.greet.on ?? {})).toEqual(['safe_aware', 'question']);
  expect(flow.inheritance).toEqual({
    base: 'mini',
    baseVersion: 3,
    flowKeys: ['title'],
    phrases: [],
    sharedTriggers: [],
    states: {
      greet: { origin: 'overridden', keys: ['say'], triggers: ['question'] },
      done: { origin: 'inherited', keys: [], triggers: [] },
      human: { origin: 'inherited', keys: [], triggers: [] },
      extra: { origin: 'added', keys: ['say', 'default'], triggers: [] },
    },
    removedStates: [],
  });
  const first = startConversation(flow, ctx());
  expect(first.state).toMatchObject({ flowId: 'kid', flowVersion: 2, baseVersion: 3 });
  expect(first.prompts[0].text).toBe('王芳您好，我们不会让您转账或索要验证码。请问转过钱吗？');
  expect(step(flow, first.state, reply('question'), ctx()).state.stateId).toBe('extra');
});

test('null removes a key, a trigger and a state', () => {
  const r = parseFlow(
    child(`on:
  low_confidence: null
states:
  greet:
    reprompt: null
    hints: null
`),
    { file: 'kid.yaml', base: lookup },
  );
  expect(r.issues).toEqual([]);
  expect(r.flow!.def.states.greet.reprompt).toBeUndefined();
  expect(r.flow!.def.states.greet.hints).toBeUndefined();
  expect(Object.keys(r.flow!.def.on!)).toEqual(['already_paid', 'mid_scam', 'request_human', 'turn_limit']);
  expect(r.flow!.inheritance).toMatchObject({ sharedTriggers: ['low_confidence'], states: { greet: { origin: 'overridden', keys: ['reprompt', 'hints'] } } });
  const removed = parseFlow(child('states:\n  done: null\n'), { file: 'kid.yaml', base: lookup });
  expect(removed.issues.map((i) => [i.rule, i.message])).toEqual([['unknown_target', "greet.on.safe_aware[0] goes to state 'done', which does not exist"]]);
});

test('a conversation stays on the base version it began with', () => {
  const v3 = parseFlow(child(''), { file: 'kid.yaml', base: lookup }).flow!;
  const v4 = parseFlow(child(''), { file: 'kid.yaml', base: () => ({ ...base, version: 4 }) }).flow!;
  const began = startConversation(v3, ctx()).state;
  expect(() => step(v4, began, reply('safe_aware'), ctx())).toThrow('conversation is pinned to flow kid v2 (base v3) but was stepped on kid v2 (base v4): load that version');
});

test('an unknown base, a chain of bases and a broken base are errors naming the fix', () => {
  const unknown = parseFlow('extends: nope\nid: kid\n', { file: 'kid.yaml', base: lookup });
  expect(unknown.issues.map((i) => [i.rule, i.line, i.message])).toEqual([['unknown_base', 1, "extends: nope, but there is no flow 'nope' to inherit from"]]);
  const chained = parseFlow('extends: kid\nid: grandkid\n', { file: 'g.yaml', base: (id) => (id === 'kid' ? { id: 'kid', version: 1, yaml: child(''), file: 'kid.yaml' } : undefined) });
  expect(chained.issues.map((i) => i.rule)).toEqual(['extends_chain']);
  const broken = parseFlow(child(''), { file: 'kid.yaml', base: () => ({ ...base, yaml: MINI.replace('start: greet', 'start: gret') }) });
  expect(broken.issues.map((i) => [i.rule, i.message])).toEqual([['base_has_errors', "the base flow 'mini' v3 has errors, e.g. start state 'gret' does not exist"]]);
  const typo = parseFlow(child('states:\n  greet:\n    sya: { zh: "x", en: "y" }\n'), { file: 'kid.yaml', base: lookup });
  expect(typo.issues.map((i) => [i.rule, i.line])).toEqual([['schema', 7]]);
});

test('the shipped scam flows are the shared script plus their own phrases', () => {
  const { flows, issues } = loadFlowsDir();
  expect(issues).toEqual([]);
  const scams = [...flows.values()].filter((f) => f.base?.id === 'scam_base');
  expect(scams.map((f) => f.id).sort()).toEqual(
    ['fake_customer_service', 'fallback', 'gaming_trade', 'impersonation_police', 'investment', 'loan', 'pig_butchering', 'relative_in_trouble', 'return_contact', 'sextortion', 'task_rebate'].sort(),
  );
  for (const f of scams) {
    // One graph: every state and transition of the base, none added or removed.
    expect(Object.keys(f.states).sort()).toEqual(Object.keys(flows.get('scam_base')!.states).sort());
    expect(f.transitions.map((t) => t.id)).toEqual(flows.get('scam_base')!.transitions.map((t) => t.id));
    expect(f.source.split('\n').length).toBeLessThan(30);
  }
  const loan = flows.get('loan')!;
  expect(loan.inheritance).toMatchObject({ phrases: ['scam', 'tell', 'stop_tell'], removedStates: [] });
  expect(startConversation(loan, ctx()).prompts[0].text).toContain('网络贷款诈骗');
});
