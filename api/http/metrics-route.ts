import { Router } from 'express';
import type { Registry } from 'prom-client';

/** `/metrics` in the Prometheus text format. */
export function metricsRoute(registry: Registry): Router {
  const router = Router();
  router.get('/metrics', async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  });
  return router;
}
