import { ElasticityAccumulator } from '../../simulate/elasticity-metrics';
import { parsePool } from '../../simulate/pool-config';

describe('ElasticityAccumulator', () => {
  const pool = parsePool({ capacityPerReplica: 10, leadTime: '3m', maxReplicas: 20, costPerReplicaHour: 2.5, underProvisionCost: 22.5 });

  it('counts the missing replica-hours: load above Ready capacity, in replicas, over time', () => {
    const acc = new ElasticityAccumulator(pool);
    acc.add(35, 3, 4, 3600); // 5 above 3 × 10 for an hour: half a replica missing for an hour
    acc.add(20, 3, 3, 1800); // covered
    acc.add(Number.NaN, 3, 3, 1800); // unknown load: costs replica time, counts toward no shortfall
    const m = acc.finish();
    expect(m.unservedReplicaHours).toBeCloseTo(0.5, 12);
    expect(m.unservedShare).toBeCloseTo(5 / (35 + 20 / 2), 12);
    expect(m.replicaHours).toBeCloseTo(4 + 1.5 + 1.5, 12);
    expect(m.underProvisionedShare).toBeCloseTo(1 / 1.5, 12);
  });

  it('is 0 when Ready capacity always covers the load', () => {
    const acc = new ElasticityAccumulator(pool);
    acc.add(30, 3, 3, 600);
    expect(acc.finish().unservedReplicaHours).toBe(0);
  });
});
