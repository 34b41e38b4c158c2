import { FlowStepError, parseFlow, startConversation, step } from '../../../flows/engine';
import { parse as parseYaml } from 'yaml';
import { compile } from '../../../flows/engine/compiled';
import type { FlowDef } from '../../../flows/engine';
import { ctx, MINI, reply } from './fixtures';

const flow = (text = MINI, version?: number) => {
  const r = parseFlow(text, { file: 'mini.yaml', version });
  if (!r.flow) throw new Error(JSON.stringify(r.issues));
  return r.flow;
};

describe('step', () => {
  test('start prompts the first state with its menu and waits for a reply', () => {
    const r = startConversation(flow(), ctx());
    expect(r.state).toMatchObject({ schemaVersion: 1, flowId: 'mini', flowVersion: 1, stateId: 'greet', turns: 0, ended: false });
    expect(r.prompts).toEqual([
      {
        flowId: 'mini',
        flowVersion: 1,
        stateId: 'greet',
        locale: 'zh',
        text: '王芳您好，我们不会让您转账或索要验证码。您转过钱吗？',
        hints: ['没有', '转了'],
        expects: {
          kind: 'choice',
          options: [
            { key: '1', intent: 'safe_aware', label: '没有' },
            { key: '2', intent: 'already_paid', label: '转了' },
          ],
        },
      },
    ]);
    expect(r.waitFor).toEqual({ noReplyAfterSeconds: 1800 });
  });

  test('already paid hands off with the highest priority', () => {
    const f = flow();
    const r = step(f, startConversation(f, ctx()).state, reply('already_paid'), ctx());
    expect(r.state.stateId).toBe('human');
    expect(r.actions).toEqual([{ type: 'handoff', reason: 'already_paid', priority: 100 }, { type: 'handoff', reason: 'request_human', priority: 40 }]);
    expect(r.hangup).toBe(true);
    expect(r.prompts[r.prompts.length - 1].final).toBe(true);
  });

  test('a handoff with a reason already sent is not sent again', () => {
    const f = flow();
    const s1 = step(f, startConversation(f, ctx()).state, reply('mid_scam'), ctx()).state;
    const r = step(f, s1, reply('mid_scam'), ctx());
    expect(r.actions).toEqual([]);
    expect(r.state.handoffs).toEqual(['mid_scam', 'request_human']);
  });

  test('a DTMF key overrides the classified intent', () => {
    const f = flow();
    const r = step(f, startConversation(f, ctx()).state, reply('other', { digits: '2', lowConfidence: true }), ctx());
    expect(r.state.stateId).toBe('human');
    expect(r.actions[0]).toMatchObject({ reason: 'already_paid' });
  });

  test('key 0 reaches a human when the menu does not use it', () => {
    const f = flow();
    const r = step(f, startConversation(f, ctx()).state, reply('other', { digits: '0' }), ctx());
    expect(r.actions).toEqual([{ type: 'handoff', reason: 'request_human', priority: 40 }]);
  });

  test('a Telegram button (intent name) is taken as the answer', () => {
    const f = flow();
    const r = step(f, startConversation(f, ctx()).state, reply('other', { button: 'safe_aware' }), ctx());
    expect(r.state).toMatchObject({ stateId: 'done', ended: true, outcome: 'safe_aware' });
    expect(r.actions).toEqual([{ type: 'end', outcome: 'safe_aware' }]);
  });

  test('low confidence: asked again once, then a human', () => {
    const f = flow();
    const s0 = startConversation(f, ctx()).state;
    const r1 = step(f, s0, reply('safe_aware', { lowConfidence: true }), ctx());
    expect(r1.state.stateId).toBe('greet');
    expect(r1.prompts.map((p) => p.text)).toEqual(['没听清。', '您转过钱吗？']);
    const r2 = step(f, r1.state, reply('safe_aware', { lowConfidence: true }), ctx());
    expect(r2.state.stateId).toBe('human');
  });

  test('an unsure "already paid" is still handed off (at-risk beats low confidence)', () => {
    const f = flow();
    const r = step(f, startConversation(f, ctx()).state, reply('already_paid', { lowConfidence: true }), ctx());
    expect(r.actions[0]).toMatchObject({ type: 'handoff', reason: 'already_paid' });
  });

  test('past maxTurns the next reply raises turn_limit', () => {
    const f = flow();
    let s = startConversation(f, ctx()).state;
    for (let i = 0; i < 5; i++) s = step(f, s, reply('other'), ctx()).state;
    expect(s.stateId).toBe('greet');
    const r = step(f, s, reply('other'), ctx());
    expect(r.transition).toBe('*.on.turn_limit[0]');
    expect(r.state.stateId).toBe('human');
  });

  test('a reply no transition matches still reaches a human', () => {
    // The checker refuses such a flow (intent_unhandled); the engine still must not strand anyone.
    const def = parseYaml(MINI.replace('default: greet\n', '')) as FlowDef;
    const f = compile(def, 1, '', 'x.yaml');
    const r = step(f, startConversation(f, ctx()).state, reply('busy_later'), ctx());
    expect(r.transition).toBe('engine.no_transition');
    expect(r.state.stateId).toBe('greet');
    expect(r.actions).toEqual([{ type: 'handoff', reason: 'flow_error', priority: 40, note: "no transition for 'busy_later' in state 'greet'" }]);
  });

  test('the state passed in is not modified (pure)', () => {
    const f = flow();
    const s0 = startConversation(f, ctx()).state;
    const copy = JSON.parse(JSON.stringify(s0));
    step(f, s0, reply('already_paid'), ctx());
    expect(s0).toEqual(copy);
  });

  test('events with no transition change nothing', () => {
    const f = flow();
    const s0 = startConversation(f, ctx()).state;
    expect(step(f, s0, { type: 'voicemail' }, ctx())).toEqual({ state: s0, prompts: [], actions: [] });
  });

  test('an ended conversation ignores further input', () => {
    const f = flow();
    const s = step(f, startConversation(f, ctx()).state, reply('safe_aware'), ctx()).state;
    // It still reports what the reply meant: the server's rules hand an at-risk one to a human.
    expect(step(f, s, reply('already_paid'), ctx())).toEqual({ state: s, prompts: [], actions: [], decidedBy: 'classifier', intent: 'already_paid' });
  });
});

describe('conversations are pinned to the flow version they started on', () => {
  const v2Text = MINI.replace('version: 1', 'version: 2').replace(/greet/g, 'hello');
  test('a conversation started on v1 finishes on v1 after v2 is published; v2 refuses it', () => {
    const v1 = flow(MINI);
    const v2 = flow(v2Text);
    expect(v2.version).toBe(2);
    const started = startConversation(v1, ctx()).state;
    // v2 is published: new conversations start on it…
    expect(startConversation(v2, ctx()).state).toMatchObject({ flowVersion: 2, stateId: 'hello' });
    // …stepping the old one on v2 is refused with what the server needs to load the right version…
    let err: unknown;
    try {
      step(v2, started, reply('safe_aware'), ctx());
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(FlowStepError);
    expect(err).toMatchObject({ flowId: 'mini', flowVersion: 1, stateId: 'greet', message: 'conversation is pinned to flow mini v1 but was stepped on mini v2: load that version' });
    // …and on v1 it finishes normally.
    const done = step(v1, started, reply('safe_aware'), ctx());
    expect(done.state).toMatchObject({ flowVersion: 1, stateId: 'done', ended: true, outcome: 'safe_aware' });
  });

  test('the server-assigned version overrides the file', () => {
    expect(flow(MINI, 7).version).toBe(7);
  });

  test('an unknown state id throws FlowStepError', () => {
    const f = flow();
    const s = { ...startConversation(f, ctx()).state, stateId: 'renamed' };
    expect(() => step(f, s, reply('other'), ctx())).toThrow("state 'renamed' does not exist in flow mini v1");
  });
});
