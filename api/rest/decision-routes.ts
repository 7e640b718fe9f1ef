import { Router } from 'express';
import { DECISION_OUTCOMES, type DecisionOutcome } from '../../src/decisions/decision-record';
import { isDecisionId } from '../../src/decisions/decision-id';
import type { DecisionStore } from '../../src/decisions/decision-store';
import { invalidInput } from '../../src/errors/prescale-error';
import type { Clock } from '../../src/time/clock';
import { parseLimit, parseSince, single } from './query-params';

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;

/**
 * `GET /v1/decisions?pool=&since=&outcome=&limit=&continue=`: decision records, newest first,
 * `limit` at a time; the reply's `continue` (absent on the last page) asks for the next page.
 * The shape is `DecisionRecord` (src/decisions/decision-record.ts, docs/advisory.md).
 */
export function decisionRoutes(decisions: Pick<DecisionStore, 'list'>, clock: Clock): Router {
  const router = Router();
  router.get('/v1/decisions', (req, res) => {
    const q = req.query;
    const since = single(q['since'], 'since');
    const cont = single(q['continue'], 'continue');
    if (cont !== undefined && !isDecisionId(cont)) throw invalidInput('continue', 'pass back the `continue` value of the previous page');
    const outcome = single(q['outcome'], 'outcome');
    if (outcome !== undefined && !DECISION_OUTCOMES.includes(outcome as DecisionOutcome)) throw invalidInput('outcome', `must be one of ${DECISION_OUTCOMES.join(', ')}`);
    const page = decisions.list({
      pool: single(q['pool'], 'pool'),
      sinceMs: since === undefined ? undefined : parseSince(since, clock.now(), 'since'),
      outcome: outcome as DecisionOutcome | undefined,
      limit: parseLimit(single(q['limit'], 'limit'), 'limit', DEFAULT_LIMIT, MAX_LIMIT),
      continue: cont,
    });
    res.json({ decisions: page.items, ...(page.continue ? { continue: page.continue } : {}) });
  });
  return router;
}
