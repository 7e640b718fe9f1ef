/**
 * The replay with `riseCover`: above the reactive cover the plan buys only the forecast's
 * foreseen rise, below it the newsvendor level plus that rise. So where the calibrated
 * newsvendor quantile sits mostly above the reactive cover (a high under-provisioning cost,
 * here q0.975) Prescale holds fewer replica-hours than with the plain plan; where it sits
 * mostly below (q0.9 on this trace, once online calibration has narrowed the intervals) the
 * added rise costs more. Either way never less than what its reactive term holds. Real parts:
 * a shipped minute trace, a fitted seasonal-naive model, the replay.
 */
import { join } from 'node:path';
import type { RegularSeries } from '../../models/core/forecaster';
import { readSamplesFile } from '../../main/cli/read-series-file';
import { regularize } from '../../src/series/regularize';
import { parsePool } from '../../simulate/pool-config';
import { simulateTrace } from '../../simulate/simulate-trace';
import { TRACE_DIR } from '../helpers/trace-file';

const full = regularize(readSamplesFile(join(TRACE_DIR, 'mscm_mongodb_machine_qps.csv')), { stepSeconds: 60, kind: 'rate', timezone: 'UTC' });
const trace: RegularSeries = { ...full, values: Array.from(full.values).slice(0, 2 * 1440) };
const sorted = Array.from(trace.values).filter(Number.isFinite).sort((a, b) => a - b);
const poolAt = (underProvisionCost: number) =>
  parsePool({ capacityPerReplica: sorted[Math.floor(sorted.length * 0.95)]! / 10, leadTime: '3m', maxReplicas: 200, costPerReplicaHour: 2.5, underProvisionCost });

async function replayBoth(underProvisionCost: number) {
  const pool = poolAt(underProvisionCost);
  const prescale = { model: 'seasonal-naive', minHistorySeconds: 86_400 };
  const plain = await simulateTrace(trace, pool, { prescale, warmupSeconds: 86_400, stages: {} });
  const rise = await simulateTrace(trace, pool, { prescale: { ...prescale, riseCover: true }, warmupSeconds: 86_400, stages: {} });
  const metrics = (r: typeof plain, name: string) => r.policies.find((p) => p.policy === name)!.metrics;
  return { plain: (name: string) => metrics(plain, name), rise: (name: string) => metrics(rise, name) };
}

it('holds fewer replica-hours than the plain newsvendor plan when the sized level is above the reactive cover (q0.975)', async () => {
  const r = await replayBoth(97.5); // u / (u + c) = 97.5 / 100
  expect(r.rise('prescale').replicaHours).toBeLessThan(r.plain('prescale').replicaHours);
  // The plan never asks below the observed load and the reactive term stays in the HPA's max.
  expect(r.rise('prescale').replicaHours).toBeGreaterThanOrEqual(r.rise('reactive-hpa').replicaHours);
  // The reactive policies are the same in both replays: only the plan rule changed.
  expect(r.rise('reactive-hpa')).toEqual(r.plain('reactive-hpa'));
}, 180_000);

it('buys the foreseen rise on top when the sized level is below the reactive cover (q0.9): more replica-hours, never fewer than reactive', async () => {
  const r = await replayBoth(22.5); // u / (u + c) = 0.9
  expect(r.rise('prescale').replicaHours).toBeGreaterThan(r.plain('prescale').replicaHours);
  expect(r.plain('prescale').replicaHours).toBeGreaterThanOrEqual(r.rise('reactive-hpa').replicaHours);
}, 180_000);
