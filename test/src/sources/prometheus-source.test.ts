/**
 * PrometheusSource against a REAL Prometheus (Debian package), its TSDB backfilled with
 * real traces (test/data/traces) through promtool.
 */
import { PrescaleError } from '../../../src/errors/prescale-error';
import { PrometheusSource } from '../../../src/sources/prometheus-source';
import { prometheusSourceSchema } from '../../../src/config/source-schema';
import { RealPrometheus, freePort } from '../../helpers/real-prometheus';
import { readTrace } from '../../helpers/trace-file';

const MACHINE = readTrace('mscm_mongodb_machine_qps.csv'); // 1 min, 14 days, 2018-06-13..26
const APP = readTrace('mscm_mongodb_app_qps_01.csv'); // 1 min, 2018-04-25..05-05

const source = (url: string, query: string, extra: Record<string, unknown> = {}): PrometheusSource =>
  new PrometheusSource(prometheusSourceSchema.parse({ url, query, retries: 2, ...extra }), { retryBaseDelayMs: 10, retryMaxDelayMs: 50 });

describe('PrometheusSource with a real Prometheus', () => {
  const prom = new RealPrometheus();
  beforeAll(async () => {
    await prom.backfill([
      { metric: 'trace_value', labels: { trace: 'machine' }, samples: MACHINE },
      { metric: 'trace_value', labels: { trace: 'app' }, samples: APP },
    ]);
    await prom.start();
  });
  afterAll(() => prom.destroy());

  it('pulls exactly the stored values on the step grid across a range longer than 11,000 points', async () => {
    const src = source(prom.url, 'trace_value{trace="machine"}');
    const fromMs = MACHINE[0]!.t;
    const toMs = MACHINE[MACHINE.length - 1]!.t; // 20,160 steps: needs 3 query_range chunks
    const samples = await src.pull({ fromMs, toMs, stepSeconds: 60 });
    src.close();
    expect(samples).toHaveLength(MACHINE.length);
    expect(samples).toEqual(MACHINE);
  });

  it('evaluates an aggregating query at the requested step', async () => {
    const src = source(prom.url, 'sum(trace_value{trace="machine"})');
    const fromMs = Date.parse('2018-06-20T00:00:00Z');
    const samples = await src.pull({ fromMs, toMs: fromMs + 3_600_000, stepSeconds: 300 });
    src.close();
    expect(samples.map((s) => s.t)).toEqual(Array.from({ length: 13 }, (_, i) => fromMs + i * 300_000));
    const byT = new Map(MACHINE.map((s) => [s.t, s.v]));
    for (const s of samples) expect(s.v).toBe(byT.get(s.t));
  });

  it('rejects a query that returns several series, naming the query', async () => {
    // Both traces have data in this window (hourly steps; a 5-minute lookback per step).
    const src = source(prom.url, 'trace_value');
    const err = (await src.pull({ fromMs: Date.parse('2018-04-25T00:00:00Z'), toMs: Date.parse('2018-06-20T00:00:00Z'), stepSeconds: 3600 }).catch((e: unknown) => e)) as PrescaleError;
    src.close();
    expect(err).toBeInstanceOf(PrescaleError);
    expect(err.code).toBe('INVALID_CONFIG');
    expect(err.message).toContain('query "trace_value" returned 2 series');
    expect(err.message).toContain('trace="machine"');
    expect(err.field).toBe('source.prometheus.query');
  });

  it('reports a query Prometheus rejects as a config error without retrying', async () => {
    const retries: number[] = [];
    const src = new PrometheusSource(prometheusSourceSchema.parse({ url: prom.url, query: 'sum(rate(x[1m]' }), { onRetry: (_e, n) => retries.push(n) });
    const err = (await src.pull({ fromMs: 0, toMs: 60_000, stepSeconds: 60 }).catch((e: unknown) => e)) as PrescaleError;
    src.close();
    expect(err.code).toBe('INVALID_CONFIG');
    expect(err.message).toContain('sum(rate(x[1m]');
    expect(retries).toEqual([]);
  });

  it('retries an unreachable Prometheus with backoff, then reports it unavailable', async () => {
    const port = await freePort();
    const delays: number[] = [];
    const src = new PrometheusSource(prometheusSourceSchema.parse({ url: `http://127.0.0.1:${port}`, query: 'up', retries: 3 }), {
      retryBaseDelayMs: 8,
      retryMaxDelayMs: 20,
      random: () => 0.999,
      onRetry: (_e, _n, ms) => delays.push(ms),
    });
    const err = (await src.pull({ fromMs: 0, toMs: 60_000, stepSeconds: 60 }).catch((e: unknown) => e)) as PrescaleError;
    src.close();
    expect(err.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(delays).toEqual([7, 15, 19]); // full jitter under 8, 16, then the 20 ms cap
  });
});

describe('PrometheusSource with an API under a path prefix (as Mimir serves it)', () => {
  const prom = new RealPrometheus(false, '/prometheus');
  beforeAll(async () => {
    await prom.backfill([{ metric: 'trace_value', labels: { trace: 'app' }, samples: APP.slice(0, 600) }]);
    await prom.start();
  });
  afterAll(() => prom.destroy());

  it('keeps the prefix of the configured URL in front of /api/v1/query_range', async () => {
    expect(prom.url).toMatch(/\/prometheus$/);
    const src = source(`${prom.url}/`, 'sum(trace_value)');
    const samples = await src.pull({ fromMs: APP[0]!.t, toMs: APP[599]!.t, stepSeconds: 60 });
    src.close();
    expect(samples).toEqual(APP.slice(0, 600));
  });
});
