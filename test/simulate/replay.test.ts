import { join } from 'node:path';
import type { RegularSeries } from '../../models/core/forecaster';
import { readSamplesFile } from '../../main/cli/read-series-file';
import { regularize } from '../../src/series/regularize';
import { type SimulatedPool, parsePool } from '../../simulate/pool-config';
import { type ReplayResult, replay, syncSecondsFor } from '../../simulate/replay';
import { DEFAULT_PRESCALE_SETTINGS, buildPolicies, simulateTrace } from '../../simulate/simulate-trace';
import { TRACE_DIR } from '../helpers/trace-file';

// A real trace (test/data/traces), cut to its first two days to keep the test fast.
const DAY = 86_400;
const TRACE_FILE = join(TRACE_DIR, 'mscm_mongodb_app_qps_01.csv');
const full = regularize(readSamplesFile(TRACE_FILE), { stepSeconds: 60, kind: 'rate', timezone: 'UTC' });
const trace: RegularSeries = { ...full, values: Array.from(full.values).slice(0, 2 * 1440) };
const pool: SimulatedPool = parsePool({ capacityPerReplica: p95(trace.values) / 10, leadTime: '3m', headroom: 0.1, minReplicas: 1, maxReplicas: 60, gpusPerReplica: 1, costPerReplicaHour: 2 });
const settings = { ...DEFAULT_PRESCALE_SETTINGS, minHistorySeconds: DAY, retrainEverySeconds: 8 * 3600 };

function p95(values: ArrayLike<number>): number {
  const sorted = Array.from(values).filter(Number.isFinite).sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length * 0.95)] as number;
}

async function readyByPolicy(series: RegularSeries): Promise<Map<string, Int32Array>> {
  const sync = syncSecondsFor(series.stepSeconds);
  const causal = buildPolicies(series, pool, settings, sync).filter((p) => p.name === 'reactive-hpa' || p.name === 'prescale');
  const result = await replay(series, causal, { pool, syncSeconds: sync, warmupSeconds: DAY, recordCapacity: true });
  return new Map(result.policies.map((p) => [p.policy, p.ready as Int32Array]));
}

describe('replay', () => {
  it('has no look-ahead: corrupting the future leaves every earlier decision of reactive HPA and Prescale unchanged', async () => {
    const cut = 1440 + 757; // last uncorrupted step
    const corrupted: RegularSeries = {
      ...trace,
      values: Array.from(trace.values, (v, i) => (i <= cut ? v : i % 7 === 0 ? Number.NaN : v * 5 + 1000)),
    };
    const [clean, dirty] = await Promise.all([readyByPolicy(trace), readyByPolicy(corrupted)]);
    const syncsPerStep = 60 / syncSecondsFor(60);
    const lastClean = (cut + 1) * syncsPerStep; // syncs in steps 0…cut
    for (const policy of ['reactive-hpa', 'prescale']) {
      const a = clean.get(policy) as Int32Array;
      const b = dirty.get(policy) as Int32Array;
      expect(Array.from(b.subarray(0, lastClean))).toEqual(Array.from(a.subarray(0, lastClean)));
      // The corruption is real: later decisions do change, so the equality above could fail.
      expect(Array.from(b.subarray(lastClean))).not.toEqual(Array.from(a.subarray(lastClean)));
    }
  });

  let shared: ReplayResult;
  beforeAll(async () => {
    shared = await simulateTrace(trace, pool, { prescale: settings, warmupSeconds: DAY });
  });

  it('the oracle never under-provisions, and no policy without under-provisioning uses fewer replica-hours', () => {
    const byName = new Map(shared.policies.map((p) => [p.policy, p.metrics]));
    const oracle = byName.get('oracle')!;
    expect(oracle.underProvisionedShare).toBe(0);
    expect(oracle.unservedShare).toBe(0);
    for (const m of byName.values()) if (m.underProvisionedShare === 0) expect(m.replicaHours).toBeGreaterThanOrEqual(oracle.replicaHours);
    expect(shared.policies.map((p) => p.policy)).toEqual(['reactive-hpa', 'schedule', 'fixed', 'prescale', 'oracle']);
  });

  it('Prescale under-provisions less than reactive HPA on a daily-seasonal trace, at a similar replica-hour cost', () => {
    const byName = new Map(shared.policies.map((p) => [p.policy, p.metrics]));
    const reactive = byName.get('reactive-hpa')!;
    const prescale = byName.get('prescale')!;
    expect(prescale.underProvisionedShare).toBeLessThan(reactive.underProvisionedShare * 0.5);
    expect(prescale.replicaHours).toBeLessThan(reactive.replicaHours * 1.2);
    // Cost and GPU-hours follow replica-hours through the pool's prices.
    expect(prescale.cost).toBeCloseTo(prescale.replicaHours * 2, 6);
    expect(prescale.gpuHours).toBeCloseTo(prescale.replicaHours, 6);
  });

  it('is deterministic: the same trace and pool give the same result', async () => {
    const again = await simulateTrace(trace, pool, { prescale: settings, warmupSeconds: DAY });
    expect(again.policies.map((p) => p.metrics)).toEqual(shared.policies.map((p) => p.metrics));
  });
});
