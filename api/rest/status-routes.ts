import { Router } from 'express';
import { type StatusProvider, composeStatus } from '../../src/status/status-report';

/** `GET /v1/status`: one object with a key per provider (see src/status/status-report.ts). */
export function statusRoutes(providers: Readonly<Record<string, StatusProvider>>): Router {
  const router = Router();
  router.get('/v1/status', (_req, res) => {
    res.json(composeStatus(providers));
  });
  return router;
}
