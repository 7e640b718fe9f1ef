import type { RegularSeries } from '../../models/core/forecaster';
import type { SeriesConfig } from '../config/schema';
import type { Sample } from '../series/sample';
import { regularize } from '../series/regularize';
import type { HistoryStore } from './history-store';

/** The series settings a history window needs. */
export type HistoryWindowConfig = Pick<SeriesConfig, 'name' | 'history' | 'step' | 'kind' | 'timezone'>;

/** The history a model is fitted on, with the sample it ends at. */
export interface HistoryWindow {
  /** The newest stored sample; null when the series has none. */
  newest: Sample | null;
  /**
   * The samples of the last `history` seconds up to `newest`, on the series' step (missing
   * steps NaN). Empty (no values) when the series has no samples.
   */
  series: RegularSeries;
}

/**
 * Reads the history window of one series and regularizes it: the one rule forecast refresh,
 * training and `prescale train` share.
 *
 * The window ends at the newest sample, not at the wall clock, so a series whose input
 * stopped still fits on its full history (staleness is handled when serving, not here).
 *
 * @param options.newest the newest sample when the caller already read it (skips one query).
 */
export async function readHistoryWindow(
  store: Pick<HistoryStore, 'last' | 'read'>,
  config: HistoryWindowConfig,
  options: { newest?: Sample | null } = {},
): Promise<HistoryWindow> {
  const newest = options.newest !== undefined ? options.newest : await store.last(config.name);
  const samples = newest ? await store.read(config.name, { fromMs: newest.t - config.history * 1000 }) : [];
  return { newest, series: regularize(samples, { stepSeconds: config.step, kind: config.kind, timezone: config.timezone }) };
}

/**
 * The history window of one series ending at `newest`, with the same values as
 * {@link readHistoryWindow} but read through `HistoryStore.readSteps`: folded onto the step
 * in the read and kept off the calling thread, for the refresh that runs beside serving.
 * @throws an Error when the store cannot be read.
 */
export async function readHistoryWindowSteps(
  store: Pick<HistoryStore, 'readSteps'>,
  config: HistoryWindowConfig,
  newest: Sample,
): Promise<HistoryWindow> {
  const series = await store.readSteps(config.name, {
    fromMs: newest.t - config.history * 1000,
    toMs: newest.t,
    stepSeconds: config.step,
    kind: config.kind,
    timezone: config.timezone,
  });
  return { newest, series };
}
