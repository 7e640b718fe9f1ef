import { usableReading } from '../../../src/metric-providers/usable-reading';
import { UNUSABLE_CASES, unusableValueService } from '../../helpers/unusable-forecasts';
import type { MetricProvider } from '../../../src/metric-providers/metric-provider';
import { MetricValueService } from '../../../src/metric-providers/metric-value-service';

/** A second provider keyed by a name prefix, the way replica plans will be added. */
const planProvider: MetricProvider = {
  kind: 'plan',
  owns: (name) => name.startsWith('plan-'),
  read: (metricName, params) => ({ metricName, value: Number(params['replicas'] ?? 3), timestampMs: 0, stale: false }),
  metricNames: () => ['plan-generate'],
};
const constantProvider: MetricProvider = {
  kind: 'forecast',
  owns: (name) => name === 'queue-depth',
  read: (metricName) => ({ metricName, value: 42, timestampMs: 0, stale: false }),
  metricNames: () => ['queue-depth'],
};

describe('MetricValueService', () => {
  const service = new MetricValueService({ providers: [constantProvider, planProvider], namespaces: ['shop'] });
  const read = (metricName: string, namespace?: string) =>
    service.read({ metricName, params: {}, fieldPrefix: 'labelSelector.', ...(namespace ? { namespace } : {}) });

  it('asks the provider table in order: the owner of a name answers', () => {
    expect(read('queue-depth', 'shop').value).toBe(42);
    expect(read('plan-generate', 'shop').value).toBe(3);
  });

  it('lists the names of every provider for discovery', () => {
    expect(service.metricNames()).toEqual(['plan-generate', 'queue-depth']);
  });

  it('an unowned name is METRIC_NOT_FOUND with the upstream message', () => {
    expect(() => read('nope', 'shop')).toThrow(expect.objectContaining({ code: 'METRIC_NOT_FOUND', message: 'the server could not find the metric nope for namespaces' }));
  });

  it('a namespace outside the served list is NAMESPACE_NOT_SERVED; no namespace (metrics-api) is not checked', () => {
    expect(() => read('queue-depth', 'other')).toThrow(expect.objectContaining({ code: 'NAMESPACE_NOT_SERVED' }));
    expect(read('queue-depth').value).toBe(42);
  });

  it('an empty namespace list serves every namespace', () => {
    const open = new MetricValueService({ providers: [constantProvider], namespaces: [] });
    expect(open.read({ metricName: 'queue-depth', namespace: 'anything', params: {}, fieldPrefix: '' }).value).toBe(42);
  });
});

describe('MetricValueService: one rule for an unusable value', () => {
  const service = unusableValueService();

  it.each(UNUSABLE_CASES.map((c) => [c.series, c] as const))('%s', (_name, c) => {
    const read = () => service.read({ metricName: c.series, namespace: 'shop', params: {}, fieldPrefix: 'labelSelector.' });
    if ('error' in c.expected) {
      // Nothing finite to fall back to: an error, never 0 (0 would scale the pool down on bad input).
      expect(read).toThrow(expect.objectContaining({ code: c.expected.error }));
      return;
    }
    const reading = read();
    expect(Number.isFinite(reading.value) && reading.value >= 0).toBe(true);
    expect({ value: reading.value, fallback: reading.fallback }).toEqual({ value: c.expected.value, fallback: c.expected.fallback });
    // A fallback that is not about the input's age never reports the series as stale.
    expect(reading.stale).toBe(false);
  });

  it('usableReading keeps the provider\'s own fallback when the value needs no other rule, and passes staleness through', () => {
    expect(usableReading({ metricName: 'm', value: 4, timestampMs: 0, stale: true, fallback: 'stale', lastObserved: 4 })).toEqual({ metricName: 'm', value: 4, timestampMs: 0, stale: true, fallback: 'stale' });
    expect(usableReading({ metricName: 'm', value: -0, timestampMs: 0, stale: false })).toEqual({ metricName: 'm', value: 0, timestampMs: 0, stale: false });
  });
});
