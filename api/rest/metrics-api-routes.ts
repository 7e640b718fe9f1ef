import { type Request, Router } from 'express';
import { invalidInput } from '../../src/errors/prescale-error';
import type { MetricValueService } from '../../src/metric-providers/metric-value-service';

/**
 * `GET /v1/metrics-api/{series}?horizon=5m&quantile=0.9&aggregate=max` for KEDA's
 * `metrics-api` scaler: `{"value": 12.5, ...}`, so the trigger's `valueLocation` is `value`.
 * Same selection (and defaults) as the external metrics API; errors are problem+json with
 * a non-200 status, which KEDA counts as a failed fetch. The value is finite and ≥ 0; `fallback`
 * says which rule produced it when it is not the forecast (the metric value service decides).
 */
export function metricsApiRoutes(metrics: MetricValueService): Router {
  const router = Router();
  router.get('/v1/metrics-api/:name', (req: Request<{ name: string }>, res) => {
    const params: Record<string, string> = {};
    for (const [key, raw] of Object.entries(req.query)) {
      if (typeof raw !== 'string') throw invalidInput(key, 'must be given once');
      params[key] = raw;
    }
    const reading = metrics.read({ metricName: req.params.name, params, fieldPrefix: '' });
    res.json({
      metric: reading.metricName,
      value: reading.value,
      stale: reading.stale,
      ...(reading.fallback !== undefined ? { fallback: reading.fallback } : {}),
      timestamp: new Date(reading.timestampMs).toISOString(),
    });
  });
  return router;
}
