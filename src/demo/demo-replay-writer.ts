import type { Config } from '../config/schema';
import type { DecisionStore } from '../decisions/decision-store';
import type { Logger } from '../telemetry/logger';
import { replayDemo } from './demo-replay';

/**
 * `demo.replay`: on start, records the last `demo.replay` seconds of the demo in advisory mode
 * (samples and decision records) for every pool on the demo series, unless the store already
 * holds samples of that window (a restart does not write it twice).
 * @returns the number of advisory samples written.
 */
export function writeDemoReplay(config: Readonly<Config>, store: Pick<DecisionStore, 'samples' | 'appendSample' | 'append'>, nowMs: number, logger: Logger): number {
  const seconds = config.demo.replay;
  if (!config.demo.enabled || seconds === undefined) return 0;
  const intervalMs = config.actuator.interval * 1000;
  const toMs = Math.floor(nowMs / intervalMs) * intervalMs;
  const fromMs = toMs - seconds * 1000;
  let written = 0;
  for (const pool of config.pools.filter((p) => p.series === config.demo.series)) {
    if (store.samples(pool.name, fromMs, toMs).length > 0) continue;
    const replay = replayDemo({ pool, quotas: config.quotas, seed: config.demo.seed, fromMs, toMs, intervalSeconds: config.actuator.interval });
    for (const s of replay.samples) store.appendSample(s);
    for (const d of replay.decisions) store.append(d);
    written += replay.samples.length;
    logger.info({ pool: pool.name, samples: replay.samples.length, decisions: replay.decisions.length, from: new Date(fromMs).toISOString() }, 'demo replayed into advisory records');
  }
  return written;
}
