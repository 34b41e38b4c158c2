// Property: over every shipped flow, no sequence of replies and events leaves a conversation without a
// next step: after each step it has ended, handed off to a human, or waits for the person's input. Each
// step is taken as the server takes it: the flow step, then the server's conversation rules
// (flows/engine/rules.ts, the same function the live conversation and try-it apply).
import fc from 'fast-check';
import { applyConversationRules, loadFlowsDir, startConversation, step, UNCLEAR_REPLIES_FOR_HUMAN, type FlowContext, type FlowEvent, type StepResult } from '../../flows/engine';
import { INTENTS, isAtRisk } from '../../nlu-models/src/intents';
import { SAMPLE_VARS_BY_LOCALE } from '../../flows/engine/template';

const { flows } = loadFlowsDir();

const event: fc.Arbitrary<FlowEvent> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ type: fc.constant('reply' as const), intent: fc.constantFrom(...INTENTS), confidence: fc.double({ min: 0, max: 1, noNaN: true }), lowConfidence: fc.boolean(), text: fc.string({ maxLength: 40 }), digits: fc.option(fc.constantFrom('0', '1', '2', '3', '9', '#'), { nil: undefined }), button: fc.option(fc.constantFrom(...INTENTS, '1', '2', 'junk', 'greet:1', 'greet:2', 'explain_tell:2', 'nowhere:1'), { nil: undefined }) }) },
  { weight: 2, arbitrary: fc.constant({ type: 'no_reply' as const }) },
  { weight: 1, arbitrary: fc.constant({ type: 'voicemail' as const }) },
  { weight: 1, arbitrary: fc.constant({ type: 'unanswered' as const }) },
);

const context = fc.record({
  channel: fc.constantFrom('voice' as const, 'sms' as const, 'telegram' as const),
  locale: fc.constantFrom('zh' as const, 'en' as const),
  riskLevel: fc.constantFrom('low' as const, 'medium' as const, 'high' as const),
  warningCount: fc.integer({ min: 1, max: 5 }),
  attemptCount: fc.integer({ min: 1, max: 6 }),
});

/**
 * The case's next step after a step, as server/cases/conversation.ts records it: an ended conversation
 * closes the case or leaves it with a human; a handoff puts it on the desk; a scheduled callback or a
 * relative is a due contact; otherwise the case waits for the person's input (a no_reply check is due).
 * 'nothing' is a reply that got no answer at all: no prompt, no handoff, no end.
 */
function nextStep(r: StepResult, handedOff: boolean, wasReply: boolean): string {
  if (r.state.ended) return 'ended';
  if (handedOff) return 'handed off';
  if (r.actions.some((a) => a.type === 'schedule_callback' || a.type === 'contact_relative')) return 'contact scheduled';
  if (wasReply && r.prompts.length === 0) return 'nothing';
  return 'waiting for input';
}

test.each([...flows.keys()])('flow %s: every reachable conversation keeps a next step', (flowId) => {
  const flow = flows.get(flowId)!;
  fc.assert(
    fc.property(context, fc.array(event, { maxLength: 25 }), (c, events) => {
      const ctx: FlowContext = { channel: c.channel, locale: c.locale, vars: SAMPLE_VARS_BY_LOCALE[c.locale], facts: { riskLevel: c.riskLevel, warningCount: c.warningCount, attemptCount: c.attemptCount, channel: c.channel } };
      let r = startConversation(flow, ctx);
      let handedOff = r.actions.some((a) => a.type === 'handoff');
      expect(nextStep(r, handedOff, false)).not.toBe('nothing');
      for (const e of events) {
        const before = r.state;
        const stepped = step(flow, r.state, e, ctx);
        const out = e.type === 'reply' ? applyConversationRules(stepped, stepped.intent ? { intent: stepped.intent } : undefined, ctx) : stepped;
        const handsOffNow = out.actions.some((a) => a.type === 'handoff');
        handedOff ||= handsOffNow;
        // A silence or machine event with no transition changes nothing: the case keeps the step it had.
        if (e.type !== 'reply' && out.prompts.length === 0 && out.actions.length === 0 && !out.state.ended) {
          expect(out.state.stateId).toBe(before.stateId);
          r = { ...r, state: out.state };
          continue;
        }
        r = out;
        expect(flow.states[r.state.stateId]).toBeDefined();
        expect({ flowId, state: before.stateId, event: e.type, next: nextStep(r, handedOff, e.type === 'reply') }).not.toMatchObject({ next: 'nothing' });
        // A conversation that has ended stays ended: no later event restarts it.
        if (before.ended) expect(r.state.ended).toBe(true);
        // A reply acted on as at risk (its option, else its intent) always reaches a human, even after the end;
        // so does asking for one.
        if (e.type === 'reply' && out.intent && (isAtRisk(out.intent) || out.intent === 'request_human')) expect({ intent: out.intent, handsOffNow }).toEqual({ intent: out.intent, handsOffNow: true });
        // Replies not understood reach a human.
        if (e.type === 'reply' && out.state.lowConfidenceCount >= UNCLEAR_REPLIES_FOR_HUMAN) expect(handedOff).toBe(true);
      }
    }),
    { numRuns: 150 },
  );
});
