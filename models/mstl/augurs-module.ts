// eslint-disable-next-line no-restricted-imports -- reading the model's own WebAssembly code is loading code, like require, not data I/O
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The grafana/augurs MSTL bindings (WebAssembly). */
export type AugursMstlModule = typeof import('@bsull/augurs/mstl', { with: { 'resolution-mode': 'import' } });

let loaded: AugursMstlModule | null = null;

/**
 * Loads augurs' MSTL module once, synchronously, so that a fitted model rebuilt from its
 * artifact can predict without an async step. The package is ESM-only; Node ≥ 20.19 (the
 * `engines` floor) can `require` it, and `initSync` compiles the wasm beside its entry file
 * (the package exports no package.json to resolve it from).
 */
export function augursMstl(): AugursMstlModule {
  if (loaded) return loaded;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- require(esm) keeps loading synchronous
  const mod = require('@bsull/augurs/mstl') as AugursMstlModule;
  mod.initSync({ module: readFileSync(join(dirname(require.resolve('@bsull/augurs/mstl')), 'mstl_bg.wasm')) });
  loaded = mod;
  return mod;
}
