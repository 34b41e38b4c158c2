// Options first: what counts as choosing a menu option, and how the step records it.
import { chooseOption, keyInText, loadFlowsDir, parseFlow, startConversation, step } from '../../../flows/engine';
import { MINI, ctx, reply } from './fixtures';

const mini = parseFlow(MINI, { file: 'mini.yaml' }).flow!;
const greet = startConversation(mini, ctx()).state;

test.each([
  ['2', '2'],
  ['２', '2'],
  ['二', '2'],
  ['两', '2'],
  ['选2', '2'],
  ['我选2', '2'],
  ['回复2', '2'],
  ['2.', '2'],
  ['2。', '2'],
  [' (2) ', '2'],
  ['（２）', '2'],
  ['第二个', '2'],
  ['reply 2', '2'],
  ['Option 2!', '2'],
  ['#2', '2'],
  ['0', '0'],
  ['2万', undefined],
  ['22', undefined],
  ['I paid 2 times', undefined],
  ['没有', undefined],
  ['', undefined],
])('%j names key %j', (text, key) => {
  expect(keyInText(text)).toBe(key);
});

test('a text, a key or a button that names a menu key is that option; free text is not', () => {
  expect(chooseOption(mini, greet, { text: '选2' })).toEqual({ key: '2', intent: 'already_paid', stateId: 'greet', via: 'text' });
  expect(chooseOption(mini, greet, { digits: '1' })).toEqual({ key: '1', intent: 'safe_aware', stateId: 'greet', via: 'keys' });
  expect(chooseOption(mini, greet, { button: 'greet:2' })).toEqual({ key: '2', intent: 'already_paid', stateId: 'greet', via: 'button' });
  expect(chooseOption(mini, greet, { text: '我已经转了2万' })).toBeUndefined();
  expect(chooseOption(mini, greet, { text: '3' })).toBeUndefined();
  // 0 on a call reaches a human even where the menu has no 0; written, it is only an option when listed.
  expect(chooseOption(mini, greet, { digits: '0' })).toEqual({ key: '0', intent: 'request_human', stateId: 'greet', via: 'keys' });
  expect(chooseOption(mini, greet, { text: '0' })).toBeUndefined();
});

test('a button from an earlier menu keeps the meaning it showed', () => {
  const { flows } = loadFlowsDir();
  const flow = flows.get('pig_butchering')!;
  const c = ctx({ channel: 'telegram', locale: 'en' });
  const atTell = step(flow, startConversation(flow, c).state, reply('other', { option: chooseOption(flow, startConversation(flow, c).state, { text: '1' }) }), c).state;
  expect(atTell.stateId).toBe('explain_tell');
  // Key 1 means "I have not paid" on greet's menu and "No, I will not pay" on explain_tell's.
  expect(chooseOption(flow, atTell, { button: 'greet:1' })).toMatchObject({ intent: 'safe_aware', stateId: 'greet' });
  expect(chooseOption(flow, atTell, { button: 'explain_tell:2' })).toMatchObject({ intent: 'mid_scam', stateId: 'explain_tell' });
  expect(chooseOption(flow, atTell, { button: 'nowhere:1' })).toBeUndefined();
  // Data of messages sent before buttons named their state: a key of the current menu, or an intent.
  expect(chooseOption(flow, atTell, { button: '2' })).toMatchObject({ intent: 'mid_scam', stateId: 'explain_tell' });
  expect(chooseOption(flow, atTell, { button: 'safe_aware' })).toMatchObject({ intent: 'safe_aware' });
});

test('the step takes the option over the classifier and says so', () => {
  // The classifier scored the label "I have not paid" as already_paid; the button says safe_aware.
  const r = step(mini, greet, reply('already_paid', { text: 'No', button: 'greet:1', confidence: 0.58 }), ctx());
  expect(r).toMatchObject({ decidedBy: 'option', intent: 'safe_aware', option: { key: '1', via: 'button' }, state: { stateId: 'done' } });
  expect(r.actions).toEqual([{ type: 'end', outcome: 'safe_aware' }]);
  const free = step(mini, greet, reply('already_paid', { text: '我转了' }), ctx());
  expect(free).toMatchObject({ decidedBy: 'classifier', intent: 'already_paid', state: { stateId: 'human' } });
});
