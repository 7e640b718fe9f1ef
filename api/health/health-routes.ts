import { Router } from 'express';

export interface ReadinessCheck {
  name: string;
  ok: () => boolean;
}

/** `/healthz`: the process answers. `/readyz`: every check passes (details in the body either way). */
export function healthRoutes(checks: readonly ReadinessCheck[]): Router {
  const router = Router();
  router.get(['/healthz', '/livez'], (_req, res) => {
    res.type('text/plain').send('ok');
  });
  router.get('/readyz', (_req, res) => {
    const results = Object.fromEntries(checks.map((c) => [c.name, c.ok()]));
    const ready = Object.values(results).every(Boolean);
    res.status(ready ? 200 : 503).json({ ready, checks: results });
  });
  return router;
}
