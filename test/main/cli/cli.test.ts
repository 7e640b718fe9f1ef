import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunningService } from '../../../main/serve';
import { freePort, runCli, startService, tempDir } from '../../helpers/test-server';
import { TRACE_DIR } from '../../helpers/trace-file';

/** The `prescale` CLI as users run it: `node bin/prescale.js …` in a child process (needs the build in dist/). */
const DATA = TRACE_DIR;
const ELB_5M = join(DATA, 'nab_elb_request_count_8c0756.csv'); // 5-minute step, 14 days, 8 empty values
const MONGO_1M = join(DATA, 'mscm_mongodb_machine_qps.csv'); // 1-minute step
const TAXI_30M = join(DATA, 'nab_nyc_taxi_passengers.csv'); // 30-minute step

// Created at load time: concurrent tests below may start before beforeAll hooks run.
const dir = tempDir('cli');
afterAll(() => dir.remove());

interface ForecastJson {
  model: string;
  step: number;
  points: Array<{ t: string; value: number; quantiles: Record<string, number> }>;
}

describe('prescale CLI', () => {
  it('prints help and exits 0', async () => {
    const r = await runCli(['--help']);

    expect(r.code).toBe(0);
    for (const cmd of ['serve', 'import', 'forecast', 'backtest']) expect(r.stdout).toContain(cmd);
  });

  it('forecast --json prints the points after the end of a shared trace', async () => {
    const r = await runCli(['forecast', ELB_5M, '--step', '5m', '--horizon', '1h', '--json']);
    const out = JSON.parse(r.stdout) as ForecastJson;

    expect(r.code).toBe(0);
    expect(out.model).toBe('seasonal');
    expect(out.step).toBe(300);
    expect(out.points).toHaveLength(12);
    // The trace ends at 2014-04-24T00:39:00Z, on steps aligned to the epoch (00:35).
    expect(out.points[0]!.t).toBe('2014-04-24T00:40:00.000Z');
    for (const p of out.points) {
      expect(Number.isFinite(p.value)).toBe(true);
      expect(p.quantiles['0.5']!).toBeLessThanOrEqual(p.quantiles['0.9']!);
    }
  });

  it('forecast prints CSV by default', async () => {
    const r = await runCli(['forecast', ELB_5M, '--step', '5m', '--horizon', '30m', '--model', 'seasonal-naive']);
    const lines = r.stdout.trim().split('\n');

    expect(r.code).toBe(0);
    expect(lines[0]).toBe('timestamp,value,q0.5,q0.9');
    expect(lines).toHaveLength(7);
    for (const line of lines.slice(1)) expect(line).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:00\.000Z,[\d.e+-]+,[\d.e+-]+,[\d.e+-]+$/);
  });

  it('aggregates a finer file onto a coarser --step', async () => {
    const r = await runCli(['forecast', MONGO_1M, '--step', '5m', '--horizon', '1h', '--json']);
    const out = JSON.parse(r.stdout) as ForecastJson;

    expect(r.code).toBe(0);
    expect(out.step).toBe(300);
    expect(out.points).toHaveLength(12);
    const times = out.points.map((p) => Date.parse(p.t));
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBe(300_000);
  });

  it('backtest --json prints one object with a models array of scores', async () => {
    const r = await runCli(['backtest', ELB_5M, '--step', '5m', '--horizon', '1h', '--json']);
    const out = JSON.parse(r.stdout) as {
      models: Array<{ model: string; mase: number; smape: number; pinball: number; coverage: Record<string, number>; dieboldMariano: { against: string; statistic: number } | null }>;
    };

    expect(r.code).toBe(0);
    expect(out.models.map((m) => m.model)).toEqual(['seasonal-naive', 'seasonal']);
    // The second model is tested against the first. Every window has all its steps, so the statistic has the sign of the MASE difference.
    expect(out.models[0]!.dieboldMariano).toBeNull();
    expect(out.models[1]!.dieboldMariano).toEqual({ against: 'seasonal-naive', statistic: expect.any(Number) });
    expect(Math.sign(out.models[1]!.dieboldMariano!.statistic)).toBe(Math.sign(out.models[1]!.mase - out.models[0]!.mase));
    for (const m of out.models) {
      expect(m.mase).toBeGreaterThan(0);
      expect(m.smape).toBeGreaterThan(0);
      expect(m.pinball).toBeGreaterThan(0);
      expect(Object.keys(m.coverage).sort()).toEqual(['0.5', '0.9']);
      for (const share of Object.values(m.coverage)) expect(share >= 0 && share <= 1).toBe(true);
    }
  });

  it('backtest prints a table by default, for the models asked for', async () => {
    const r = await runCli(['backtest', TAXI_30M, '--step', '1h', '--horizon', '1h', '--models', 'seasonal', '--windows', '4', '--timezone', 'America/New_York']);

    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/model\s+MASE\s+sMAPE%\s+pinball/);
    expect(r.stdout).toMatch(/^seasonal\s+\d/m);
    expect(r.stdout).not.toMatch(/seasonal-naive/);
    // One model: nothing to test it against.
    expect(r.stdout).not.toMatch(/DM vs/);
  });

  it('backtest prints, for each model after the first, its Diebold–Mariano statistic against the first', async () => {
    const r = await runCli(['backtest', TAXI_30M, '--step', '1h', '--horizon', '1h', '--models', 'seasonal-naive,seasonal', '--windows', '6', '--timezone', 'America/New_York']);

    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/windows\s+DM vs seasonal-naive/);
    expect(r.stdout).toMatch(/^seasonal-naive\s.*\s-\s*$/m);
    expect(r.stdout).toMatch(/^seasonal\s.*\s-?\d+\.\d\d\s*$/m);
  });

  describe('bad input exits 2 with exactly one line on stderr', () => {
    const malformed = () => {
      const file = join(dir.path, 'malformed.csv');
      writeFileSync(file, 'timestamp,value\n2026-01-01T00:00:00Z,1\n2026-01-01T00:05:00Z,1,2\n');
      return file;
    };

    // Each case is its own short-lived process, so they run side by side.
    it.concurrent.each<[string, () => string[], RegExp]>([
      ['a bad duration', () => ['forecast', ELB_5M, '--step', '5 minutes', '--horizon', '1h'], /--step.*not a duration/],
      ['a bad horizon', () => ['backtest', ELB_5M, '--step', '5m', '--horizon', 'later'], /--horizon.*not a duration/],
      ['a bad timezone', () => ['forecast', ELB_5M, '--step', '5m', '--horizon', '1h', '--timezone', 'Mars/Olympus'], /--timezone.*Mars\/Olympus/],
      ['a missing file', () => ['forecast', join(DATA, 'no-such-file.csv'), '--step', '5m', '--horizon', '1h'], /no-such-file\.csv/],
      ['a --step finer than the file', () => ['backtest', TAXI_30M, '--step', '5m', '--horizon', '1h'], /--step.*finer than the file's own step \(30m\)/],
      ['an unknown model', () => ['backtest', ELB_5M, '--step', '5m', '--horizon', '1h', '--models', 'seasonal,prophet'], /unknown model "prophet"/],
      ['an unknown forecast model', () => ['forecast', ELB_5M, '--step', '5m', '--horizon', '1h', '--model', 'prophet'], /unknown model "prophet"/],
      ['a malformed CSV file', () => ['forecast', malformed(), '--step', '5m', '--horizon', '1h'], /malformed\.csv.*line 3/],
      ['a missing required option', () => ['import', ELB_5M], /--series/],
      ['an unknown command', () => ['predict', ELB_5M], /predict/],
    ])('%s', async (_label, args, message) => {
      const r = await runCli(args());

      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.endsWith('\n')).toBe(true);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^prescale: /);
      expect(r.stderr).toMatch(message);
    });
  });

  describe('import', () => {
    let svc: RunningService & { url: string };
    beforeAll(async () => {
      svc = await startService(join(dir.path, 'service'));
    });
    afterAll(() => svc.stop());

    it('pushes a CSV file to a running service in batches and stores every non-empty sample', async () => {
      const r = await runCli(['import', '--series', 'api-rps', ELB_5M, '--url', svc.url, '--batch', '1000']);

      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual({ series: 'api-rps', stored: 4032, changed: 4032 });
      expect((await svc.app.store.stats('api-rps'))).toMatchObject({ count: 4032, firstMs: Date.parse('2014-04-10T00:04:00Z'), lastMs: Date.parse('2014-04-24T00:39:00Z') });
    });

    it('is idempotent when the same file is imported again', async () => {
      const r = await runCli(['import', '--series', 'api-rps', ELB_5M, '--url', svc.url]);

      expect(JSON.parse(r.stdout)).toEqual({ series: 'api-rps', stored: 4032, changed: 0 });
      expect((await svc.app.store.stats('api-rps'))!.count).toBe(4032);
    });

    it('exits 2 with one stderr line for a malformed file, sending nothing', async () => {
      const file = join(dir.path, 'bad-import.csv');
      writeFileSync(file, '2026-01-01T00:00:00Z,1\n2026-01-01T00:01:00Z,oops\n');

      const r = await runCli(['import', '--series', 'api-rps', file, '--url', svc.url]);

      expect(r.code).toBe(2);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/bad-import\.csv.*line 2 value/);
      expect(await svc.app.store.read('api-rps', { fromMs: Date.parse('2026-01-01T00:00:00Z') })).toEqual([]);
    });

    it('sends the token of --token-file to a service with server.auth, and names the flag when it is missing', async () => {
      const tokenFile = join(dir.path, 'pusher-token');
      writeFileSync(tokenFile, 'a-pusher-token-of-32-characters!\n');
      const authed = await startService(join(dir.path, 'authed'), {
        server: { host: '127.0.0.1', port: 0, auth: { tokens: [{ name: 'pusher', tokenFile, role: 'write' }] } },
      });
      try {
        const refused = await runCli(['import', '--series', 'api-rps', ELB_5M, '--url', authed.url]);
        expect(refused.code).toBe(2);
        expect(refused.stderr).toMatch(/--token-file/);

        const ok = await runCli(['import', '--series', 'api-rps', ELB_5M, '--url', authed.url, '--token-file', tokenFile]);
        expect(ok.code).toBe(0);
        expect(JSON.parse(ok.stdout)).toMatchObject({ stored: 4032 });
      } finally {
        await authed.stop();
      }
    });

    it('exits 1 with one stderr line when no service answers', async () => {
      const r = await runCli(['import', '--series', 'api-rps', ELB_5M, '--url', `http://127.0.0.1:${await freePort()}`]);

      expect(r.code).toBe(1);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/cannot reach/);
    });

    it('exits 2 with one stderr line for a series the service does not know', async () => {
      const r = await runCli(['import', '--series', 'nope', ELB_5M, '--url', svc.url]);

      expect(r.code).toBe(2);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/nope/);
    });
  });
});
