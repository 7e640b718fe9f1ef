import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { RunningService } from '../../../main/serve';
import { parseConfig } from '../../../src/config/load-config';
import { serve } from '../../../main/serve';
import { createLogger } from '../../../src/telemetry/logger';
import { FakeKubeApiServer } from '../../helpers/fake-kube-apiserver';
import { recentSamples, tempDir } from '../../helpers/test-server';

const TOKENS = { reader: 'r'.repeat(40), pusher: 'p'.repeat(40), operator: 'o'.repeat(40) };
const SELF = 'prescale-own-service-account-token';

/**
 * `server.auth` over real HTTP: static tokens and ServiceAccount tokens checked by TokenReview
 * against the in-test API server (test/helpers/fake-kube-apiserver.ts), which answers TokenReview by
 * the real API's rules: caller authenticated and allowed to create tokenreviews, 201 with
 * `status.authenticated`, audiences intersected (see answerTokenReview).
 */
describe('REST API with server.auth', () => {
  const dir = tempDir('rest-auth');
  const kube = new FakeKubeApiServer();
  const lines: string[] = [];
  let svc: RunningService;
  let url = '';

  beforeAll(async () => {
    await kube.start();
    kube.tokens.addServiceAccountToken(SELF, 'prescale', 'prescale', { canReviewTokens: true });
    kube.tokens.addServiceAccountToken('sa-pusher-token', 'ml', 'pusher');
    kube.tokens.addServiceAccountToken('sa-ops-token', 'ops', 'anyone');
    kube.tokens.addServiceAccountToken('sa-stranger-token', 'web', 'frontend');
    kube.tokens.addServiceAccountToken('sa-wrong-audience', 'ml', 'pusher', { audiences: ['vault'] });
    for (const [name, token] of Object.entries(TOKENS)) writeFileSync(join(dir.path, name), `${token}\n`);
    writeFileSync(join(dir.path, 'sa-token'), SELF);
    const config = parseConfig({
      server: {
        host: '127.0.0.1',
        port: 0,
        auth: {
          tokens: [
            { name: 'reader', tokenFile: join(dir.path, 'reader'), role: 'read' },
            { name: 'pusher', tokenFile: join(dir.path, 'pusher'), role: 'write' },
            { name: 'operator', tokenFile: join(dir.path, 'operator'), role: 'admin' },
          ],
          kubernetes: { tokenReview: true, roles: { 'system:serviceaccount:ml:pusher': 'write', 'system:serviceaccounts:ops': 'admin' } },
        },
      },
      storage: { dataDir: join(dir.path, 'data') },
      forecast: { refreshDebounce: 0.05 },
      series: [{ name: 'api-rps', step: '1m', horizon: '30m' }],
    });
    const destination = new Writable({ write: (chunk, _enc, cb) => (lines.push(String(chunk)), cb()) });
    svc = await serve({ config, logger: createLogger({ destination }), kubernetesApi: { url: kube.url, tokenFile: join(dir.path, 'sa-token') } });
    url = `http://127.0.0.1:${svc.port}`;
  });

  afterAll(async () => {
    await svc.stop();
    await kube.close();
    dir.remove();
  });

  const call = (method: string, path: string, token?: string) =>
    fetch(`${url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      ...(method === 'POST' ? { body: path.endsWith('/samples') ? JSON.stringify(recentSamples(5)) : '{}' } : {}),
    });
  const push = (token?: string) => call('POST', '/v1/series/api-rps/samples', token);

  it('answers a push without a token with 401, WWW-Authenticate and problem+json, and stores nothing', async () => {
    const res = await push();
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(await res.json()).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    expect(((await (await call('GET', '/v1/series/api-rps/samples', TOKENS.reader)).json()) as { samples: unknown[] }).samples).toHaveLength(0);
  });

  it.each([
    ['a wrong token', 'x'.repeat(40)],
    ['a prefix of a valid token', TOKENS.pusher.slice(0, 39)],
    ['a valid token with a character more', `${TOKENS.pusher}p`],
  ])('answers %s with 401', async (_what, token) => {
    expect((await push(token)).status).toBe(401);
  });

  it('keeps /healthz, /livez, /readyz and /metrics open', async () => {
    for (const path of ['/healthz', '/livez', '/metrics']) expect((await call('GET', path)).status).toBe(200);
    expect([200, 503]).toContain((await call('GET', '/readyz')).status);
  });

  it('lets read read, and refuses its push with 403 naming the role needed', async () => {
    expect((await call('GET', '/v1/series', TOKENS.reader)).status).toBe(200);
    expect((await call('GET', '/v1/status')).status).toBe(401);
    const res = await push(TOKENS.reader);
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    const body = (await res.json()) as { code: string; requiredRole: string; detail: string };
    expect(body).toMatchObject({ status: 403, code: 'FORBIDDEN', requiredRole: 'write' });
    expect(body.detail).toMatch(/needs role write/);
  });

  it('asks the same write role for a many-series push (POST /v1/samples)', async () => {
    const batch = (token?: string) =>
      fetch(`${url}/v1/samples`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ series: [{ name: 'api-rps', samples: recentSamples(2) }] }),
      });
    expect((await batch()).status).toBe(401);
    expect(await (await batch(TOKENS.reader)).json()).toMatchObject({ status: 403, requiredRole: 'write' });
    expect((await batch(TOKENS.pusher)).status).toBe(200);
  });

  it('lets write push, and refuses training, promotion and rollback (admin)', async () => {
    expect((await push(TOKENS.pusher)).status).toBeLessThan(300);
    for (const action of ['train', 'promote', 'rollback']) {
      const res = await call('POST', `/v1/models/api-rps/${action}`, TOKENS.pusher);
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({ requiredRole: 'admin' });
    }
  });

  it('lets admin past the guard to the model routes', async () => {
    const res = await call('POST', '/v1/models/api-rps/rollback', TOKENS.operator);
    expect([401, 403]).not.toContain(res.status);
  });

  it('accepts a ServiceAccount token by TokenReview with the role of its username, and caches the answer', async () => {
    const before = kube.tokenReviews();
    expect((await push('sa-pusher-token')).status).toBeLessThan(300);
    expect((await push('sa-pusher-token')).status).toBeLessThan(300);
    expect(kube.tokenReviews() - before).toBe(1);
    expect((await call('POST', '/v1/models/api-rps/train', 'sa-pusher-token')).status).toBe(403);
  });

  it('gives a ServiceAccount the role of its group', async () => {
    const res = await call('POST', '/v1/models/api-rps/rollback', 'sa-ops-token');
    expect([401, 403]).not.toContain(res.status);
  });

  it('answers 403 for a ServiceAccount the roles do not name, and 401 for a token the cluster does not know or that is for another audience', async () => {
    const stranger = await push('sa-stranger-token');
    expect(stranger.status).toBe(403);
    expect(((await stranger.json()) as { detail: string }).detail).toMatch(/system:serviceaccount:web:frontend holds no role/);
    expect((await push('not-a-cluster-token')).status).toBe(401);
    expect((await push('sa-wrong-audience')).status).toBe(401);
  });

  it('logs that authentication is on, naming tokens but never their contents', () => {
    const log = lines.join('');
    expect(log).toMatch(/REST API authentication on/);
    for (const token of Object.values(TOKENS)) expect(log).not.toContain(token);
  });
});

describe('TokenReview when Prescale may not create tokenreviews', () => {
  it('answers 503 (the check could not run) rather than letting the request through', async () => {
    const dir = tempDir('rest-auth-denied');
    const kube = await new FakeKubeApiServer().start();
    kube.tokens.addServiceAccountToken(SELF, 'prescale', 'prescale'); // no system:auth-delegator
    kube.tokens.addServiceAccountToken('sa-pusher-token', 'ml', 'pusher');
    writeFileSync(join(dir.path, 'sa-token'), SELF);
    const config = parseConfig({
      server: { host: '127.0.0.1', port: 0, auth: { kubernetes: { tokenReview: true, roles: { 'system:serviceaccount:ml:pusher': 'write' } } } },
      storage: { dataDir: join(dir.path, 'data') },
      series: [{ name: 'api-rps', step: '1m' }],
    });
    const svc = await serve({ config, logger: createLogger({ level: 'silent' }), kubernetesApi: { url: kube.url, tokenFile: join(dir.path, 'sa-token') } });
    try {
      const res = await fetch(`http://127.0.0.1:${svc.port}/v1/series`, { headers: { authorization: 'Bearer sa-pusher-token' } });
      expect(res.status).toBe(503);
      expect(((await res.json()) as { detail: string }).detail).toMatch(/TokenReview: HTTP 403/);
    } finally {
      await svc.stop();
      await kube.close();
      dir.remove();
    }
  });
});
