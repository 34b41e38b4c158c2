// The server's conversation rules as one function: what they add, and what they leave alone.
import { applyConversationRules, parseFlow, startConversation, step } from '../../../flows/engine';
import { MINI, ctx, reply } from './fixtures';

const mini = parseFlow(MINI, { file: 'mini.yaml' }).flow!;
const start = startConversation(mini, ctx()).state;
const rules = (r: ReturnType<typeof step>) => applyConversationRules(r, r.intent ? { intent: r.intent } : undefined, ctx()).ruled.map((h) => `${h.rule} ${h.reason} ${h.priority}`);

test('a flow that hands off needs no rule', () => {
  expect(rules(step(mini, start, reply('already_paid'), ctx()))).toEqual([]);
});

test('an at-risk reply after the end still reaches a human, at its priority', () => {
  const ended = step(mini, start, reply('safe_aware'), ctx());
  expect(ended.state.ended).toBe(true);
  expect(rules(step(mini, ended.state, reply('already_paid'), ctx()))).toEqual(['at_risk already_paid 100']);
  expect(rules(step(mini, ended.state, reply('mid_scam'), ctx()))).toEqual(['at_risk mid_scam 80']);
  expect(rules(step(mini, ended.state, reply('request_human'), ctx()))).toEqual(['asked_for_human request_human 40']);
  // A button on an old message names its option: "No" is not at risk, whatever the label scored.
  expect(rules(step(mini, ended.state, reply('already_paid', { button: 'greet:1' }), ctx()))).toEqual([]);
});

test('two replies not understood reach a human unless one has the conversation already', () => {
  const unclear = reply('other', { lowConfidence: true, confidence: 0.2 });
  const once = step(mini, start, unclear, ctx());
  expect(rules(once)).toEqual([]);
  // MINI hands off itself on the second; without that transition the rule does.
  const twice = step(mini, once.state, unclear, ctx());
  const noHuman = { ...twice, actions: [], state: { ...twice.state, handoffs: [] } };
  const ruled = applyConversationRules(noHuman, { intent: 'other' }, ctx());
  expect(ruled.ruled.map((h) => h.rule)).toEqual(['unclear_twice']);
  expect(ruled.state.handoffs).toContain('low_confidence');
  expect(applyConversationRules({ ...noHuman, state: { ...noHuman.state, handoffs: ['already_paid'] } }, { intent: 'other' }, ctx()).ruled).toEqual([]);
});

test('silence and other events are not replies: no rule applies', () => {
  expect(applyConversationRules(step(mini, start, { type: 'no_reply' }, ctx()), undefined, ctx()).ruled).toEqual([]);
});
