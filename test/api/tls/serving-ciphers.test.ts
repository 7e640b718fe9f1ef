import { connect } from 'node:tls';
import { parseConfig } from '../../../src/config/load-config';
import { InProcessForecastRunner } from '../../../src/forecast/forecast-runner';
import { type RunningService, serve } from '../../../main/serve';
import { createLogger } from '../../../src/telemetry/logger';
import { tempDir } from '../../helpers/test-server';

/** What a real TLS client gets from the external metrics listener (:6443) when it offers only `ciphers`. */
function handshake(port: number, options: { ciphers?: string; maxVersion?: 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3'; minVersion?: 'TLSv1' | 'TLSv1.1' }): Promise<{ ok: true; cipher: string; protocol: string } | { ok: false; error: string }> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, servername: 'localhost', rejectUnauthorized: false, ...options }, () => {
      resolve({ ok: true, cipher: socket.getCipher().name, protocol: socket.getProtocol() ?? '' });
      socket.end();
    });
    socket.on('error', (err) => resolve({ ok: false, error: err.message }));
  });
}

describe('the external metrics HTTPS listener', () => {
  const dir = tempDir('tls-ciphers');
  let running: RunningService;
  let port = 0;
  beforeAll(async () => {
    const config = parseConfig({ server: { host: '127.0.0.1', port: 0 }, storage: { dataDir: dir.path }, externalMetrics: { host: '127.0.0.1', port: 0 } });
    running = await serve({ config, logger: createLogger({ level: 'silent' }), runner: new InProcessForecastRunner() });
    port = running.externalMetrics!.port;
  });
  afterAll(async () => {
    await running.stop();
    dir.remove();
  });

  it.each([
    ['RSA key exchange (no forward secrecy), CBC', 'AES128-SHA'],
    ['RSA key exchange, GCM', 'AES256-GCM-SHA384'],
    ['ECDHE with CBC', 'ECDHE-RSA-AES128-SHA'],
    ['ECDHE with CBC and SHA-384', 'ECDHE-RSA-AES256-SHA384'],
    ['finite-field DHE', 'DHE-RSA-AES128-GCM-SHA256'],
  ])('refuses a TLS 1.2 client that offers only %s (%s)', async (_what, ciphers) => {
    await expect(handshake(port, { ciphers, maxVersion: 'TLSv1.2' })).resolves.toMatchObject({ ok: false });
  });

  it('refuses TLS 1.1', async () => {
    await expect(handshake(port, { maxVersion: 'TLSv1.1', minVersion: 'TLSv1', ciphers: 'DEFAULT:@SECLEVEL=0' })).resolves.toMatchObject({ ok: false });
  });

  it.each(['ECDHE-RSA-AES128-GCM-SHA256', 'ECDHE-RSA-AES256-GCM-SHA384', 'ECDHE-RSA-CHACHA20-POLY1305'])('accepts TLS 1.2 with %s', async (ciphers) => {
    await expect(handshake(port, { ciphers, maxVersion: 'TLSv1.2' })).resolves.toEqual({ ok: true, cipher: ciphers, protocol: 'TLSv1.2' });
  });

  it('accepts TLS 1.3', async () => {
    await expect(handshake(port, {})).resolves.toMatchObject({ ok: true, protocol: 'TLSv1.3' });
  });
});
