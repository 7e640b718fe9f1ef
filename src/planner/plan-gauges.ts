import { Gauge, type Registry } from 'prom-client';
import { QUOTA_TERMS } from './reasons';
import type { PlanSet } from './plan-service';

/**
 * Gauges of the step's one plan, read at scrape time: what each pool is planned to run now and
 * which guard quota (if any) cut it. Labels are bounded: pools × the five quota terms.
 * @param current the plan of the current step (`PlanService.current`); a throw (no forecast
 *   yet) leaves the gauges empty for that scrape.
 */
export function registerPlanGauges(registry: Registry, current: () => PlanSet): void {
  const nowSteps = (): { pool: string; replicas: number; term: string }[] => {
    try {
      return current().pools.flatMap((p) => (p.steps[0] ? [{ pool: p.pool, replicas: p.steps[0].replicas, term: p.steps[0].reason.term }] : []));
    } catch {
      return [];
    }
  };
  new Gauge({
    name: 'prescale_plan_replicas',
    help: 'Replicas the plan sets for the pool at the current step.',
    labelNames: ['pool'],
    registers: [registry],
    collect() {
      this.reset();
      for (const s of nowSteps()) this.set({ pool: s.pool }, s.replicas);
    },
  });
  new Gauge({
    name: 'prescale_plan_quota_bound',
    help: '1 when the guard quota named by the quota label cut the pool\'s plan at the current step, else 0.',
    labelNames: ['pool', 'quota'],
    registers: [registry],
    collect() {
      this.reset();
      for (const s of nowSteps()) for (const quota of QUOTA_TERMS) this.set({ pool: s.pool, quota: quota.slice('quota:'.length) }, s.term === quota ? 1 : 0);
    },
  });
}
