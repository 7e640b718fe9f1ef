import { AUTO } from '../../simulate/auto-trainings';
import { modelKindNames } from '../../models/model-kinds';
import { durationFlag, modelFlag, quantileFlag, timezoneFlag, toleranceFlag } from './cli-options';
import type { simulateCommand } from './commands/simulate-command';

/** The flags of `prescale simulate`, as commander hands them over (strings). */
export interface SimulateFlags {
  pool: string;
  step?: string;
  timezone: string;
  warmup?: string;
  model: string;
  quantile: string;
  refitEvery: string;
  trainEvery: string;
  scaleUpTolerance: string;
  json?: boolean;
  plot?: string;
}

export function simulateOptions(opts: SimulateFlags): Parameters<typeof simulateCommand>[1] {
  return {
    pool: opts.pool,
    ...(opts.step === undefined ? {} : { stepSeconds: durationFlag('--step', opts.step) }),
    timezone: timezoneFlag(opts.timezone),
    ...(opts.warmup === undefined ? {} : { warmupSeconds: durationFlag('--warmup', opts.warmup) }),
    prescale: {
      model: modelFlag('--model', opts.model, [...modelKindNames(), AUTO]),
      quantile: quantileFlag('--quantile', opts.quantile),
      retrainEverySeconds: durationFlag('--refit-every', opts.refitEvery),
      trainEverySeconds: durationFlag('--train-every', opts.trainEvery),
      scaleUpTolerance: toleranceFlag('--scale-up-tolerance', opts.scaleUpTolerance),
    },
    json: Boolean(opts.json),
    ...(opts.plot === undefined ? {} : { plot: opts.plot }),
  };
}
