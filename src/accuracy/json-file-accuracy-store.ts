import { z } from 'zod';
import { readJsonFileOrSetAside, replaceFileAtomically } from '../store/atomic-json-file';
import { ACCURACY_WINDOWS } from '../config/trust-gate-schema';
import type { AccuracySave, AccuracyStateStore, PersistedAccuracy } from './accuracy-state-store';

const sums = z.object({ count: z.number(), absScaled: z.number(), naiveAbsScaled: z.number(), pinballScaled: z.array(z.number()), below: z.array(z.number()) });
// Slots never used are null and windows that scored nothing are absent (saves before 2 Dec 2026 wrote empty sums; both read).
const ring = z.object({ epochs: z.array(z.number()), sums: z.array(sums.nullable()) });
const pendingPoint = z.object({ leadMs: z.number(), mean: z.number(), quantiles: z.array(z.number()), naive: z.number(), scale: z.number() });
const persisted = z.object({
  formatVersion: z.literal(1),
  savedAtMs: z.number(),
  series: z.record(
    z.string(),
    z.object({
      accuracy: z.object({
        quantiles: z.array(z.number()),
        stepSeconds: z.number(),
        pending: z.array(z.tuple([z.number(), z.array(pendingPoint.nullable())])),
        pendingRows: z.array(z.number()).optional(),
        rings: z.array(z.object({ '1h': ring.optional(), '24h': ring.optional(), '7d': ring.optional() })),
        recent: z.array(z.object({ tMs: z.number(), actual: z.number(), p50: z.number(), p90: z.number(), bucket: z.string() })),
      }),
      gate: z.object({
        engaged: z.boolean(),
        reason: z.enum(['mase-ratio', 'coverage']).nullable(),
        sinceMs: z.number().nullable(),
        maseRatio: z.number().nullable(),
        coverage: z.number().nullable(),
        window: z.enum(ACCURACY_WINDOWS).optional(),
      }),
    }),
  ),
});

/** Characters written at once by a save, at most. */
const WRITE_CHUNK_CHARS = 1 << 18;
/**
 * Milliseconds a save stringifies before it writes what it has and lets the event loop run: a
 * megabyte of these entries took 60–90 ms of the serving thread (measured at 1,000 series,
 * where that was the longest task in the profile), and a metric read waits behind it.
 */
const SLICE_MS = 4;

/**
 * Live accuracy in one JSON file (`accuracy.json` in the data dir). A save writes a temporary
 * file beside it, syncs it and renames it over the old one, so a crash leaves either the
 * previous save or the new one, never half of either. A file that does not parse is moved
 * aside (`.unreadable-<ms>`) rather than overwritten, and scoring starts empty (both in
 * src/store/atomic-json-file.ts).
 */
export class JsonFileAccuracyStore implements AccuracyStateStore {
  constructor(
    private readonly file: string,
    private readonly onUnreadable: (why: string, movedTo: string) => void = () => {},
  ) {}

  async load(): Promise<PersistedAccuracy | null> {
    return (await readJsonFileOrSetAside(this.file, persisted, this.onUnreadable)) as PersistedAccuracy | null;
  }

  /** Writes the entries as they come, a few milliseconds of stringifying per write, so the event loop runs between them. */
  save(state: AccuracySave): Promise<void> {
    return replaceFileAtomically(this.file, async (handle) => {
      let chunk = `{"formatVersion":${JSON.stringify(state.formatVersion)},"savedAtMs":${JSON.stringify(state.savedAtMs)},"series":{`;
      let first = true;
      let sliceStart = performance.now();
      for (const [name, entry] of state.entries) {
        chunk += `${first ? '' : ','}${JSON.stringify(name)}:${JSON.stringify(entry)}`;
        first = false;
        if (chunk.length >= WRITE_CHUNK_CHARS || performance.now() - sliceStart >= SLICE_MS) {
          await handle.write(chunk);
          chunk = '';
          sliceStart = performance.now();
        }
      }
      await handle.write(`${chunk}}}`);
    });
  }
}
