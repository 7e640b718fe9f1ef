import { AUTO_ORDER, BackendUnavailableError, type TfBackend, selectBackend } from '../../../models/tf-backend/backend-selection';
import { tfjsBackendLoader } from '../../../models/tf-backend/tfjs-backend-loader';

/** A loader where only `available` backends load; the others throw like a missing package does. */
function fakeLoader(available: readonly TfBackend[]): { load: (b: TfBackend) => Promise<boolean>; tried: TfBackend[] } {
  const tried: TfBackend[] = [];
  return {
    tried,
    load: async (b) => {
      tried.push(b);
      if (!available.includes(b)) throw new Error(`Cannot find module '@tensorflow/tfjs-${b}'\nRequire stack: …`);
      return true;
    },
  };
}

describe('selectBackend', () => {
  it('auto takes the GPU first when it loads', async () => {
    const loader = fakeLoader(['gpu', 'node', 'wasm', 'cpu']);

    const selection = await selectBackend('auto', loader.load);

    expect(selection).toEqual({ backend: 'gpu', skipped: [] });
    expect(loader.tried).toEqual(['gpu']);
  });

  it('auto walks gpu → node → wasm → cpu and reports why each skipped one did not load', async () => {
    const loader = fakeLoader(['wasm', 'cpu']);

    const selection = await selectBackend('auto', loader.load);

    expect(selection.backend).toBe('wasm');
    expect(loader.tried).toEqual(['gpu', 'node', 'wasm']);
    expect(selection.skipped.map((s) => s.backend)).toEqual(['gpu', 'node']);
    expect(selection.skipped[0]!.reason).toBe("Cannot find module '@tensorflow/tfjs-gpu'");
  });

  it('auto falls back to the pure-JS cpu backend when nothing else loads', async () => {
    const selection = await selectBackend('auto', fakeLoader(['cpu']).load);

    expect(selection.backend).toBe('cpu');
    expect(AUTO_ORDER[AUTO_ORDER.length - 1]).toBe('cpu');
  });

  it('a requested backend that is missing is a clear error, not a silent fallback', async () => {
    const loader = fakeLoader(['wasm', 'cpu']);

    const attempt = selectBackend('gpu', loader.load);

    await expect(attempt).rejects.toBeInstanceOf(BackendUnavailableError);
    await expect(attempt).rejects.toThrow(/training\.backend "gpu" is not available.*tfjs-node-gpu/);
    expect(loader.tried).toEqual(['gpu']);
  });

  it('a backend whose activation returns false counts as unavailable', async () => {
    await expect(selectBackend('node', async () => false)).rejects.toThrow('training.backend "node" is not available: backend did not activate');
  });
});

describe('the real tfjs loader on this machine', () => {
  it('cannot load the optional native GPU package, and says so', async () => {
    await expect(selectBackend('gpu', tfjsBackendLoader)).rejects.toBeInstanceOf(BackendUnavailableError);
  });

  it('activates the WebAssembly backend from the installed package', async () => {
    const selection = await selectBackend('wasm', tfjsBackendLoader);

    expect(selection.backend).toBe('wasm');
    const tf = await import('@tensorflow/tfjs');
    expect(tf.getBackend()).toBe('wasm');
  });
});
