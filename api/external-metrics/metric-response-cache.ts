import type { MetricReading } from '../../src/metric-providers/metric-provider';

/** What a metric request URL resolves to; a pure function of the URL, so parsed once. */
export interface ParsedMetricRequest {
  namespace: string;
  metricName: string;
  /** Label selector pins (horizon, quantile, aggregate). */
  pins: Record<string, string>;
}

interface Entry {
  request: ParsedMetricRequest;
  /** The reading the body encodes, and the body. */
  reading: MetricReading | null;
  body: Buffer | null;
}

/** Distinct URLs kept; the HPA asks for a handful, so this only bounds a caller that varies them. */
const MAX_ENTRIES = 1024;

/**
 * The external metrics list path, answered from cache where it can be: the HPA controller
 * asks the same few URLs every 15 seconds per HPA, and most of a request's own cost is
 * parsing the selector and encoding the JSON. The parse of a URL is kept; the encoded body is
 * reused while the reading it encodes is unchanged (same value, staleness and step, and the
 * same whole second, which is all the timestamp shows). The value is still read on every
 * request, so an answer is never older than the forecast it comes from.
 */
export class MetricResponseCache {
  private readonly entries = new Map<string, Entry>();

  /** The parse of `url`, if it was seen before. */
  parsed(url: string): ParsedMetricRequest | undefined {
    return this.entries.get(url)?.request;
  }

  /** Keeps the parse of a URL that resolved to a metric request. */
  keepParsed(url: string, request: ParsedMetricRequest): void {
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(url, { request, reading: null, body: null });
  }

  /** The body for `reading` on `url`: the cached one when it encodes the same reading, else a fresh `encode()`. */
  body(url: string, reading: MetricReading, encode: () => string): Buffer {
    const entry = this.entries.get(url);
    if (entry?.body && entry.reading && sameReading(entry.reading, reading)) return entry.body;
    const body = Buffer.from(encode());
    if (entry) {
      entry.reading = reading;
      entry.body = body;
    }
    return body;
  }
}

function sameReading(a: MetricReading, b: MetricReading): boolean {
  return (
    a.value === b.value &&
    a.stale === b.stale &&
    a.windowSeconds === b.windowSeconds &&
    a.metricName === b.metricName &&
    Math.floor(a.timestampMs / 1000) === Math.floor(b.timestampMs / 1000)
  );
}
