import { Router } from 'express';

export interface ReadinessCheck {
  name: string;
  ok: () => boolean;
}

/** Extra state shown in the `/readyz` body that does not decide readiness (e.g. a source that is down: serving goes on). */
export interface ReadinessDetail {
  name: string;
  read: () => unknown;
}

/** `/healthz`: the process answers. `/readyz`: every check passes (details in the body either way). */
export function healthRoutes(checks: readonly ReadinessCheck[], details: readonly ReadinessDetail[] = []): Router {
  const router = Router();
  router.get(['/healthz', '/livez'], (_req, res) => {
    res.type('text/plain').send('ok');
  });
  router.get('/readyz', (_req, res) => {
    const results = Object.fromEntries(checks.map((c) => [c.name, c.ok()]));
    const ready = Object.values(results).every(Boolean);
    res.status(ready ? 200 : 503).json({
      ready,
      checks: results,
      ...(details.length > 0 ? { details: Object.fromEntries(details.map((d) => [d.name, d.read()])) } : {}),
    });
  });
  return router;
}
