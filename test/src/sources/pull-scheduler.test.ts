/**
 * PullScheduler with a real PrometheusSource over real HTTP, against a server that answers
 * query_range in the API's documented envelope but with timestamps of its own choosing (a
 * source with a wrong clock, or a hostile one): what a real Prometheus cannot be made to do.
 */
import { type Server, createServer } from 'node:http';
import { Registry } from 'prom-client';
import { prometheusSourceSchema } from '../../../src/config/source-schema';
import type { Sample } from '../../../src/series/sample';
import { PrometheusSource } from '../../../src/sources/prometheus-source';
import { PullScheduler } from '../../../src/sources/pull-scheduler';
import { createLogger } from '../../../src/telemetry/logger';
import { createSourceMetrics } from '../../../src/telemetry/source-metrics';
import { ManualClock } from '../../helpers/manual-clock';

const MINUTE = 60_000;
const NOW = Date.UTC(2026, 10, 26, 12);

/** Answers every query_range with `values` (Unix seconds, value strings). */
async function lyingPrometheus(values: [number, string][]): Promise<{ url: string; server: Server }> {
  const server = createServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ status: 'success', data: { resultType: 'matrix', result: [{ metric: {}, values }] } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return { url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`, server };
}

describe('pull scheduler', () => {
  let server: Server | null = null;
  afterEach(async () => {
    const s = server;
    server = null;
    if (s) await new Promise((r) => s.close(r));
  });

  it('drops samples more than maxFutureSkew ahead of the clock, counts them by reason, and stores the rest', async () => {
    const values: [number, string][] = [
      [(NOW - MINUTE) / 1000, '10'],
      [NOW / 1000, '11'],
      [(NOW + 5 * MINUTE) / 1000, '12'], // at the limit: a clock a little ahead is fine
      [Date.parse('5138-11-16T09:46:00Z') / 1000, '1e12'],
    ];
    const lying = await lyingPrometheus(values);
    server = lying.server;
    const stored: Sample[] = [];
    const registry = new Registry();
    const source = new PrometheusSource(prometheusSourceSchema.parse({ url: lying.url, query: 'sum(rate(x[1m]))', retries: 0 }));
    const pulls: PullScheduler = new PullScheduler({
      series: [{ config: { name: 'api', step: 60, history: 3600 }, source }],
      ingest: async (_name, samples) => stored.push(...samples),
      lastSampleMs: async () => null,
      clock: new ManualClock(NOW),
      logger: createLogger({ level: 'silent' }),
      metrics: createSourceMetrics(registry, () => pulls.statuses()),
      maxFutureSkewSeconds: 300,
    });

    await pulls.start({ schedule: false });
    await pulls.stop();
    source.close();

    expect(stored.map((s) => s.v)).toEqual([10, 11, 12]);
    expect(await registry.metrics()).toContain('prescale_source_samples_dropped_total{series="api",reason="future"} 1');
    expect(pulls.statuses()[0]).toMatchObject({ state: 'up' });
  });
});
