// The organisation on the whole running system, on SQLite and PostgreSQL: warnings routed to district and
// station units (by code, by the station in the address, by default; an unknown code to the city, flagged
// unrouted), units edited by an admin, people placed in units, each seeing their unit's queue, a city
// supervisor moving a case, assignment and transfer to named officers, takeover, capacity and presence.
import path from 'node:path';
import { Person, addUser, citizenTexts, handoffOf, startDeskHarness, warnCitizen, type DeskHarness } from './desk-harness';
import { ENGINES } from '../support/databases';
import { eventually } from '../support/stack';

jest.setTimeout(120_000);

const UNITS_FILE = path.resolve(__dirname, '../../org/units.example.yaml');
const MID_SCAM = '他们让我把存款转到安全账户，现在还在电话里催我';

let seq = 0;
const nextPhone = () => `+86137${String(process.pid % 1000).padStart(3, '0')}${String(++seq).padStart(5, '0')}`;

describe.each(ENGINES)('the organisation on %s', (_engine, makeDb) => {
  let h: DeskHarness;
  const people: Record<string, Person> = {};

  const place = (username: string, body: Record<string, unknown>) => h.stack.api('PATCH', `/api/org/people/${username}`, 'admin', body);
  const warn = (body: Record<string, unknown>) =>
    h.stack.api('POST', '/api/warnings', 'intake', { source: 'province-centre', externalId: `W-${Date.now()}-${++seq}`, scamType: 'investment', riskLevel: 'medium', locale: 'zh', ...body });
  const caseRow = (id: string) => h.store.db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const unitCodeOf = async (caseId: string) => {
    const c = await caseRow(caseId);
    return (await h.store.db.selectFrom('units').select('code').where('id', '=', c.unit_id!).executeTakeFirstOrThrow()).code;
  };
  /** A warned citizen in that unit answers the first SMS as someone still in the scam: a handoff on the desk. */
  async function midScamCase(extra: Record<string, unknown>): Promise<{ caseId: string; caseRef: string; handoffId: string; phone: string }> {
    const phone = nextPhone();
    const w = await warnCitizen(h, { phone, name: '刘某', scamType: 'investment', ...extra });
    expect(await citizenTexts(h, phone, MID_SCAM)).toBe(200);
    const handoff = await handoffOf(h, w.caseId, 'mid_scam');
    // The script answers the reply once (then stays quiet while an officer holds the case).
    await h.net.waitForSms(phone, { timeoutMs: 10_000 });
    return { caseId: w.caseId, caseRef: w.caseRef, handoffId: handoff.id, phone };
  }

  beforeAll(async () => {
    h = await startDeskHarness({ db: makeDb(), env: { UNITS_FILE, AUTO_ASSIGN_MS: '200', DESK_CAPACITY: '2' } });
    for (const [u, role] of [
      ['city.sup', 'desk'],
      ['d1.desk', 'desk'],
      ['d1.desk2', 'desk'],
      ['d1.sup', 'desk'],
      ['d2.desk', 'desk'],
      ['s1.officer', 'desk'],
    ] as const)
      await addUser(h.store, u, role);
    expect((await place('city.sup', { unitCode: 'CITY', unitRole: 'supervisor' })).status).toBe(200);
    expect((await place('d1.desk', { unitCode: 'D01', unitRole: 'desk_officer', capacity: 1 })).status).toBe(200);
    expect((await place('d1.desk2', { unitCode: 'D01', unitRole: 'desk_officer' })).status).toBe(200);
    expect((await place('d1.sup', { unitCode: 'D01', unitRole: 'supervisor' })).status).toBe(200);
    expect((await place('d2.desk', { unitCode: 'D02', unitRole: 'desk_officer' })).status).toBe(200);
    const s1 = await place('s1.officer', { unitCode: 'D01-S01', unitRole: 'station_officer' });
    expect(s1.body.person).toMatchObject({ unitRole: 'station_officer', unit: { code: 'D01-S01', kind: 'station' } });
    for (const u of ['city.sup', 'd1.desk', 'd1.desk2', 'd1.sup', 'd2.desk', 's1.officer']) {
      people[u] = new Person(h.baseUrl);
      expect((await people[u]!.login(u)).status).toBe(200);
    }
  });
  afterAll(() => h?.close());

  it('routes each warning by code, then the station or district its address names, then the default', async () => {
    const byCode = await warn({ phone: nextPhone(), unitCode: 'd02-s02', address: '城东派出所辖区' });
    const byStation = await warn({ phone: nextPhone(), address: '东湖街道幸福路3号' });
    const byPrecinct = await warn({ phone: nextPhone(), precinct: '城西派出所' });
    const byDistrict = await warn({ phone: nextPhone(), address: '城东区解放路12号' });
    const nowhere = await warn({ phone: nextPhone(), address: '北京市朝阳区' });
    for (const r of [byCode, byStation, byPrecinct, byDistrict, nowhere]) expect(r.status).toBe(202);
    expect(await unitCodeOf(byCode.body.caseId)).toBe('D02-S02');
    expect(await unitCodeOf(byStation.body.caseId)).toBe('D01-S02');
    expect(await unitCodeOf(byPrecinct.body.caseId)).toBe('D02-S01');
    expect(await unitCodeOf(byDistrict.body.caseId)).toBe('D01');
    expect(await unitCodeOf(nowhere.body.caseId)).toBe('CITY');
    expect(await caseRow(byStation.body.caseId)).toMatchObject({ routing: 'address', routing_hint: '东湖街道', address: '东湖街道幸福路3号' });
    const contract = await h.stack.api('GET', `/api/cases/${byCode.body.caseId}`, 'desk');
    expect(contract.body.placement).toMatchObject({ unit: { code: 'D02-S02', kind: 'station', path: '市反诈中心 › 城西分局反诈中队 › 西山派出所' }, routing: 'code', unrouted: false, address: '城东派出所辖区' });
    // The warning keeps what upstream sent.
    const w = await h.store.db.selectFrom('warnings').select(['unit_code', 'address']).where('case_id', '=', byCode.body.caseId).executeTakeFirstOrThrow();
    expect(w).toEqual({ unit_code: 'd02-s02', address: '城东派出所辖区' });
  });

  it('sends an unknown code to the city flagged unrouted; a later warning naming a station places it', async () => {
    const phone = nextPhone();
    const r = await warn({ phone, unitCode: 'D09-S77' });
    expect(await caseRow(r.body.caseId)).toMatchObject({ routing: 'unrouted', routing_hint: 'D09-S77' });
    expect(await unitCodeOf(r.body.caseId)).toBe('CITY');
    const again = await warn({ phone, address: '西山镇新村5号' });
    expect(again.body).toMatchObject({ status: 'accepted', caseId: r.body.caseId });
    expect(await caseRow(r.body.caseId)).toMatchObject({ routing: 'address', routing_hint: '西山镇', address: '西山镇新村5号' });
    expect(await unitCodeOf(r.body.caseId)).toBe('D02-S02');
  });

  it('lets only an admin add, rename and retire units, keeping the tree valid; routing follows at once', async () => {
    const units = await people['d1.desk']!.json('GET', '/api/org/units');
    expect(units.status).toBe(200);
    expect(units.body.default).toBe('CITY');
    expect(units.body.units.find((u: { code: string }) => u.code === 'D01-S01')).toEqual({
      code: 'D01-S01', kind: 'station', parentCode: 'D01', name: { zh: '城东派出所', en: 'Chengdong Police Station' }, aliases: ['城东所'], default: false, retired: false, path: '市反诈中心 › 城东分局反诈中队 › 城东派出所',
    });
    const station = { code: 'D01-S03', kind: 'station', parentCode: 'D01', name: { zh: '南湖派出所', en: 'Nanhu Police Station' }, aliases: ['南湖所'] };
    expect(await people['d1.sup']!.json('POST', '/api/org/units', station)).toEqual({ status: 403, body: { error: 'forbidden', message: 'role desk may not do this; needs admin' } });
    expect(await h.stack.api('POST', '/api/org/units', 'admin', { ...station, kind: 'district' })).toEqual({ status: 400, body: { error: 'validation_error', message: 'kind: units under a district are kind station, not district' } });
    expect(await h.stack.api('POST', '/api/org/units', 'admin', { ...station, name: { zh: '' } })).toEqual({
      status: 400, body: { error: 'validation_error', message: 'invalid unit: name.zh: required; name.en: Invalid input: expected string, received undefined' },
    });
    const added = await h.stack.api('POST', '/api/org/units', 'admin', station);
    expect(added).toEqual({ status: 201, body: { unit: { ...station, default: false, retired: false, path: '市反诈中心 › 城东分局反诈中队 › 南湖派出所' } } });
    expect(await h.stack.api('POST', '/api/org/units', 'admin', station)).toEqual({ status: 409, body: { error: 'conflict', message: 'a unit with code D01-S03 already exists' } });
    const routed = await warn({ phone: nextPhone(), address: '南湖所旁边的小区' });
    expect(await unitCodeOf(routed.body.caseId)).toBe('D01-S03');

    expect(await h.stack.api('PATCH', '/api/org/units/D01', 'admin', { retired: true })).toEqual({
      status: 409, body: { error: 'conflict', message: 'unit D01 still has active units under it (D01-S01, D01-S02, D01-S03): retire or move them first' },
    });
    const retired = await h.stack.api('PATCH', '/api/org/units/d01-s03', 'admin', { retired: true });
    expect(retired.body.unit).toMatchObject({ code: 'D01-S03', retired: true });
    // A retired station is no longer named by addresses: its district's alias is not in this one, so the default.
    expect(await unitCodeOf((await warn({ phone: nextPhone(), address: '南湖所旁边的小区' })).body.caseId)).toBe('CITY');
    expect(await unitCodeOf((await warn({ phone: nextPhone(), unitCode: 'D01-S03' })).body.caseId)).toBe('CITY');
    expect(await h.stack.api('PATCH', '/api/org/units/CITY', 'admin', { retired: true })).toEqual({ status: 409, body: { error: 'conflict', message: 'the city cannot be retired: it is where every unrouted warning goes' } });
  });

  it("shows each desk its own units' queue; the city sees all; other units' cases answer 403", async () => {
    const d1 = await midScamCase({ address: '城东派出所辖区 解放路1号' });
    const d2 = await midScamCase({ unitCode: 'D02' });
    const refsOf = async (who: string) => ((await people[who]!.json('GET', '/api/desk/queue')).body.items as { caseRef: string }[]).map((i) => i.caseRef);
    expect(await refsOf('d1.desk')).toContain(d1.caseRef);
    expect(await refsOf('d1.desk')).not.toContain(d2.caseRef);
    expect(await refsOf('d2.desk')).toEqual([d2.caseRef]);
    expect(await refsOf('city.sup')).toEqual(expect.arrayContaining([d1.caseRef, d2.caseRef]));
    const item = (await people['d1.desk']!.json('GET', '/api/desk/queue')).body.items.find((i: { caseRef: string }) => i.caseRef === d1.caseRef);
    expect(item).toMatchObject({ unit: { code: 'D01-S01', kind: 'station' }, routing: 'address', unrouted: false, kind: 'dissuasion' });
    expect(await people['d2.desk']!.json('GET', `/api/desk/cases/${d1.caseId}`)).toEqual({
      status: 403, body: { error: 'forbidden', message: 'this case belongs to 城东派出所 (D01-S01), not to your unit' },
    });
    expect((await people['d2.desk']!.json('POST', `/api/desk/handoffs/${d1.handoffId}/claim`)).status).toBe(403);
    // A station officer has no desk at all.
    expect((await people['s1.officer']!.json('GET', '/api/desk/queue')).status).toBe(403);
  });

  it('lets a city supervisor move an unrouted case to a district, clearing the flag; others may not', async () => {
    const c = await midScamCase({ unitCode: 'NO-SUCH-UNIT' });
    const cityItem = (await people['city.sup']!.json('GET', '/api/desk/queue')).body.items.find((i: { caseRef: string }) => i.caseRef === c.caseRef);
    expect(cityItem).toMatchObject({ unit: { code: 'CITY' }, routing: 'unrouted', routingHint: 'NO-SUCH-UNIT', unrouted: true });
    expect(await people['d1.sup']!.json('POST', `/api/desk/cases/${c.caseId}/move`, { unitCode: 'D02' })).toEqual({
      status: 403, body: { error: 'forbidden', message: 'this case belongs to 市反诈中心 (CITY), not to your unit' },
    });
    expect(await people['city.sup']!.json('POST', `/api/desk/cases/${c.caseId}/move`, { unitCode: 'D77' })).toEqual({ status: 400, body: { error: 'validation_error', message: 'unitCode: no unit D77' } });
    const moved = await people['city.sup']!.json('POST', `/api/desk/cases/${c.caseId}/move`, { unitCode: 'd02', note: '西区来电' });
    expect(moved).toEqual({ status: 200, body: { caseId: c.caseId, from: 'CITY', to: 'D02', released: null } });
    const d2Item = (await people['d2.desk']!.json('GET', '/api/desk/queue')).body.items.find((i: { caseRef: string }) => i.caseRef === c.caseRef);
    expect(d2Item).toMatchObject({ unit: { code: 'D02' }, routing: 'moved', unrouted: false });
    const view = await people['d2.desk']!.json('GET', `/api/desk/cases/${c.caseId}`);
    expect(view.body.timeline.find((t: { action?: string }) => t.action === 'case_moved')).toMatchObject({ actor: 'city.sup', detail: { from: 'CITY', to: 'D02', wasUnrouted: true, note: '西区来电' } });
    // A district supervisor cannot move cases between units, even within reach.
    const d1c = await midScamCase({ unitCode: 'D01' });
    expect(await people['d1.sup']!.json('POST', `/api/desk/cases/${d1c.caseId}/move`, { unitCode: 'D01-S01' })).toEqual({
      status: 403, body: { error: 'forbidden', message: 'only a city supervisor can move a case to another unit' },
    });
  });

  it('assigns a case to a named officer, who transfers it with a note; the citizen hears nothing new', async () => {
    const c = await midScamCase({ unitCode: 'D01' });
    expect(await people['d1.desk']!.json('POST', `/api/desk/handoffs/${c.handoffId}/assign`, { to: 'd1.desk2' })).toEqual({
      status: 403, body: { error: 'forbidden', message: 'only a supervisor can assign a waiting case; claim it yourself instead' },
    });
    expect(await people['d1.sup']!.json('POST', `/api/desk/handoffs/${c.handoffId}/assign`, { to: 'd2.desk' })).toEqual({
      status: 409, body: { error: 'conflict', message: "d2.desk works in D02, which does not see this case's unit D01: move the case first" },
    });
    expect(await people['d1.sup']!.json('POST', `/api/desk/handoffs/${c.handoffId}/assign`, { to: 's1.officer' })).toEqual({
      status: 400, body: { error: 'validation_error', message: 'to: s1.officer is a station_officer, not on the desk' },
    });
    const assigned = await people['d1.sup']!.json('POST', `/api/desk/handoffs/${c.handoffId}/assign`, { to: 'd1.desk2', note: '先核实是否转账' });
    expect(assigned.body.handoff).toMatchObject({ status: 'claimed', claimedBy: 'd1.desk2' });
    const mine = (await people['d1.desk2']!.json('GET', '/api/desk/queue')).body.items.find((i: { caseRef: string }) => i.caseRef === c.caseRef);
    expect(mine).toMatchObject({ mine: true, assignedBy: 'd1.sup' });

    const transfer = await people['d1.desk2']!.json('POST', `/api/desk/handoffs/${c.handoffId}/transfer`, { to: 'd1.sup', note: '已核实未转账，对方仍在催促，请接手劝阻' });
    expect(transfer.body.handoff).toMatchObject({ claimedBy: 'd1.sup' });
    // The context travels with the case: the new holder reads who had it and why on the timeline.
    const view = (await people['d1.sup']!.json('GET', `/api/desk/cases/${c.caseId}`)).body;
    expect(view.you).toMatchObject({ holdsClaim: true });
    const events = view.timeline.filter((t: { kind: string; action?: string }) => t.action === 'handoff_assigned' || t.action === 'handoff_transferred');
    expect(events.map((e: { action: string; actor: string; detail: unknown }) => [e.action, e.actor, e.detail])).toEqual([
      ['handoff_assigned', 'd1.sup', { handoffId: c.handoffId, from: null, to: 'd1.desk2', note: '先核实是否转账' }],
      ['handoff_transferred', 'd1.desk2', { handoffId: c.handoffId, from: 'd1.desk2', to: 'd1.sup', note: '已核实未转账，对方仍在催促，请接手劝阻' }],
    ]);
    // The former holder can no longer write; the new one continues the same conversation: the next text the
    // citizen receives is the officer's, not a second greeting.
    expect((await people['d1.desk2']!.json('POST', `/api/desk/cases/${c.caseId}/messages`, { body: '您好' })).status).toBe(403);
    const text = '刘先生，我是刚才接手的民警，请不要再转账。';
    expect((await people['d1.sup']!.json('POST', `/api/desk/cases/${c.caseId}/messages`, { body: text })).status).toBe(202);
    expect((await h.net.waitForSms(c.phone, { timeoutMs: 10_000 })).body).toBe(text);
    // On record: the greeting, the script's one answer, the officer's message — nothing sent again on transfer.
    const outbound = await h.store.db.selectFrom('messages').select(['author', 'body']).where('case_id', '=', c.caseId).where('direction', '=', 'out').orderBy('created_at').execute();
    expect(outbound).toHaveLength(3);
    expect(outbound[0]!.body).toContain(c.caseRef);
    expect(outbound[2]).toEqual({ author: 'd1.sup', body: text });
    expect((await h.net.inbox(c.phone)).filter((m) => m.direction === 'to-citizen' && m.text.includes(c.caseRef))).toHaveLength(1);
  });

  it("lets a supervisor take over a claimed case, not a desk officer; capacity bounds assignment", async () => {
    const c = await midScamCase({ unitCode: 'D01' });
    expect((await people['d1.desk']!.json('POST', `/api/desk/handoffs/${c.handoffId}/claim`)).status).toBe(200);
    expect(await people['d1.desk2']!.json('POST', `/api/desk/handoffs/${c.handoffId}/takeover`)).toEqual({
      status: 403, body: { error: 'forbidden', message: "only a supervisor of the case's unit can take it over" },
    });
    expect(await people['d2.desk']!.json('POST', `/api/desk/handoffs/${c.handoffId}/takeover`)).toMatchObject({ status: 403 });
    const taken = await people['d1.sup']!.json('POST', `/api/desk/handoffs/${c.handoffId}/takeover`, { note: '高风险，我来处理' });
    expect(taken.body.handoff).toMatchObject({ status: 'claimed', claimedBy: 'd1.sup' });
    expect((await people['d1.desk']!.json('GET', `/api/desk/cases/${c.caseId}`)).body.you).toMatchObject({ holdsClaim: false });
    const audit = await h.store.db.selectFrom('audit_events').select(['actor', 'detail']).where('case_id', '=', c.caseId).where('action', '=', 'handoff_taken_over').executeTakeFirstOrThrow();
    expect(audit).toEqual({ actor: 'd1.sup', detail: JSON.stringify({ handoffId: c.handoffId, from: 'd1.desk', note: '高风险，我来处理' }) });

    // d1.desk holds one case at capacity 1 once given another; a third cannot be assigned to them.
    const a = await midScamCase({ unitCode: 'D01' });
    const b = await midScamCase({ unitCode: 'D01' });
    expect((await people['d1.sup']!.json('POST', `/api/desk/handoffs/${a.handoffId}/assign`, { to: 'd1.desk' })).status).toBe(200);
    expect(await people['d1.sup']!.json('POST', `/api/desk/handoffs/${b.handoffId}/assign`, { to: 'd1.desk' })).toEqual({
      status: 409, body: { error: 'conflict', message: 'd1.desk already holds 1 of 1 cases: choose someone else or raise their capacity' },
    });
  });

  it('auto-assigns waiting cases to online officers of the unit only, within their capacity', async () => {
    // The earlier tests' waiting cases out of the way: an admin closes them.
    for (const o of await h.store.db.selectFrom('handoffs').select('id').where('status', '=', 'open').execute())
      expect((await h.stack.api('POST', `/api/desk/handoffs/${o.id}/resolve`, 'admin', { outcome: 'false_alarm' })).status).toBe(200);
    const first = await midScamCase({ unitCode: 'D02' });
    const second = await midScamCase({ unitCode: 'D02-S01' });
    const third = await midScamCase({ unitCode: 'D02' });
    // Nobody in D02 is online: the cases wait.
    expect((await h.store.db.selectFrom('handoffs').select('status').where('id', '=', first.handoffId).executeTakeFirstOrThrow()).status).toBe('open');
    expect(await people['d2.desk']!.json('PUT', '/api/org/me/presence', { presence: 'busy' })).toEqual({
      status: 400, body: { error: 'validation_error', message: 'invalid presence: presence: Invalid option: expected one of "online"|"away"' },
    });
    expect((await people['d2.desk']!.json('PUT', '/api/org/me/presence', { presence: 'online' })).body).toMatchObject({ presence: 'online' });
    // Online with capacity 2 (DESK_CAPACITY): the two most urgent, oldest first, come to d2.desk; the third waits.
    const holder = (id: string) => h.store.db.selectFrom('handoffs').select(['status', 'claimed_by', 'assigned_by']).where('id', '=', id).executeTakeFirstOrThrow();
    await eventually(async () => (await holder(second.handoffId)).claimed_by === 'd2.desk', 'the second D02 case to be auto-assigned');
    expect(await holder(first.handoffId)).toEqual({ status: 'claimed', claimed_by: 'd2.desk', assigned_by: 'auto' });
    expect(await holder(third.handoffId)).toEqual({ status: 'open', claimed_by: null, assigned_by: null });
    const me = await people['d2.desk']!.json('GET', '/api/org/me');
    expect(me.body.person).toMatchObject({ username: 'd2.desk', presence: 'online', capacity: 2, holds: 2, unit: { code: 'D02' } });
    // Away: nothing more comes, even with room again.
    expect((await people['d2.desk']!.json('PUT', '/api/org/me/presence', { presence: 'away' })).status).toBe(200);
    expect((await people['d2.desk']!.json('POST', `/api/desk/handoffs/${first.handoffId}/release`)).status).toBe(200);
    const released = await holder(first.handoffId);
    expect(released.status).toBe('open');
    // The city supervisor sees every unit: online (with room for 10), the waiting D02 cases go to them, not
    // to d2.desk, who has room again but is away.
    expect((await place('city.sup', { capacity: 10 })).status).toBe(200);
    expect((await people['city.sup']!.login('city.sup')).status).toBe(200);
    expect((await people['city.sup']!.json('PUT', '/api/org/me/presence', { presence: 'online' })).status).toBe(200);
    await eventually(async () => (await holder(first.handoffId)).claimed_by === 'city.sup' && (await holder(third.handoffId)).claimed_by === 'city.sup', 'the waiting D02 cases to go to the online city supervisor');
    const people2 = (await people['city.sup']!.json('GET', '/api/org/people')).body.people as { username: string }[];
    expect(people2.map((p) => p.username)).toEqual(expect.arrayContaining(['d1.desk', 'd2.desk', 's1.officer']));
    const d2People = (await people['d2.desk']!.json('GET', '/api/org/people')).body.people as { username: string }[];
    expect(d2People.map((p) => p.username)).toEqual(['d2.desk']);
  });
});
