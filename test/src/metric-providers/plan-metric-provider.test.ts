import { parseConfig } from '../../../src/config/load-config';
import { PrescaleError } from '../../../src/errors/prescale-error';
import { PLAN_METRIC_PREFIX, PlanMetricProvider } from '../../../src/metric-providers/plan-metric-provider';
import { PlanService } from '../../../src/planner/plan-service';

const now = Date.parse('2026-12-01T08:58:00Z');
const config = parseConfig({
  series: [{ name: 'generate-rps', step: '1m', horizon: '1h' }],
  pools: [{ name: 'gpu-generate', series: 'generate-rps', capacityPerReplica: 20, leadTime: '4m', maxReplicas: 16 }],
  events: [{ name: 'launch', start: '2026-12-01T09:00:00Z', end: '2026-12-01T13:00:00Z', floor: { 'gpu-generate': 12 } }],
});
const forecasts = {
  forecast(): never {
    throw new PrescaleError('FORECAST_NOT_READY', 'no forecast yet');
  },
};

describe('PlanMetricProvider', () => {
  const provider = new PlanMetricProvider(new PlanService({ config, forecasts, clock: { now: () => now } }));

  it('serves the current planned replicas as prescale-plan-<pool> (target AverageValue 1)', () => {
    expect(provider.metricNames()).toEqual([`${PLAN_METRIC_PREFIX}gpu-generate`]);
    expect(provider.owns('prescale-plan-gpu-generate')).toBe(true);
    expect(provider.owns('generate-rps')).toBe(false);
    // the launch opens at 09:00 and the lead time is 4m: at 08:58 the plan already asks for 12
    expect(provider.read('prescale-plan-gpu-generate', {}, 'labelSelector.')).toMatchObject({ value: 12, windowSeconds: 60, timestampMs: now });
  });

  it('rejects parameters, naming the field', () => {
    expect(() => provider.read('prescale-plan-gpu-generate', { quantile: '0.9' }, 'scalerMetadata.')).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', field: 'scalerMetadata.quantile' }));
  });
});
