import type { Express } from 'express';

/** One registered express route: its path pattern (`/v1/plans/:pool`) and the methods it answers. */
export interface RegisteredRoute {
  /** The express path pattern, e.g. `/v1/plans/:pool`. */
  path: string;
  /** Upper-case methods the route answers (`GET`, `POST`), as registered (no implied `HEAD`). */
  methods: string[];
  /** True when a request path matches the pattern. */
  matches(path: string): boolean;
}

/** The parts of express 5's router layers this reads (express does not type them). */
interface Layer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
  match?(path: string): unknown;
  slash?: boolean;
}

/**
 * Every route registered on an app, in registration order, found by walking the router stack:
 * the one list both the 405 handler and the OpenAPI coverage test read, so neither keeps a
 * hand-written copy of the routes. Routers must be mounted at `/` (as `buildHttpApp` does):
 * a router mounted under a prefix is not walked.
 */
export function registeredRoutes(app: Express): RegisteredRoute[] {
  const root = (app as unknown as { router: { stack: Layer[] } }).router;
  const out: RegisteredRoute[] = [];
  const walk = (stack: readonly Layer[]): void => {
    for (const layer of stack) {
      if (layer.route) {
        const route = layer.route;
        const methods = Object.keys(route.methods).filter((m) => route.methods[m] && m !== '_all').map((m) => m.toUpperCase());
        // One route may answer several paths (`['/healthz', '/livez']`): one entry each.
        for (const path of Array.isArray(route.path) ? route.path : [route.path]) out.push({ path, methods, matches: (p) => Boolean(layer.match?.(p)) });
      } else if (layer.slash && layer.handle?.stack) {
        walk(layer.handle.stack);
      }
    }
  };
  walk(root.stack);
  return out;
}
