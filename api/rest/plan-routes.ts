import { Router } from 'express';
import type { PlanContext, PlanService } from '../../src/planner/plan-service';
import { planSetJson, poolPlanJson } from './plan-json';
import { planTable } from './plan-table';

/**
 * `GET /v1/plans` and `GET /v1/plans/{pool}`: the plan with a reason on every step, as JSON,
 * or as a text table when the client prefers `text/plain` (e.g. `curl -H 'Accept: text/plain'`).
 * `context` supplies live cluster facts (current replicas, ResourceQuota) when the actuator has them.
 */
export function planRoutes(plans: PlanService, context: () => PlanContext = () => ({})): Router {
  const router = Router();
  router.get('/v1/plans', (req, res) => {
    const set = plans.plan(context());
    if (req.accepts(['application/json', 'text/plain']) === 'text/plain') res.type('text/plain').send(set.pools.map((p) => planTable(p)).join('\n'));
    else res.json(planSetJson(set));
  });
  router.get('/v1/plans/:pool', (req, res) => {
    const view = plans.planFor(req.params.pool, context());
    if (req.accepts(['application/json', 'text/plain']) === 'text/plain') {
      res.type('text/plain').send(planTable(view));
      return;
    }
    res.json({ generatedAt: new Date(view.generatedAtMs).toISOString(), step: view.stepSeconds, horizon: view.horizonSeconds, ...poolPlanJson(view) });
  });
  return router;
}
