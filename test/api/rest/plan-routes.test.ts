import type { RunningService } from '../../../main/serve';
import { recentSamples, startService, tempDir } from '../../helpers/test-server';

describe('GET /v1/plans/{pool}', () => {
  const dir = tempDir('plans');
  let service: RunningService & { url: string };

  beforeAll(async () => {
    service = await startService(dir.path, {
      pools: [{ name: 'gpu-api', series: 'api-rps', capacityPerReplica: 5, leadTime: '3m', headroom: 0.2, minReplicas: 2, maxReplicas: 40, priority: 1 }],
      quotas: { maxStepUp: 4 },
    });
    const res = await fetch(`${service.url}/v1/series/api-rps/samples`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(recentSamples(3 * 1440)) });
    expect(res.status).toBeLessThan(300);
    // wait until the forecast behind the plan is there
    for (let i = 0; i < 100; i++) {
      if ((await fetch(`${service.url}/v1/forecasts/api-rps`)).status === 200) break;
      await new Promise((r) => setTimeout(r, 100));
    }
  });

  afterAll(async () => {
    await service.stop();
    dir.remove();
  });

  it('returns a replica count and a reason for every step of the horizon', async () => {
    const res = await fetch(`${service.url}/v1/plans/gpu-api`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { pool: string; step: number; horizon: number; forecast: { model: string }; steps: { t: string; replicas: number; reason: string; detail: string }[] };
    expect(body).toMatchObject({ pool: 'gpu-api', step: 60, horizon: 1800 });
    expect(body.forecast.model).toBeTruthy();
    expect(body.steps.length).toBeGreaterThanOrEqual(30);
    for (const s of body.steps) {
      expect(Number.isInteger(s.replicas) && s.replicas >= 2 && s.replicas <= 40).toBe(true);
      expect(['forecast', 'min', 'stabilize', 'quota:maxStepUp']).toContain(s.reason);
      expect(s.detail.length).toBeGreaterThan(0);
    }
    for (let i = 1; i < body.steps.length; i++) expect(body.steps[i]!.replicas - body.steps[i - 1]!.replicas).toBeLessThanOrEqual(4);
  });

  it('shows the plan as a table when asked for text', async () => {
    const res = await fetch(`${service.url}/v1/plans/gpu-api`, { headers: { accept: 'text/plain' } });
    expect(res.headers.get('content-type')).toMatch(/text\/plain/);
    const text = await res.text();
    expect(text).toContain('pool gpu-api');
    expect(text).toMatch(/time \(UTC\)\s+replicas\s+reason/);
  });

  it('answers 404 problem+json for an unknown pool', async () => {
    const res = await fetch(`${service.url}/v1/plans/nope`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(await res.json()).toMatchObject({ code: 'POOL_NOT_FOUND', field: 'pool' });
  });

  it('publishes the current planned replicas as the metric prescale-plan-<pool> (for HPA/KEDA with target AverageValue 1)', async () => {
    const plan = (await (await fetch(`${service.url}/v1/plans/gpu-api`)).json()) as { steps: { replicas: number }[] };
    const res = await fetch(`${service.url}/v1/metrics-api/prescale-plan-gpu-api`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { metric: string; value: number };
    expect(body.metric).toBe('prescale-plan-gpu-api');
    expect(body.value).toBe(plan.steps[0]!.replicas);
  });
});
