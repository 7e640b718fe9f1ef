import { type Request, Router } from 'express';
import type { AdvisoryReporter } from '../../src/advisory/advisory-report';
import type { Clock } from '../../src/time/clock';
import { parseSince, single } from './query-params';

/**
 * `GET /v1/pools/{pool}/advisory?since=24h`: what following Prescale would have changed over
 * the window, "as it ran" against "with Prescale" (`AdvisoryReport`, docs/advisory.md).
 */
export function advisoryRoutes(report: AdvisoryReporter, clock: Clock): Router {
  const router = Router();
  router.get('/v1/pools/:pool/advisory', (req: Request<{ pool: string }>, res) => {
    const nowMs = clock.now();
    const since = single(req.query['since'], 'since') ?? '24h';
    res.json(report(req.params.pool, parseSince(since, nowMs, 'since'), nowMs));
  });
  return router;
}
