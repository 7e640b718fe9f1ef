import type { Express } from 'express';
import { type CoreDeps, type CoreServices, buildCoreServices } from './core-services';
import { buildServiceHttpApp } from './http-app';

export type AppDeps = CoreDeps;

/** The wired service: the core services plus the HTTP handler. `listen()` is the caller's (see `serve.ts`). */
export interface PrescaleApp extends CoreServices {
  http: Express;
}

/** The composition root: builds the core services from the config, then the HTTP app over them. */
export function buildApp(deps: AppDeps): PrescaleApp {
  const core = buildCoreServices(deps);
  return { ...core, http: buildServiceHttpApp(core, deps.logger) };
}
