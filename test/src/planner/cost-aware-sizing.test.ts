/**
 * Cost-aware sizing (issue 15 item 4): a pool with `underProvisionCost` is sized at the
 * newsvendor quantile u / (u + c) of the forecast, interpolated between the served quantiles,
 * with no headroom, and the plan's reason says which quantile and why. Real parts: the config
 * parser and the plan service over a published forecast view.
 */
import { parseConfig } from '../../../src/config/load-config';
import { PrescaleError } from '../../../src/errors/prescale-error';
import type { PublishedForecast } from '../../../src/forecast/published-forecast';
import { PlanService } from '../../../src/planner/plan-service';
import { demandSizing, levelsRead, newsvendorLevel, sizedDemand, valueAtLevel } from '../../../src/planner/sizing';

const T0 = Date.parse('2026-12-01T09:00:00Z');

function forecastView(series: string, quantiles: (i: number) => Record<string, number>): PublishedForecast {
  const points = Array.from({ length: 61 }, (_, i) => ({ t: T0 + i * 60_000, value: quantiles(i)['0.5'] ?? 0, quantiles: quantiles(i) }));
  return { series, model: 'seasonal', generatedAtMs: T0, stepSeconds: 60, horizonSeconds: 3600, lastObserved: { t: T0 - 60_000, v: 100 }, stale: false, points };
}

describe('the newsvendor level', () => {
  it('is u / (u + c) and the reason line shows the arithmetic', () => {
    expect(newsvendorLevel(6.5, 1)).toBeCloseTo(0.8667, 4);
    const s = demandSizing({ quantile: 0.9, costPerReplicaHour: 1, underProvisionCost: 6.5 }, [0.5, 0.9, 0.95]);
    expect(s.quantile).toBeCloseTo(6.5 / 7.5, 9);
    expect(s.why).toBe('newsvendor q0.867 = u/(u+c) = 6.5/(6.5+1)');
  });

  it('is clamped to the quantiles the series serves, and says so', () => {
    const s = demandSizing({ quantile: 0.9, costPerReplicaHour: 1, underProvisionCost: 99 }, [0.5, 0.9]);
    expect(s.quantile).toBe(0.9);
    expect(s.why).toContain('clamped to the served q0.9');
    expect(demandSizing({ quantile: 0.9, costPerReplicaHour: 3, underProvisionCost: 1 }, [0.5, 0.9]).quantile).toBe(0.5);
  });

  it('keeps the pool quantile when no underProvisionCost is set', () => {
    expect(demandSizing({ quantile: 0.9, costPerReplicaHour: 2.5 }, [0.5, 0.9])).toEqual({ quantile: 0.9, why: 'q0.9 (pool quantile)' });
  });
});

describe('reading a level between served quantiles', () => {
  it('interpolates linearly and clamps outside the served range', () => {
    const q = { '0.5': 100, '0.9': 140 };
    expect(valueAtLevel(q, 0.8, 0)).toBeCloseTo(130, 9);
    expect(valueAtLevel(q, 0.3, 0)).toBe(100);
    expect(valueAtLevel(q, 0.99, 0)).toBe(140);
    expect(valueAtLevel({}, 0.8, 42)).toBe(42);
  });

  it('never decreases with the level when the model crosses its quantiles', () => {
    const crossed = { '0.5': 100, '0.8': 90, '0.9': 140 };
    const levels = [0.5, 0.6, 0.7, 0.8, 0.85, 0.9];
    const values = levels.map((l) => valueAtLevel(crossed, l, 0));
    for (let i = 1; i < values.length; i++) expect(values[i]).toBeGreaterThanOrEqual(values[i - 1]!);
  });

  it('reads only the served levels around the sizing level, and gives the same value from them alone', () => {
    const served = [0.5, 0.7, 0.8, 0.9, 0.95];
    expect(levelsRead(served, 0.87)).toEqual([0.8, 0.9]);
    expect(levelsRead(served, 0.9)).toEqual([0.9]);
    expect(levelsRead(served, 0.3)).toEqual([0.5]);
    expect(levelsRead(served, 0.99)).toEqual([0.95]);
    const all = { '0.5': 100, '0.7': 118, '0.8': 126, '0.9': 140, '0.95': 151 };
    const subset = { '0.8': 126, '0.9': 140 };
    expect(valueAtLevel(subset, 0.87, 0)).toBeCloseTo(valueAtLevel(all, 0.87, 0), 9);
  });

  it('sizes every step of a forecast at the same level', () => {
    const view = forecastView('rps', (i) => ({ '0.5': 100 + i, '0.9': 140 + i }));
    const { demand, sizing } = sizedDemand(view.points, { quantile: 0.9, costPerReplicaHour: 1, underProvisionCost: 3 });
    expect(sizing.quantile).toBe(0.75);
    expect(demand[10]!.value).toBeCloseTo(110 + 40 * 0.625, 9);
  });
});

describe('a cost-aware pool in the plan service', () => {
  const config = parseConfig({
    series: [{ name: 'rps', step: '1m', horizon: '1h' }],
    pools: [
      { name: 'gpu-cost', series: 'rps', capacityPerReplica: 10, leadTime: '2m', maxReplicas: 50, minReplicas: 0, costPerReplicaHour: 1, underProvisionCost: 3, headroom: 0.5 },
      { name: 'gpu-quantile', series: 'rps', capacityPerReplica: 10, leadTime: '2m', maxReplicas: 50, minReplicas: 0, costPerReplicaHour: 1, quantile: 0.9, headroom: 0.1 },
    ],
  });
  const view = forecastView('rps', () => ({ '0.5': 100, '0.9': 140 }));
  const plans = new PlanService({ config, forecasts: { forecast: () => view }, clock: { now: () => T0 + 5_000 } }).plan();

  it('sizes at the newsvendor quantile without headroom, and says which quantile and why', () => {
    const pool = plans.pools.find((p) => p.pool === 'gpu-cost')!;
    // q0.75 between q0.5 = 100 and q0.9 = 140 is 125: ⌈125 / 10⌉ = 13 (headroom 0.5 is not used).
    expect(pool.steps[0]!.replicas).toBe(13);
    expect(pool.steps[0]!.reason.term).toBe('forecast');
    expect(pool.steps[0]!.reason.detail).toContain('newsvendor q0.75 = u/(u+c) = 3/(3+1)');
    expect(pool.steps[0]!.reason.values['quantile']).toBe(0.75);
    expect(pool.forecast.quantile).toBe(0.75);
  });

  it('leaves a pool without underProvisionCost on its quantile plus headroom', () => {
    const pool = plans.pools.find((p) => p.pool === 'gpu-quantile')!;
    expect(pool.steps[0]!.replicas).toBe(Math.ceil((140 * 1.1) / 10));
    expect(pool.forecast.quantile).toBe(0.9);
  });
});

describe('config rules of cost-aware sizing', () => {
  const base = { name: 'p', series: 'rps', capacityPerReplica: 10, maxReplicas: 5 };
  it('refuses underProvisionCost without a replica price, naming the field', () => {
    try {
      parseConfig({ series: [{ name: 'rps', step: '1m' }], pools: [{ ...base, underProvisionCost: 5 }] });
      throw new Error('accepted');
    } catch (err) {
      expect(err).toBeInstanceOf(PrescaleError);
      expect((err as Error).message).toContain('pools[0].underProvisionCost');
      expect((err as Error).message).toContain('costPerReplicaHour > 0');
    }
  });

  it('does not require the series to serve `quantile` when the pool is cost-aware', () => {
    expect(() => parseConfig({ series: [{ name: 'rps', step: '1m' }], pools: [{ ...base, quantile: 0.8 }] })).toThrow(/does not serve quantile 0.8/);
    expect(() => parseConfig({ series: [{ name: 'rps', step: '1m' }], pools: [{ ...base, quantile: 0.8, costPerReplicaHour: 2, underProvisionCost: 8 }] })).not.toThrow();
  });
});
