import { MODEL_KINDS } from '../../../models/model-kinds';
import { unwrapCalibrated } from '../../../models/core/online-calibrated';
import { DailyCoverage, SHIFT_AT, SHIFT_DAY_STEPS, levelShiftTrace, upTo } from '../../helpers/level-shift-trace';

/**
 * Online calibration under drift, on a shipped trace with a level shift (level-shift-trace.ts).
 * The seasonal model, fitted before the shift, is conditioned on every new step as serving
 * does, and its served q0.9 is scored one to six steps ahead.
 */
const HORIZON = 6;
const DAYS_AFTER = 7;

/** Per 24 h after the shift, the share of actuals at or below the served q0.9 (all six horizon steps). */
async function dailyCoverage(calibrated: boolean): Promise<number[]> {
  const series = levelShiftTrace(DAYS_AFTER);
  let model = await MODEL_KINDS['seasonal']!.create({ horizonSteps: HORIZON }).fit(upTo(series, SHIFT_AT));
  const coverage = new DailyCoverage(series);
  for (let origin = SHIFT_AT; origin + HORIZON <= SHIFT_AT + DAYS_AFTER * SHIFT_DAY_STEPS; origin++) {
    model = await model.condition(upTo(series, origin));
    const served = calibrated ? model : unwrapCalibrated(model);
    coverage.add(origin, served.predict(HORIZON, { quantiles: [0.9] }).quantiles['0.9']!);
  }
  return coverage.perDay();
}

describe('online calibration after a level shift', () => {
  it('keeps q0.9 coverage within 0.85–0.95 in every 24 h window after the shift, where the model’s own intervals do not', async () => {
    const calibrated = await dailyCoverage(true);
    const raw = await dailyCoverage(false);
    process.stdout.write(`coverage per day after the shift: calibrated ${calibrated.map((c) => c.toFixed(3)).join(' ')}; raw ${raw.map((c) => c.toFixed(3)).join(' ')}\n`);

    expect(calibrated).toHaveLength(DAYS_AFTER);
    for (const c of calibrated) {
      expect(c).toBeGreaterThanOrEqual(0.85);
      expect(c).toBeLessThanOrEqual(0.95);
    }
    expect(raw.some((c) => c < 0.85 || c > 0.95)).toBe(true);
  });
});
