import * as tf from '@tensorflow/tfjs';
import { type BackendLoader, type BackendSelection, type TfBackend, type TfBackendRequest, selectBackend } from './backend-selection';

/** The tfjs backend name each of our backends registers under. */
const TF_NAME: Readonly<Record<TfBackend, string>> = { gpu: 'tensorflow', node: 'tensorflow', wasm: 'wasm', cpu: 'cpu' };

/**
 * The real loader. The native packages are optional peer dependencies that cannot install
 * everywhere, so they are `require`d at run time inside try/catch; loading one registers
 * its backend with the shared tfjs-core.
 */
export const tfjsBackendLoader: BackendLoader = async (backend) => {
  // PROD skips debug checks and the console banner advertising tfjs-node; we log the backend ourselves.
  tf.env().set('PROD', true);
  /* eslint-disable @typescript-eslint/no-require-imports -- optional packages, loaded only when asked for */
  if (backend === 'gpu') require('@tensorflow/tfjs-node-gpu');
  if (backend === 'node') require('@tensorflow/tfjs-node');
  if (backend === 'wasm') {
    const wasm = require('@tensorflow/tfjs-backend-wasm') as typeof import('@tensorflow/tfjs-backend-wasm');
    /* eslint-enable @typescript-eslint/no-require-imports */
    // The .wasm binaries sit next to the package's JS; tell the loader where (node has no page URL).
    const dist = require.resolve('@tensorflow/tfjs-backend-wasm/package.json').replace(/package\.json$/, 'dist/');
    wasm.setWasmPaths(dist);
  }
  const ok = await tf.setBackend(TF_NAME[backend]);
  if (ok) await tf.ready();
  return ok && tf.getBackend() === TF_NAME[backend];
};

let active: Promise<BackendSelection> | null = null;
let activeRequest: TfBackendRequest | null = null;

/**
 * Activates a backend once per thread (tfjs keeps one global engine per thread); later
 * calls with the same request reuse it.
 */
export function useTfBackend(request: TfBackendRequest, loader: BackendLoader = tfjsBackendLoader): Promise<BackendSelection> {
  if (active && activeRequest === request) return active;
  activeRequest = request;
  active = selectBackend(request, loader);
  active.catch(() => {
    active = null;
    activeRequest = null;
  });
  return active;
}
