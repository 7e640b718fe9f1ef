import { request } from 'node:https';
import { PrescaleError } from '../../src/errors/prescale-error';

/** Where and how to reach the Kubernetes API (in a pod: the service account's token and CA). */
export interface KubernetesApiAccess {
  /** Base URL, e.g. `https://kubernetes.default.svc`. */
  url: string;
  token: string;
  /** PEM CA bundle of the API server's certificate. */
  ca: string;
}

/** The request-header settings the kube-apiserver publishes. */
export interface RequestHeaderSettings {
  clientCA?: string;
  allowedNames?: string[];
  usernameHeaders?: string[];
  groupHeaders?: string[];
}

export const AUTHENTICATION_CONFIG_MAP_PATH = '/api/v1/namespaces/kube-system/configmaps/extension-apiserver-authentication';

/**
 * Reads `kube-system/extension-apiserver-authentication` (needs the
 * `extension-apiserver-authentication-reader` Role). Read once at start; a rotated front-proxy
 * CA needs a restart.
 * @throws {PrescaleError} UPSTREAM_UNAVAILABLE when the API does not answer 200.
 */
export function fetchRequestHeaderSettings(api: KubernetesApiAccess, timeoutMs = 10_000): Promise<RequestHeaderSettings> {
  return new Promise((resolve, reject) => {
    const url = new URL(AUTHENTICATION_CONFIG_MAP_PATH, api.url);
    const req = request(url, { ca: api.ca, headers: { Authorization: `Bearer ${api.token}`, Accept: 'application/json' }, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => {
        if (res.statusCode !== 200) {
          return reject(new PrescaleError('UPSTREAM_UNAVAILABLE', `reading ${AUTHENTICATION_CONFIG_MAP_PATH}: HTTP ${res.statusCode} ${messageOf(body)}`));
        }
        try {
          resolve(requestHeaderSettings((JSON.parse(body) as { data?: Record<string, string> }).data ?? {}));
        } catch (err) {
          reject(new PrescaleError('UPSTREAM_UNAVAILABLE', `reading ${AUTHENTICATION_CONFIG_MAP_PATH}: ${(err as Error).message}`));
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error(`no answer in ${timeoutMs} ms`)));
    req.on('error', (err) => reject(new PrescaleError('UPSTREAM_UNAVAILABLE', `reading ${AUTHENTICATION_CONFIG_MAP_PATH}: ${err.message}`)));
    req.end();
  });
}

/** The ConfigMap's `requestheader-*` keys (JSON arrays as strings), as `authentication_dynamic_request_header.go` reads them. Pure. */
export function requestHeaderSettings(data: Readonly<Record<string, string>>): RequestHeaderSettings {
  const list = (key: string): string[] | undefined => {
    const raw = data[key];
    if (raw === undefined || raw === '') return undefined;
    const parsed: unknown = JSON.parse(raw);
    if (!Array.isArray(parsed) || !parsed.every((v) => typeof v === 'string')) throw new Error(`${key} is not a JSON array of strings`);
    return parsed;
  };
  const settings: RequestHeaderSettings = {};
  const ca = data['requestheader-client-ca-file'];
  if (ca) settings.clientCA = ca;
  const allowed = list('requestheader-allowed-names');
  if (allowed) settings.allowedNames = allowed;
  const users = list('requestheader-username-headers');
  if (users) settings.usernameHeaders = users;
  const groups = list('requestheader-group-headers');
  if (groups) settings.groupHeaders = groups;
  return settings;
}

function messageOf(body: string): string {
  try {
    return (JSON.parse(body) as { message?: string }).message ?? '';
  } catch {
    return '';
  }
}
