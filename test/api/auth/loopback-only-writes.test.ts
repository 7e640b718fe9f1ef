import { Writable } from 'node:stream';
import { type PrescaleApp, buildApp } from '../../../main/app';
import { parseConfig } from '../../../src/config/load-config';
import { createLogger } from '../../../src/telemetry/logger';
import { isLoopbackHost, requiredRole } from '../../../api/auth/rest-access-policy';
import { loopbackOnlyWrites } from '../../../api/auth/rest-auth-middleware';
import { recentSamples, tempDir } from '../../helpers/test-server';
import type { Server } from 'node:http';

/** Without server.auth, a listener on a non-loopback address accepts state changes from this host only. */
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

  it('lets a process on this host push (its peer address is loopback)', async () => {
    const res = await fetch(`${url}/v1/series/api-rps/samples`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(recentSamples(5)) });
    expect(res.status).toBe(200);
    expect(await app.forecasts.history('api-rps', { defaultSpanMs: 86_400_000 })).toHaveLength(5);
  });

  it('keeps reads and probes open', async () => {
    expect((await fetch(`${url}/v1/series`)).status).toBe(200);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
  });

  it('says so in the start-up log', () => {
    expect(lines.join('')).toMatch(/server\.auth is not configured and the HTTP API listens on a non-loopback address: .* from other hosts will be refused/);
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

/**
 * A peer on another host cannot be produced here (tests may only reach loopback), so the
 * guard is driven directly with the request a socket from 10.0.0.5 would give it.
 */
describe('loopbackOnlyWrites for a peer on another host', () => {
  function call(method: string, path: string, remoteAddress: string): { next: boolean; status?: number; body?: Record<string, unknown> } {
    const out: { next: boolean; status?: number; body?: Record<string, unknown> } = { next: false };
    const res = {
      status(code: number) {
        out.status = code;
        return this;
      },
      type() {
        return this;
      },
      send(text: string) {
        out.body = JSON.parse(text) as Record<string, unknown>;
        return this;
      },
    };
    const req = { method, path, socket: { remoteAddress } };
    loopbackOnlyWrites()(req as never, res as never, () => (out.next = true));
    return out;
  }

  it.each([
    ['POST', '/v1/series/api-rps/samples', 'write'],
    ['POST', '/v1/models/api-rps/train', 'admin'],
    ['POST', '/v1/models/api-rps/promote', 'admin'],
    ['POST', '/v1/models/api-rps/rollback', 'admin'],
  ])('answers %s %s with 403 naming role %s and how to configure auth', (method, path, role) => {
    const out = call(method, path, '10.0.0.5');
    expect(out.next).toBe(false);
    expect(out.status).toBe(403);
    expect(out.body).toMatchObject({ code: 'FORBIDDEN', requiredRole: role });
    expect(String(out.body?.['detail'])).toMatch(/configure server\.auth/);
  });

  it.each(['127.0.0.1', '::1', '::ffff:127.0.0.1'])('passes a push from loopback peer %s', (peer) => {
    expect(call('POST', '/v1/series/api-rps/samples', peer).next).toBe(true);
  });

  it('passes reads from anywhere', () => {
    expect(call('GET', '/v1/series', '10.0.0.5').next).toBe(true);
  });
});
