import { loadConfig, parseConfig } from '../../../src/config/load-config';
import { PrescaleError } from '../../../src/errors/prescale-error';

function problem(raw: unknown): PrescaleError {
  try {
    parseConfig(raw);
  } catch (err) {
    return err as PrescaleError;
  }
  throw new Error('the config was accepted');
}

describe('storage config', () => {
  it('defaults to the embedded SQLite backend', () => {
    expect(parseConfig({}).storage).toMatchObject({ backend: 'sqlite', dataDir: './data' });
  });

  it('accepts the postgres backend with a url or a urlFile', () => {
    expect(parseConfig({ storage: { backend: 'postgres', postgres: { url: 'postgres://prescale@db:5432/prescale' } } }).storage.postgres).toEqual({ url: 'postgres://prescale@db:5432/prescale' });
    expect(parseConfig({ storage: { backend: 'postgres', postgres: { urlFile: '/var/run/secrets/db/url' } } }).storage.postgres).toEqual({ urlFile: '/var/run/secrets/db/url' });
  });

  it.each([
    ['postgres without a URL', { backend: 'postgres' }, 'storage.postgres'],
    ['both url and urlFile', { backend: 'postgres', postgres: { url: 'postgres://db/x', urlFile: '/u' } }, 'storage.postgres.urlFile'],
    ['a URL of another scheme', { backend: 'postgres', postgres: { url: 'mysql://user:hunter2@db/x' } }, 'storage.postgres.url'],
    ['a string that is not a URL', { backend: 'postgres', postgres: { url: 'db:5432' } }, 'storage.postgres.url'],
    ['an unknown backend', { backend: 'mongodb' }, 'storage.backend'],
    ['an unknown key', { backend: 'postgres', postgres: { url: 'postgres://db/x', pool: 3 } }, 'storage.postgres.pool'],
  ])('refuses %s, naming the field', (_label, storage, field) => {
    const err = problem({ storage });

    expect(err.code).toBe('INVALID_CONFIG');
    expect(err.message).toContain(field);
  });

  it('never echoes a URL (which may hold a password) in its problems', () => {
    expect(problem({ storage: { backend: 'postgres', postgres: { url: 'mysql://user:hunter2@db/x' } } }).message).not.toContain('hunter2');
  });

  it('takes PRESCALE_POSTGRES_URL over the url and urlFile of the file', () => {
    const config = loadConfig({ file: undefined, env: { PRESCALE_POSTGRES_URL: 'postgres://env@db/x' } });

    expect(config.storage.postgres).toEqual({ url: 'postgres://env@db/x' });
  });
});
