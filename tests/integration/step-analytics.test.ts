// Per-step figures of a flow version from real SMS conversations through the phone network, on both
// engines: reached, dropped with no reply (once the wait is over), still waiting, handed off from a state.
import { ENGINES } from '../support/databases';
import { eventually } from '../support/stack';
import { advance } from '../e2e/helpers';
import { fileWarning, managerFetch, startHarness, type Harness } from './manager-harness';

describe.each(ENGINES)('per-step analytics on %s', (_name, make) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(make());
  });
  afterAll(async () => {
    await h.close();
  });

  it('counts, for each state of fallback v1, who reached it, dropped there, waits there, or was handed off from it', async () => {
    const net = h.stack.network.control;
    const [safe, paid, silent, waiting] = ['+8613800138501', '+8613800138502', '+8613800138503', '+8613800138504'];
    const ids: Record<string, string> = {};
    for (const [i, phone] of [safe, paid, silent, waiting].entries()) ids[phone] = await fileWarning(h, { externalId: `W-STEP-${i}`, phone, locale: 'zh', scamType: 'other', riskLevel: 'medium' });
    for (const phone of [safe, paid, silent, waiting]) await net.waitForSms(phone, { timeoutMs: 20000 });

    await net.sendSms(safe, '没有，我没转过钱');
    await net.waitForSms(safe, { timeoutMs: 15000, contains: '现在还有人让您转账' });
    await net.sendSms(safe, '没有人让我转账，我不会转的');
    await net.waitForSms(safe, { timeoutMs: 15000, contains: '很好' });

    await net.sendSms(paid, '我已经转了5000块给他们');
    await net.waitForSms(paid, { timeoutMs: 15000, contains: '是怎么转的' });

    // The silent person's waits are over, rung after rung, until the ladder hands them to a human as unreachable.
    const e = { stack: h.stack, store: h.store, stop: async () => undefined };
    const unreachable = () => h.store.db.selectFrom('handoffs').select('reason').where('case_id', '=', ids[silent]!).where('reason', '=', 'unreachable').executeTakeFirst();
    for (let rung = 0; rung < 4 && !(await unreachable()); rung++) {
      await advance(e, ids[silent]!);
      await eventually(async () => (await unreachable()) || (await h.store.db.selectFrom('cases').select('next_action_at').where('id', '=', ids[silent]!).executeTakeFirstOrThrow()).next_action_at! > new Date().toISOString(), 'the rung to pass');
    }
    await eventually(unreachable, 'the silent person handed off as unreachable', 20000);

    const res = await managerFetch(h, '/api/flows/fallback/versions/1/steps');
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(body).toMatchObject({ flowId: 'fallback', version: 1, conversations: 4 });
    const pick = (id: string) => body.states[id];
    expect(pick('greet')).toEqual({ reached: 4, dropped: 1, waiting: 1, handedOff: 1, handoffReasons: { already_paid: 1 } });
    expect(pick('explain_tell')).toEqual({ reached: 1, dropped: 0, waiting: 0, handedOff: 0, handoffReasons: {} });
    expect(pick('close_safe')).toEqual({ reached: 1, dropped: 0, waiting: 0, handedOff: 0, handoffReasons: {} });
    // The amount was in the first answer: the script goes straight on to the method, and the officer has the case.
    expect(pick('ask_method')).toEqual({ reached: 1, dropped: 0, waiting: 0, handedOff: 0, handoffReasons: {} });
    expect(Object.keys(body.states).sort()).toEqual(['ask_method', 'close_safe', 'explain_tell', 'greet']);
    // The graph of the same version, to draw the figures on.
    expect(body.graph.start).toBe('greet');
    expect(body.graph.nodes.map((n: { id: string }) => n.id)).toContain('stop_paying');

    const none = await managerFetch(h, '/api/flows/fallback/versions/9/steps');
    expect(none.status).toBe(404);
    expect(((await none.json()) as { message: string }).message).toBe('flow fallback has no version 9');
  });
});
