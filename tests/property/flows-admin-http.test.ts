// Whatever a manager (or a script with a manager key) sends to the flow editor, the answer is a clear 4xx
// or a success, never a 5xx: YAML bombs and odd YAML, state ids that are Object.prototype's names, odd
// conversation states and odd ids — first the cases found by hand, then fast-check over every endpoint.
import fs from 'node:fs';
import fc from 'fast-check';
import { sqliteDatabase } from '../support/databases';
import { managerFetch, startHarness, type Harness } from '../integration/manager-harness';

jest.setTimeout(240_000);

const shipped = fs.readFileSync('flows/fallback.yaml', 'utf8');
/** A billion laughs: nine aliases of nine aliases of … — tiny text, an enormous value once expanded. */
const aliasBomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]', ...'bcdefghi'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${String.fromCharCode(97 + i)}`).join(',')}]`)].join('\n');

describe('flow editor API under hostile input', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(sqliteDatabase());
  });
  afterAll(() => h?.close());

  const call = async (method: string, p: string, body?: unknown) => {
    const res = await managerFetch(h, p, { method, body });
    const text = await res.text();
    let json: any = text;
    try {
      json = JSON.parse(text);
    } catch {
      /* YAML export */
    }
    return { status: res.status, body: json };
  };

  it('answers an alias bomb with 400 yaml_syntax on every endpoint that reads YAML, and keeps the draft readable', async () => {
    const check = await call('POST', '/api/flows/check', { yaml: aliasBomb, flowId: 'fallback' });
    expect(check.status).toBe(200);
    expect(check.body.ok).toBe(false);
    expect(check.body.issues).toEqual([expect.objectContaining({ severity: 'error', rule: 'yaml_syntax', message: expect.stringMatching(/^YAML syntax: .*alias/i) })]);
    const tried = await call('POST', '/api/flows/fallback/try', { yaml: aliasBomb, locale: 'zh', channel: 'sms' });
    expect([tried.status, tried.body.error, tried.body.details.issues[0].rule]).toEqual([400, 'validation_error', 'yaml_syntax']);
    const saved = await call('PUT', '/api/flows/fallback/draft', { yaml: aliasBomb });
    expect(saved.status).toBe(200);
    expect(saved.body.issues[0].rule).toBe('yaml_syntax');
    const opened = await call('GET', '/api/flows/fallback');
    expect(opened.status).toBe(200);
    expect(opened.body.issues[0].rule).toBe('yaml_syntax');
    const publish = await call('POST', '/api/flows/fallback/publish');
    expect([publish.status, publish.body.error]).toEqual([409, 'publish_refused']);
    expect((await call('DELETE', '/api/flows/fallback/draft')).status).toBe(204);
  });

  it.each(['__proto__', 'toString', 'constructor', 'hasOwnProperty', 'no_such_state'])('refuses try-it state id %p with 400 unknown_state', async (stateId) => {
    const first = await call('POST', '/api/flows/fallback/try', { yaml: shipped, locale: 'en', channel: 'sms' });
    expect(first.status).toBe(200);
    const r = await call('POST', '/api/flows/fallback/try', { yaml: shipped, locale: 'en', channel: 'sms', state: { ...first.body.state, stateId }, input: { text: 'no' } });
    expect(r.status).toBe(400);
    expect(r.body.error).toBe('unknown_state');
    expect(r.body.message).toMatch(new RegExp(`^state '${stateId.replace(/_/g, '_')}' is not in this draft`));
  });

  it('never answers 5xx, whatever reaches the flow endpoints (fast-check)', async () => {
    const lines = shipped.split('\n');
    const mutatedYaml = fc.tuple(fc.nat(lines.length - 1), fc.nat(5), fc.string({ maxLength: 12 }), fc.constantFrom('insert', 'delete', 'replace')).map(([at, count, text, op]) => {
      const copy = [...lines];
      if (op === 'insert') copy.splice(at, 0, text);
      else if (op === 'delete') copy.splice(at, count);
      else copy[at] = text + (copy[at] ?? '');
      return copy.join('\n');
    });
    const yamlish = fc.oneof(
      mutatedYaml,
      fc.string({ maxLength: 300 }),
      fc.constantFrom(aliasBomb, '&a [*a]', 'a: !!binary "%%%"', 'a: !!js/function "x"', '<<: *nope', '? [a]\n: b', 'a: 1\na: 2', '- !!timestamp 2026-99-99', `${'['.repeat(2000)}`, '%YAML 9.9\n---\na', 'a: &x 1\nb: *x\n'.repeat(50), '\uFEFF\u0000'),
      fc.jsonValue().map((v) => JSON.stringify(v)),
    );
    const odd = fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('__proto__', 'constructor', 'toString', 'prototype', '', '..', '%00', 'fallback'));
    const stateish = fc.oneof(
      fc.constant(null),
      fc.jsonValue(),
      fc.record({
        schemaVersion: fc.constant(1),
        flowId: odd,
        flowVersion: fc.oneof(fc.integer(), fc.double()),
        stateId: odd,
        turns: fc.nat(),
        visits: fc.dictionary(odd, fc.oneof(fc.integer(), fc.double())),
        lowConfidenceCount: fc.nat(),
        slots: fc.dictionary(odd, fc.string({ maxLength: 10 })),
        ended: fc.boolean(),
        handoffs: fc.array(odd, { maxLength: 3 }),
      }),
    );
    const request = fc.oneof(
      fc.record({ m: fc.constant('POST'), p: fc.constant('/api/flows/check'), b: fc.record({ yaml: yamlish, flowId: fc.option(odd) }) }),
      fc.record({ m: fc.constant('PUT'), p: fc.constant('/api/flows/fallback/draft'), b: fc.oneof(fc.record({ yaml: yamlish }), fc.jsonValue()) }),
      fc.record({
        m: fc.constant('POST'),
        p: fc.constant('/api/flows/fallback/try'),
        b: fc.record({
          yaml: fc.oneof(fc.constant(shipped), yamlish),
          locale: fc.constantFrom('zh', 'en', 'fr'),
          channel: fc.constantFrom('sms', 'voice', 'telegram', 'fax'),
          state: stateish,
          input: fc.option(fc.oneof(fc.record({ text: fc.string({ maxLength: 50 }), digits: fc.option(fc.stringMatching(/^[0-9*#]{1,8}$/), { nil: undefined }) }), fc.record({ event: fc.constantFrom('no_reply', 'unanswered', 'voicemail', 'reply') })), { nil: undefined }),
        }),
      }),
      fc.record({ m: fc.constantFrom('GET', 'POST', 'DELETE'), p: fc.tuple(odd, fc.constantFrom('', '/publish', '/draft', '/diff?from=1&to=99', '/export?version=0', '/versions/1', '/versions/-1', '/rollback')).map(([id, rest]) => `/api/flows/${encodeURIComponent(id)}${rest}`), b: fc.option(fc.jsonValue(), { nil: undefined }) }),
      fc.record({ m: fc.constant('POST'), p: fc.constant('/api/flows/fallback/rollback'), b: fc.record({ version: fc.oneof(fc.integer(), fc.double(), fc.string()) }) }),
      fc.record({ m: fc.constant('GET'), p: fc.tuple(fc.string({ maxLength: 10 }), fc.string({ maxLength: 10 })).map(([a, b]) => `/api/flows/fallback/diff?from=${encodeURIComponent(a)}&to=${encodeURIComponent(b)}`), b: fc.constant(undefined) }),
    );
    const failures: string[] = [];
    await fc.assert(
      fc.asyncProperty(fc.array(request, { minLength: 1, maxLength: 3 }), async (reqs) => {
        for (const r of reqs) {
          const res = await call(r.m, r.p, r.b);
          if (res.status >= 500) {
            failures.push(`${r.m} ${r.p} → ${res.status}`);
            return false;
          }
        }
        return true;
      }),
      { numRuns: Number(process.env.FC_RUNS ?? 120), seed: Number(process.env.FC_SEED ?? Date.now() % 2 ** 31) },
    );
    expect(failures).toEqual([]);
  });
});
