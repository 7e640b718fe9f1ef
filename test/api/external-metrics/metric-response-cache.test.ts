import { MetricResponseCache } from '../../../api/external-metrics/metric-response-cache';
import type { MetricReading } from '../../../src/metric-providers/metric-provider';

describe('MetricResponseCache', () => {
  const url = '/apis/external.metrics.k8s.io/v1beta1/namespaces/shop/queue-depth?labelSelector=horizon%3D5m';
  const request = { namespace: 'shop', metricName: 'queue-depth', pins: { horizon: '5m' } };
  const reading: MetricReading = { metricName: 'queue-depth', value: 12.5, timestampMs: 1_000_200, windowSeconds: 60, stale: false };

  it('keeps the parse of a URL it was given, and nothing for other URLs', () => {
    const cache = new MetricResponseCache();
    cache.keepParsed(url, request);

    expect(cache.parsed(url)).toEqual(request);
    expect(cache.parsed(`${url}0`)).toBeUndefined();
  });

  it('encodes once per reading, within the same whole second', () => {
    const cache = new MetricResponseCache();
    cache.keepParsed(url, request);
    let encoded = 0;
    const encode = (): string => `body ${++encoded}`;

    const first = cache.body(url, reading, encode);
    const again = cache.body(url, { ...reading, timestampMs: 1_000_900 }, encode);

    expect(again).toBe(first);
    expect(encoded).toBe(1);
  });

  it.each([
    ['value', { value: 13 }],
    ['staleness', { stale: true }],
    ['step', { windowSeconds: 300 }],
    ['second of the timestamp', { timestampMs: 1_001_000 }],
  ])('encodes again when the %s changes', (_what, change) => {
    const cache = new MetricResponseCache();
    cache.keepParsed(url, request);
    cache.body(url, reading, () => 'old');

    expect(cache.body(url, { ...reading, ...change }, () => 'new').toString()).toBe('new');
  });

  it('encodes every time for a URL whose parse it does not keep', () => {
    const cache = new MetricResponseCache();

    cache.body(url, reading, () => 'one');

    expect(cache.body(url, reading, () => 'two').toString()).toBe('two');
  });
});
