import { type Request, Router } from 'express';
import type { ExplainService } from '../../src/decisions/explain-service';
import { parseTimestamp } from '../../src/ingest/parse-timestamp';
import type { Clock } from '../../src/time/clock';
import { single } from './query-params';

/**
 * `GET /v1/plans/{pool}/explain?at=TIME`: why the pool has the replicas it has at `at` (default
 * now), in plain sentences (`text`, `sentences`) plus the facts they were made from. `text/plain`
 * clients get the sentences alone.
 */
export function explainRoutes(explainer: Pick<ExplainService, 'explain'>, clock: Clock): Router {
  const router = Router();
  router.get('/v1/plans/:pool/explain', (req: Request<{ pool: string }>, res) => {
    const at = single(req.query['at'], 'at');
    const answer = explainer.explain(req.params.pool, at === undefined ? clock.now() : parseTimestamp(at, 'at'));
    if (req.accepts(['application/json', 'text/plain']) === 'text/plain') res.type('text/plain').send(`${answer.text}\n`);
    else res.json(answer);
  });
  return router;
}
