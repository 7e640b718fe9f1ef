import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';

/** A PEM certificate and its key. */
export interface Issued {
  cert: string;
  key: string;
}

/**
 * A small PKI made in the test (no fixtures on disk): a CA, and leaves it signs. Keys come
 * from Node's crypto; node-forge writes the X.509 structures.
 */
export class TestPki {
  readonly ca: Issued;

  constructor(readonly name = 'test-ca') {
    this.ca = issue({ commonName: name, ca: true });
  }

  /** A leaf signed by this CA. */
  leaf(options: { commonName: string; usage: 'server' | 'client'; altNames?: string[]; notAfter?: Date; organization?: string }): Issued {
    return issue({ ...options, ca: false, issuer: this.ca });
  }
}

function issue(options: {
  commonName: string;
  ca: boolean;
  usage?: 'server' | 'client';
  altNames?: string[];
  issuer?: Issued;
  notAfter?: Date;
  organization?: string;
}): Issued {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 }) // small keys: tests make several; OpenSSL's default security level accepts 1024;
  const keyPem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  cert.serialNumber = `01${randomBytes(8).toString('hex')}`;
  cert.validity.notBefore = new Date(Date.now() - 3_600_000);
  cert.validity.notAfter = options.notAfter ?? new Date(Date.now() + 86_400_000);
  const subject = [
    { name: 'commonName', value: options.commonName },
    ...(options.organization ? [{ name: 'organizationName', value: options.organization }] : []),
  ];
  cert.setSubject(subject);
  const extensions: object[] = [{ name: 'basicConstraints', cA: options.ca }];
  if (options.ca) extensions.push({ name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true });
  else {
    extensions.push({ name: 'keyUsage', digitalSignature: true, keyEncipherment: true });
    extensions.push({ name: 'extKeyUsage', serverAuth: options.usage === 'server', clientAuth: options.usage === 'client' });
  }
  if (options.altNames) {
    extensions.push({ name: 'subjectAltName', altNames: options.altNames.map((n) => (/^[0-9.]+$/.test(n) ? { type: 7, ip: n } : { type: 2, value: n })) });
  }
  cert.setExtensions(extensions);
  const signer = options.issuer ?? { cert: '', key: keyPem };
  cert.setIssuer(options.issuer ? forge.pki.certificateFromPem(options.issuer.cert).subject.attributes : subject);
  cert.sign(forge.pki.privateKeyFromPem(signer.key), forge.md.sha256.create());
  return { cert: forge.pki.certificateToPem(cert), key: keyPem };
}
