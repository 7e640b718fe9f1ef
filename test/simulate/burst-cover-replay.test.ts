/**
 * The replay with `burstCover`: the plan buys the forecast's spread only where the reactive
 * term does not already hold it, so its steady replica-hours fall and the reactive term covers
 * more. Real parts: a shipped minute trace, a fitted seasonal-naive model, the replay.
 */
import { join } from 'node:path';
import type { RegularSeries } from '../../models/core/forecaster';
import { readSamplesFile } from '../../main/cli/read-series-file';
import { regularize } from '../../src/series/regularize';
import { parsePool } from '../../simulate/pool-config';
import { simulateTrace } from '../../simulate/simulate-trace';
import { TRACE_DIR } from '../helpers/trace-file';

const full = regularize(readSamplesFile(join(TRACE_DIR, 'mscm_mongodb_app_qps_01.csv')), { stepSeconds: 60, kind: 'rate', timezone: 'UTC' });
const trace: RegularSeries = { ...full, values: Array.from(full.values).slice(0, 2 * 1440) };
const sorted = Array.from(trace.values).filter(Number.isFinite).sort((a, b) => a - b);
const pool = parsePool({ capacityPerReplica: sorted[Math.floor(sorted.length * 0.95)]! / 10, leadTime: '3m', maxReplicas: 200, costPerReplicaHour: 2.5, underProvisionCost: 22.5 });

it('buys less steady cover with burstCover and never drops below what reactive HPA holds', async () => {
  const prescale = { model: 'seasonal-naive', minHistorySeconds: 86_400 };
  const plain = await simulateTrace(trace, pool, { prescale, warmupSeconds: 86_400, stages: {} });
  const split = await simulateTrace(trace, pool, { prescale: { ...prescale, burstCover: true }, warmupSeconds: 86_400, stages: {} });
  const metrics = (r: typeof plain, name: string) => r.policies.find((p) => p.policy === name)!.metrics;
  expect(metrics(split, 'prescale').planReplicaHours).toBeLessThan(metrics(plain, 'prescale').planReplicaHours);
  expect(metrics(split, 'prescale').replicaHours).toBeLessThanOrEqual(metrics(plain, 'prescale').replicaHours);
  // The reactive term is still in the max: Prescale keeps at least reactive HPA's capacity-time.
  expect(metrics(split, 'prescale').replicaHours).toBeGreaterThanOrEqual(metrics(split, 'reactive-hpa').replicaHours * 0.95);
}, 180_000);
