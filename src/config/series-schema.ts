import { z } from 'zod';
import { durationSeconds, resourceName, timezone } from './schema-helpers';
import { sourceSchema } from './source-schema';
import { trustGateSchema } from './trust-gate-schema';

/** One forecast series. Durations are given as strings (`1m`) and held as seconds. */
export const seriesSchema = z
  .strictObject({
    name: resourceName.describe('Series name; the key of every API path and the external metric name.'),
    step: durationSeconds.default(60).describe('Regular step samples are aggregated onto.'),
    kind: z.enum(['rate', 'gauge']).default('rate').describe('rate: mean over the step; gauge: last value in the step.'),
    timezone: timezone.default('UTC').describe('Timezone of the daily and weekly rhythm.'),
    seasonalities: z.array(z.enum(['daily', 'weekly'])).default(['daily', 'weekly']).describe('Cycles the seasonal model may use.'),
    horizon: durationSeconds.default(3600).describe('How far ahead forecasts reach.'),
    quantiles: z
      .array(z.number().gt(0).lt(1))
      .min(1)
      .default([0.5, 0.9])
      .describe('Quantile levels served with every forecast point; 0.5 and 0.9 are always included.')
      .transform((qs) => [...new Set([...qs, 0.5, 0.9])].sort((a, b) => a - b)),
    history: durationSeconds.default(14 * 86_400).describe('History used for fitting (and backfilled from a source).'),
    staleAfter: z.number().int().positive().default(5).describe('Steps without a new sample before the series is marked stale.'),
    trustGate: trustGateSchema
      .prefault({})
      .describe('Fall back to the reactive demand (peak observation over the observation-floor window) while live accuracy is worse than seasonal-naive or coverage is too low (docs/accuracy.md).'),
    source: sourceSchema.optional().describe('Pull samples from this source (backfill `history`, then every step); without it, samples are pushed.'),
  })
  .superRefine((s, ctx) => {
    if (s.horizon < s.step) ctx.addIssue({ code: 'custom', path: ['horizon'], message: 'must be at least one step' });
    if (s.horizon / s.step > 10_000) ctx.addIssue({ code: 'custom', path: ['horizon'], message: 'must be at most 10000 steps' });
    if (86_400 % s.step !== 0 && s.step < 86_400) {
      ctx.addIssue({ code: 'custom', path: ['step'], message: 'must divide a day evenly (e.g. 30s, 1m, 5m, 1h)' });
    }
  });

export type SeriesConfig = z.output<typeof seriesSchema>;
