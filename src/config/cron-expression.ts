import { Cron } from 'croner';
import { z } from 'zod';

/**
 * A cron expression croner accepts: 5 fields, or 6 with seconds first (`training.schedule`,
 * `schedules[].cron`). Validated by building a paused croner job, so the config accepts
 * exactly what the scheduler will run; the issue carries croner's reason.
 */
export const cronExpression = z.string().superRefine((expr, ctx) => {
  try {
    new Cron(expr, { paused: true }).stop();
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: `"${expr}" is not a cron expression (5 or 6 fields, e.g. "0 */6 * * *"): ${(err as Error).message}` });
  }
});
