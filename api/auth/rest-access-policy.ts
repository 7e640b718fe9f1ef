import { isIP } from 'node:net';
import { REST_ROLES, type RestRole } from '../../src/config/server-auth-schema';

/** Probes and scrapes stay open: kubelet and Prometheus send no token (as the generic apiserver's AlwaysAllowPaths). */
const OPEN_PATHS: ReadonlySet<string> = new Set(['/healthz', '/livez', '/readyz', '/metrics']);

/**
 * The role a REST request needs; null = open. Pushing samples needs `write`; training,
 * promoting and rolling back need `admin`; every other GET/HEAD needs `read`. Any other
 * method on any other path needs `admin`, so a route added later is closed until it is
 * listed here. Pure.
 */
export function requiredRole(method: string, path: string): RestRole | null {
  if (OPEN_PATHS.has(path)) return null;
  if (method === 'GET' || method === 'HEAD') return 'read';
  if (method === 'POST' && (/^\/v1\/series\/[^/]+\/samples\/?$/.test(path) || /^\/v1\/samples\/?$/.test(path))) return 'write';
  return 'admin';
}

/** True when `held` includes everything `needed` allows (roles are ordered read < write < admin). */
export function roleAllows(held: RestRole, needed: RestRole): boolean {
  return REST_ROLES.indexOf(held) >= REST_ROLES.indexOf(needed);
}

/** The larger of two roles (null = none). */
export function largerRole(a: RestRole | null, b: RestRole | null): RestRole | null {
  if (a === null) return b;
  if (b === null) return a;
  return roleAllows(a, b) ? a : b;
}

/** Whether a listen address only accepts connections from this host (127.0.0.0/8, ::1, localhost). */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h === '::1') return true;
  const v4 = h.startsWith('::ffff:') ? h.slice(7) : h;
  return isIP(v4) === 4 && v4.startsWith('127.');
}
