import { Writable } from 'node:stream';
import { parseConfig } from '../../../src/config/load-config';
import { InProcessForecastRunner } from '../../../src/forecast/forecast-runner';
import { type RunningService, serve } from '../../../main/serve';
import { createLogger } from '../../../src/telemetry/logger';
import { freePort, tempDir, waitFor } from '../../helpers/test-server';

/** A source URL with credentials (userinfo and a token parameter) pointing at a port nobody listens on. */
describe('a source URL with credentials', () => {
  const dir = tempDir('source-redaction');
  const lines: string[] = [];
  let running: RunningService;
  let url = '';

  beforeAll(async () => {
    const dead = await freePort();
    const config = parseConfig({
      server: { host: '127.0.0.1', port: 0 },
      storage: { dataDir: dir.path },
      series: [
        {
          name: 'db-qps',
          step: '1m',
          source: { prometheus: { url: `http://scraper:s3cr3t-pw@127.0.0.1:${dead}/prom?access_token=t0k3n-value`, query: 'sum(up)', retries: 0, timeout: '2s' } },
        },
      ],
    });
    const destination = new Writable({ write: (chunk, _enc, cb) => (lines.push(String(chunk)), cb()) });
    running = await serve({ config, logger: createLogger({ destination }), runner: new InProcessForecastRunner() });
    url = `http://127.0.0.1:${running.port}`;
    await waitFor(async () => {
      const body = (await (await fetch(`${url}/v1/status`)).json()) as { sources: Array<{ lastError: string | null }> };
      return body.sources[0]?.lastError ? true : undefined;
    }, 20_000, 'the first failed pull');
  });
  afterAll(async () => {
    await running.stop();
    dir.remove();
  });

  it.each(['/readyz', '/v1/status'])('shows no credential in %s, but still says which source it is', async (path) => {
    const text = await (await fetch(`${url}${path}`)).text();
    expect(text).not.toMatch(/s3cr3t-pw|t0k3n-value|scraper:/);
    expect(text).toContain('/prom?access_token=<redacted>');
    expect(text).toContain('sum(up)');
  });

  it('logs no credential', () => {
    const log = lines.join('');
    expect(log).toMatch(/pull from the source failed/);
    expect(log).not.toMatch(/s3cr3t-pw|t0k3n-value/);
  });
});
