import { Router } from 'express';

/** One section of `GET /v1/status` (sources, training, backend, …), read on every request. */
export interface StatusProvider {
  name: string;
  read: () => unknown;
}

/** `GET /v1/status`: an object with one key per provider, so each area adds its own section. */
export function statusRoutes(providers: readonly StatusProvider[]): Router {
  const router = Router();
  router.get('/v1/status', (_req, res) => {
    res.json(Object.fromEntries(providers.map((p) => [p.name, p.read()])));
  });
  return router;
}
