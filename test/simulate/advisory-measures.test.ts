import { advisoryReport } from '../../simulate/advisory-measures';
import type { AdvisorySample } from '../../src/advisory/advisory-sample';
import { parseConfig } from '../../src/config/load-config';
import { readTrace } from '../helpers/trace-file';

const T0 = Date.parse('2026-12-01T00:00:00Z');
const MIN = 60_000;

function pool(leadTime: string, capacityPerReplica = 10) {
  const config = parseConfig({
    series: [{ name: 'rps', step: '1m' }],
    pools: [{ name: 'p', series: 'rps', capacityPerReplica, leadTime, maxReplicas: 1000, gpusPerReplica: 2, costPerReplicaHour: 3 }],
  });
  return config.pools[0]!;
}

describe('the advisory report', () => {
  it('measures both columns on the same recorded minutes, with Prescale replicas Ready only a lead time after they are asked for', () => {
    // Demand 10 for 10 minutes, 40 for 10 minutes. As it ran: 1 replica, then 4 three minutes late.
    // Prescale asked for 4 from minute 8 (two minutes ahead) on; its lead time is 2m.
    const samples: AdvisorySample[] = Array.from({ length: 20 }, (_, i) => ({
      pool: 'p',
      t: T0 + i * MIN,
      planned: i >= 8 ? 4 : 1,
      actual: i >= 13 ? 4 : 1,
      withPrescale: i >= 8 ? 4 : 1,
      demand: i >= 10 ? 40 : 10,
    }));
    const report = advisoryReport({ pool: pool('2m'), samples, fromMs: T0, toMs: T0 + 20 * MIN, maxSampleSeconds: 120 });
    expect(report.measuredMinutes).toBe(20);
    expect(report.asRan).toMatchObject({ underProvisionedMinutes: 3, scalingActions: 1 });
    expect(report.withPrescale).toMatchObject({ underProvisionedMinutes: 0, scalingActions: 1 });
    // Replica-hours: as ran 13×1 + 7×4 = 41 replica-minutes; with Prescale 8×1 + 12×4 = 56.
    expect(report.asRan.replicaHours).toBeCloseTo(41 / 60, 3);
    expect(report.withPrescale.replicaHours).toBeCloseTo(56 / 60, 3);
    expect(report.withPrescale.gpuHours).toBeCloseTo((56 / 60) * 2, 3);
    expect(report.withPrescale.cost).toBeCloseTo((56 / 60) * 3, 3);
    expect(report.change.underProvisionedMinutes).toBe(-3);
  });

  it('counts a Prescale scale-up asked too late as under-provisioned for its lead time', () => {
    const samples: AdvisorySample[] = Array.from({ length: 10 }, (_, i) => ({ pool: 'p', t: T0 + i * MIN, planned: i >= 5 ? 4 : 1, actual: 1, withPrescale: i >= 5 ? 4 : 1, demand: i >= 5 ? 40 : 10 }));
    const report = advisoryReport({ pool: pool('3m'), samples, fromMs: T0, toMs: T0 + 10 * MIN, maxSampleSeconds: 120 });
    expect(report.withPrescale.underProvisionedMinutes).toBe(3);
    expect(report.asRan.underProvisionedMinutes).toBe(5);
  });

  it('does not measure gaps longer than the sample interval nor samples without demand or actual replicas', () => {
    const samples: AdvisorySample[] = [
      { pool: 'p', t: T0, planned: 1, actual: 1, withPrescale: 1, demand: 5 },
      { pool: 'p', t: T0 + MIN, planned: 1, actual: null, withPrescale: 1, demand: 5 },
      { pool: 'p', t: T0 + 2 * MIN, planned: 1, actual: 1, withPrescale: 1, demand: 5 },
    ];
    const report = advisoryReport({ pool: pool('1m'), samples, fromMs: T0, toMs: T0 + 60 * MIN, maxSampleSeconds: 60 });
    expect(report.measuredMinutes).toBe(2);
    expect(report.notes.join(' ')).toMatch(/1 of 3 samples/);
  });

  it('on a shipped trace, a reactive lag of five steps under-provisions more than a plan that looks a lead time ahead', () => {
    const trace = readTrace('mscm_ecommerce_api_rps.csv').slice(0, 24 * 60);
    const cap = Math.max(...trace.map((s) => s.v)) / 20;
    const need = (v: number): number => Math.max(1, Math.ceil(v / cap));
    const samples: AdvisorySample[] = trace.map((s, i) => {
      const ahead = Math.max(...trace.slice(i, i + 6).map((x) => x.v));
      const planned = need(ahead * 1.1);
      const actual = need((trace[Math.max(0, i - 5)] as { v: number }).v);
      return { pool: 'p', t: s.t, planned, actual, withPrescale: planned, demand: s.v };
    });
    const stepS = ((trace[1] as { t: number }).t - (trace[0] as { t: number }).t) / 1000;
    const report = advisoryReport({ pool: pool(`${stepS * 2}s`, cap), samples, fromMs: trace[0]!.t, toMs: trace[trace.length - 1]!.t + stepS * 1000, maxSampleSeconds: stepS * 2 });
    expect(report.asRan.underProvisionedMinutes).toBeGreaterThan(0);
    expect(report.withPrescale.underProvisionedMinutes).toBeLessThan(report.asRan.underProvisionedMinutes);
    expect(report.withPrescale.replicaHours).toBeGreaterThan(report.asRan.replicaHours);
  });
});
