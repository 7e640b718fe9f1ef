import type { Config } from '../config/schema';
import type { DecisionStore } from '../decisions/decision-store';
import type { Logger } from '../telemetry/logger';
import { replayDemo } from './demo-replay';

/** Rows written between yields to the event loop: each is an fsync'd commit (~3 ms), so a day (~3,000 rows) would otherwise block serving for ~10 s. */
const ROWS_PER_YIELD = 20;

/**
 * `demo.replay`: on start, records the last `demo.replay` seconds of the demo in advisory mode
 * (samples and decision records) for every pool on the demo series, unless the store already
 * holds samples of that window (a restart does not write it twice). Written in the background,
 * a few rows at a time, so requests are answered meanwhile.
 * @returns the number of advisory samples written.
 */
export async function writeDemoReplay(config: Readonly<Config>, store: Pick<DecisionStore, 'samples' | 'appendSample' | 'append'>, nowMs: number, logger: Logger): Promise<number> {
  const seconds = config.demo.replay;
  if (!config.demo.enabled || seconds === undefined) return 0;
  const intervalMs = config.actuator.interval * 1000;
  const toMs = Math.floor(nowMs / intervalMs) * intervalMs;
  const fromMs = toMs - seconds * 1000;
  let written = 0;
  for (const pool of config.pools.filter((p) => p.series === config.demo.series)) {
    if (store.samples(pool.name, fromMs, toMs).length > 0) continue;
    const replay = replayDemo({ pool, quotas: config.quotas, seed: config.demo.seed, fromMs, toMs, intervalSeconds: config.actuator.interval });
    const rows: (() => void)[] = [...replay.decisions.map((d) => () => store.append(d)), ...replay.samples.map((s) => () => store.appendSample(s))];
    for (let i = 0; i < rows.length; i++) {
      rows[i]!();
      if (i % ROWS_PER_YIELD === ROWS_PER_YIELD - 1) await new Promise((r) => setImmediate(r));
    }
    written += replay.samples.length;
    logger.info({ pool: pool.name, samples: replay.samples.length, decisions: replay.decisions.length, from: new Date(fromMs).toISOString() }, 'demo replayed into advisory records');
  }
  return written;
}
