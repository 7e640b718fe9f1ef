/**
 * A RAG-like request rate for the built-in demo: a daily rhythm (quiet nights, a morning
 * ramp, a lunch dip, an afternoon peak), quieter weekends, multiplicative noise and rare
 * bursts. A pure function of the timestamp and seed, so regenerating history after a
 * restart writes the same values (and re-writing them is idempotent in the store).
 */
const HOUR = 3600;
const DAY = 86_400;

/** Deterministic uniform [0, 1) from an integer key and a seed (a 32-bit integer hash). */
export function hash01(key: number, seed: number): number {
  let h = (Math.imul(key | 0, 0x9e3779b1) ^ Math.imul((key / 4294967296) | 0, 0x85ebca6b) ^ seed) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b) >>> 0;
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

/** Demo requests per second at `tMs` (UTC clock; the demo series' timezone is UTC). */
export function demoRate(tMs: number, seed: number): number {
  const seconds = Math.floor(tMs / 1000);
  const secondOfDay = ((seconds % DAY) + DAY) % DAY;
  const day = Math.floor(seconds / DAY);
  const dayOfWeek = (((day + 3) % 7) + 7) % 7; // 0 = Monday
  const hour = secondOfDay / HOUR;
  const bump = (center: number, width: number): number => Math.exp(-0.5 * ((hour - center) / width) ** 2);
  const daily = 0.25 + 0.9 * bump(10.5, 2.2) - 0.15 * bump(12.5, 0.6) + 1.0 * bump(15, 2.5) + 0.3 * bump(20, 1.5);
  const weekly = dayOfWeek >= 5 ? 0.55 : 1;
  const minute = Math.floor(seconds / 60);
  // Box-Muller from two hashed uniforms: ~8% multiplicative noise.
  const u1 = Math.max(1e-12, hash01(minute, seed));
  const u2 = hash01(minute, seed ^ 0x5bd1e995);
  const noise = Math.exp(0.08 * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2));
  return 40 * daily * weekly * noise * burst(minute, seed);
}

/** About two bursts a day, each 5–15 minutes at 1.8–3× the normal rate. */
function burst(minute: number, seed: number): number {
  const window = 15;
  const start = minute - (minute % window);
  for (let w = start; w >= start - window; w -= window) {
    if (hash01(w, seed ^ 0x27d4eb2f) >= 2 / 96) continue;
    const length = 5 + Math.floor(hash01(w, seed ^ 0x165667b1) * 11);
    const offset = Math.floor(hash01(w, seed ^ 0x3c6ef372) * window);
    if (minute >= w + offset && minute < w + offset + length) return 1.8 + 1.2 * hash01(w, seed ^ 0x7a3b1c2d);
  }
  return 1;
}
