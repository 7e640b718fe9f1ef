import { parseConfig } from '../../../src/config/load-config';
import { chooseLeaderAdapter } from '../../../src/leader-election/select-leader-election';

describe('chooseLeaderAdapter', () => {
  const leader = (election?: string) => parseConfig(election ? { leader: { election } } : {}).leader;
  const URL = 'postgres://prescale@db:5432/prescale';

  it.each([
    ['auto', true, URL, 'kubernetes-lease'],
    ['auto', true, null, 'kubernetes-lease'],
    ['auto', false, URL, 'postgres-advisory-lock'],
    ['auto', false, null, 'file'],
    ['file', false, URL, 'file'],
    ['kubernetes-lease', false, null, 'kubernetes-lease'],
    ['postgres-advisory-lock', true, URL, 'postgres-advisory-lock'],
  ] as const)('leader.election %s, in a pod: %s, postgres: %s → %s', (election, inCluster, postgresUrl, expected) => {
    expect(chooseLeaderAdapter({ config: leader(election), inCluster, postgresUrl })).toBe(expected);
  });

  it('refuses the advisory lock without a shared database, naming the field', () => {
    expect(() => chooseLeaderAdapter({ config: leader('postgres-advisory-lock'), inCluster: false, postgresUrl: null })).toThrow(/^leader\.election: .*storage\.backend postgres/);
  });

  it('defaults to auto with a 15 s lease', () => {
    expect(leader()).toMatchObject({ election: 'auto', leaseName: 'prescale-leader', leaseDuration: 15 });
  });
});
