import { CAPACITY_PER_REPLICA, type DegradationService, startDegradationService } from '../../helpers/degradation-service';

/**
 * docs/degradation.md, rows 1 and 2, over real HTTP: the source stops, the series goes stale,
 * and every consumer (REST, the metric the HPA and KEDA read, the plan and its metric) keeps a
 * value that never drops below the last observation, nor scales the pool down.
 */
const MINUTE = 60_000;

interface Point {
  t: string;
  value: number;
  quantiles: Record<string, number>;
}
interface ForecastBody {
  model: string;
  stale: boolean;
  fallbackReason?: string;
  lastObserved: { t: string; v: number };
  points: Point[];
}
interface PlanBody {
  forecast: { stale: boolean };
  steps: { replicas: number; reason: string }[];
}

let svc: DegradationService;
beforeEach(async () => {
  svc = await startDegradationService();
});
afterEach(() => svc.close());

async function read() {
  const forecast = (await svc.get('/v1/forecasts/api')).body as unknown as ForecastBody;
  const plan = (await svc.get('/v1/plans/gpu')).body as unknown as PlanBody;
  const metric = (await svc.get('/v1/metrics-api/api')).body as { value: number; stale: boolean; fallback?: string };
  const planMetric = (await svc.get('/v1/metrics-api/prescale-plan-gpu')).body as { value: number; stale: boolean };
  return { forecast, plan, metric, planMetric };
}

describe('row 1: source down, series stale, within the horizon', () => {
  it('serves the last good forecast floored at the last observation, flagged stale', async () => {
    const fresh = await read();
    expect(fresh.forecast.stale).toBe(false);

    svc.clock.advance(10 * MINUTE); // staleAfter is 5 steps: stale, and the forecast still covers 20 of the 30 minutes
    const stale = await read();

    const last = stale.forecast.lastObserved.v;
    const before = new Map(fresh.forecast.points.map((p) => [p.t, p]));
    expect(stale.forecast.stale).toBe(true);
    expect(stale.forecast.fallbackReason).toMatch(/stale input/);
    const covered = stale.forecast.points.filter((p) => before.has(p.t));
    expect(covered.length).toBeGreaterThanOrEqual(20);
    for (const p of covered) {
      const was = before.get(p.t) as Point;
      expect(p.value).toBeCloseTo(Math.max(was.value, last), 9);
      expect(p.quantiles['0.9']).toBeCloseTo(Math.max(was.quantiles['0.9'] as number, last), 9);
    }
    // The load is rising: the last good forecast, not a flat line, is what is served.
    expect(Math.max(...covered.map((p) => p.value))).toBeGreaterThan(last + 1);
    expect(stale.metric).toMatchObject({ stale: true, fallback: 'stale' });
    expect(stale.metric.value).toBeGreaterThan(last);
    expect(stale.planMetric.stale).toBe(true);
  });
});

describe('row 2: stale longer than the horizon', () => {
  it('serves flat points at the last observation, never none, and the plan holds at least what the last observation needs', async () => {
    const fresh = await read();
    const freshPlanned = fresh.plan.steps[0]!.replicas;

    svc.clock.advance(3 * 60 * MINUTE); // far past the 30m horizon and its serving margin
    const stale = await read();

    const last = stale.forecast.lastObserved.v;
    expect(stale.forecast.stale).toBe(true);
    expect(stale.forecast.points).toHaveLength(31);
    for (const p of stale.forecast.points) expect(p).toMatchObject({ value: last, quantiles: { '0.5': last, '0.9': last } });
    expect(stale.metric).toMatchObject({ value: last, stale: true, fallback: 'stale' });

    const needed = Math.ceil(last / CAPACITY_PER_REPLICA);
    expect(stale.plan.forecast.stale).toBe(true);
    for (const s of stale.plan.steps) expect(s.replicas).toBeGreaterThanOrEqual(Math.max(needed, freshPlanned));
    // Never a scale-down on stale input: the plan metric the HPA reads holds the last fresh plan.
    expect(stale.planMetric).toMatchObject({ stale: true, value: stale.plan.steps[0]!.replicas });
    expect(stale.planMetric.value).toBeGreaterThanOrEqual(freshPlanned);
    expect(stale.planMetric.value).toBeGreaterThan(1);
  });

  it('holds the plan at the current replicas the actuator reports while stale', async () => {
    await read();
    svc.clock.advance(3 * 60 * MINUTE);

    svc.running.app.plans.reportContext({ currentReplicas: new Map([['gpu', 40]]) });
    const stale = await read();

    expect(stale.plan.steps.every((s) => s.replicas === 40 && s.reason === 'stale-hold')).toBe(true);
    expect(stale.planMetric.value).toBe(40);
  });
});
