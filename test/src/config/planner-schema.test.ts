import { parseConfig } from '../../../src/config/load-config';
import { PrescaleError } from '../../../src/errors/prescale-error';

const series = [{ name: 'generate-rps', step: '1m' }];
const pool = { name: 'gpu-generate', series: 'generate-rps', capacityPerReplica: 20, maxReplicas: 16 };

function problem(raw: unknown): PrescaleError {
  try {
    parseConfig(raw);
  } catch (err) {
    return err as PrescaleError;
  }
  throw new Error('expected the config to be rejected');
}

describe('planner config', () => {
  it('parses the issue example: durations to seconds, times to epoch ms, defaults filled in', () => {
    const c = parseConfig({
      series,
      pools: [{ ...pool, leadTime: '4m', headroom: 0.15, minReplicas: 1, gpusPerReplica: 1, costPerReplicaHour: 2.5, priority: 10 }],
      schedules: [{ name: 'business-hours', cron: '0 8 * * 1-5', duration: '10h', timezone: 'Europe/Berlin', floor: { 'gpu-generate': 4 } }],
      events: [{ name: 'launch', start: '2026-12-01T09:00:00Z', end: '2026-12-01T13:00:00Z', floor: { 'gpu-generate': 12 } }],
      quotas: { maxGpus: 24, maxCostPerHour: 50, maxStepUp: 8 },
    });
    expect(c.pools[0]).toMatchObject({ leadTime: 240, headroom: 0.15, quantile: 0.9, scaleDown: { stabilizationWindow: 300, maxStepDown: 1 } });
    expect(c.schedules[0]).toMatchObject({ duration: 36_000, timezone: 'Europe/Berlin' });
    expect(c.events[0]).toMatchObject({ start: Date.parse('2026-12-01T09:00:00Z'), end: Date.parse('2026-12-01T13:00:00Z') });
    expect(c.quotas).toEqual({ maxGpus: 24, maxCostPerHour: 50, maxStepUp: 8 });
    expect(c.actuator).toMatchObject({ mode: 'metrics-only', targets: [] });
  });

  it.each([
    ['minReplicas above maxReplicas', { series, pools: [{ ...pool, minReplicas: 20 }] }, 'pools[0].minReplicas'],
    ['a pool on an unknown series', { series, pools: [{ ...pool, series: 'nope' }] }, 'pools[0].series'],
    ['a queue on an unknown series', { series, pools: [{ ...pool, queue: { series: 'backlog', drainTime: '2m' } }] }, 'pools[0].queue.series'],
    ['a quantile the series does not serve', { series, pools: [{ ...pool, quantile: 0.95 }] }, 'pools[0].quantile'],
    ['a duplicate pool', { series, pools: [pool, pool] }, 'pools[1].name'],
    ['a schedule floor for an unknown pool', { series, pools: [pool], schedules: [{ name: 's', cron: '0 8 * * *', duration: '1h', floor: { other: 2 } }] }, 'schedules[0].floor.other'],
    ['an event floor for an unknown pool', { series, pools: [pool], events: [{ name: 'e', start: '2026-12-01T09:00:00Z', end: '2026-12-01T10:00:00Z', floor: { other: 2 } }] }, 'events[0].floor.other'],
    ['an event that ends before it starts', { series, pools: [pool], events: [{ name: 'e', start: '2026-12-01T09:00:00Z', end: '2026-12-01T08:00:00Z', floor: {} }] }, 'events[0].end'],
    ['a bad cron expression', { series, pools: [pool], schedules: [{ name: 's', cron: '61 8 * * *', duration: '1h', floor: {} }] }, 'schedules[0].cron'],
    ['an actuator target for an unknown pool', { series, pools: [pool], actuator: { targets: [{ pool: 'other', kind: 'Deployment', name: 'b' }] } }, 'actuator.targets[0].pool'],
    ['an unknown actuator mode', { series, pools: [pool], actuator: { mode: 'yolo' } }, 'actuator.mode'],
    ['an unknown quota key', { series, quotas: { maxGPUs: 3 } }, 'quotas'],
  ])('rejects %s, naming the field', (_case, raw, field) => {
    const err = problem(raw);
    expect(err.code).toBe('INVALID_CONFIG');
    expect(err.message).toContain(field);
  });
});
