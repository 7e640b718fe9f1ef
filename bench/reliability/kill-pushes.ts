import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type PrescaleChild, freePort, startPrescale } from './child-service';
import { getJson, postJson } from './http-client';
import { Random, sleep } from './random';
import { sqliteIntact } from './sqlite-integrity';

export interface KillPushesOptions {
  kills: number;
  pushers: number;
  seed: number;
  /** Stop starting new cycles after this long. */
  budgetMs: number;
}

export interface KillPushesResult {
  kills: number;
  /** Samples whose push got a 200 reply before the kill. */
  acknowledged: number;
  /** Acknowledged samples missing (or with another value) after the restart. */
  lost: number;
  /** Cycles where PRAGMA integrity_check did not answer ok. */
  corrupted: number;
  /** Samples in pushes that had no reply when the kill came, and how many of them were stored anyway. */
  inFlight: number;
  inFlightStored: number;
  /** Pushes answered with something other than 200 (not counted above). */
  refused: number;
  /** Restarts that did not answer /healthz within 20 s. */
  startFailures: number;
  seconds: number;
}

interface Pushed {
  series: string;
  samples: Array<{ t: number; v: number }>;
  reply: 'acked' | 'refused' | 'none';
}

const MINUTE = 60_000;
/** Samples per pusher and cycle at most: unique minutes within the default 24 h read span. */
const SLOTS = 1200;

/**
 * Part 1: a real `prescale serve` on one data dir, `pushers` concurrent pushers (each its own
 * series, unique minutes, values that name the cycle), SIGKILL at a random moment, restart,
 * then every acknowledged sample must read back with its value and the SQLite file must pass
 * `PRAGMA integrity_check`. Each cycle configures its own series plus the previous cycle's,
 * so the store keeps growing over the kills while every read stays small.
 */
export async function killDuringPushes(options: KillPushesOptions): Promise<KillPushesResult> {
  const dir = mkdtempSync(join(tmpdir(), 'prescale-rel-push-'));
  const random = new Random(options.seed);
  const started = Date.now();
  const result: KillPushesResult = { kills: 0, acknowledged: 0, lost: 0, corrupted: 0, inFlight: 0, inFlightStored: 0, refused: 0, startFailures: 0, seconds: 0 };
  const names = (cycle: number): string[] => Array.from({ length: options.pushers }, (_, i) => `kill-c${cycle}-p${i}`);
  const port = await freePort();
  const config = (cycle: number): object => ({
    server: { host: '127.0.0.1', port, maxSamplesPerRequest: 1000, shutdownGrace: '2s' },
    storage: { dataDir: join(dir, 'data') },
    forecast: { model: 'seasonal-naive' },
    series: [...(cycle > 0 ? names(cycle - 1) : []), ...names(cycle)].map((name) => ({ name, step: '1m', horizon: '10m' })),
  });
  let previous: Pushed[] = [];
  try {
    for (let cycle = 0; cycle <= options.kills; cycle++) {
      let child: PrescaleChild;
      try {
        child = await startPrescale({ dir, config: config(cycle), port });
      } catch {
        result.startFailures++;
        break;
      }
      await verify(child, previous, result);
      if (!sqliteIntact(join(dir, 'data', 'history.sqlite'))) result.corrupted++;
      if (cycle === options.kills || Date.now() - started > options.budgetMs) {
        await child.stop();
        break;
      }
      previous = await pushUntilKilled(child, names(cycle), cycle, random);
      result.kills++;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  result.seconds = (Date.now() - started) / 1000;
  return result;
}

async function pushUntilKilled(child: PrescaleChild, series: readonly string[], cycle: number, random: Random): Promise<Pushed[]> {
  const pushed: Pushed[] = [];
  const baseMs = Math.floor(Date.now() / MINUTE) * MINUTE - 22 * 3600_000;
  const pusher = async (name: string, seed: number): Promise<void> => {
    const rnd = new Random(seed);
    for (let next = 0; next < SLOTS && !child.exit; ) {
      const size = Math.min(rnd.int(1, 40), SLOTS - next);
      const samples = Array.from({ length: size }, (_, i) => ({ t: baseMs + (next + i) * MINUTE, v: cycle * 10_000 + next + i }));
      next += size;
      const entry: Pushed = { series: name, samples, reply: 'none' };
      pushed.push(entry);
      const reply = await postJson(child.http, `/v1/series/${name}/samples`, samples.map((s) => ({ t: new Date(s.t).toISOString(), v: s.v })));
      if (reply.status === 0) return; // the kill
      entry.reply = reply.status === 200 ? 'acked' : 'refused';
    }
  };
  const running = Promise.all(series.map((name) => pusher(name, random.int(1, 2 ** 31))));
  await sleep(random.int(20, 1000));
  await child.kill9();
  await running;
  return pushed;
}

async function verify(child: PrescaleChild, pushed: readonly Pushed[], result: KillPushesResult): Promise<void> {
  const bySeries = new Map<string, Map<number, number>>();
  for (const name of new Set(pushed.map((p) => p.series))) {
    const from = new Date(Date.now() - 24 * 3600_000).toISOString();
    const reply = await getJson<{ samples: Array<{ t: string; v: number }> }>(child.http, `/v1/series/${name}/samples?from=${from}&to=${new Date().toISOString()}`);
    bySeries.set(name, new Map((reply.json?.samples ?? []).map((s) => [Date.parse(s.t), s.v])));
  }
  for (const p of pushed) {
    const stored = bySeries.get(p.series) ?? new Map<number, number>();
    const found = p.samples.filter((s) => stored.get(s.t) === s.v).length;
    if (p.reply === 'refused') result.refused += p.samples.length;
    else if (p.reply === 'acked') {
      result.acknowledged += p.samples.length;
      result.lost += p.samples.length - found;
    } else {
      result.inFlight += p.samples.length;
      result.inFlightStored += found;
    }
  }
}
