import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type http from 'node:http';
import type https from 'node:https';
import { rootCertificates } from 'node:tls';
import type { PrometheusSourceConfig } from '../config/source-schema';
import { PrescaleError } from '../errors/prescale-error';
import type { Sample } from '../series/sample';
import { type ClientTls, HttpResponseTooLargeError, HttpTransportError, createAgent, httpGet } from './http-get';
import type { MetricsSource, PullRange } from './metrics-source';
import { parseQueryRangeBody, queryRangeError } from './prometheus-response';
import { queryRangeChunks } from './query-range-chunks';
import { withRetry } from '../retry/retry-with-backoff';

/** A failure another attempt may fix (connection refused, timeout, HTTP 5xx/429). */
class TransientSourceError extends PrescaleError {
  constructor(message: string) {
    super('UPSTREAM_UNAVAILABLE', message);
  }
}

export interface PrometheusSourceOptions {
  /** Delay before the first retry, in ms (doubles per retry, full jitter). */
  retryBaseDelayMs?: number;
  retryMaxDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  onRetry?: (err: unknown, attempt: number, delayMs: number) => void;
}

/**
 * Pulls one series from a Prometheus-compatible HTTP API with `GET /api/v1/query_range`
 * only (the documented, stable endpoint Thanos Query and Mimir serve too). Long ranges are
 * split under the 11,000-points limit and fetched oldest first.
 */
export class PrometheusSource implements MetricsSource {
  readonly description: string;
  readonly deadlineMs: number;
  private readonly endpoint: URL;
  private readonly agent: http.Agent | https.Agent;

  /** @throws {PrescaleError} INVALID_CONFIG when a TLS file cannot be read. */
  constructor(
    private readonly config: PrometheusSourceConfig,
    private readonly options: PrometheusSourceOptions = {},
  ) {
    // Keep a path prefix (Mimir serves the API under /prometheus).
    this.endpoint = new URL(`${config.url.replace(/\/+$/, '')}/api/v1/query_range`);
    this.description = `${config.url} ${config.query}`;
    this.deadlineMs = config.timeout * 1000;
    this.agent = createAgent(this.endpoint, config.tls ? readTls(config.tls) : undefined);
  }

  async pull(range: PullRange): Promise<Sample[]> {
    const out: Sample[] = [];
    for (const chunk of queryRangeChunks(range)) {
      const samples = await withRetry(() => this.queryRange(chunk), {
        // `retries` counts the tries after the first.
        attempts: this.config.retries + 1,
        baseDelayMs: this.options.retryBaseDelayMs ?? 500,
        maxDelayMs: this.options.retryMaxDelayMs ?? 10_000,
        isRetryable: (err) => err instanceof TransientSourceError,
        ...(this.options.sleep ? { sleep: this.options.sleep } : {}),
        ...(this.options.random ? { random: this.options.random } : {}),
        ...(this.options.onRetry ? { onRetry: this.options.onRetry } : {}),
      });
      for (const s of samples) out.push(s);
    }
    return out;
  }

  /** Closes kept-alive connections. */
  close(): void {
    this.agent.destroy();
  }

  private async queryRange(range: PullRange): Promise<Sample[]> {
    const url = new URL(this.endpoint);
    url.searchParams.set('query', this.config.query);
    url.searchParams.set('start', String(range.fromMs / 1000));
    url.searchParams.set('end', String(range.toMs / 1000));
    url.searchParams.set('step', `${range.stepSeconds}s`);
    let res;
    try {
      res = await httpGet(url, { headers: await this.headers(), deadlineMs: this.deadlineMs, maxResponseBytes: this.config.maxResponseBytes, agent: this.agent });
    } catch (err) {
      if (err instanceof HttpTransportError) throw new TransientSourceError(`query_range for "${this.config.query}": ${err.message}`);
      // Not retried: the same query would stream the same oversized answer again.
      if (err instanceof HttpResponseTooLargeError) {
        throw new PrescaleError('UPSTREAM_UNAVAILABLE', `query_range for "${this.config.query}": ${err.message} (source.prometheus.maxResponseBytes)`, 'source.prometheus.maxResponseBytes');
      }
      throw err;
    }
    if (res.status === 200) return parseQueryRangeBody(res.body, this.config.query);
    const error = queryRangeError(res.status, res.body, this.config.query);
    if (res.status >= 500 || res.status === 429) throw new TransientSourceError(error.message);
    throw error;
  }

  private async headers(): Promise<Record<string, string>> {
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'prescale' };
    const { bearerTokenFile, basicAuth } = this.config;
    // Re-read on every request: Kubernetes rotates projected service-account tokens.
    if (bearerTokenFile !== undefined) headers['authorization'] = `Bearer ${await readSecret(bearerTokenFile, 'bearerTokenFile')}`;
    if (basicAuth !== undefined) {
      const password = basicAuth.passwordFile !== undefined ? await readSecret(basicAuth.passwordFile, 'basicAuth.passwordFile') : (basicAuth.password ?? '');
      headers['authorization'] = `Basic ${Buffer.from(`${basicAuth.username}:${password}`).toString('base64')}`;
    }
    return headers;
  }
}

async function readSecret(file: string, field: string): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch (err) {
    throw new PrescaleError('INVALID_CONFIG', `source.prometheus.${field}: cannot read ${file}: ${(err as Error).message}`, `source.prometheus.${field}`);
  }
}

function readTls(tls: NonNullable<PrometheusSourceConfig['tls']>): ClientTls {
  const read = (file: string | undefined, field: string): Buffer | undefined => {
    if (file === undefined) return undefined;
    try {
      return readFileSync(file);
    } catch (err) {
      throw new PrescaleError('INVALID_CONFIG', `source.prometheus.tls.${field}: cannot read ${file}: ${(err as Error).message}`, `source.prometheus.tls.${field}`);
    }
  };
  const ca = read(tls.caFile, 'caFile');
  const cert = read(tls.certFile, 'certFile');
  const key = read(tls.keyFile, 'keyFile');
  return {
    rejectUnauthorized: !tls.insecureSkipVerify,
    // A custom CA is added to Node's bundled roots, so public CAs keep working.
    ...(ca ? { ca: Buffer.concat([ca, Buffer.from('\n'), Buffer.from(rootCertificates.join('\n'))]) } : {}),
    ...(cert ? { cert } : {}),
    ...(key ? { key } : {}),
    ...(tls.serverName !== undefined ? { servername: tls.serverName } : {}),
  };
}
