import type { Express } from 'express';
import { type CoreDeps, type CoreServices, buildCoreServices } from './core-services';
import { type ServiceHttpOptions, buildServiceHttpApp } from './http-app';

export type AppDeps = CoreDeps & ServiceHttpOptions;

/** The wired service: the core services plus the HTTP handler. `listen()` is the caller's (see `serve.ts`). */
export interface PrescaleApp extends CoreServices {
  http: Express;
}

/** The composition root: builds the core services from the config, then the HTTP app over them. */
export function buildApp(deps: AppDeps): PrescaleApp {
  const core = buildCoreServices(deps);
  try {
    return { ...core, http: buildServiceHttpApp(core, deps.logger, deps) };
  } catch (err) {
    // A bad server.auth token file: close the store and workers already opened, so the process can exit.
    void core.close();
    throw err;
  }
}
