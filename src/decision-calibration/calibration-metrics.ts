import { Gauge, type Registry } from 'prom-client';
import type { DecisionCalibrator } from './decision-calibrator';

/**
 * Gauges of decision calibration, read at scrape time; one sample per calibrated pool (bounded
 * by the config). Gauges, not counters: a pool whose prices change starts its counts again.
 */
export function registerCalibrationMetrics(registry: Registry, calibrator: Pick<DecisionCalibrator, 'all'>): void {
  const gauge = (name: string, help: string, value: (p: ReturnType<DecisionCalibrator['all']>[number]) => number | null): void => {
    new Gauge({
      name,
      help,
      labelNames: ['pool'],
      registers: [registry],
      collect() {
        this.reset();
        for (const p of calibrator.all()) {
          const v = value(p);
          if (v !== null) this.set({ pool: p.pool }, v);
        }
      },
    });
  };
  gauge('prescale_plan_decision_level', 'Sizing level decision calibration holds for the pool (calibrateDecisions): where its binding decisions moved it from the newsvendor level.', (p) => p.level);
  gauge('prescale_plan_decisions_scored', 'Binding decisions of the pool scored against the load one lead time later.', (p) => p.scored);
  gauge('prescale_plan_decision_miss_ratio', 'Share of the scored binding decisions whose capacity was below the load one lead time later (the price asks prescale_plan_decision_target_miss_ratio).', (p) => (p.scored > 0 ? p.missed / p.scored : null));
  gauge('prescale_plan_decision_target_miss_ratio', "Miss ratio the pool's prices ask of a decision: costPerReplicaHour / (underProvisionCost + costPerReplicaHour).", (p) => p.missRate);
}
