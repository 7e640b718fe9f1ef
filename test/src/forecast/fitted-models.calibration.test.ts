import { FittedModels, type StepJob } from '../../../src/forecast/fitted-models';
import { DailyCoverage, SHIFT_AT, SHIFT_DAY_STEPS, levelShiftTrace, upTo } from '../../helpers/level-shift-trace';

/**
 * Serving refits a series' model on its refit schedule (daily by default, or on
 * `training.schedule`) and conditions it in between. A refit must keep the online calibration
 * the model had reached: after a level shift the served q0.9 stays calibrated across refits,
 * as it does on a model that is only conditioned (test/models/core/online-calibration.level-shift).
 */
const HORIZON = 6;
const DAYS_AFTER = 7;
const REFIT_EVERY = 24; // 12 h of 30-minute steps: twice the service's default (daily) refits, each able to forget

async function dailyCoverage(options: { keepModelsAcrossRefits: boolean }): Promise<number[]> {
  const series = levelShiftTrace(DAYS_AFTER);
  const coverage = new DailyCoverage(series);
  let models = new FittedModels();
  for (let origin = SHIFT_AT; origin + HORIZON <= SHIFT_AT + DAYS_AFTER * SHIFT_DAY_STEPS; origin++) {
    const refit = (origin - SHIFT_AT) % REFIT_EVERY === 0;
    // A worker that restarted keeps no model: its refit starts from fresh levels.
    if (refit && !options.keepModelsAcrossRefits) models = new FittedModels();
    const job: StepJob = {
      series: 'taxi',
      modelKey: 'model:seasonal',
      mode: refit ? 'refit' : 'condition',
      model: 'seasonal',
      history: upTo(series, origin),
      horizonSteps: HORIZON,
      quantiles: [0.5, 0.9],
      seasonalities: ['daily', 'weekly'],
    };
    const reply = await models.step(job);
    if (reply.outcome === 'needs-refit') throw new Error(`no model kept at step ${origin}`);
    coverage.add(origin, reply.forecast.quantiles['0.9']!);
  }
  return coverage.perDay();
}

describe('FittedModels: online calibration across refits', () => {
  it('keeps q0.9 coverage within 0.85–0.95 in every 24 h after a level shift with a refit every 12 h', async () => {
    const kept = await dailyCoverage({ keepModelsAcrossRefits: true });
    expect(kept).toHaveLength(DAYS_AFTER);
    for (const c of kept) {
      expect(c).toBeGreaterThanOrEqual(0.85);
      expect(c).toBeLessThanOrEqual(0.95);
    }
  });

  it('is what the carried levels buy: refits that start from fresh levels leave a day outside the band', async () => {
    const fresh = await dailyCoverage({ keepModelsAcrossRefits: false });
    expect(fresh.some((c) => c < 0.85 || c > 0.95)).toBe(true);
  });
});
