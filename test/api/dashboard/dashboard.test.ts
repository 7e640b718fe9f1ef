import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pino from 'pino';
import { parseConfig } from '../../../src/config/load-config';
import { type RunningService, serve } from '../../../main/serve';

const run = promisify(execFile);
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/** The page as a person sees it: the real service on a socket, rendered by headless Chromium (Debian `chromium`). */
describe('dashboard page in headless Chromium', () => {
  let dir: string;
  let service: RunningService;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`headless Chromium not found at ${CHROMIUM}: install the Debian package "chromium" (.ci/run does)`);
    dir = mkdtempSync(join(tmpdir(), 'prescale-dashboard-'));
    const config = parseConfig({ server: { host: '127.0.0.1', port: 0 }, storage: { dataDir: dir }, demo: { enabled: true } });
    service = await serve({ config, logger: pino({ level: 'silent' }) });
    await waitFor(() => service.app.forecasts.isReady());
  });

  afterAll(async () => {
    await service?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function renderedDom(): Promise<string> {
    const { stdout } = await run(
      CHROMIUM,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        `--user-data-dir=${join(dir, 'chromium')}`,
        '--virtual-time-budget=5000',
        '--dump-dom',
        `http://127.0.0.1:${service.port}/`,
      ],
      { timeout: 30_000, maxBuffer: 16 * 1024 * 1024 },
    );
    return stdout;
  }

  it('lists the demo series as fresh and draws its history and forecast', async () => {
    const dom = await renderedDom();

    expect(dom).toContain('data-series="demo-generate-rps"');
    expect(dom).toMatch(/<span class="badge ok">fresh<\/span>/);
    expect(dom).toMatch(/ready · 1 series/);
    const forecast = /data-role="forecast"[^>]*points="([^"]+)"|points="([^"]+)"[^>]*data-role="forecast"/.exec(dom);
    const history = /points="([^"]+)"[^>]*data-role="history"|data-role="history"[^>]*points="([^"]+)"/.exec(dom);
    const forecastPoints = (forecast?.[1] ?? forecast?.[2] ?? '').trim().split(' ');
    const historyPoints = (history?.[1] ?? history?.[2] ?? '').trim().split(' ');
    expect(forecastPoints.length).toBeGreaterThan(30);
    expect(historyPoints.length).toBeGreaterThan(300);
  });

  it('is served with a content security policy that allows only its own script', async () => {
    const res = await fetch(`http://127.0.0.1:${service.port}/`);

    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(res.headers.get('content-security-policy')).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(res.headers.get('content-security-policy')).toContain("connect-src 'self'");
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error('timed out waiting for the first forecast pass');
    await new Promise((r) => setTimeout(r, 50));
  }
}
