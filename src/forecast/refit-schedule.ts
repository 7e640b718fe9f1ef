import { Cron } from 'croner';

/** Without `training.schedule`, a model fitted by a refresh is refitted once a day. */
export const DEFAULT_REFIT_INTERVAL_MS = 86_400_000;

/**
 * When a model fitted by a refresh is refitted: at the next occurrence of the training
 * schedule (`training.schedule` in `training.timezone`) after its fit, so refresh refits follow
 * the same rhythm as training; without a schedule, a day after the fit. Between refits a
 * refresh only conditions the model on the new samples.
 */
export class RefitSchedule {
  private readonly cron: Cron | null;

  constructor(options: { schedule?: string | undefined; timezone: string }) {
    this.cron = options.schedule !== undefined ? new Cron(options.schedule, { timezone: options.timezone, paused: true }) : null;
  }

  /** Epoch ms at which a model fitted at `fittedAtMs` is due for a refit. */
  dueAtMs(fittedAtMs: number): number {
    if (!this.cron) return fittedAtMs + DEFAULT_REFIT_INTERVAL_MS;
    return this.cron.nextRun(new Date(fittedAtMs))?.getTime() ?? Number.POSITIVE_INFINITY;
  }
}
