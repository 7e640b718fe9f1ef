import type { SeriesConfig } from '../config/schema';

/** Steps a served forecast covers: the horizon past now even while the series is a few steps late. */
export function servingHorizonSteps(config: Pick<SeriesConfig, 'horizon' | 'step' | 'staleAfter'>): number {
  return Math.ceil(config.horizon / config.step) + config.staleAfter + 1;
}
