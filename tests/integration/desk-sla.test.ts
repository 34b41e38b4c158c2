// SLA: an unclaimed handoff past its deadline is escalated once, audited, and announced to every desk.
import type { Store } from '../../server/store/db';
import { LiveEvents, type LiveEvent } from '../../server/events';
import { escalateOverdueHandoffs } from '../../server/jobs/sla';
import { handOff } from '../../server/cases/handoff';
import { claimHandoff } from '../../server/store/repositories/handoffs';
import { storeWarning, validateWarning } from '../../server/cases/intake';
import { ENGINES, type TestDatabase } from '../support/databases';

describe.each(ENGINES)('SLA escalation on %s', (_name, make) => {
  let db: TestDatabase;
  let store: Store;
  const events = new LiveEvents(undefined, 'sla-test');
  const heard: LiveEvent[] = [];
  events.on('event', (e: LiveEvent) => heard.push(e));

  async function handoff(phone: string, reason: 'already_paid' | 'mid_scam' | 'review'): Promise<{ caseId: string; handoffId: string }> {
    const v = validateWarning({ source: 'sla', externalId: phone, phone, riskLevel: 'high' }, 'CN');
    if (!v.ok) throw new Error(v.reason);
    const r = await storeWarning(store.db, 0, v.value, 'test');
    if (r.status !== 'accepted') throw new Error('not accepted');
    const { handoffId } = await handOff(store.db, undefined, { caseId: r.caseId, reason, riskLevel: 'high', actor: 'test' });
    return { caseId: r.caseId, handoffId };
  }
  const minutesFromNow = (m: number) => new Date(Date.now() + m * 60_000).toISOString();

  beforeAll(async () => {
    db = make();
    store = await db.open();
  });
  afterAll(async () => {
    await store.close();
    await db.cleanup();
  });

  it('escalates only unclaimed handoffs past their deadline, once, and tells the desks', async () => {
    const paid = await handoff('+8613800138001', 'already_paid'); // due in 2 min
    const scam = await handoff('+8613800138002', 'mid_scam'); // due in 5 min
    const claimed = await handoff('+8613800138003', 'already_paid');
    await claimHandoff(store.db, claimed.handoffId, 'alice');

    // Three minutes later: the already-paid one is late, the mid-scam one is not yet, the claimed one is being handled.
    const at = minutesFromNow(3);
    expect(await escalateOverdueHandoffs({ store, events }, at)).toBe(1);
    expect(heard).toEqual([{ type: 'handoff', handoffId: paid.handoffId, caseId: paid.caseId, change: 'escalated' }]);
    const rows = await store.db.selectFrom('handoffs').select(['id', 'escalated_at']).execute();
    const byId = Object.fromEntries(rows.map((r) => [r.id, r.escalated_at]));
    expect(byId[paid.handoffId]).toBe(at);
    expect(byId[scam.handoffId]).toBeNull();
    expect(byId[claimed.handoffId]).toBeNull();
    const audit = await store.db.selectFrom('audit_events').selectAll().where('action', '=', 'handoff_escalated').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ case_id: paid.caseId, actor: 'sla' });
    expect(JSON.parse(audit[0]!.detail!)).toMatchObject({ handoffId: paid.handoffId, reason: 'already_paid', priority: 100 });

    // The next check does not announce it again.
    expect(await escalateOverdueHandoffs({ store, events }, minutesFromNow(4))).toBe(0);
    expect(heard).toHaveLength(1);

    // Past the mid-scam deadline too.
    expect(await escalateOverdueHandoffs({ store, events }, minutesFromNow(6))).toBe(1);
    expect(heard.at(-1)).toEqual({ type: 'handoff', handoffId: scam.handoffId, caseId: scam.caseId, change: 'escalated' });
  });
});
