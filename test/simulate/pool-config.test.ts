import { parse as parseYaml } from 'yaml';
import { parseConfig } from '../../src/config/load-config';
import { PrescaleError } from '../../src/errors/prescale-error';
import { toPoolSizing, toPoolSpec } from '../../src/planner/planner-inputs';
import { parsePool } from '../../simulate/pool-config';

const valid = { capacityPerReplica: 20, leadTime: '4m', headroom: 0.15, minReplicas: 1, maxReplicas: 16, gpusPerReplica: 1, costPerReplicaHour: 2.5 };

function poolError(raw: unknown): PrescaleError {
  try {
    parsePool(raw);
  } catch (err) {
    if (err instanceof PrescaleError) return err;
    throw err;
  }
  throw new Error('expected an INVALID_CONFIG error');
}

describe('parsePool', () => {
  it('reads the planner pool keys, with the lead time as a duration', () => {
    expect(parsePool(valid)).toMatchObject({ capacityPerReplica: 20, leadTime: 240, headroom: 0.15, maxReplicas: 16 });
  });

  it('accepts a config with one pool under pools', () => {
    expect(parsePool({ pools: [{ ...valid, name: 'gpu-generate', series: 'rps', priority: 10 }] }).leadTime).toBe(240);
  });

  it("fills in the service's defaults for the keys a pool leaves out", () => {
    expect(parsePool({ capacityPerReplica: 20, maxReplicas: 16 })).toEqual({
      name: 'simulated',
      capacityPerReplica: 20,
      maxReplicas: 16,
      leadTime: 300,
      headroom: 0.1,
      minReplicas: 1,
      gpusPerReplica: 1,
      costPerReplicaHour: 0,
      calibrateDecisions: false,
      priority: 0,
    });
  });

  it('accepts minReplicas 0, as the service does', () => {
    expect(parsePool({ ...valid, minReplicas: 0 }).minReplicas).toBe(0);
  });

  it.each([
    [{ ...valid, capacityPerReplica: 0 }, 'capacityPerReplica'],
    [{ ...valid, leadTime: 'soon' }, 'leadTime'],
    [{ ...valid, maxReplicas: 0 }, 'maxReplicas'],
    [{ ...valid, minReplicas: -1 }, 'minReplicas'],
    [{ ...valid, minReplicas: 5, maxReplicas: 2 }, 'minReplicas'],
    [{ ...valid, priority: 1.5 }, 'priority'],
    [{ ...valid, name: 'Not A Name' }, 'name'],
    [{ ...valid, quantile: 0.9 }, 'quantile'],
    [{ ...valid, surprise: 1 }, 'surprise'],
    [{ pools: [{ ...valid, headroom: -1 }] }, 'pools[0].headroom'],
  ])('names the offending field (%j → %s)', (raw, field) => {
    const error = poolError(raw);
    expect(error.code).toBe('INVALID_CONFIG');
    expect(error.message).toContain(field);
  });
});

describe('the same pool in the simulator and in the service', () => {
  it.each([
    ['only the required keys (the defaults)', 'capacityPerReplica: 20\nmaxReplicas: 16\n', { headroom: 0.1, gpusPerReplica: 1, minReplicas: 1, leadTimeSeconds: 300 }],
    [
      'every sizing key',
      'capacityPerReplica: 20\nleadTime: 4m\nheadroom: 0.15\nminReplicas: 0\nmaxReplicas: 16\ngpusPerReplica: 2\ncostPerReplicaHour: 2.5\npriority: 10\n',
      { headroom: 0.15, gpusPerReplica: 2, minReplicas: 0, leadTimeSeconds: 240 },
    ],
  ])('with %s gives the same planner pool', (_case, keys, expected) => {
    const yaml = `name: gpu-generate\nseries: generate-rps\n${keys}`;
    const service = toPoolSpec(parseConfig({ series: [{ name: 'generate-rps', step: '1m' }], pools: [parseYaml(yaml)] }).pools[0]!);
    const simulated = toPoolSizing(parsePool(parseYaml(yaml)));
    expect(simulated).toMatchObject(expected);
    expect(service).toMatchObject(simulated);
  });
});
