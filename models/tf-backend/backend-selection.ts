/**
 * Which TensorFlow.js backend trains models. Selection is pure: the caller injects the
 * loader that tries one backend, so the order and the error rules are testable without
 * the optional native packages.
 */

/** A backend that can run: native CUDA, native CPU (libtensorflow), WebAssembly, pure JS. */
export type TfBackend = 'gpu' | 'node' | 'wasm' | 'cpu';
/** What the config asks for: one backend, or `auto` = the fastest that loads. */
export type TfBackendRequest = 'auto' | TfBackend;

/** `auto` tries the fastest first; the pure-JS cpu backend always loads, so auto never fails. */
export const AUTO_ORDER: readonly TfBackend[] = ['gpu', 'node', 'wasm', 'cpu'];

/** Tries to load and activate one backend; resolves false or rejects when it is not available. */
export type BackendLoader = (backend: TfBackend) => Promise<boolean>;

export interface BackendSelection {
  /** The backend that is active now. */
  backend: TfBackend;
  /** Backends tried before it that did not load, with why (for the log). */
  skipped: { backend: TfBackend; reason: string }[];
}

/** An explicitly requested backend is missing: a clear error, never a silent fallback. */
export class BackendUnavailableError extends Error {
  readonly code = 'BACKEND_UNAVAILABLE';
  constructor(
    readonly backend: TfBackend,
    readonly reason: string,
  ) {
    super(`training.backend "${backend}" is not available: ${reason}${hint(backend)}`);
    this.name = 'BackendUnavailableError';
  }
}

function hint(backend: TfBackend): string {
  if (backend === 'gpu') return ' (install @tensorflow/tfjs-node-gpu with CUDA, or use training.backend: auto)';
  if (backend === 'node') return ' (install @tensorflow/tfjs-node, or use training.backend: auto)';
  return '';
}

/**
 * Activates the requested backend. `auto` walks {@link AUTO_ORDER} and takes the first that
 * loads; a named backend must load or the call fails with {@link BackendUnavailableError}
 * (an operator who asked for the GPU wants to know it is not there).
 */
export async function selectBackend(request: TfBackendRequest, load: BackendLoader): Promise<BackendSelection> {
  const candidates = request === 'auto' ? AUTO_ORDER : [request];
  const skipped: BackendSelection['skipped'] = [];
  for (const backend of candidates) {
    let reason = 'backend did not activate';
    try {
      if (await load(backend)) return { backend, skipped };
    } catch (err) {
      reason = (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? reason;
    }
    if (request !== 'auto') throw new BackendUnavailableError(backend, reason);
    skipped.push({ backend, reason });
  }
  throw new BackendUnavailableError(candidates[candidates.length - 1] as TfBackend, 'no backend loaded');
}
