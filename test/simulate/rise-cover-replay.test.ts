/**
 * The replay with `riseCover`: above the reactive cover the plan buys only the forecast's
 * foreseen rise, so on a rhythmic minute trace Prescale holds fewer replica-hours than with the
 * plain newsvendor plan, and still never less than what its reactive term holds. Real parts: a
 * shipped minute trace, a fitted seasonal-naive model, the replay.
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
const pool = parsePool({ capacityPerReplica: sorted[Math.floor(sorted.length * 0.95)]! / 10, leadTime: '3m', maxReplicas: 200, costPerReplicaHour: 2.5, underProvisionCost: 22.5 });

it('holds fewer replica-hours with riseCover than with the plain newsvendor plan, and no fewer than the reactive term', async () => {
  const prescale = { model: 'seasonal-naive', minHistorySeconds: 86_400 };
  const plain = await simulateTrace(trace, pool, { prescale, warmupSeconds: 86_400, stages: {} });
  const rise = await simulateTrace(trace, pool, { prescale: { ...prescale, riseCover: true }, warmupSeconds: 86_400, stages: {} });
  const metrics = (r: typeof plain, name: string) => r.policies.find((p) => p.policy === name)!.metrics;
  expect(metrics(rise, 'prescale').replicaHours).toBeLessThan(metrics(plain, 'prescale').replicaHours);
  // The plan never asks below the observed load and the reactive term stays in the HPA's max.
  expect(metrics(rise, 'prescale').replicaHours).toBeGreaterThanOrEqual(metrics(rise, 'reactive-hpa').replicaHours * 0.95);
  // The reactive policies are the same in both replays: only the plan rule changed.
  expect(metrics(rise, 'reactive-hpa')).toEqual(metrics(plain, 'reactive-hpa'));
}, 180_000);
