import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, parseConfig } from '../../../src/config/load-config';
import { PrescaleError } from '../../../src/errors/prescale-error';

/** The config from issue 2 ("must be valid as it stands"), verbatim. */
const ISSUE_YAML = `series:
  - name: generate-rps
    step: 1m
    kind: rate
    timezone: Europe/Berlin
    horizon: 30m
    quantiles: [0.5, 0.9]
`;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'prescale-config-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function writeConfig(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

function configError(run: () => unknown): PrescaleError {
  try {
    run();
  } catch (err) {
    if (err instanceof PrescaleError) return err;
    throw err;
  }
  throw new Error('expected an INVALID_CONFIG error');
}

describe('loading the config', () => {
  it('accepts the config from the issue as it stands, with durations in seconds and defaults filled in', () => {
    const config = loadConfig({ file: writeConfig('prescale.yaml', ISSUE_YAML), env: {} });

    expect(config.series).toHaveLength(1);
    expect(config.series[0]).toMatchObject({
      name: 'generate-rps',
      step: 60,
      kind: 'rate',
      timezone: 'Europe/Berlin',
      horizon: 1800,
      quantiles: [0.5, 0.9],
      seasonalities: ['daily', 'weekly'],
    });
    expect(config.server).toMatchObject({ host: '0.0.0.0', port: 8080 });
    expect(config.storage.dataDir).toBe('./data');
    expect(config.demo.enabled).toBe(false);
  });

  it('bounds future samples by server.maxFutureSkew (default 5m) and leaves storage.retention to twice each history unless set', () => {
    expect(parseConfig({}).server.maxFutureSkew).toBe(300);
    expect(parseConfig({}).storage.retention).toBeUndefined();
    expect(parseConfig({ server: { maxFutureSkew: '30s' }, storage: { retention: '60d' } })).toMatchObject({ server: { maxFutureSkew: 30 }, storage: { retention: 60 * 86_400 } });
  });

  it('reads the same config written as JSON', () => {
    const json = JSON.stringify({ series: [{ name: 'generate-rps', step: '1m', kind: 'rate', timezone: 'Europe/Berlin', horizon: '30m', quantiles: [0.5, 0.9] }] });

    const config = loadConfig({ file: writeConfig('prescale.json', json), env: {} });

    expect(config.series[0]).toMatchObject({ name: 'generate-rps', step: 60, horizon: 1800 });
  });

  it('runs the embedded demo when no config file is given', () => {
    const config = loadConfig({ env: {} });

    expect(config.demo.enabled).toBe(true);
    expect(config.series.map((s) => s.name)).toEqual(['demo-generate-rps']);
  });

  it('always serves p50 and p90, adding them to the configured quantiles', () => {
    const config = parseConfig({ series: [{ name: 'a', quantiles: [0.99] }] });

    expect(config.series[0]!.quantiles).toEqual([0.5, 0.9, 0.99]);
  });

  it.each<[string, unknown, string, RegExp]>([
    ['an unknown top-level key', { seris: [] }, 'seris', /seris/],
    ['an unknown series key', { series: [{ name: 'a', stepp: '1m' }] }, 'series[0].stepp', /Unrecognized key/],
    ['a bad duration', { series: [{ name: 'a', step: 'five minutes' }] }, 'series[0].step', /"five minutes" is not a duration/],
    ['a zero duration', { series: [{ name: 'a', horizon: '0s' }] }, 'series[0].horizon', /not a duration/],
    ['a step that does not divide a day', { series: [{ name: 'a', step: '7m' }] }, 'series[0].step', /divide a day/],
    ['a horizon shorter than the step', { series: [{ name: 'a', step: '5m', horizon: '1m' }] }, 'series[0].horizon', /at least one step/],
    ['a bad timezone', { series: [{ name: 'a', timezone: 'Europe/Atlantis' }] }, 'series[0].timezone', /unknown IANA timezone/],
    ['a duplicate series name', { series: [{ name: 'a' }, { name: 'a' }] }, 'series[1].name', /duplicate series name "a"/],
    ['a name unusable in URLs', { series: [{ name: 'Has Spaces' }] }, 'series[0].name', /lowercase/],
    ['a quantile outside (0, 1)', { series: [{ name: 'a', quantiles: [1.5] }] }, 'series[0].quantiles[0]', /1/],
    ['an unknown kind', { series: [{ name: 'a', kind: 'counter' }] }, 'series[0].kind', /rate|gauge/],
    ['a port out of range', { server: { port: 70000 } }, 'server.port', /65535/],
    ['a retention shorter than a series history', { storage: { retention: '7d' }, series: [{ name: 'a', history: '14d' }] }, 'storage.retention', /7d is shorter than the history of series "a" \(14d\)/],
    ['a future skew that is not a duration', { server: { maxFutureSkew: 'soon' } }, 'server.maxFutureSkew', /not a duration/],
  ])('rejects %s with INVALID_CONFIG naming the path', (_label, raw, path, reason) => {
    const err = configError(() => parseConfig(raw));

    expect(err.code).toBe('INVALID_CONFIG');
    expect(err.field).toBe(path);
    expect(err.message).toContain(path);
    expect(err.message).toMatch(reason);
  });

  it('reports every problem at once', () => {
    const err = configError(() => parseConfig({ series: [{ name: 'a', step: 'x', timezone: 'Nowhere/None' }] }));

    expect(err.message).toContain('series[0].step');
    expect(err.message).toContain('series[0].timezone');
  });

  it.each([
    ['a missing file', () => join(dir, 'nope.yaml'), /nope\.yaml/],
    ['a file that is not YAML', () => writeConfig('bad.yaml', 'series: [\n  - name: a\n  bad: : :'), /not valid YAML or JSON/],
  ])('rejects %s with INVALID_CONFIG', (_label, file, reason) => {
    const err = configError(() => loadConfig({ file: file(), env: {} }));

    expect(err.code).toBe('INVALID_CONFIG');
    expect(err.message).toMatch(reason);
  });

  it('lets PORT, HOST and PRESCALE_DATA_DIR override the file', () => {
    const file = writeConfig('prescale.yaml', `${ISSUE_YAML}server:\n  port: 9000\n  host: 127.0.0.1\nstorage:\n  dataDir: /var/lib/prescale\n`);

    const config = loadConfig({ file, env: { PORT: '0', HOST: '::1', PRESCALE_DATA_DIR: join(dir, 'state') } });

    expect(config.server.port).toBe(0);
    expect(config.server.host).toBe('::1');
    expect(config.storage.dataDir).toBe(join(dir, 'state'));
  });

  it('rejects a PORT that is not a number, naming server.port', () => {
    const err = configError(() => loadConfig({ file: writeConfig('p.yaml', ISSUE_YAML), env: { PORT: 'eighty' } }));

    expect(err.code).toBe('INVALID_CONFIG');
    expect(err.field).toBe('server.port');
  });

  it('returns a deeply frozen config', () => {
    const config = loadConfig({ file: writeConfig('prescale.yaml', ISSUE_YAML), env: {} });

    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.series[0])).toBe(true);
    expect(Object.isFrozen(config.series[0]!.quantiles)).toBe(true);
    expect(() => {
      (config.server as { port: number }).port = 1;
    }).toThrow(TypeError);
  });
});
