/**
 * The replay's forecasts go through the serving stages in the service's order: calibration,
 * the observation floor, the trust gate (the seam where branches `models-q` and `accuracy`
 * plug in), then the planner's sizing. Real parts: a shipped minute trace, a fitted
 * seasonal-naive model, the replay.
 */
import { join } from 'node:path';
import type { Forecast, RegularSeries } from '../../models/core/forecaster';
import { SeasonalNaiveForecaster } from '../../models/seasonal-naive/seasonal-naive';
import { readSamplesFile } from '../../main/cli/read-series-file';
import { regularize } from '../../src/series/regularize';
import { serveForecast } from '../../simulate/decision-path';
import { parsePool } from '../../simulate/pool-config';
import { simulateTrace } from '../../simulate/simulate-trace';
import { TRACE_DIR } from '../helpers/trace-file';

const full = regularize(readSamplesFile(join(TRACE_DIR, 'mscm_mongodb_app_qps_01.csv')), { stepSeconds: 60, kind: 'rate', timezone: 'UTC' });
const trace: RegularSeries = { ...full, values: Array.from(full.values).slice(0, 2 * 1440) };
const noFloor = { enabled: false, horizonSeconds: 0 };

async function forecastAt(n: number): Promise<{ observed: RegularSeries; forecast: Forecast }> {
  const observed = { ...trace, values: Array.from(trace.values).slice(0, n) };
  const fitted = await new SeasonalNaiveForecaster().fit(observed);
  return { observed, forecast: fitted.predict(10, { quantiles: [0.5, 0.9] }) };
}

describe('serveForecast', () => {
  it('starts at the current step with the observed load, then the forecast steps', async () => {
    const { observed, forecast } = await forecastAt(1500);
    const served = serveForecast(forecast, observed, {}, noFloor);
    expect(served.points).toHaveLength(11);
    expect(served.points[0]!.t).toBe(observed.startMs + 1499 * 60_000);
    expect(served.points[0]!.value).toBe(observed.values[1499]);
    expect(served.points[1]!.t).toBe(forecast.startMs);
    expect(served.points[1]!.quantiles['0.9']).toBe(forecast.quantiles['0.9']![0]);
  });

  it('floors the steps within the floor horizon at the last observation, as the service does', async () => {
    const { observed, forecast } = await forecastAt(1500);
    const last = observed.values[1499] as number;
    // A forecast far below the present: the floor must lift the first 5 minutes only.
    const low: Forecast = { ...forecast, mean: forecast.mean.map(() => 0), quantiles: { '0.5': forecast.mean.map(() => 0), '0.9': forecast.mean.map(() => 0) } };
    const served = serveForecast(low, observed, {}, { enabled: true, horizonSeconds: 300 });
    const p90 = served.points.slice(1).map((p) => p.quantiles['0.9']);
    expect(p90.slice(0, 5)).toEqual([last, last, last, last, last]);
    expect(p90.slice(5)).toEqual([0, 0, 0, 0, 0]);
  });

  it('applies calibration before the gate, and a refusing gate serves the last observation with its reason', async () => {
    const { observed, forecast } = await forecastAt(1500);
    const seen: number[] = [];
    const served = serveForecast(
      forecast,
      observed,
      {
        calibrate: (f) => ({ ...f, quantiles: { ...f.quantiles, '0.9': f.quantiles['0.9']!.map((v) => v * 2) } }),
        gate: (f) => {
          seen.push(f.quantiles['0.9']![0]!);
          return { fallbackReason: 'live MASE above seasonal-naive' };
        },
      },
      noFloor,
    );
    expect(seen[0]).toBeCloseTo(forecast.quantiles['0.9']![0]! * 2, 9);
    expect(served.fallbackReason).toBe('live MASE above seasonal-naive');
    const last = observed.values[1499] as number;
    expect(new Set(served.points.map((p) => p.quantiles['0.9']))).toEqual(new Set([last]));
  });
});

describe('serveForecast under a refusing gate', () => {
  it('serves the reactive demand: the peak load over the observation-floor window, on every step, as the service publishes it', async () => {
    // The first cut after a local peak: the newest load is below one of the five before it.
    const v = Array.from(trace.values);
    let n = 1500;
    while (v[n - 1]! >= Math.max(...v.slice(n - 6, n))) n++;
    const { observed, forecast } = await forecastAt(n);
    const peak = Math.max(...v.slice(n - 6, n));
    const served = serveForecast(forecast, observed, { gate: () => ({ fallbackReason: 'held' }) }, { enabled: true, horizonSeconds: 300 });
    expect(peak).toBeGreaterThan(v[n - 1]!);
    expect(served.points).toHaveLength(11);
    expect(served.points.every((p) => p.value === peak && p.quantiles['0.9'] === peak && p.quantiles['0.5'] === peak)).toBe(true);
  });
});

describe('the replay through the seam', () => {
  // One replica serves a tenth of the trace's p95, so the plan never reaches maxReplicas.
  const sorted = Array.from(trace.values).filter(Number.isFinite).sort((a, b) => a - b);
  const pool = parsePool({ capacityPerReplica: sorted[Math.floor(sorted.length * 0.95)]! / 10, leadTime: '3m', maxReplicas: 200, costPerReplicaHour: 2.5, underProvisionCost: 10 });
  const prescale = { model: 'seasonal-naive', minHistorySeconds: 86_400 };

  it('plans from the calibrated forecast: widening the upper quantiles buys more steady cover', async () => {
    const observedLengths: number[] = [];
    const plain = await simulateTrace(trace, pool, { prescale, warmupSeconds: 86_400 });
    const widened = await simulateTrace(trace, pool, {
      prescale,
      warmupSeconds: 86_400,
      stages: {
        calibrate: (f, observed) => {
          observedLengths.push(observed.values.length);
          return { ...f, quantiles: Object.fromEntries(Object.entries(f.quantiles).map(([k, v]) => [k, Number(k) > 0.5 ? v.map((x) => x * 1.5) : v])) };
        },
      },
    });
    const steady = (r: typeof plain): number => r.policies.find((p) => p.policy === 'prescale')!.metrics.planReplicaHours;
    expect(steady(widened)).toBeGreaterThan(steady(plain) * 1.1);
    // The stage saw the history up to each present, growing, never the whole trace.
    expect(Math.max(...observedLengths)).toBeLessThanOrEqual(trace.values.length);
    expect(observedLengths[observedLengths.length - 1]).toBeGreaterThan(observedLengths[0]!);
  }, 180_000);
});
