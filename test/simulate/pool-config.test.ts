import { PrescaleError } from '../../src/errors/prescale-error';
import { parsePool } from '../../simulate/pool-config';

const valid = { capacityPerReplica: 20, leadTime: '4m', headroom: 0.15, minReplicas: 1, maxReplicas: 16, gpusPerReplica: 1, costPerReplicaHour: 2.5 };

describe('parsePool', () => {
  it('reads the planner pool keys, with the lead time as a duration', () => {
    expect(parsePool(valid)).toMatchObject({ capacityPerReplica: 20, leadTime: 240, headroom: 0.15, maxReplicas: 16 });
  });

  it('accepts a config with one pool under pools', () => {
    expect(parsePool({ pools: [{ ...valid, name: 'gpu-generate', series: 'rps', priority: 10 }] }).leadTime).toBe(240);
  });

  it.each([
    [{ ...valid, capacityPerReplica: 0 }, 'capacityPerReplica'],
    [{ ...valid, leadTime: 'soon' }, 'leadTime'],
    [{ ...valid, maxReplicas: 0 }, 'maxReplicas'],
    [{ ...valid, minReplicas: 5, maxReplicas: 2 }, 'maxReplicas'],
    [{ ...valid, surprise: 1 }, 'surprise'],
  ])('names the offending field (%j → %s)', (raw, field) => {
    let error: unknown;
    try {
      parsePool(raw);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(PrescaleError);
    expect((error as PrescaleError).code).toBe('INVALID_CONFIG');
    expect((error as PrescaleError).message).toContain(field);
  });
});
