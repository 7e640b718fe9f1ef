import { Router } from 'express';
import type { PlanService } from '../../src/planner/plan-service';
import { planSetJson, poolPlanJson } from './plan-json';
import { planTable } from './plan-table';

/**
 * `GET /v1/plans` and `GET /v1/plans/{pool}`: the plan with a reason on every step, as JSON,
 * or as a text table when the client prefers `text/plain` (e.g. `curl -H 'Accept: text/plain'`).
 * Both show the step's one plan (`PlanService.current()`): the one the `prescale-plan-<pool>`
 * metric serves and the actuator applies, with the actuator's cluster facts when it runs.
 */
export function planRoutes(plans: Pick<PlanService, 'current' | 'planFor'>): Router {
  const router = Router();
  router.get('/v1/plans', (req, res) => {
    const set = plans.current();
    if (req.accepts(['application/json', 'text/plain']) === 'text/plain') res.type('text/plain').send(set.pools.map((p) => planTable(p)).join('\n'));
    else res.json(planSetJson(set));
  });
  router.get('/v1/plans/:pool', (req, res) => {
    const view = plans.planFor(req.params.pool);
    if (req.accepts(['application/json', 'text/plain']) === 'text/plain') {
      res.type('text/plain').send(planTable(view));
      return;
    }
    res.json({ generatedAt: new Date(view.generatedAtMs).toISOString(), step: view.stepSeconds, horizon: view.horizonSeconds, ...poolPlanJson(view) });
  });
  return router;
}
