import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { connect as tlsConnect } from 'node:tls';
import { parseConfig } from '../../src/config/load-config';
import { InProcessForecastRunner } from '../../src/forecast/forecast-runner';
import { serve } from '../../main/serve';
import { createLogger } from '../../src/telemetry/logger';
import { canConnect } from '../helpers/test-server';

describe('serve() with externalMetrics and keda configured', () => {
  it('generates a self-signed serving certificate when none is configured, says so in the log, and stops every listener', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'prescale-serve-'));
    const lines: string[] = [];
    const destination = new Writable({ write: (chunk, _enc, cb) => (lines.push(String(chunk)), cb()) });
    const config = parseConfig({
      server: { host: '127.0.0.1', port: 0 },
      storage: { dataDir: dir },
      externalMetrics: { host: '127.0.0.1', port: 0 },
      keda: { host: '127.0.0.1', grpcPort: 0 },
    });
    const running = await serve({ config, logger: createLogger({ destination }), runner: new InProcessForecastRunner() });
    try {
      const emPort = running.externalMetrics!.port;
      const peer = await new Promise<Buffer>((resolve, reject) => {
        const socket = tlsConnect({ host: '127.0.0.1', port: emPort, rejectUnauthorized: false, servername: 'localhost' }, () => {
          resolve(socket.getPeerCertificate().raw);
          socket.end();
        });
        socket.on('error', reject);
      });
      const cert = new X509Certificate(peer);
      expect(cert.subjectAltName).toContain('DNS:localhost');
      expect(cert.issuer).toBe(cert.subject);
      expect(cert.verify(cert.publicKey)).toBe(true);
      expect(lines.join('')).toMatch(/self-signed/);
      expect(lines.join('')).toMatch(/every API request will get 401/);
    } finally {
      await running.stop();
      rmSync(dir, { recursive: true, force: true });
    }
    for (const port of [running.port, running.externalMetrics!.port, running.keda!.port]) {
      await expect(canConnect(port)).resolves.toBe(false);
    }
  });
});

