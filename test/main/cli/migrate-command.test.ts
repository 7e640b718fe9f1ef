import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RealPostgres } from '../../helpers/real-postgres';
import { runCli, tempDir } from '../../helpers/test-server';

/** `prescale migrate` as users run it (bin/prescale.js, needs dist/) against a real PostgreSQL. */
let pg: RealPostgres;
const dir = tempDir('migrate');

beforeAll(async () => {
  pg = new RealPostgres();
  await pg.start();
}, 60_000);
afterAll(async () => {
  await pg.destroy();
  dir.remove();
});

describe('prescale migrate', () => {
  it('applies every migration once and prints what it applied; a second run applies nothing', async () => {
    const url = await pg.createDatabase('migrate_once');

    const first = await runCli(['migrate'], { PRESCALE_POSTGRES_URL: url });
    const second = await runCli(['migrate'], { PRESCALE_POSTGRES_URL: url });

    expect(first.code).toBe(0);
    expect(first.stdout).toContain('applied 0001_history_samples');
    expect(second.code).toBe(0);
    expect(second.stdout).not.toContain('applied 0001');
    expect(second.stdout).toMatch(/0 by this run/);
    expect(await pg.sql('migrate_once', "SELECT to_regclass('prescale_samples') IS NOT NULL")).toBe('t');
  });

  it('reads the URL from storage.postgres.urlFile', async () => {
    const url = await pg.createDatabase('migrate_file');
    writeFileSync(join(dir.path, 'url'), `${url}\n`);
    writeFileSync(join(dir.path, 'file.yaml'), `storage:\n  backend: postgres\n  postgres:\n    urlFile: ${join(dir.path, 'url')}\n`);

    const r = await runCli(['migrate', '--config', join(dir.path, 'file.yaml')]);

    expect(r.code).toBe(0);
    expect(r.stdout).toContain('applied 0001_history_samples');
  });

  it.each([
    ['no URL at all', '', {}, 'storage.postgres'],
    ['a URL that is not postgres://', 'storage:\n  postgres:\n    url: mysql://db/x\n', {}, 'storage.postgres.url'],
    ['both url and urlFile', 'storage:\n  postgres:\n    url: postgres://db/x\n    urlFile: /nope\n', {}, 'storage.postgres.urlFile'],
    ['an unreadable urlFile', 'storage:\n  postgres:\n    urlFile: /nonexistent/url\n', {}, 'storage.postgres.urlFile'],
  ])('exits 2 with one line naming the field for %s', async (_label, yaml, env, field) => {
    const file = join(dir.path, `bad-${field}-${yaml.length}.yaml`);
    writeFileSync(file, yaml || 'series: []\n');

    const r = await runCli(['migrate', '--config', file], env);

    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(field);
  });

  it('exits 1 without printing the password when the database cannot be reached', async () => {
    const r = await runCli(['migrate'], { PRESCALE_POSTGRES_URL: 'postgres://prescale:s3cret-pw@127.0.0.1:1/prescale' });

    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toContain('s3cret-pw');
  });
});
