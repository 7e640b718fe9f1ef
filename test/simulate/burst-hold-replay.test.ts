/**
 * The replay with `riseCover` and `burstHoldSeconds`: after a burst, the rise cover's noise cap
 * stays at the burst's cover for the window while the calibrated sizing level still reaches
 * it (src/planner/burst-hold.ts). On the shipped, bursty 5-minute ELB trace that holds
 * capacity the rise cover alone gives back: more replica-hours, less under-provisioned time,
 * the reactive policies untouched. Real parts:
 * the shipped trace, the default (seasonal) model, the serving stages, the replay.
 */
import { join } from 'node:path';
import type { RegularSeries } from '../../models/core/forecaster';
import { readSamplesFile } from '../../main/cli/read-series-file';
import { regularize } from '../../src/series/regularize';
import { parsePool } from '../../simulate/pool-config';
import { simulateTrace } from '../../simulate/simulate-trace';
import { TRACE_DIR } from '../helpers/trace-file';

const trace: RegularSeries = regularize(readSamplesFile(join(TRACE_DIR, 'nab_elb_request_count_8c0756.csv')), { stepSeconds: 300, kind: 'rate', timezone: 'UTC' });
const sorted = Array.from(trace.values).filter(Number.isFinite).sort((a, b) => a - b);
const pool = parsePool({ capacityPerReplica: sorted[Math.floor(sorted.length * 0.95)]! / 10, leadTime: '3m', maxReplicas: 60, costPerReplicaHour: 2.5, underProvisionCost: 22.5 });

const replayWith = (burstHoldSeconds: number) => simulateTrace(trace, pool, { prescale: { riseCover: true, burstHoldSeconds } });
const metrics = (r: Awaited<ReturnType<typeof replayWith>>, name: string) => r.policies.find((p) => p.policy === name)!.metrics;

it('holds a burst\'s capacity the rise cover gives back: more replica-hours, less under-provisioned time, reactive untouched', async () => {
  const rise = await replayWith(0);
  const held = await replayWith(1800);
  expect(metrics(held, 'prescale').replicaHours).toBeGreaterThan(metrics(rise, 'prescale').replicaHours);
  expect(metrics(held, 'prescale').underProvisionedShare).toBeLessThan(metrics(rise, 'prescale').underProvisionedShare);
  expect(metrics(held, 'reactive-hpa')).toEqual(metrics(rise, 'reactive-hpa'));
}, 120_000);

