import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestPki } from '../../test/helpers/pki';

/** The serving certificate files a benchmarked service starts with, and the front-proxy client the bench calls it as. */
export interface PkiFiles {
  files: { certFile: string; keyFile: string; caFile: string };
  client: { cert: string; key: string };
  /** The temporary folder of the files; the bench removes it. */
  dir: string;
}

/**
 * Certificates as an aggregated API server has them: a serving certificate for localhost and
 * the front-proxy CA (`requestheader-client-ca-file`) that signs the client the kube-apiserver
 * calls it with, written to a temporary folder. Made in the run, as in the tests.
 */
export function makeServingPki(): PkiFiles {
  const dir = mkdtempSync(join(tmpdir(), 'prescale-bench-pki-'));
  const serving = new TestPki('serving-ca').leaf({ commonName: 'localhost', usage: 'server', altNames: ['localhost', '127.0.0.1'] });
  const frontProxy = new TestPki('front-proxy-ca');
  const client = frontProxy.leaf({ commonName: 'front-proxy-client', usage: 'client' });
  const files = { certFile: join(dir, 'tls.crt'), keyFile: join(dir, 'tls.key'), caFile: join(dir, 'ca.crt') };
  writeFileSync(files.certFile, serving.cert);
  writeFileSync(files.keyFile, serving.key);
  writeFileSync(files.caFile, frontProxy.ca.cert);
  return { files, client, dir };
}
