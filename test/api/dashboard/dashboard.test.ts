import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pino from 'pino';
import { parseConfig } from '../../../src/config/load-config';
import { type RunningService, serve } from '../../../main/serve';
import { CHROMIUM, card, renderedDom, screenshot } from './dashboard-chromium';

const MINUTE = 60_000;
const SCREENSHOT = resolve(__dirname, '../../../test-output/dashboard.png');
/** A daily sine around 100, one sample a minute: the load of the stale series `api`. */
const load = (t: number): number => 100 + 60 * Math.sin((2 * Math.PI * (t % 86_400_000)) / 86_400_000);

/**
 * The page as a person sees it: the real service on a socket (system clock, SQLite under a temp
 * dir) rendered by headless Chromium (Debian `chromium`). `api` stopped sending 30 minutes ago
 * (stale after 5 one-minute steps); its pool `gpu` has a launch event opening in 10 minutes and
 * GPU and cost quotas; the demo replays a day into advisory mode (pool `demo-pool`).
 */
describe('dashboard page in headless Chromium', () => {
  let dir: string;
  let service: RunningService;
  let url: string;
  let dom: string;
  const now = Date.now();

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`headless Chromium not found at ${CHROMIUM}: install the Debian package "chromium" (.ci/run does)`);
    dir = mkdtempSync(join(tmpdir(), 'prescale-dashboard-'));
    const config = parseConfig({
      server: { host: '127.0.0.1', port: 0 },
      storage: { dataDir: dir },
      demo: { enabled: true, replay: '1d' },
      series: [{ name: 'api', step: '1m', horizon: '1h', staleAfter: 5, history: '3d', timezone: 'Europe/Berlin', seasonalities: ['daily'] }],
      pools: [
        { name: 'gpu', series: 'api', capacityPerReplica: 10, leadTime: '2m', maxReplicas: 60, gpusPerReplica: 2, costPerReplicaHour: 3 },
        { name: 'gpu-priced', series: 'api', capacityPerReplica: 10, leadTime: '2m', maxReplicas: 60, costPerReplicaHour: 3, underProvisionCost: 27, calibrateDecisions: true },
      ],
      events: [{ name: 'launch', start: new Date(now + 10 * MINUTE).toISOString(), end: new Date(now + 25 * MINUTE).toISOString(), floor: { gpu: 40 } }],
      quotas: { maxGpus: 200, maxCostPerHour: 400 },
    });
    service = await serve({ config, logger: pino({ level: 'silent' }) });
    const samples = [];
    for (let t = now - 3 * 86_400_000; t <= now - 30 * MINUTE; t += MINUTE) samples.push({ t, v: load(t) });
    await service.app.forecasts.ingest('api', samples);
    await service.app.forecasts.refreshAll();
    await waitFor(() => service.app.forecasts.isReady());
    url = `http://127.0.0.1:${service.port}/`;
    // The replay is written in the background; render once the whole day is in.
    await waitForAsync(async () => ((await (await fetch(`${url}v1/pools/demo-pool/advisory?since=26h`)).json()) as { samples: number }).samples >= 2881);
    dom = await renderedDom(url, dir);
  }, 120_000);

  afterAll(async () => {
    await service?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows every series and pool at once, each chart with a local time axis and a unit', () => {
    expect(dom).toContain('data-series="api"');
    expect(dom).toContain('data-series="demo-generate-rps"');
    expect(dom).toContain('data-pool="gpu"');
    expect(dom).toContain('data-pool="demo-pool"');
    const xLabels = [...dom.matchAll(/data-role="x-label"[^>]*>([^<]+)</g)].map((m) => m[1]);
    const yLabels = [...dom.matchAll(/data-role="y-label"[^>]*>([^<]+)</g)].map((m) => m[1]);
    const charts = dom.match(/<svg[^>]*class="chart"/g) ?? [];
    expect(charts.length).toBeGreaterThanOrEqual(4);
    expect(xLabels).toHaveLength(charts.length);
    expect(yLabels).toHaveLength(charts.length);
    for (const x of xLabels) expect(x).toMatch(/^time \(local, [A-Za-z_/]+/);
    expect(yLabels).toContain('replicas');
    expect(yLabels).toContain('value (series unit)');
    expect(card(dom, 'data-series', 'api')).toContain('series time zone Europe/Berlin');
    expect(card(dom, 'data-series', 'api')).toMatch(/data-role="x-tick"[^>]*>\d\d:\d\d</);
  });

  it('draws observed vs forecast with a non-empty p50–p90 band', () => {
    const demo = card(dom, 'data-series', 'demo-generate-rps');
    const band = /<path d="M([^"]+)Z"[^>]*data-role="band"/.exec(demo);
    expect(band).not.toBeNull();
    expect((band?.[1] ?? '').split('L').length).toBeGreaterThan(60);
    const history = /points="([^"]+)"[^>]*data-role="history"/.exec(demo);
    expect((history?.[1] ?? '').trim().split(' ').length).toBeGreaterThan(300);
  });

  it('explains in words why a series is stale, since when and what is served instead', () => {
    const api = card(dom, 'data-series', 'api');
    expect(api).toMatch(/<span class="badge stale">stale<\/span>/);
    const text = /data-role="stale-text">([^<]+)</.exec(api)?.[1] ?? '';
    expect(text).toMatch(/^Stale since /);
    expect(text).toMatch(/3\d min ago/);
    expect(text).toContain('Served instead: the last good forecast floored at the last observation');
    expect(card(dom, 'data-series', 'demo-generate-rps')).not.toContain('data-role="stale-text"');
  });

  it('shades the event window on the pool chart and names what binds each stretch', () => {
    const gpu = card(dom, 'data-pool', 'gpu');
    expect(gpu).toMatch(/<rect[^>]*data-role="window-event"[^>]*data-label="event"/);
    expect(gpu).toMatch(/data-role="reason" data-term="event"/);
    expect(gpu).toMatch(/data-role="planned"/);
  });

  it('says what level each pool is sized at and why: its quantile, or the decision-calibrated newsvendor level', () => {
    expect(card(dom, 'data-pool', 'gpu')).toMatch(/data-role="sizing">sized at q0\.9 \(pool quantile\)</);
    // The series is stale, so no decision of this pool has been scored yet: the level is the newsvendor one.
    expect(card(dom, 'data-pool', 'gpu-priced')).toMatch(
      /data-role="sizing">sized at decision-calibrated q0\.9: no binding decision scored yet, the price asks 10% \(newsvendor q0\.9 = u\/\(u\+c\) = 27\/\(27\+3\)\)</,
    );
  });

  it('shows the advisory pool: as it ran vs with Prescale, planned vs actual replicas, quota lines', () => {
    const pool = card(dom, 'data-pool', 'demo-pool');
    expect(pool).toContain('data-role="advisory"');
    expect(pool).toMatch(/<th>as it ran<\/th><th>with Prescale<\/th>/);
    expect(pool).toMatch(/data-measure="underProvisionedMinutes"><td>under-provisioned minutes<\/td><td class="num">[\d.]+ min/);
    expect(pool).toMatch(/points="[^"]+"[^>]*data-role="actual"/);
    expect(pool).toMatch(/data-role="quota-gpus"/);
    expect(pool).toMatch(/data-role="quota-cost"/);
  });

  it('lists decisions with links to explanations that answer', async () => {
    const links = [...dom.matchAll(/<a href="([^"]+)" data-role="explain">/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
    expect(links.length).toBeGreaterThan(5);
    expect(links[0]).toMatch(/^\/v1\/plans\/demo-pool\/explain\?at=\d{4}-/);
    const res = await fetch(new URL(links[0]!, url), { headers: { accept: 'text/plain' } });
    expect(res.status).toBe(200);
    expect((await res.text()).length).toBeGreaterThan(20);
  });

  it('is served with a content security policy that allows only its own script', async () => {
    const res = await fetch(url);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(res.headers.get('content-security-policy')).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(res.headers.get('content-security-policy')).toContain("connect-src 'self'");
    expect(await res.text()).not.toMatch(/<script[^>]+src=|<link[^>]+href=/);
  });

  it('writes a screenshot for people to look at', async () => {
    mkdirSync(resolve(SCREENSHOT, '..'), { recursive: true });
    rmSync(SCREENSHOT, { force: true });
    await screenshot(url, dir, SCREENSHOT);
    expect(statSync(SCREENSHOT).size).toBeGreaterThan(20_000);
    process.stdout.write(`dashboard screenshot: ${SCREENSHOT}\n`);
  }, 90_000);
});

async function waitForAsync(condition: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error('timed out waiting for the demo replay');
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function waitFor(condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error('timed out waiting for the first forecast pass');
    await new Promise((r) => setTimeout(r, 50));
  }
}
