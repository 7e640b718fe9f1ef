import { z } from 'zod';
import { isValidTimezone } from '../../models/core/calendar';
import { parseDurationSeconds } from './duration';

/** A duration string (`30s`, `5m`, `1h`, `14d`) parsed to whole seconds. */
export const durationSeconds = z
  .union([z.string(), z.number()])
  .transform((raw, ctx) => {
    const seconds = typeof raw === 'number' ? raw : parseDurationSeconds(raw);
    if (seconds === null || !Number.isFinite(seconds) || seconds <= 0) {
      ctx.addIssue({ code: 'custom', message: `"${raw}" is not a duration (use e.g. 30s, 5m, 1h, 14d)` });
      return z.NEVER;
    }
    return seconds;
  });

/** An IANA timezone name such as `Europe/Berlin` or `UTC`. */
export const timezone = z.string().refine(isValidTimezone, { message: 'unknown IANA timezone (e.g. UTC, Europe/Berlin)' });

/** A name usable in URLs, metric names and file names. */
export const resourceName = z
  .string()
  .regex(/^[a-z0-9]([a-z0-9._-]{0,61}[a-z0-9])?$/, 'must be 1–63 lowercase letters, digits, ".", "_" or "-", starting and ending with a letter or digit');
