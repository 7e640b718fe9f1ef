import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestPki } from '../../test/helpers/pki';
import { type PrescaleChild, freePort, startPrescale } from './child-service';
import { type Endpoint, answered, getJson, localAgent, postJson, send } from './http-client';
import { CANARY_SERIES, FUZZ_SERIES, type FuzzTarget, fuzzRequest } from './fuzz-generator';
import { Random } from './random';

export interface FuzzOptions {
  requests: number;
  concurrency: number;
  seed: number;
  /** A request without a full answer after this long counts as a hang. */
  hangMs: number;
}

export interface FuzzResult {
  requests: number;
  byClass: Record<'2xx' | '3xx' | '4xx' | '5xx', number>;
  /** 5xx other than the documented 503 for a series without a forecast yet (FORECAST_NOT_READY). */
  undocumented5xx: number;
  hangs: number;
  /** Connections reset or refused (a server that closes after a 400/431 also shows here). */
  socketErrors: number;
  /** Requests Node's own client refused to send (invalid header characters). */
  notSent: number;
  /** Socket errors by code (ECONNRESET, EPIPE, …). */
  socketCodes: Record<string, number>;
  /** Process exits during the run (it is restarted, at most 3 times). */
  crashes: number;
  canaryChanged: boolean;
  rssBeforeMb: number;
  rssAfterMb: number;
  seconds: number;
  /** Up to 5 distinct 5xx requests and crash output, to reproduce. */
  examples: string[];
}

/**
 * Part 3: fuzzed requests over real sockets against a real `prescale serve` with REST and the
 * aggregated external metrics API (TLS with a test certificate, front-proxy client
 * authentication). A canary series is pushed first and compared at the end.
 */
export async function fuzzRequests(options: FuzzOptions): Promise<FuzzResult> {
  const dir = mkdtempSync(join(tmpdir(), 'prescale-rel-fuzz-'));
  const started = Date.now();
  const random = new Random(options.seed);
  const pki = new TestPki('serving-ca');
  const serving = pki.leaf({ commonName: 'localhost', usage: 'server', altNames: ['localhost', '127.0.0.1'] });
  const frontProxyPki = new TestPki('front-proxy-ca');
  const frontProxy = frontProxyPki.leaf({ commonName: 'front-proxy-client', usage: 'client' });
  writeFileSync(join(dir, 'tls.crt'), serving.cert);
  writeFileSync(join(dir, 'tls.key'), serving.key);
  writeFileSync(join(dir, 'front-proxy-ca.crt'), frontProxyPki.ca.cert);
  writeFileSync(join(dir, 'token'), 'fuzz-token-0123456789\n');
  const [port, aggregatedPort] = [await freePort(), await freePort()];
  const config = {
    server: { host: '127.0.0.1', port, maxSamplesPerRequest: 10_000, shutdownGrace: '2s' },
    storage: { dataDir: join(dir, 'data') },
    forecast: { model: 'seasonal-naive' },
    training: { backend: 'wasm', holdout: '1d', lstm: { units: 4, maxEpochs: 1, maxSamples: 100 } },
    series: [CANARY_SERIES, ...FUZZ_SERIES].map((name) => ({ name, step: '1m', horizon: '30m', history: '2d' })),
    pools: [{ name: 'canary-pool', series: CANARY_SERIES, capacityPerReplica: 10, maxReplicas: 20 }],
    externalMetrics: {
      host: '127.0.0.1',
      port: aggregatedPort,
      tls: { certFile: join(dir, 'tls.crt'), keyFile: join(dir, 'tls.key') },
      requestHeader: { clientCAFile: join(dir, 'front-proxy-ca.crt'), allowedNames: ['front-proxy-client'] },
      auth: { bearerTokens: [{ user: 'dashboards', tokenFile: join(dir, 'token') }] },
    },
  };
  const result: FuzzResult = {
    requests: 0, byClass: { '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0 }, undocumented5xx: 0, hangs: 0, socketErrors: 0, notSent: 0, socketCodes: {}, crashes: 0,
    canaryChanged: false, rssBeforeMb: 0, rssAfterMb: 0, seconds: 0, examples: [],
  };
  let child = await startPrescale({ dir, config, port });
  const endpoints = (c: PrescaleChild): Record<FuzzTarget, Endpoint> => ({
    rest: c.http,
    aggregated: { port: aggregatedPort, tls: true, agent: localAgent({ cert: frontProxy.cert, key: frontProxy.key }) },
    'aggregated-anonymous': { port: aggregatedPort, tls: true, agent: localAgent({}) },
  });
  let targets = endpoints(child);
  try {
    const canary = await pushCanary(child);
    result.rssBeforeMb = child.rssKb() / 1024;
    let issued = 0;
    let restarting: Promise<void> | undefined;
    const worker = async (): Promise<void> => {
      while (issued < options.requests && result.crashes <= 3) {
        if (restarting) await restarting;
        if (child.exit) {
          restarting ??= (async () => {
            result.crashes++;
            result.examples.push(`crash ${JSON.stringify(child.exit)}: ${child.output().slice(-300)}`);
            for (const e of Object.values(targets)) e.agent.destroy();
            child = await startPrescale({ dir, config, port });
            targets = endpoints(child);
          })().finally(() => (restarting = undefined));
          continue;
        }
        issued++;
        const req = fuzzRequest(random);
        const reply = await send(targets[req.target], { method: req.method, path: req.path, headers: req.headers, ...(req.body !== undefined ? { body: req.body } : {}), timeoutMs: options.hangMs });
        result.requests++;
        if (!answered(reply)) {
          if (reply.error === 'timeout') result.hangs++;
          else if (reply.error === 'client') result.notSent++;
          else {
            result.socketErrors++;
            result.socketCodes[reply.code] = (result.socketCodes[reply.code] ?? 0) + 1;
          }
          if (reply.error === 'timeout' && result.examples.length < 10) result.examples.push(`hang: ${req.target} ${req.method} ${req.path.slice(0, 120)}`);
        } else {
          const cls = `${Math.min(5, Math.floor(reply.status / 100))}xx` as keyof FuzzResult['byClass'];
          if (cls in result.byClass) result.byClass[cls]++;
          const documented = reply.status === 503 && (req.method === 'HEAD' || /forecast-not-ready|ServiceUnavailable/.test(reply.body));
          if (cls === '5xx' && !documented) result.undocumented5xx++;
          if (cls === '5xx' && !documented && result.examples.length < 10) result.examples.push(`${reply.status}: ${req.target} ${req.method} ${req.path.slice(0, 120)} -> ${reply.body.slice(0, 160)}`);
        }
      }
    };
    await Promise.all(Array.from({ length: options.concurrency }, worker));
    if (!child.exit) {
      await new Promise((r) => setTimeout(r, 1000));
      result.rssAfterMb = child.rssKb() / 1024;
      result.canaryChanged = (await readCanary(child)) !== canary;
    }
  } finally {
    for (const e of Object.values(targets)) e.agent.destroy();
    await child.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  result.seconds = (Date.now() - started) / 1000;
  return result;
}

const MINUTE = 60_000;

/** One day of one-minute samples for the canary, pushed before the fuzzing; returns what reads back. */
async function pushCanary(child: PrescaleChild): Promise<string> {
  const end = Math.floor(Date.now() / MINUTE) * MINUTE - 10 * MINUTE;
  const samples = Array.from({ length: 1440 }, (_, i) => ({ t: new Date(end - (1439 - i) * MINUTE).toISOString(), v: 100 + (i % 60) }));
  const reply = await postJson(child.http, `/v1/series/${CANARY_SERIES}/samples`, samples);
  if (reply.status !== 200) throw new Error(`canary push answered ${reply.status}`);
  return readCanary(child);
}

async function readCanary(child: PrescaleChild): Promise<string> {
  const from = new Date(Date.now() - 2 * 86_400_000).toISOString();
  const reply = await getJson<{ samples: unknown[] }>(child.http, `/v1/series/${CANARY_SERIES}/samples?from=${from}&to=${new Date().toISOString()}`);
  return JSON.stringify(reply.json?.samples ?? null);
}
