import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../../src/config/load-config';
import { DecisionCalibrator } from '../../../src/decision-calibration/decision-calibrator';
import { JsonFileCalibrationStore } from '../../../src/decision-calibration/json-file-calibration-store';
import type { PublishedForecast } from '../../../src/forecast/published-forecast';
import { PlanService } from '../../../src/planner/plan-service';
import { createLogger } from '../../../src/telemetry/logger';
import { ManualClock } from '../../helpers/manual-clock';

/**
 * Which plans the plan service hands to decision calibration: each step's `current()` plan made
 * from the series' own forecast, not a stale one, not one the trust gate holds at the reactive
 * demand, and not a what-if `plan()`. Real parts: the config parser, the plan service, the
 * calibrator with its JSON file in a temporary dir; the forecast views are built here.
 */
const MINUTE = 60_000;
const T0 = Date.parse('2026-12-01T09:00:10Z');
const config = parseConfig({
  series: [{ name: 'rps', step: '1m', horizon: '10m', quantiles: [0.5, 0.9] }],
  pools: [{ name: 'gpu', series: 'rps', capacityPerReplica: 10, headroom: 0, leadTime: '1m', minReplicas: 0, maxReplicas: 100, costPerReplicaHour: 1, underProvisionCost: 9, calibrateDecisions: true }],
});

/** Observed 100 now; the forecast's q0.9 at 200 (20 replicas, above the reactive cover of 10). */
function view(nowMs: number, observed: number, extra: Partial<PublishedForecast> = {}): PublishedForecast {
  const from = Math.floor(nowMs / MINUTE) * MINUTE;
  const points = Array.from({ length: 11 }, (_, i) => ({ t: from + i * MINUTE, value: 150, quantiles: { '0.5': 150, '0.9': 200 } }));
  return { series: 'rps', model: 'seasonal', generatedAtMs: nowMs, stepSeconds: 60, horizonSeconds: 600, lastObserved: { t: from, v: observed }, stale: false, points, ...extra };
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'prescale-plan-calibration-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function setup() {
  const clock = new ManualClock(T0);
  const calibration = new DecisionCalibrator({ pools: config.pools, store: new JsonFileCalibrationStore(join(dir, 'c.json')), clock, logger: createLogger({ level: 'silent' }), recentWindowSeconds: 300 });
  let next = view(T0, 100);
  const plans = new PlanService({ config, clock, forecasts: { forecast: () => next }, calibration });
  /** The next minute: a new view (observed load `observed`, `extra` fields), read by the HPA. */
  const step = (observed: number, extra: Partial<PublishedForecast> = {}, read: 'current' | 'plan' = 'current') => {
    clock.advance(MINUTE);
    next = view(clock.now(), observed, extra);
    return (read === 'current' ? plans.current() : plans.plan()).pools[0]!.forecast.decisionCalibration!;
  };
  return { plans, step };
}

it('scores each binding current() plan one lead time later against the observed load', () => {
  const { plans, step } = setup();
  expect(plans.current().pools[0]!.steps[0]!.replicas).toBe(20);
  // 250 > 20 × 10: the decision of the minute before missed.
  expect(step(250)).toMatchObject({ scored: 1, missed: 1 });
  // For five minutes the reactive cover holds that peak, ⌈250 / 10⌉ = 25 replicas: the plan's 20 do not bind.
  expect(step(150)).toMatchObject({ scored: 1, missed: 1 });
  for (let i = 0; i < 4; i++) expect(step(100)).toMatchObject({ scored: 1 });
  // The peak has left the window (cover ⌈150 / 10⌉ = 15): this plan binds, and the next minute's 100 it covers.
  step(100);
  expect(step(100)).toMatchObject({ scored: 2, missed: 1 });
});

it.each([
  ['stale', { stale: true }],
  ['held by the trust gate', { trustFallback: { reason: 'coverage' as const, detail: 'q0.9 coverage 0.4 < 0.7', sinceMs: T0 } }],
])('does not note a plan while the series is %s', (_what, extra) => {
  const { step } = setup();
  // The first plan (fresh) was never read, so nothing is pending; this one is not the forecast's.
  step(100, extra);
  expect(step(500)).toMatchObject({ scored: 0, missed: 0 });
});

it('does not note a what-if plan()', () => {
  const { step } = setup();
  step(100, {}, 'plan');
  expect(step(500, {}, 'plan')).toMatchObject({ scored: 0, missed: 0 });
});
