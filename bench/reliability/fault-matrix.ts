import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type PrescaleChild, freePort, startPrescale } from './child-service';
import { FAULTS, type Fault, startFakePrometheus } from './fake-prometheus';
import { answered, getJson, send } from './http-client';
import { sleep } from './random';

export interface FaultMatrixOptions {
  /** How long each fault is watched. */
  watchMs: number;
  slowMs: number;
  hugeBytes: number;
}

export interface FaultRow {
  fault: Fault;
  /** Requests the fake Prometheus got for the fault. */
  pulls: number;
  /** Exit of the service during the watch (or at start), else null. */
  exited: string | null;
  healthzAnswered: number;
  healthzAsked: number;
  healthzMaxMs: number;
  /** Seconds after start until the healthy series' forecast answered 200, and /readyz 200; null = never within the watch. */
  healthyForecastS: number | null;
  readyS: number | null;
  /** The faulty series' source state in /v1/status, and whether its error (or state) shows in /readyz details. */
  state: string;
  errorShown: boolean;
  inReadyz: boolean;
  /** The password of the source URL appeared in /readyz or /v1/status. */
  secretLeaked: boolean;
  note: string;
}

const SECRET = 'hunter2-reliability';
const MIN_WATCH_MS = 6000;

/**
 * Part 4: for each fault, a real `prescale serve` with one series pulled from a fake Prometheus
 * that misbehaves that way and one healthy series from the same fake, watched for `watchMs`:
 * does /healthz keep answering, does the healthy series get its forecast, does /readyz turn
 * 200, and is the fault visible in /v1/status and /readyz.
 */
export async function faultMatrix(options: FaultMatrixOptions): Promise<FaultRow[]> {
  const fake = await startFakePrometheus({ slowMs: options.slowMs, hugeBytes: options.hugeBytes });
  const closedPort = await freePort();
  const rows: FaultRow[] = [];
  try {
    for (const fault of FAULTS) {
      const base = fault === 'unreachable' ? `http://127.0.0.1:${closedPort}` : `http://127.0.0.1:${fake.port}`;
      rows.push(await watchFault(fault, `http://reliability:${SECRET}@${base.slice('http://'.length)}/${fault}`, fake.port, options.watchMs));
      rows[rows.length - 1]!.pulls = fake.requests.get(fault) ?? 0;
    }
  } finally {
    await fake.close();
  }
  return rows;
}

async function watchFault(fault: Fault, url: string, fakePort: number, watchMs: number): Promise<FaultRow> {
  const dir = mkdtempSync(join(tmpdir(), `prescale-rel-fault-${fault}-`));
  const row: FaultRow = {
    fault, pulls: 0, exited: null, healthzAnswered: 0, healthzAsked: 0, healthzMaxMs: 0, healthyForecastS: null, readyS: null,
    state: '-', errorShown: false, inReadyz: false, secretLeaked: false, note: '',
  };
  const port = await freePort();
  const source = (u: string): object => ({ prometheus: { url: u, query: 'sum(rate(http_requests_total[1m]))', timeout: '5s', retries: 1 } });
  const config = {
    server: { host: '127.0.0.1', port, shutdownGrace: '2s' },
    storage: { dataDir: join(dir, 'data') },
    forecast: { model: 'seasonal-naive' },
    series: [
      { name: 'healthy', step: '1m', horizon: '30m', history: '1d', source: source(`http://127.0.0.1:${fakePort}/healthy`) },
      { name: 'faulty', step: '1m', horizon: '30m', history: '1d', source: source(url) },
    ],
  };
  const started = Date.now();
  let child: PrescaleChild | undefined;
  try {
    child = await startPrescale({ dir, config, port, readyTimeoutMs: watchMs });
    await observe(child, row, started, watchMs);
    if (fault === 'future') row.note = await futureNote(child);
    if (child.exit) {
      row.exited = JSON.stringify(child.exit);
      row.note ||= oneLine(/\w*Error\b.*|ERR_\w+.*/.exec(child.output())?.[0] ?? child.output()).slice(0, 120);
    }
  } catch (err) {
    row.exited = 'did not start';
    row.note = oneLine(String(err)).slice(-160);
  } finally {
    await child?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return row;
}

async function observe(child: PrescaleChild, row: FaultRow, started: number, watchMs: number): Promise<void> {
  const since = (): number => Math.round((Date.now() - started) / 100) / 10;
  while (Date.now() - started < watchMs && !child.exit) {
    row.healthzAsked++;
    const health = await send(child.http, { path: '/healthz', timeoutMs: 2000 });
    if (health.status === 200) row.healthzAnswered++;
    row.healthzMaxMs = Math.max(row.healthzMaxMs, Math.round(health.ms));
    if (row.healthyForecastS === null && (await send(child.http, { path: '/v1/forecasts/healthy', timeoutMs: 2000 })).status === 200) row.healthyForecastS = since();
    const ready = await send(child.http, { path: '/readyz', timeoutMs: 2000 });
    if (row.readyS === null && ready.status === 200) row.readyS = since();
    const status = await send(child.http, { path: '/v1/status', timeoutMs: 2000 });
    const faulty = parseSources(answered(status) ? status.body : '').find((s) => s.series === 'faulty');
    if (faulty) {
      row.state = faulty.state;
      row.errorShown = faulty.lastError !== null && faulty.lastError !== undefined;
    }
    const readyBody = answered(ready) ? ready.body : '';
    row.inReadyz = /"faulty"/.test(readyBody) && (row.state === 'unknown' ? false : readyBody.includes(`"state":"${row.state}"`));
    row.secretLeaked ||= readyBody.includes(SECRET) || (answered(status) && status.body.includes(SECRET));
    // At least MIN_WATCH_MS, so a stall that comes with the first pull is seen.
    const settled = Date.now() - started > MIN_WATCH_MS && row.readyS !== null && row.healthyForecastS !== null && row.state !== 'unknown' && row.state !== '-';
    if (settled) break;
    await sleep(500);
  }
}

function parseSources(body: string): Array<{ series: string; state: string; lastError?: string | null }> {
  try {
    const sources = (JSON.parse(body) as { sources?: unknown }).sources;
    return Array.isArray(sources) ? (sources as Array<{ series: string; state: string; lastError?: string | null }>) : [];
  } catch {
    return [];
  }
}

/** Whether samples from the future were stored: the faulty series' newest sample, from GET /v1/series. */
async function futureNote(child: PrescaleChild): Promise<string> {
  const list = await getJson<{ series: Array<{ name: string; last: string | null; samples: number }> }>(child.http, '/v1/series');
  const faulty = list.json?.series.find((s) => s.name === 'faulty');
  if (!faulty) return 'GET /v1/series did not answer';
  const aheadS = faulty.last ? (Date.parse(faulty.last) - Date.now()) / 1000 : Number.NaN;
  return aheadS > 300 ? `stored future samples: ${faulty.samples}, newest ${faulty.last}` : `no future samples stored (${faulty.samples} samples)`;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ');
}
