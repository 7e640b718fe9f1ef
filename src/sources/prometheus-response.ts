import { PrescaleError } from '../errors/prescale-error';
import type { Sample } from '../series/sample';

/** The documented envelope of the Prometheus HTTP API (`/api/v1/query_range`). */
interface ApiResponse {
  status?: string;
  errorType?: string;
  error?: string;
  data?: { resultType?: string; result?: { metric?: Record<string, string>; values?: [number, string][] }[] };
}

const QUERY_FIELD = 'source.prometheus.query';

/**
 * Decodes a successful query_range body into samples. A result with several series is a
 * configuration error: Prescale forecasts one series per name, so the query must aggregate.
 * Non-finite values (NaN from 0/0 rates, ±Inf) are dropped: a missing step, not a number.
 * @throws {PrescaleError} INVALID_CONFIG naming the query; UPSTREAM_UNAVAILABLE for a body that is not the API's shape.
 */
export function parseQueryRangeBody(body: string, query: string): Sample[] {
  let parsed: ApiResponse;
  try {
    parsed = JSON.parse(body) as ApiResponse;
  } catch {
    throw new PrescaleError('UPSTREAM_UNAVAILABLE', `query_range for "${query}" answered with a body that is not JSON`);
  }
  const result = parsed.data?.result;
  if (parsed.status !== 'success' || !Array.isArray(result)) {
    throw new PrescaleError('UPSTREAM_UNAVAILABLE', `query_range for "${query}" answered without a result (${parsed.errorType ?? 'unknown'}: ${parsed.error ?? 'no error text'})`);
  }
  if (parsed.data?.resultType !== 'matrix') {
    throw new PrescaleError('INVALID_CONFIG', `query "${query}" yields a ${parsed.data?.resultType ?? 'unknown'}, not a range vector`, QUERY_FIELD);
  }
  if (result.length > 1) {
    const shown = result.slice(0, 3).map((r) => formatLabels(r.metric ?? {})).join(', ');
    throw new PrescaleError(
      'INVALID_CONFIG',
      `query "${query}" returned ${result.length} series (${shown}${result.length > 3 ? ', …' : ''}); aggregate it to one, e.g. sum(...)`,
      QUERY_FIELD,
    );
  }
  const samples: Sample[] = [];
  for (const [t, raw] of result[0]?.values ?? []) {
    const v = Number(raw);
    if (Number.isFinite(v)) samples.push({ t: Math.round(t * 1000), v });
  }
  return samples;
}

/** An error answer (HTTP 4xx/5xx with the API's JSON envelope) as a PrescaleError. */
export function queryRangeError(status: number, body: string, query: string): PrescaleError {
  let detail = body.slice(0, 200);
  try {
    const parsed = JSON.parse(body) as ApiResponse;
    if (parsed.error) detail = `${parsed.errorType ?? 'error'}: ${parsed.error}`;
  } catch {
    // Not the API's envelope (a proxy's HTML page, say): keep the raw start of the body.
  }
  // 400 bad_data and 422 execution errors are the query's fault: retrying cannot help.
  if (status === 400 || status === 422) return new PrescaleError('INVALID_CONFIG', `query "${query}" was rejected (HTTP ${status}, ${detail})`, QUERY_FIELD);
  return new PrescaleError('UPSTREAM_UNAVAILABLE', `query_range for "${query}" failed with HTTP ${status} (${detail})`);
}

function formatLabels(metric: Record<string, string>): string {
  return `{${Object.entries(metric)
    .map(([k, v]) => `${k}="${v}"`)
    .join(',')}}`;
}
