import { SEASONAL } from '../../models/seasonal/seasonal';
import type { SeriesConfig } from '../config/schema';

/** What the seasonal model's conditioning reads: its residual features look back 3 hours (or 4 steps). */
const SEASONAL_TAIL_SECONDS = 6 * 3600;
const SEASONAL_TAIL_STEPS = 16;

/**
 * Seconds of history a refresh reads to condition a kept model of `kind`: the tail the
 * model's `condition` reads, with room to spare, so the result is the same as conditioning on
 * the full window (test/src/forecast/conditioning-window.test.ts checks it) while the read is
 * hundreds of steps instead of twenty thousand. A kind not listed here gets the full history
 * window, which is always right (seasonal-naive, MSTL and the ensemble refit cheap parts on
 * what they are given; the LSTM reads its own lags).
 */
export function conditioningSpanSeconds(kind: string, config: Pick<SeriesConfig, 'history' | 'step'>): number {
  if (kind === SEASONAL) return Math.min(config.history, Math.max(SEASONAL_TAIL_SECONDS, SEASONAL_TAIL_STEPS * config.step));
  return config.history;
}
