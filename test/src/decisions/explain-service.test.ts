import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../../src/config/load-config';
import { DecisionRecorder } from '../../../src/decisions/decision-recorder';
import { ExplainService } from '../../../src/decisions/explain-service';
import { SqliteDecisionStore } from '../../../src/decisions/sqlite-decision-store';
import type { PublishedForecast } from '../../../src/forecast/published-forecast';
import { PlanService } from '../../../src/planner/plan-service';
import { createLogger } from '../../../src/telemetry/logger';

const T0 = Date.parse('2026-12-01T09:50:00Z');
let now = T0;
const clock = { now: () => now };

/** 100 requests/s for the next hour: with 20 per replica and no headroom the forecast alone asks 5. */
const forecasts = {
  forecast(series: string): PublishedForecast {
    const points = Array.from({ length: 61 }, (_, i) => ({ t: now + i * 60_000, value: 100, quantiles: { '0.5': 100, '0.9': 100 } }));
    return { series, model: 'seasonal', generatedAtMs: now, stepSeconds: 60, horizonSeconds: 3600, lastObserved: { t: now, v: 100 }, stale: false, points };
  },
};

const config = parseConfig({
  series: [{ name: 'rps', step: '1m', horizon: '1h' }],
  pools: [{ name: 'gpu', series: 'rps', capacityPerReplica: 20, headroom: 0, leadTime: '10m', maxReplicas: 16 }],
  events: [{ name: 'launch', start: '2026-12-01T10:00:00Z', end: '2026-12-01T12:00:00Z', floor: { gpu: 9 } }],
  quotas: { maxGpus: 30 },
});

describe('explaining a pool at a time', () => {
  let dir: string;
  let store: SqliteDecisionStore;
  beforeEach(() => {
    now = T0;
    dir = mkdtempSync(join(tmpdir(), 'prescale-explain-'));
    store = new SqliteDecisionStore(join(dir, 'decisions.sqlite'));
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('explains a step of the current plan: the event ahead, its lead time, the forecast alone and the quota', () => {
    const plans = new PlanService({ config, forecasts, clock });
    const answer = new ExplainService({ config, plans, forecasts, decisions: store }).explain('gpu', T0);
    expect(answer.source).toBe('plan');
    expect(answer.text).toBe(
      "At 09:50 UTC the pool gpu goes to 9 replicas because the event `launch` starts at 10:00 UTC and the pool's lead time is 10m, so its floor of 9 is warmed up ahead. The forecast alone asked for 5. The GPU quota (30) was not binding: all pools plan 9 GPUs at this step.",
    );
  });

  it('explains an earlier time from the decision recorded then, after the plan has moved on', () => {
    const plans = new PlanService({ config, forecasts, clock });
    const recorder = new DecisionRecorder({ store, pools: config.pools, quotas: config.quotas, forecasts, clock, logger: createLogger({ level: 'silent' }), identity: 'p-0' });
    const set = plans.current();
    const step = set.pools[0]!.steps[0]!;
    const id = recorder.record({ set, context: {} }, { pool: 'gpu', mode: 'advisory', target: { kind: 'Deployment', namespace: 'prod', name: 'b', field: 'spec.replicas' }, from: 1, to: step.replicas, outcome: 'advisory', step });
    now = T0 + 3 * 3_600_000;
    const answer = new ExplainService({ config, plans, forecasts, decisions: store }).explain('gpu', T0 + 30_000);
    expect(answer).toMatchObject({ source: 'decision', decision: id, replicas: 9, previousReplicas: 1 });
    expect(answer.sentences[0]).toMatch(/event `launch` starts at 10:00 UTC/);
    expect(() => new ExplainService({ config, plans, forecasts, decisions: store }).explain('gpu', T0 - 60_000)).toThrow(/no decision was recorded/);
    expect(() => new ExplainService({ config, plans, forecasts, decisions: store }).explain('nope', T0)).toThrow(/not configured/);
  });
});
