import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunningService } from '../../../main/serve';
import { FileModelRegistry } from '../../../training/registry/model-registry';
import { artifact, manifest } from '../../helpers/registry-fixtures';
import { CLI, type ChildResult, REPO_ROOT, collect, runCli, startService, tempDir } from '../../helpers/test-server';
import { TRACE_DIR } from '../../helpers/trace-file';

/**
 * The conventions every `prescale` command follows, through the real CLI (`node bin/prescale.js`
 * in a child process, from the build in dist/): `--version`, `-` for standard input, the step
 * inferred from the file, and bad input that exits 2 with one stderr line naming the flag or
 * environment variable at fault.
 */
const ELB_5M = join(TRACE_DIR, 'nab_elb_request_count_8c0756.csv'); // 5-minute step
const TAXI_30M = join(TRACE_DIR, 'nab_nyc_taxi_passengers.csv'); // 30-minute step
const dir = tempDir('cli-conventions');
afterAll(() => dir.remove());

/** Runs the CLI with `input` on its standard input. */
function runWithStdin(args: string[], input: string, env: Record<string, string> = {}): Promise<ChildResult> {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  child.stdin.end(input);
  return collect(child);
}

function expectOneLineError(r: ChildResult, message: RegExp): void {
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(/^prescale: /);
  expect(r.stderr).toMatch(message);
}

describe('prescale CLI conventions', () => {
  it('--version prints the package version and exits 0', async () => {
    const r = await runCli(['--version']);
    const { version } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };

    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(version);
  });

  it('forecast - reads standard input and prints what the same file gives', async () => {
    const [piped, fromFile] = await Promise.all([
      runWithStdin(['forecast', '-', '--step', '5m', '--horizon', '1h', '--json'], readFileSync(ELB_5M, 'utf8')),
      runCli(['forecast', ELB_5M, '--step', '5m', '--horizon', '1h', '--json']),
    ]);

    expect(piped.code).toBe(0);
    expect(JSON.parse(piped.stdout)).toEqual(JSON.parse(fromFile.stdout));
  });

  it('forecast without --step infers the file\'s step from the median spacing and says so on stderr', async () => {
    const r = await runWithStdin(['forecast', '-', '--horizon', '1h', '--json'], readFileSync(ELB_5M, 'utf8'));
    const out = JSON.parse(r.stdout) as { step: number; points: { t: string }[] };

    expect(r.code).toBe(0);
    expect(out.step).toBe(300);
    expect(out.points).toHaveLength(12);
    expect(r.stderr).toMatch(/no --step given; using 5m, the median spacing of the timestamps in stdin/);
  });

  it('backtest without --step backtests on the file\'s own 30-minute step', async () => {
    const r = await runCli(['backtest', TAXI_30M, '--horizon', '2h', '--models', 'seasonal-naive', '--windows', '3', '--json']);
    const out = JSON.parse(r.stdout) as { step: number; windows: number };

    expect(r.code).toBe(0);
    expect(out).toMatchObject({ step: 1800, windows: 3 });
    expect(r.stderr).toMatch(/using 30m, the median spacing of the timestamps in .*nab_nyc_taxi_passengers\.csv/);
  });

  it('simulate - reads the trace from standard input and infers its step', async () => {
    const pool = join(dir.path, 'pool.yaml');
    writeFileSync(pool, 'capacityPerReplica: 50\nleadTime: 30m\nminReplicas: 1\nmaxReplicas: 20\n');
    // Ten days of the trace keep the replay short.
    const tenDays = readFileSync(TAXI_30M, 'utf8').split('\n').slice(0, 1 + 10 * 48).join('\n');
    const r = await runWithStdin(['simulate', '-', '--pool', pool, '--warmup', '3d', '--model', 'seasonal-naive', '--json'], tenDays);

    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { policies: unknown[] }).policies).toHaveLength(5);
    expect(r.stderr).toMatch(/using 30m/);
  }, 120_000);

  describe('bad input exits 2 with one stderr line naming the flag or variable', () => {
    it.concurrent.each<[string, string[], Record<string, string>, RegExp]>([
      ['a horizon without a unit', ['forecast', ELB_5M, '--horizon', '90'], {}, /--horizon: "90" has no unit; add one, e.g. 90s, 90m or 90h/],
      ['a fractional second', ['forecast', ELB_5M, '--horizon', '0.5s'], {}, /--horizon: "0.5s" is not a whole number of seconds/],
      ['an import address without a scheme', ['import', '--series', 'api-rps', ELB_5M, '--url', 'localhost:8080'], {}, /--url: "localhost:8080" is not an http\(s\) URL/],
      ['a PORT that is not a number, for import', ['import', '--series', 'api-rps', ELB_5M], { PORT: 'abc' }, /^prescale: PORT: /],
      ['a bad PRESCALE_URL', ['import', '--series', 'api-rps', ELB_5M], { PRESCALE_URL: 'db:5432' }, /^prescale: PRESCALE_URL: "db:5432"/],
      ['a PORT that is not a number, for serve', ['serve'], { PORT: 'abc' }, /^prescale: PORT: "abc" is not a port number/],
      ['a PORT out of range, for plan', ['plan', '--config', join(TRACE_DIR, '..', 'no-such.yaml')], { PORT: '70000' }, /^prescale: PORT: "70000"/],
      ['an unknown log level', ['serve'], { PRESCALE_LOG_LEVEL: 'loud' }, /^prescale: PRESCALE_LOG_LEVEL: "loud" is not a log level \(fatal, error, warn, info, debug, trace, silent\)/],
      ['a missing --horizon', ['forecast', ELB_5M], {}, /--horizon/],
    ])('%s', async (_label, args, env, message) => {
      const r = await runCli(args, env);

      expectOneLineError(r, message);
    });
  });

  describe('models promote and rollback', () => {
    const data = join(dir.path, 'registry');
    const config = join(dir.path, 'models.yaml');
    beforeAll(async () => {
      writeFileSync(config, `storage: { dataDir: ${data} }\nseries:\n  - { name: api, step: 1m, horizon: 10m }\n`);
      const registry = new FileModelRegistry(join(data, 'models'));
      await registry.save(manifest('api', 'promoted'), artifact(1));
      await registry.save(manifest('api', 'rejected'), artifact(2));
    });

    it('promote names --version and lists the versions when the version does not exist, changing nothing', async () => {
      const r = await runCli(['models', 'promote', '--config', config, '--series', 'api', '--version', 'v9']);

      expectOneLineError(r, /--version: series "api" has no model version "v9" \(versions: v000001, v000002\)/);
      expect(new FileModelRegistry(join(data, 'models')).serving('api').promoted).toBe('v000001');
    });

    it('promote names --series for a series with no versions', async () => {
      const r = await runCli(['models', 'promote', '--config', config, '--series', 'nope', '--version', 'v000001']);

      expectOneLineError(r, /--series: "nope" is neither a configured series nor in the registry/);
    });

    it('promote and rollback say which version served before and which serves now', async () => {
      const promoted = await runCli(['models', 'promote', '--config', config, '--series', 'api', '--version', 'v000002']);
      expect(promoted.code).toBe(0);
      expect(promoted.stdout).toMatch(/^series=api promoted: v000001 -> v000002 /);

      const again = await runCli(['models', 'promote', '--config', config, '--series', 'api', '--version', 'v000002']);
      expect(again.stdout).toMatch(/^series=api promoted: v000002 was already serving; nothing changed/);

      const rolledBack = await runCli(['models', 'rollback', '--config', config, '--series', 'api']);
      expect(rolledBack.code).toBe(0);
      expect(rolledBack.stdout).toMatch(/^series=api rolled back: v000002 -> v000001 /);
      expect(new FileModelRegistry(join(data, 'models')).serving('api').promoted).toBe('v000001');
    });
  });

  describe('import', () => {
    let svc: RunningService & { url: string };
    beforeAll(async () => {
      svc = await startService(join(dir.path, 'service'));
    });
    afterAll(() => svc.stop());

    it('import - pushes standard input', async () => {
      const r = await runWithStdin(['import', '--series', 'api-rps', '-', '--url', svc.url], readFileSync(ELB_5M, 'utf8'));

      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual({ series: 'api-rps', stored: 4032, changed: 4032 });
      expect((await svc.app.store.stats('api-rps'))!.count).toBe(4032);
    });

    it('into a series the service does not serve, says how to configure it', async () => {
      const r = await runCli(['import', '--series', 'embed-rps', ELB_5M, '--url', svc.url]);

      expectOneLineError(r, /--series: "embed-rps" is not a configured series of http:\/\/127\.0\.0\.1:\d+; add "- \{ name: embed-rps, step: 1m, horizon: 1h \}" under series: in the service's config file, restart the service/);
      expect(await svc.app.store.stats('embed-rps')).toBeFalsy();
    });
  });
});
