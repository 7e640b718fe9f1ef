import { createHash } from 'node:crypto';

/**
 * One share of the configured series, as a Kubernetes Indexed Job runs it: pod `index` of
 * `count` pods (`JOB_COMPLETION_INDEX` of `spec.completions`). `0 ≤ index < count`.
 */
export interface Shard {
  index: number;
  count: number;
}

/**
 * The shard a series belongs to: a stable hash of its name, mod `count`. It depends on the
 * name alone, never on the other series or their order, so adding or removing a series never
 * moves another one to a different pod (a model keeps being trained by the same shard, and a
 * shard's history stays warm in its caches). SHA-256 rather than a hand-rolled string hash:
 * it is the same on every Node.js build and spreads similar names (`rps-0001`, `rps-0002`)
 * evenly. Only the first 32 bits are used; `2^32 mod count` skews the split by less than
 * `count / 2^32`, nothing at any Job size.
 */
export function shardOfSeries(name: string, count: number): number {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`shard count must be a positive integer, got ${count}`);
  return createHash('sha256').update(name, 'utf8').digest().readUInt32BE(0) % count;
}

/** The names of `shard`'s share, in their given order. Every name is in exactly one shard of a count. */
export function seriesOfShard<T extends string>(names: readonly T[], shard: Shard): T[] {
  if (!Number.isInteger(shard.index) || shard.index < 0 || shard.index >= shard.count) {
    throw new RangeError(`shard index must be an integer in [0, ${shard.count}), got ${shard.index}`);
  }
  return names.filter((n) => shardOfSeries(n, shard.count) === shard.index);
}
