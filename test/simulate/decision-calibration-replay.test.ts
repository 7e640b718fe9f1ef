/**
 * The replay with `calibrateDecisions` (src/decision-calibration/decision-calibration.ts): the
 * sizing level moves by how often the plan's binding decisions miss. On the shipped, bursty
 * 5-minute ELB trace the default rule's binding decisions miss less often than the 10 % its
 * price asks (docs/simulate.md), so the level falls: fewer replica-hours, more
 * under-provisioned time, a lower expected cost at the pool's prices, the reactive policies
 * untouched. Real parts: the shipped trace, the default (seasonal) model, the serving stages,
 * the replay, the pool schema.
 */
import { join } from 'node:path';
import type { RegularSeries } from '../../models/core/forecaster';
import { readSamplesFile } from '../../main/cli/read-series-file';
import { regularize } from '../../src/series/regularize';
import { expectedCost, poolPrices } from '../../simulate/expected-cost';
import { parsePool } from '../../simulate/pool-config';
import { simulateTrace } from '../../simulate/simulate-trace';
import { TRACE_DIR } from '../helpers/trace-file';

const trace: RegularSeries = regularize(readSamplesFile(join(TRACE_DIR, 'nab_elb_request_count_8c0756.csv')), { stepSeconds: 300, kind: 'rate', timezone: 'UTC' });
const sorted = Array.from(trace.values).filter(Number.isFinite).sort((a, b) => a - b);
const poolWith = (calibrateDecisions: boolean) =>
  parsePool({ capacityPerReplica: sorted[Math.floor(sorted.length * 0.95)]! / 10, leadTime: '3m', maxReplicas: 60, costPerReplicaHour: 2.5, underProvisionCost: 22.5, calibrateDecisions });

const replayWith = (calibrateDecisions: boolean) => simulateTrace(trace, poolWith(calibrateDecisions), {});
const metrics = (r: Awaited<ReturnType<typeof replayWith>>, name: string) => r.policies.find((p) => p.policy === name)!.metrics;

it('sizes at the level the binding decisions ask: fewer replica-hours and a lower expected cost on ELB, reactive untouched', async () => {
  const fixed = await replayWith(false);
  const calibrated = await replayWith(true);
  const prices = poolPrices(poolWith(true))!;
  const [f, c] = [metrics(fixed, 'prescale'), metrics(calibrated, 'prescale')];
  expect(c.replicaHours).toBeLessThan(f.replicaHours);
  expect(c.underProvisionedShare).toBeGreaterThan(f.underProvisionedShare);
  expect(expectedCost(c, prices)).toBeLessThan(expectedCost(f, prices));
  expect(metrics(calibrated, 'reactive-hpa')).toEqual(metrics(fixed, 'reactive-hpa'));
  expect(metrics(calibrated, 'oracle')).toEqual(metrics(fixed, 'oracle'));
}, 120_000);

it('is refused in a pool file without underProvisionCost, naming the field', () => {
  expect(() => parsePool({ capacityPerReplica: 10, maxReplicas: 5, costPerReplicaHour: 1, calibrateDecisions: true })).toThrow(/calibrateDecisions: needs underProvisionCost/);
});
