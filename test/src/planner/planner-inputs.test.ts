import { parseConfig } from '../../../src/config/load-config';
import { toEvent, toPoolSizing, toPoolSpec } from '../../../src/planner/planner-inputs';

const series = [
  { name: 'generate-rps', step: '1m' },
  { name: 'generate-queue', step: '1m' },
];

describe('planner inputs from the config', () => {
  it('maps a configured pool to the planner pool: durations in seconds, scale-down and queue included', () => {
    const config = parseConfig({
      series,
      pools: [{ name: 'gpu-generate', series: 'generate-rps', capacityPerReplica: 20, leadTime: '4m', maxReplicas: 16, queue: { series: 'generate-queue', drainTime: '2m' } }],
    });
    expect(toPoolSpec(config.pools[0]!)).toEqual({
      name: 'gpu-generate',
      capacityPerReplica: 20,
      leadTimeSeconds: 240,
      headroom: 0.1,
      minReplicas: 1,
      maxReplicas: 16,
      gpusPerReplica: 1,
      costPerReplicaHour: 0,
      priority: 0,
      scaleDown: { stabilizationWindowSeconds: 300, maxStepDown: 1 },
      queue: { drainTimeSeconds: 120 },
    });
  });

  it('sizes a pool from the sizing keys alone, the part the simulator shares', () => {
    const config = parseConfig({ series, pools: [{ name: 'gpu-generate', series: 'generate-rps', capacityPerReplica: 20, maxReplicas: 16 }] });
    const { scaleDown: _scaleDown, ...sizing } = toPoolSpec(config.pools[0]!);
    expect(toPoolSizing(config.pools[0]!)).toEqual(sizing);
  });

  it('turns an event into a one-off window at the instants its offsets name', () => {
    const config = parseConfig({
      series,
      pools: [{ name: 'gpu-generate', series: 'generate-rps', capacityPerReplica: 20, maxReplicas: 16 }],
      events: [{ name: 'launch', start: '2026-12-01T09:00:00+01:00', end: '2026-12-01T13:00:00Z', floor: { 'gpu-generate': 12 } }],
    });
    expect(toEvent(config.events[0]!)).toEqual({ name: 'launch', startMs: Date.parse('2026-12-01T08:00:00Z'), endMs: Date.parse('2026-12-01T13:00:00Z'), floor: { 'gpu-generate': 12 } });
  });
});
