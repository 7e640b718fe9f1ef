import { parseConfig } from '../../../src/config/load-config';
import type { PublishedForecast } from '../../../src/forecast/published-forecast';
import { PlanService } from '../../../src/planner/plan-service';
import { staleHoldReplicas } from '../../../src/planner/stale-hold';
import { ManualClock } from '../../helpers/manual-clock';

/** Safety rule 2 for plans (docs/degradation.md, row 2): stale input never scales a pool down. */
const NOW = Date.parse('2026-12-01T09:00:10Z');
const MINUTE = 60_000;
const config = parseConfig({
  series: [{ name: 'rps', step: '1m', horizon: '10m' }],
  pools: [{ name: 'gpu', series: 'rps', capacityPerReplica: 10, headroom: 0, leadTime: '1m', minReplicas: 1, maxReplicas: 30, scaleDown: { stabilizationWindow: '1s', maxStepDown: 100 } }],
});

/** A flat published forecast at `load`, as the forecast reader hands it (fresh, or stale at the last observation). */
function flat(load: number, stale: boolean, nowMs: number): PublishedForecast {
  const from = Math.floor(nowMs / MINUTE) * MINUTE;
  const points = Array.from({ length: 11 }, (_, i) => ({ t: from + i * MINUTE, value: load, quantiles: { '0.9': load } }));
  return { series: 'rps', model: 'seasonal', generatedAtMs: nowMs, stepSeconds: 60, horizonSeconds: 600, lastObserved: { t: nowMs, v: load }, stale, points };
}

function setup() {
  const clock = new ManualClock(NOW);
  let next = flat(200, false, NOW);
  const plans = new PlanService({ config, clock, forecasts: { forecast: () => next } });
  const serve = (load: number, stale: boolean) => {
    clock.advance(MINUTE);
    next = flat(load, stale, clock.now());
    return plans.current().pools[0]!.steps;
  };
  return { plans, serve };
}

describe('stale hold', () => {
  it.each([
    [{ stale: false, previousPlanned: 9, currentReplicas: 12 }, undefined],
    [{ stale: true }, undefined],
    [{ stale: true, previousPlanned: 9 }, 9],
    [{ stale: true, previousPlanned: 9, currentReplicas: 12 }, 12],
    [{ stale: true, previousPlanned: 14, currentReplicas: 12 }, 14],
  ])('staleHoldReplicas(%p) is %p', (input, expected) => {
    expect(staleHoldReplicas(input)).toBe(expected);
  });

  it('while the input is stale, no step of the plan is below the previous plan, even when the last observation asks for less', () => {
    const { plans, serve } = setup();
    expect(plans.current().pools[0]!.steps[0]!.replicas).toBe(20);

    const stale = serve(40, true);

    expect(stale.every((s) => s.replicas === 20 && s.reason.term === 'stale-hold')).toBe(true);
    expect(serve(40, true).every((s) => s.replicas === 20)).toBe(true);
  });

  it('rises with a stale forecast that asks for more, and keeps that', () => {
    const { serve } = setup();
    serve(200, false);

    expect(serve(250, true)[0]!.replicas).toBe(25);
    expect(serve(40, true)[0]!.replicas).toBe(25);
  });

  it('is gone on the first fresh input: the plan scales down again', () => {
    const { plans, serve } = setup();
    plans.current();
    expect(serve(40, true)[0]!.replicas).toBe(20);

    expect(serve(40, false)[0]!.replicas).toBe(4);
  });

  it('holds the reported current replicas, and a quota still cuts the hold', () => {
    const { plans, serve } = setup();
    plans.reportContext({ currentReplicas: new Map([['gpu', 26]]) });
    expect(serve(40, true)[0]!.replicas).toBe(26);

    plans.reportContext({ currentReplicas: new Map([['gpu', 45]]) });
    expect(serve(40, true)[0]).toMatchObject({ replicas: 30, reason: { term: 'quota:maxReplicas' } });
  });
});
