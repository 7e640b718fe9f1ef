/**
 * The worker a series is refreshed on: a fixed function of its name (32-bit FNV-1a), so its
 * fitted model stays on one thread, and the series spread evenly over `workers`.
 * @param workers ≥ 1.
 */
export function workerIndexOf(series: string, workers: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < series.length; i++) {
    hash ^= series.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % workers;
}
