// /metrics for Prometheus: queue depths, job failures, webhook latency, classifier latency, open
// handoffs by priority and SLA breaches, read from a live server. The web role runs alone at first, so
// a queued job stays queued; a worker then starts in the same process, which is what `npm start` runs
// (job timings are counted in the process that runs the jobs).
import { start, type Running } from '../../server/main';
import { connectRedis, type RedisConnections } from '../../server/jobs/redis';
import { createQueues, type Queues } from '../../server/jobs/queues';
import { sqliteDatabase } from '../support/databases';
import { REDIS_URL } from '../support/stack';
import { managerFetch, startHarness, type Harness } from './manager-harness';

describe('/metrics', () => {
  let h: Harness;
  let redis: RedisConnections;
  let queues: Queues;
  let worker: Running | undefined;
  beforeAll(async () => {
    h = await startHarness(sqliteDatabase(), { role: 'web' });
    // A producer of our own, as the intake of another web process would be.
    redis = connectRedis(REDIS_URL);
    queues = createQueues(redis, h.stack.prefix);
  });
  afterAll(async () => {
    await worker?.stop();
    await queues?.close().catch(() => undefined);
    await redis?.close();
    await h?.close();
  });
  const scrape = async () => (await managerFetch(h, '/metrics')).text();
  const until = async (pattern: string) => {
    for (;;) {
      const text = await scrape();
      if (text.includes(pattern)) return text;
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  it('needs a manager or admin API key', async () => {
    const anon = await fetch(`${h.url}/metrics`);
    expect(anon.status).toBe(401);
    const intake = await managerFetch(h, '/metrics', { as: 'intake' });
    expect(intake.status).toBe(403);
    expect(await intake.json()).toEqual({ error: 'forbidden', message: 'role intake may not do this; needs manager' });
  });

  it('shows queue depths and the age of the oldest waiting job', async () => {
    await queues.delivery.add({ outboxId: 'not-a-row', due: new Date().toISOString() }, { timestamp: Date.now() - 90_000 } as never);
    const text = await scrape();
    expect(text).toContain('quanzu_queue_jobs{queue="delivery",state="waiting"} 1');
    expect(text).toContain('quanzu_queue_jobs{queue="cases",state="waiting"} 0');
    const age = Number(/quanzu_queue_oldest_waiting_seconds\{queue="delivery"\} ([\d.]+)/.exec(text)![1]);
    expect(age).toBeGreaterThanOrEqual(90);
    await queues.delivery.empty();
  });

  it('counts open handoffs by priority and those past their SLA', async () => {
    const past = new Date(Date.now() - 60_000).toISOString();
    const later = new Date(Date.now() + 600_000).toISOString();
    await h.store.db
      .insertInto('cases')
      .values(['a', 'b'].map((k, i) => ({ id: `00000000-0000-4000-8000-00000000000${k}`, case_ref: `QZMETRIC${k.toUpperCase()}`, phone: `+86138001380${i}0`, status: 'open' as const, locale: 'zh', scam_type: 'loan', risk_level: 'high', warning_count: 1, relatives: '[]', opted_out: 0, opened_at: past, updated_at: past })))
      .execute();
    await h.store.db
      .insertInto('handoffs')
      .values([
        { id: '40000000-0000-4000-8000-000000000001', case_id: '00000000-0000-4000-8000-00000000000a', reason: 'already_paid', priority: 100, status: 'open', sla_due_at: past, escalated_at: past, created_at: past },
        { id: '40000000-0000-4000-8000-000000000002', case_id: '00000000-0000-4000-8000-00000000000b', reason: 'mid_scam', priority: 80, status: 'claimed', claimed_by: 'officer1', claimed_at: past, sla_due_at: later, created_at: past },
      ])
      .execute();
    const text = await scrape();
    expect(text).toContain('quanzu_handoffs_open{priority="100",status="open"} 1');
    expect(text).toContain('quanzu_handoffs_open{priority="80",status="claimed"} 1');
    expect(text).toContain('quanzu_handoffs_sla_breached{priority="100"} 1');
    expect(text).toContain('quanzu_handoffs_sla_breached{priority="80"} 0');
    expect(text).toContain('quanzu_handoffs_escalated_24h{priority="100"} 1');
  });

  it('times webhooks by route and status', async () => {
    const forged = await fetch(`${h.url}/webhooks/twilio/sms`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'From=%2B8613800138000&Body=hi&MessageSid=SM1' });
    expect(forged.status).toBe(403);
    expect(await scrape()).toContain('quanzu_webhook_duration_seconds_count{route="/webhooks/twilio/sms",status="403"} 1');
  });

  it('times the classifier', async () => {
    const yaml = (await h.store.db.selectFrom('flow_versions').select('yaml').where('flow_id', '=', 'fallback').executeTakeFirstOrThrow()).yaml;
    const first = await (await managerFetch(h, '/api/flows/fallback/try', { method: 'POST', body: { yaml, locale: 'zh', channel: 'sms' } })).json();
    await managerFetch(h, '/api/flows/fallback/try', { method: 'POST', body: { yaml, locale: 'zh', channel: 'sms', state: first.state, input: { text: '没有，我没转钱' } } });
    expect(await scrape()).toContain('quanzu_classifier_duration_seconds_count 1');
  });

  it('counts job failures, final ones apart, on the worker process own metrics port', async () => {
    worker = await start('worker', { ...h.stack.env, WORKER_METRICS_PORT: '0' });
    const workerUrl = `http://127.0.0.1:${worker.port}`;
    expect((await fetch(`${workerUrl}/healthz`)).status).toBe(200);
    expect((await fetch(`${workerUrl}/metrics`)).status).toBe(401);
    await queues.cases.add('triage', { nonsense: true } as never, { attempts: 1 });
    const text = await until('quanzu_job_failures_total{queue="cases",name="triage",final="true"} 1');
    expect(text).toContain('quanzu_job_duration_seconds_count{queue="cases",name="triage",result="dropped"} 1');
    const own = await (await fetch(`${workerUrl}/metrics`, { headers: { authorization: `Bearer ${h.stack.keys.manager}` } })).text();
    expect(own).toContain('quanzu_job_failures_total{queue="cases",name="triage",final="true"} 1');
  });

  it('shows which flow version is published', async () => {
    expect(await scrape()).toContain('quanzu_flow_published_version{flow="fallback"} 1');
  });
});
