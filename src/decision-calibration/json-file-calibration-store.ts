import { z } from 'zod';
import { readJsonFileOrSetAside, replaceFileAtomically } from '../store/atomic-json-file';
import type { DecisionCalibrationState } from './decision-calibration';

/** Every calibrated pool's state as saved, with the prices it was calibrated at. */
export interface PersistedCalibration {
  formatVersion: 1;
  savedAtMs: number;
  pools: Record<string, { missRate: number; state: DecisionCalibrationState }>;
}

/** Where decision calibration is kept across restarts. */
export interface CalibrationStore {
  /** The last save, or null when there is none (or it was unreadable and moved aside). */
  load(): Promise<PersistedCalibration | null>;
  save(state: PersistedCalibration): Promise<void>;
}

const persisted = z.object({
  formatVersion: z.literal(1),
  savedAtMs: z.number(),
  pools: z.record(
    z.string(),
    z.object({
      missRate: z.number().gt(0).lt(1),
      state: z.object({
        level: z.number().gt(0).lt(1),
        scored: z.number().int().min(0),
        missed: z.number().int().min(0),
        pending: z.array(z.object({ dueMs: z.number(), coveredLoad: z.number() })),
      }),
    }),
  ),
});

/**
 * Decision calibration in one small JSON file (`decision-calibration.json` in the data dir),
 * replaced the way `accuracy.json` is: a temporary file beside it, synced, renamed over the old
 * one, so a crash leaves one whole save. A file that does not parse is moved aside
 * (`.unreadable-<ms>`) and every pool starts again from its newsvendor level (both in
 * src/store/atomic-json-file.ts).
 */
export class JsonFileCalibrationStore implements CalibrationStore {
  constructor(
    private readonly file: string,
    private readonly onUnreadable: (why: string, movedTo: string) => void = () => {},
  ) {}

  load(): Promise<PersistedCalibration | null> {
    return readJsonFileOrSetAside(this.file, persisted, this.onUnreadable);
  }

  save(state: PersistedCalibration): Promise<void> {
    return replaceFileAtomically(this.file, async (handle) => {
      await handle.write(JSON.stringify(state));
    });
  }
}
