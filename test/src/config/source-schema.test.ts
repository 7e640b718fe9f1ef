import { parseConfig } from '../../../src/config/load-config';
import { PrescaleError } from '../../../src/errors/prescale-error';

const withSource = (prometheus: Record<string, unknown>, extra: Record<string, unknown> = {}): unknown => ({
  series: [{ name: 'api-rps', step: '1m', kind: 'rate', history: '14d', staleAfter: 5, source: { prometheus } }],
  ...extra,
});

const problem = (raw: unknown): PrescaleError => {
  try {
    parseConfig(raw);
  } catch (err) {
    return err as PrescaleError;
  }
  throw new Error('config was accepted');
};

describe('source and training config', () => {
  it('accepts the documented example with defaults filled in', () => {
    const config = parseConfig(withSource({ url: 'http://127.0.0.1:9090', query: 'sum(rate(http_requests_total[1m]))' }, { training: { schedule: '0 */6 * * *' } }));
    const s = config.series[0]!;
    expect(s.history).toBe(14 * 86_400);
    expect(s.staleAfter).toBe(5);
    expect(s.source?.prometheus).toMatchObject({ url: 'http://127.0.0.1:9090', timeout: 30, retries: 3 });
    expect(config.training).toMatchObject({ schedule: '0 */6 * * *', timezone: 'UTC', lockTtl: 120 });
  });

  it.each([
    ['a URL that is not http(s)', { url: 'ftp://prom', query: 'up' }, 'series[0].source.prometheus.url'],
    ['an empty query', { url: 'http://prom:9090', query: '' }, 'series[0].source.prometheus.query'],
    ['bearer token and basic auth together', { url: 'http://p', query: 'up', bearerTokenFile: '/t', basicAuth: { username: 'u', password: 'p' } }, 'series[0].source.prometheus.basicAuth'],
    ['basic auth without a password', { url: 'http://p', query: 'up', basicAuth: { username: 'u' } }, 'series[0].source.prometheus.basicAuth.password'],
    ['a client cert without its key', { url: 'https://p', query: 'up', tls: { certFile: '/c' } }, 'series[0].source.prometheus.tls.keyFile'],
    ['an unknown key', { url: 'http://p', query: 'up', bearer: 'x' }, 'series[0].source.prometheus'],
  ])('rejects %s, naming the field', (_name, prometheus, field) => {
    const err = problem(withSource(prometheus));
    expect(err.code).toBe('INVALID_CONFIG');
    expect(err.message).toContain(field);
  });

  it.each([
    ['a bad cron expression', { schedule: 'every six hours' }, 'training.schedule'],
    ['an unknown timezone', { schedule: '0 * * * *', timezone: 'Mars/Olympus' }, 'training.timezone'],
  ])('rejects %s in training', (_name, training, field) => {
    const err = problem({ training });
    expect(err.message).toContain(field);
  });
});
