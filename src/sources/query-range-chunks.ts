import type { PullRange } from './metrics-source';

/**
 * Prometheus refuses a query_range that would return more than 11,000 points per series
 * ("exceeded maximum resolution of 11,000 points per timeseries"). Stay well under it.
 */
export const MAX_POINTS_PER_QUERY = 10_000;

/**
 * Splits an inclusive, step-aligned range into consecutive chunks of at most `maxPoints`
 * evaluation steps each, with no step repeated or skipped between chunks.
 */
export function queryRangeChunks(range: PullRange, maxPoints: number = MAX_POINTS_PER_QUERY): PullRange[] {
  const stepMs = range.stepSeconds * 1000;
  if (range.toMs < range.fromMs) return [];
  const chunks: PullRange[] = [];
  for (let from = range.fromMs; from <= range.toMs; from += maxPoints * stepMs) {
    chunks.push({ fromMs: from, toMs: Math.min(range.toMs, from + (maxPoints - 1) * stepMs), stepSeconds: range.stepSeconds });
  }
  return chunks;
}
