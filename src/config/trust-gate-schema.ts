import { z } from 'zod';

/** The fixed windows live accuracy is aggregated over; the trust gate reads one of them. */
export const ACCURACY_WINDOWS = ['1h', '24h', '7d'] as const;
export type AccuracyWindow = (typeof ACCURACY_WINDOWS)[number];

/**
 * `series[].trustGate`: when the served forecast has been worse than seasonal-naive, or its
 * upper quantile has covered too few actuals, the series publishes the reactive demand (the
 * peak observation over the observation-floor window) until accuracy recovers (docs/accuracy.md).
 */
export const trustGateSchema = z
  .strictObject({
    enabled: z.boolean().default(true).describe('Publish the reactive demand (the peak observation over the observation-floor window) instead of the forecast while live accuracy is below the thresholds.'),
    window: z.enum(ACCURACY_WINDOWS).default('24h').describe('Live-accuracy window the gate judges (one of 1h, 24h, 7d).'),
    minPoints: z.number().int().positive().default(30).describe('Scored targets (steps) the window needs before the gate may engage; a window with fewer is judged on the next longer one.'),
    maxMaseRatio: z
      .number()
      .positive()
      .default(1)
      .describe("Engage when the forecast's MASE over the window exceeds seasonal-naive's MASE on the same targets times this ratio."),
    recoverMaseRatio: z
      .number()
      .positive()
      .default(0.9)
      .describe('Release only when the MASE ratio is at or below this (hysteresis; at most maxMaseRatio).'),
    minCoverage: z
      .number()
      .min(0)
      .max(1)
      .default(0.7)
      .describe('Engage when the share of actuals at or below the highest served quantile falls under this.'),
    recoverCoverage: z
      .number()
      .min(0)
      .max(1)
      .default(0.8)
      .describe('Release only when that coverage is at or above this (hysteresis; at least minCoverage).'),
  })
  .superRefine((g, ctx) => {
    if (g.recoverMaseRatio > g.maxMaseRatio) ctx.addIssue({ code: 'custom', path: ['recoverMaseRatio'], message: 'must be at most maxMaseRatio' });
    if (g.recoverCoverage < g.minCoverage) ctx.addIssue({ code: 'custom', path: ['recoverCoverage'], message: 'must be at least minCoverage' });
  });

export type TrustGateConfig = z.output<typeof trustGateSchema>;
