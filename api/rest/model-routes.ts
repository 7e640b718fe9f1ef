import express, { type Request, Router } from 'express';
import { invalidInput } from '../../src/errors/prescale-error';
import type { ModelCatalog } from '../../src/model-catalog/model-catalog';

/**
 * The model registry over HTTP:
 * `GET /v1/models/{series}` versions and which one serves;
 * `POST /v1/models/{series}/train` starts training in a worker (202);
 * `POST /v1/models/{series}/promote` with `{"version": "v000002"}`;
 * `POST /v1/models/{series}/rollback` serves the previously promoted version again.
 */
export function modelRoutes(catalog: ModelCatalog): Router {
  const router = Router();
  router.get('/v1/models/:series', async (req: Request<{ series: string }>, res) => {
    res.json(await catalog.list(req.params.series));
  });
  router.post('/v1/models/:series/train', async (req: Request<{ series: string }>, res) => {
    res.status(202).json(await catalog.train(req.params.series));
  });
  router.post('/v1/models/:series/promote', express.json({ limit: 10_000 }), async (req: Request<{ series: string }>, res) => {
    const version = (req.body as { version?: unknown } | undefined)?.version;
    if (typeof version !== 'string' || version === '') throw invalidInput('version', 'send {"version": "<name>"} naming a version of the series');
    res.json(await catalog.promote(req.params.series, version));
  });
  router.post('/v1/models/:series/rollback', async (req: Request<{ series: string }>, res) => {
    res.json(await catalog.rollback(req.params.series));
  });
  return router;
}
