import { Writable } from 'node:stream';
import { type PrescaleApp, buildApp } from '../../../main/app';
import { parseConfig } from '../../../src/config/load-config';
import { createLogger } from '../../../src/telemetry/logger';
import { isLoopbackHost, requiredRole } from '../../../api/auth/rest-access-policy';
import { recentSamples, tempDir } from '../../helpers/test-server';
import type { Server } from 'node:http';

/** Without server.auth, a listener on a non-loopback address refuses every state change. */
describe('no server.auth on a non-loopback address', () => {
  const dir = tempDir('loopback-writes');
  const lines: string[] = [];
  let app: PrescaleApp;
  let server: Server;
  let url = '';

  beforeAll(async () => {
    const config = parseConfig({ server: { host: '0.0.0.0', port: 0 }, storage: { dataDir: dir.path }, series: [{ name: 'api-rps', step: '1m' }] });
    const destination = new Writable({ write: (chunk, _enc, cb) => (lines.push(String(chunk)), cb()) });
    app = buildApp({ config, logger: createLogger({ destination }) });
    server = app.http.listen(0, '0.0.0.0');
    await new Promise((r) => server.once('listening', r));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    await app.close();
    dir.remove();
  });

  it('answers a push with 403 and a body that says how to configure auth, and stores nothing', async () => {
    const res = await fetch(`${url}/v1/series/api-rps/samples`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(recentSamples(5)) });
    expect(res.status).toBe(403);
    const body = (await res.json()) as { code: string; requiredRole: string; detail: string };
    expect(body).toMatchObject({ code: 'FORBIDDEN', requiredRole: 'write' });
    expect(body.detail).toMatch(/configure server\.auth/);
    expect(app.forecasts.history('api-rps', { defaultSpanMs: 86_400_000 })).toHaveLength(0);
  });

  it.each(['train', 'promote', 'rollback'])('answers POST /v1/models/…/%s with 403 (admin)', async (action) => {
    const res = await fetch(`${url}/v1/models/api-rps/${action}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ requiredRole: 'admin' });
  });

  it('keeps reads and probes open', async () => {
    expect((await fetch(`${url}/v1/series`)).status).toBe(200);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
  });

  it('says so in the start-up log', () => {
    expect(lines.join('')).toMatch(/server\.auth is not configured and the HTTP API listens on a non-loopback address/);
  });
});

describe('the REST access policy', () => {
  it.each([
    ['GET', '/healthz', null],
    ['GET', '/metrics', null],
    ['GET', '/readyz', null],
    ['GET', '/v1/forecasts/x', 'read'],
    ['GET', '/', 'read'],
    ['POST', '/v1/series/x/samples', 'write'],
    ['POST', '/v1/models/x/train', 'admin'],
    ['POST', '/v1/models/x/promote', 'admin'],
    ['DELETE', '/v1/series/x', 'admin'],
    ['POST', '/healthz/../v1/models/x/train', 'admin'],
  ])('%s %s needs %s', (method, path, role) => {
    expect(requiredRole(method, path)).toBe(role);
  });

  it.each([
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['::1', true],
    ['[::1]', true],
    ['localhost', true],
    ['::ffff:127.0.0.1', true],
    ['0.0.0.0', false],
    ['::', false],
    ['10.0.0.5', false],
  ])('%s is loopback: %s', (host, loopback) => {
    expect(isLoopbackHost(host)).toBe(loopback);
  });
});
