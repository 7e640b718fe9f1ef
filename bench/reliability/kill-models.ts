import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type PrescaleChild, freePort, startPrescale } from './child-service';
import { getJson, postJson } from './http-client';
import { Random, sleep } from './random';

export interface KillModelsOptions {
  kills: number;
  seed: number;
  budgetMs: number;
}

export interface KillModelsResult {
  kills: number;
  /** Kills that came while a training run started in the cycle was likely still running (within one seed-run's duration). */
  killsMidTraining: number;
  /** How long one training run took when the registry was seeded. */
  trainSeconds: number;
  /** Answered train (202), promote (200) and rollback (200) requests. */
  trainsStarted: number;
  promotes: number;
  rollbacks: number;
  /** Versions in the registry at the end. */
  versions: number;
  /** Restarts after which GET /v1/models/{series} did not answer 200 with JSON. */
  registryUnreadable: number;
  /** Restarts serving a version that was neither promoted by a request (sent or answered) nor passed the gate. */
  servedUnpromoted: number;
  /** Restarts whose promoted version has a missing or unparsable manifest.json, model.json or weights file. */
  halfWritten: number;
  /** Restarts where the forecast did not come from the promoted model's kind within 15 s. */
  promotedNotServed: number;
  /** Temporary `.*.tmp` entries left in the registry at the end (readers skip them). */
  tmpLeftovers: number;
  startFailures: number;
  seconds: number;
}

interface Listing {
  promoted: string | null;
  versions: Array<{ version: string; kind: string; status: string; gate: { decision: string } }>;
}

const SERIES = 'model-rps';
const HOUR = 3600_000;

/**
 * Part 2: a real `prescale serve` with 20 days of hourly history; train, promote and rollback
 * requests at random, SIGKILL at a random moment (often mid-training), restart, then: the
 * registry reads, the served version is one that was promoted (by a request or by the gate),
 * its files are whole, and forecasts come from it.
 */
export async function killDuringModelChanges(options: KillModelsOptions): Promise<KillModelsResult> {
  const dir = mkdtempSync(join(tmpdir(), 'prescale-rel-models-'));
  const dataDir = join(dir, 'data');
  const random = new Random(options.seed);
  const started = Date.now();
  const result: KillModelsResult = {
    kills: 0, killsMidTraining: 0, trainSeconds: 0, trainsStarted: 0, promotes: 0, rollbacks: 0, versions: 0, registryUnreadable: 0, servedUnpromoted: 0,
    halfWritten: 0, promotedNotServed: 0, tmpLeftovers: 0, startFailures: 0, seconds: 0,
  };
  const port = await freePort();
  const config = {
    server: { host: '127.0.0.1', port, shutdownGrace: '2s' },
    storage: { dataDir },
    forecast: { model: 'seasonal-naive' },
    training: { backend: 'wasm', model: 'ensemble', holdout: '1d', lstm: { units: 4, maxEpochs: 2, maxSamples: 200 } },
    series: [{ name: SERIES, step: '1h', horizon: '2h' }],
  };
  const promoted = new Set<string>();
  let trainMs = 4000;
  try {
    for (let cycle = 0; cycle <= options.kills; cycle++) {
      let child: PrescaleChild;
      try {
        child = await startPrescale({ dir, config, port });
      } catch {
        result.startFailures++;
        break;
      }
      if (cycle === 0) {
        await pushHistory(child, random);
        trainMs = Math.max(await trainToEnd(child), await trainToEnd(child));
        result.trainSeconds = trainMs / 1000;
      } else await verify(child, dataDir, promoted, result);
      if (cycle === options.kills || Date.now() - started > options.budgetMs) {
        const listing = await getJson<Listing>(child.http, `/v1/models/${SERIES}`);
        result.versions = listing.json?.versions.length ?? 0;
        await child.stop();
        break;
      }
      const lastTrainMs = await operateUntilKilled(child, random.int(200, Math.max(4000, 1.2 * trainMs)), { random, promoted, result });
      if (Date.now() - lastTrainMs < trainMs) result.killsMidTraining++;
      result.kills++;
    }
    result.tmpLeftovers = countTemporary(join(dataDir, 'models'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  result.seconds = (Date.now() - started) / 1000;
  return result;
}

async function pushHistory(child: PrescaleChild, random: Random): Promise<void> {
  const end = Math.floor(Date.now() / HOUR) * HOUR;
  const samples = Array.from({ length: 20 * 24 }, (_, i) => {
    const t = end - (20 * 24 - 1 - i) * HOUR;
    return { t: new Date(t).toISOString(), v: 100 + 50 * Math.sin((2 * Math.PI * (t % 86_400_000)) / 86_400_000) + random.next() * 10 };
  });
  const reply = await postJson(child.http, `/v1/series/${SERIES}/samples`, samples);
  if (reply.status !== 200) throw new Error(`history push answered ${reply.status}`);
}

/** Seeds the registry: one training run, waited on (2 min at most); returns how long it took. */
async function trainToEnd(child: PrescaleChild): Promise<number> {
  const started = Date.now();
  if ((await postJson(child.http, `/v1/models/${SERIES}/train`)).status !== 202) return 0;
  while (Date.now() - started < 120_000) {
    await sleep(250);
    const status = await getJson<{ training: { runs: Array<{ state: string }> } }>(child.http, '/v1/status');
    if (status.json?.training.runs[0]?.state !== 'running') break;
  }
  return Date.now() - started;
}

async function operateUntilKilled(child: PrescaleChild, afterMs: number, state: { random: Random; promoted: Set<string>; result: KillModelsResult }): Promise<number> {
  const { random, promoted, result } = state;
  const killAt = Date.now() + afterMs;
  let lastTrainMs = 0;
  let versions = (await getJson<Listing>(child.http, `/v1/models/${SERIES}`)).json?.versions.map((v) => v.version) ?? [];
  while (Date.now() < killAt && !child.exit) {
    const op = random.next();
    if (op < 0.35) {
      if ((await postJson(child.http, `/v1/models/${SERIES}/train`)).status === 202) {
        result.trainsStarted++;
        lastTrainMs = Date.now();
      }
    } else if (op < 0.75 && versions.length > 0) {
      const version = random.pick(versions);
      promoted.add(version); // sent: it may take effect even if the kill comes before the answer
      if ((await postJson(child.http, `/v1/models/${SERIES}/promote`, { version })).status === 200) result.promotes++;
    } else if (op < 0.9) {
      const reply = await postJson(child.http, `/v1/models/${SERIES}/rollback`);
      if (reply.status === 200) result.rollbacks++;
    } else {
      const listing = await getJson<Listing>(child.http, `/v1/models/${SERIES}`);
      versions = listing.json?.versions.map((v) => v.version) ?? versions;
      for (const v of listing.json?.versions ?? []) if (v.status !== 'rejected') promoted.add(v.version);
    }
    await sleep(random.int(0, 150));
  }
  await child.kill9();
  return lastTrainMs;
}

async function verify(child: PrescaleChild, dataDir: string, promoted: Set<string>, result: KillModelsResult): Promise<void> {
  const listing = await getJson<Listing>(child.http, `/v1/models/${SERIES}`);
  if (listing.status !== 200 || !listing.json) {
    result.registryUnreadable++;
    return;
  }
  for (const v of listing.json.versions) if (v.gate.decision === 'promoted') promoted.add(v.version);
  const serving = listing.json.promoted;
  if (serving === null) return;
  if (!promoted.has(serving)) result.servedUnpromoted++;
  if (!versionWhole(join(dataDir, 'models', SERIES, 'versions', serving))) result.halfWritten++;
  const kind = listing.json.versions.find((v) => v.version === serving)?.kind;
  const deadline = Date.now() + 15_000;
  for (;;) {
    const forecast = await getJson<{ model: string }>(child.http, `/v1/forecasts/${SERIES}`);
    if (forecast.json?.model === kind) return;
    if (Date.now() > deadline) break;
    await sleep(200);
  }
  result.promotedNotServed++;
}

/** A version folder whose manifest.json and model.json parse and whose weight files exist. */
function versionWhole(dir: string): boolean {
  try {
    JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    const model = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as { weightsManifest?: Array<{ paths: string[] }> };
    return (model.weightsManifest ?? []).every((group) => group.paths.every((p) => existsSync(join(dir, p))));
  } catch {
    return false;
  }
}

function countTemporary(dir: string): number {
  if (!existsSync(dir)) return 0;
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((p) => /(^|\/)\.[^/]*\.tmp$/.test(p)).length;
}
