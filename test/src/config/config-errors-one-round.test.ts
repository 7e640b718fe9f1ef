import { parseConfig } from '../../../src/config/load-config';
import { PrescaleError } from '../../../src/errors/prescale-error';

const problems = (raw: unknown): string[] => {
  try {
    parseConfig(raw);
    return [];
  } catch (err) {
    if (!(err instanceof PrescaleError)) throw err;
    return err.message.split('; ');
  }
};
const pool = (over: Record<string, unknown>) => ({ name: 'p', series: 'a', capacityPerReplica: 1, maxReplicas: 4, ...over });

describe('config problems come in one round', () => {
  it.each([
    [
      'a schema problem and a reference problem elsewhere',
      { series: [{ name: 'a', step: '1x', horizon: '1h' }], pools: [pool({ series: 'nope' })] },
      ['series[0].step: "1x" is not a duration (use e.g. 30s, 5m, 1h, 14d)', 'pools[0].series: series "nope" is not configured'],
    ],
    [
      'an unknown top-level key and a target naming no pool',
      { series: [{ name: 'a', step: '1m', horizon: '1h' }], typo: 1, actuator: { targets: [{ pool: 'ghost', kind: 'Deployment', name: 'b' }] } },
      ['typo: Unrecognized key: "typo"', 'actuator.targets[0].pool: pool "ghost" is not configured'],
    ],
  ])('%s', (_case, raw, expected) => {
    expect(problems(raw).sort()).toEqual([...expected].sort());
  });

  it('an entry that fails the schema still counts as configured: no false "not configured" for references to it', () => {
    const raw = {
      series: [{ name: 'a', step: 'bad', horizon: '1h' }],
      pools: [pool({ name: 'p', capacityPerReplica: -1 }), pool({ name: 'r', quantile: 0.75 })],
      schedules: [{ name: 's', cron: '0 8 * * *', duration: '1h', floor: { p: 2 } }],
    };
    const found = problems(raw);
    expect(found.map((p) => p.split(':')[0]).sort()).toEqual(['pools[0].capacityPerReplica', 'series[0].step']);
  });

  it('a cross-field rule the schema already ran is reported once', () => {
    const found = problems({ series: [{ name: 'a', step: '1m', horizon: '1h' }], pools: [pool({ minReplicas: 9 }), pool({ name: 'q', series: 'x' })] });
    expect(found).toEqual(['pools[0].minReplicas: must be ≤ maxReplicas (4)', 'pools[1].series: series "x" is not configured']);
  });
});
