import { Histogram, type Registry } from 'prom-client';

/** `prescale_external_metrics_request_duration_seconds{route,code}`; route is probe|discovery|metric|other. */
export function externalMetricsRequestMetrics(registry: Registry): (route: string, code: number, seconds: number) => void {
  const histogram = new Histogram({
    name: 'prescale_external_metrics_request_duration_seconds',
    help: 'Time to answer a request on the external metrics API, by route and HTTP code.',
    labelNames: ['route', 'code'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05, 0.25, 1],
    registers: [registry],
  });
  // One labelled child per (route, code), looked up once: observing by a label object would
  // hash the labels on every request of the HPA's hot path.
  const children = new Map<string, { observe(seconds: number): void }>();
  return (route, code, seconds) => {
    const key = `${route} ${code}`;
    let child = children.get(key);
    if (!child) {
      child = histogram.labels(route, String(code));
      children.set(key, child);
    }
    child.observe(seconds);
  };
}
