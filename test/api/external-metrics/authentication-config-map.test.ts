import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { type Server, createServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AUTHENTICATION_CONFIG_MAP_PATH, fetchRequestHeaderSettings, requestHeaderSettings } from '../../../api/external-metrics/authentication-config-map';
import { parseConfig } from '../../../src/config/load-config';
import { InProcessForecastRunner } from '../../../src/forecast/forecast-runner';
import { serve } from '../../../main/serve';
import { createLogger } from '../../../src/telemetry/logger';
import { httpsRequest } from '../../helpers/https-get';
import { TestPki } from '../../helpers/pki';

/**
 * kube-apiserver cannot run here, so this in-test HTTPS server follows its rules for the one
 * call Prescale makes: a ConfigMap GET that needs the service-account bearer token (401 Status
 * otherwise) and answers 404 Status for other objects.
 */
describe('request-header settings from kube-system/extension-apiserver-authentication', () => {
  const apiPki = new TestPki('kube-apiserver-ca');
  const frontProxyPki = new TestPki('front-proxy-ca');
  const token = 'service-account-token';
  const data = {
    'client-ca-file': new TestPki('cluster-ca').ca.cert,
    'requestheader-client-ca-file': frontProxyPki.ca.cert,
    'requestheader-allowed-names': '["front-proxy-client"]',
    'requestheader-username-headers': '["X-Remote-User"]',
    'requestheader-group-headers': '["X-Remote-Group"]',
    'requestheader-extra-headers-prefix': '["X-Remote-Extra-"]',
  };
  let api: Server;
  let url: string;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'prescale-cm-'));
    const serving = apiPki.leaf({ commonName: 'kubernetes', usage: 'server', altNames: ['localhost', '127.0.0.1'] });
    api = createServer({ cert: serving.cert, key: serving.key }, (req, res) => {
      const send = (code: number, body: object) => {
        res.writeHead(code, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.headers.authorization !== `Bearer ${token}`) return send(401, { kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 });
      if (req.url !== AUTHENTICATION_CONFIG_MAP_PATH) return send(404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'not found', reason: 'NotFound', code: 404 });
      send(200, { kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'extension-apiserver-authentication', namespace: 'kube-system' }, data });
    });
    await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
    url = `https://localhost:${(api.address() as { port: number }).port}`;
    writeFileSync(join(dir, 'token'), token);
    writeFileSync(join(dir, 'ca.crt'), apiPki.ca.cert);
  });
  afterAll(async () => {
    await new Promise((resolve) => api.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('parses the requestheader-* keys (JSON arrays in strings)', () => {
    expect(requestHeaderSettings(data)).toEqual({
      clientCA: frontProxyPki.ca.cert,
      allowedNames: ['front-proxy-client'],
      usernameHeaders: ['X-Remote-User'],
      groupHeaders: ['X-Remote-Group'],
    });
  });

  it('a wrong token gets UPSTREAM_UNAVAILABLE with the API message', async () => {
    await expect(fetchRequestHeaderSettings({ url, token: 'wrong', ca: apiPki.ca.cert })).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', message: expect.stringContaining('HTTP 401 Unauthorized') });
  });

  it('serve() with fromCluster trusts the front-proxy certificate of the published CA', async () => {
    const config = parseConfig({
      server: { host: '127.0.0.1', port: 0 },
      storage: { dataDir: dir },
      externalMetrics: { host: '127.0.0.1', port: 0, requestHeader: { fromCluster: true } },
    });
    const running = await serve({
      config,
      logger: createLogger({ level: 'silent' }),
      runner: new InProcessForecastRunner(),
      kubernetesApi: { url, tokenFile: join(dir, 'token'), caFile: join(dir, 'ca.crt') },
    });
    try {
      const proxy = frontProxyPki.leaf({ commonName: 'front-proxy-client', usage: 'client' });
      const port = running.externalMetrics!.port;
      // Self-signed serving certificate here, so the client skips verification (as an APIService with insecureSkipTLSVerify does).
      const ok = await httpsRequest(port, '/apis/external.metrics.k8s.io/v1beta1', { ca: '', ...proxy, insecure: true, headers: { 'X-Remote-User': 'system:kube-aggregator' } });
      expect(ok.status).toBe(200);
      const wrongName = frontProxyPki.leaf({ commonName: 'not-allowed', usage: 'client' });
      const refused = await httpsRequest(port, '/apis', { ca: '', ...wrongName, insecure: true, headers: { 'X-Remote-User': 'system:kube-aggregator' } });
      expect(refused.status).toBe(401);
    } finally {
      await running.stop();
    }
  });
});
