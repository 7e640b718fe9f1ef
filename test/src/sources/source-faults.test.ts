/**
 * The service end to end with faulty sources beside a healthy one: a source that trickles
 * its answer, one whose answer is far over `maxResponseBytes`, and a query the REAL
 * Prometheus rejects with HTTP 400. Start-up, readiness and the stored series must not
 * wait on them, and each fault is visible per series in /readyz and /v1/status.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type PrescaleApp, buildApp } from '../../../main/app';
import { parseConfig } from '../../../src/config/load-config';
import { InProcessForecastRunner } from '../../../src/forecast/forecast-runner';
import { SqliteHistoryStore } from '../../../src/store/sqlite-history-store';
import { createLogger } from '../../../src/telemetry/logger';
import { ManualClock } from '../../helpers/manual-clock';
import { RealPrometheus } from '../../helpers/real-prometheus';
import { readTrace } from '../../helpers/trace-file';

const TRACE = readTrace('mscm_mongodb_machine_qps.csv');
const MINUTE = 60_000;
const START = Date.parse('2018-06-22T12:00:20Z');
const MiB = 1024 * 1024;
const DEADLINE_S = 1;
/** Retries of the trickling source: its pull needs 9 deadlines before it gives up, far more than start-up may wait. */
const TRICKLE_RETRIES = 8;

/** Answers `query=trickle` one byte every 200 ms forever, and `query=huge` with 5 MiB of chunked JSON-ish bytes. */
function faultServer(): Server {
  return createServer((req, res: ServerResponse) => {
    const query = new URL(req.url ?? '/', 'http://x').searchParams.get('query');
    res.writeHead(200, { 'content-type': 'application/json' });
    if (query === 'trickle') {
      const timer = setInterval(() => res.write(' '), 200);
      res.on('close', () => clearInterval(timer));
      return;
    }
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    let written = 0;
    const pump = (): void => {
      while (written < 5 * MiB && !res.destroyed) {
        written += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      res.end();
    };
    pump();
  });
}

describe('faulty sources beside a healthy one', () => {
  const prom = new RealPrometheus();
  const faults = faultServer();
  const dataDir = mkdtempSync(join(tmpdir(), 'prescale-faults-'));
  const logLines: Record<string, unknown>[] = [];
  let app: PrescaleApp;
  let http: Server;
  let base: string;
  let startMs = 0;
  let hungStateAtStart = '';

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const get = async (path: string): Promise<{ status: number; body: any }> => {
    const res = await fetch(`${base}${path}`);
    return { status: res.status, body: await res.json() };
  };
  const sourceState = async (series: string): Promise<{ state: string; lastError: string | null }> => (await get('/readyz')).body.details.sources[series];

  beforeAll(async () => {
    await prom.backfill([{ metric: 'mongodb_qps', labels: { instance: 'db-1' }, samples: TRACE }]);
    await prom.start();
    await new Promise<void>((resolve) => faults.listen(0, '127.0.0.1', resolve));
    const faultUrl = `http://127.0.0.1:${(faults.address() as AddressInfo).port}`;

    // A day of stored history, ending 3 steps ago (still fresh), for the series whose source will hang.
    const lastStored = START - (START % MINUTE) - 3 * MINUTE;
    const seeded = new SqliteHistoryStore(join(dataDir, 'history.sqlite'));
    await seeded.append('stored-qps', TRACE.filter((s) => s.t > lastStored - 86_400_000 && s.t <= lastStored));
    seeded.close();

    const series = (name: string, prometheus: Record<string, unknown>) => ({
      name,
      step: '1m',
      kind: 'gauge',
      history: '1d',
      horizon: '30m',
      staleAfter: 5,
      seasonalities: ['daily'],
      source: { prometheus: { timeout: DEADLINE_S, retries: 3, ...prometheus } },
    });
    const config = parseConfig({
      storage: { dataDir },
      forecast: { refreshDebounce: 1 },
      series: [
        series('stored-qps', { url: faultUrl, query: 'trickle', retries: TRICKLE_RETRIES }),
        series('healthy-qps', { url: prom.url, query: 'sum(mongodb_qps)' }),
        series('bad-query', { url: prom.url, query: 'sum(rate(mongodb_qps[1m]' }),
        series('huge-answer', { url: faultUrl, query: 'huge', maxResponseBytes: MiB }),
      ],
    });
    app = buildApp({
      config,
      logger: createLogger({ level: 'info', destination: { write: (line: string) => void logLines.push(JSON.parse(line) as Record<string, unknown>) } }),
      clock: new ManualClock(START),
      runner: new InProcessForecastRunner(),
      sourceOptions: { retryBaseDelayMs: 5, retryMaxDelayMs: 10 },
      schedulePulls: false,
    });
    http = app.http.listen(0, '127.0.0.1');
    await new Promise((r) => http.once('listening', r));
    base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    const before = Date.now();
    await app.start();
    startMs = Date.now() - before;
    hungStateAtStart = app.pulls.statuses().find((s) => s.series === 'stored-qps')?.state ?? '';
  });

  afterAll(async () => {
    await new Promise((r) => http.close(r));
    await app.close();
    faults.closeAllConnections();
    await new Promise((r) => faults.close(r));
    await prom.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('start-up waits for a hung source at most its first deadline, not its retries', async () => {
    // The trickling pull was still on its first tries when start-up went on to the first forecast pass.
    expect(hungStateAtStart).toBe('unknown');
    expect(startMs).toBeLessThan((TRICKLE_RETRIES + 1) * DEADLINE_S * 1000 - 2_000);
    const ready = await get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body.details.sources['stored-qps'].backfilled).toBe(false);
  });

  it('a series with stored history serves from it while its source hangs', async () => {
    const f = await get('/v1/forecasts/stored-qps');
    expect(f.status).toBe(200);
    expect(f.body.stale).toBe(false);
    expect(f.body.points.length).toBeGreaterThan(0);
  });

  it('the healthy source beside them is pulled and up', async () => {
    expect(await sourceState('healthy-qps')).toMatchObject({ state: 'up', lastError: null });
    expect(await app.store.read('healthy-qps')).toHaveLength(1441);
  });

  it('an answer over maxResponseBytes fails that series with an error naming the key, and the process goes on', async () => {
    const s = await sourceState('huge-answer');
    expect(s.state).toBe('down');
    expect(s.lastError).toContain('larger than 1048576 bytes');
    expect(s.lastError).toContain('source.prometheus.maxResponseBytes');
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });

  it('a query Prometheus rejects with 400 is a config_error in /readyz and /v1/status, logged once without a stack', async () => {
    await app.pulls.pull('bad-query');
    await app.pulls.pull('bad-query');
    const s = await sourceState('bad-query');
    expect(s.state).toBe('config_error');
    expect(s.lastError).toContain('HTTP 400');
    expect(s.lastError).toContain('sum(rate(mongodb_qps[1m]');
    const status = await get('/v1/status');
    expect(status.body.sources.find((x: { series: string }) => x.series === 'bad-query')).toMatchObject({ state: 'config_error', consecutiveFailures: 3 });

    const logged = logLines.filter((l) => l['series'] === 'bad-query');
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ level: 50, field: 'source.prometheus.query' });
    expect(JSON.stringify(logged[0])).not.toContain('stack');
  });

  it('the hung source ends down at its deadline, with the deadline in its error', async () => {
    for (let i = 0; i < 200 && (await sourceState('stored-qps')).state === 'unknown'; i++) await new Promise((r) => setTimeout(r, 100));
    const s = await sourceState('stored-qps');
    expect(s.state).toBe('down');
    expect(s.lastError).toContain(`within ${DEADLINE_S * 1000} ms`);
    expect((await get('/v1/forecasts/stored-qps')).status).toBe(200);
  });
});
