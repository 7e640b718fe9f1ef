/**
 * `behavior.scaleUp.tolerance` in a replay. The plan is a replica count with its spread already
 * bought; under the cluster's 0.1 tolerance a plan one replica above ten running is not acted
 * on. With the tolerance at 0 Prescale's HPA acts on it: it is short less often and pays for
 * the pods it asked for. The reactive HPA keeps its own setting unless told otherwise. Real
 * parts: two days of a shipped minute trace, a fitted seasonal-naive model, the replay.
 */
import { join } from 'node:path';
import type { RegularSeries } from '../../models/core/forecaster';
import { readSamplesFile } from '../../main/cli/read-series-file';
import { regularize } from '../../src/series/regularize';
import { parsePool } from '../../simulate/pool-config';
import { type SimulationResult, simulateTrace } from '../../simulate/simulate-trace';
import { TRACE_DIR } from '../helpers/trace-file';

const full = regularize(readSamplesFile(join(TRACE_DIR, 'mscm_mongodb_machine_qps.csv')), { stepSeconds: 60, kind: 'rate', timezone: 'UTC' });
const trace: RegularSeries = { ...full, values: Array.from(full.values).slice(0, 2 * 1440) };
const sorted = Array.from(trace.values).filter(Number.isFinite).sort((a, b) => a - b);
const pool = parsePool({ capacityPerReplica: sorted[Math.floor(sorted.length * 0.95)]! / 10, leadTime: '3m', maxReplicas: 200, costPerReplicaHour: 2.5, underProvisionCost: 22.5 });
const prescale = { model: 'seasonal-naive', minHistorySeconds: 86_400 };
const replayWith = (settings: { scaleUpTolerance?: number; reactiveScaleUpTolerance?: number }): Promise<SimulationResult> =>
  simulateTrace(trace, pool, { prescale: { ...prescale, ...settings }, warmupSeconds: 86_400, stages: {} });
const metrics = (r: SimulationResult, name: string) => r.policies.find((p) => p.policy === name)!.metrics;

let stock: SimulationResult;
let zero: SimulationResult;
let both: SimulationResult;
beforeAll(async () => {
  stock = await replayWith({});
  zero = await replayWith({ scaleUpTolerance: 0 });
  both = await replayWith({ scaleUpTolerance: 0, reactiveScaleUpTolerance: 0 });
}, 180_000);

it("with Prescale's scale-up tolerance at 0, Prescale is short less often and scales more; the reactive HPA is untouched", () => {
  expect(metrics(zero, 'prescale').underProvisionedShare).toBeLessThan(metrics(stock, 'prescale').underProvisionedShare);
  expect(metrics(zero, 'prescale').replicaHours).toBeGreaterThan(metrics(stock, 'prescale').replicaHours);
  expect(metrics(zero, 'prescale').scalingActions).toBeGreaterThan(metrics(stock, 'prescale').scalingActions);
  expect(metrics(zero, 'reactive-hpa')).toEqual(metrics(stock, 'reactive-hpa'));
  expect(metrics(zero, 'oracle')).toEqual(metrics(stock, 'oracle'));
});

it('the reactive HPA at tolerance 0 is short less often too, and Prescale is then the same as with its own setting alone', () => {
  expect(metrics(both, 'reactive-hpa').underProvisionedShare).toBeLessThan(metrics(zero, 'reactive-hpa').underProvisionedShare);
  expect(metrics(both, 'prescale')).toEqual(metrics(zero, 'prescale'));
});
