import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { LstmForecaster } from '../../../models/lstm/lstm';
import { writeDirAtomic } from '../../../training/registry/atomic-files';
import { FileIOHandler } from '../../../training/registry/file-io-handler';
import { FileModelRegistry } from '../../../training/registry/model-registry';
import { artifact, manifest } from '../../helpers/registry-fixtures';
import { syntheticLoad } from '../../helpers/synthetic-series';

describe('FileModelRegistry', () => {
  let dir: string;
  let registry: FileModelRegistry;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'prescale-registry-'));
    registry = new FileModelRegistry(dir);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('stores numbered versions with manifest, model.json and weights, and reads them back', async () => {
    const v1 = await registry.save(manifest('api', 'promoted'), artifact(1));
    const v2 = await registry.save(manifest('api', 'rejected'), artifact(2));

    expect([v1, v2]).toEqual(['v000001', 'v000002']);
    expect(readdirSync(join(dir, 'api', 'versions', v2)).sort()).toEqual(['manifest.json', 'model.json', 'weights.bin']);
    const loaded = await registry.load('api', v2);
    expect(loaded.artifact.state).toEqual({ n: 2 });
    expect(Array.from(new Float32Array(loaded.artifact.weights!.slice().buffer))).toEqual([2, 3]);
    expect(loaded.manifest).toMatchObject({ kind: 'seasonal-naive', decision: 'rejected', codeVersion: '0.1.0' });
  });

  it('serves a promoted candidate, keeps a rejected one out of serving, and rolls back to the previous version', async () => {
    await registry.save(manifest('api', 'promoted'), artifact(1));
    await registry.save(manifest('api', 'rejected'), artifact(2));
    expect(registry.serving('api').promoted).toBe('v000001');

    await registry.save(manifest('api', 'promoted'), artifact(3));
    expect(registry.serving('api')).toEqual({ promoted: 'v000003', history: ['v000001'] });

    registry.rollback('api');
    expect(registry.serving('api')).toEqual({ promoted: 'v000001', history: [] });
    expect(() => registry.rollback('api')).toThrow(expect.objectContaining({ code: 'MODEL_NOT_FOUND' }));
  });

  it('promotes a named version by hand and refuses an unknown one', async () => {
    await registry.save(manifest('api', 'promoted'), artifact(1));
    await registry.save(manifest('api', 'rejected'), artifact(2));

    registry.promote('api', 'v000002');

    expect(registry.serving('api')).toEqual({ promoted: 'v000002', history: ['v000001'] });
    expect(() => registry.promote('api', 'v000009')).toThrow(expect.objectContaining({ code: 'MODEL_NOT_FOUND' }));
  });

  it('never shows a half-written version: a crash while writing leaves nothing the registry would load', async () => {
    await registry.save(manifest('api', 'promoted'), artifact(1));
    const target = join(dir, 'api', 'versions', 'v000002');

    await expect(
      writeDirAtomic(target, async () => {
        throw new Error('crash while writing weights');
      }),
    ).rejects.toThrow('crash');

    expect(existsSync(target)).toBe(false);
    expect(registry.versions('api').map((m) => m.version)).toEqual(['v000001']);
  });

  it('ignores a temporary folder left by a killed process', async () => {
    await registry.save(manifest('api', 'promoted'), artifact(1));
    const { mkdirSync, writeFileSync } = await import('node:fs');
    const leftover = join(dir, 'api', 'versions', '.v000002.dead.tmp');
    mkdirSync(leftover);
    writeFileSync(join(leftover, 'weights.bin'), 'half');

    expect(registry.versions('api').map((m) => m.version)).toEqual(['v000001']);
    expect(await registry.save(manifest('api', 'rejected'), artifact(2))).toBe('v000002');
  });

  it('writes LSTM weights in the tfjs layout: the saved folder loads with tf.loadLayersModel', async () => {
    const fitted = await new LstmForecaster({ horizonSteps: 2, units: 4, maxEpochs: 1, maxSamples: 100, backend: 'wasm' }).fit(syntheticLoad({ days: 12, stepSeconds: 3600 }));
    const version = await registry.save({ ...manifest('api', 'promoted'), backend: 'wasm' }, fitted.toArtifact());

    const model = await tf.loadLayersModel(new FileIOHandler(join(dir, 'api', 'versions', version)));

    expect(model.inputs.map((i) => i.shape)).toEqual([[null, 24, 5], [null, 2 * 2 + 5]]);
    expect(model.outputs[0]!.shape).toEqual([null, 2]);
    model.dispose();
    const back = await registry.load('api', version);
    expect(back.artifact.weights).toEqual(fitted.toArtifact().weights);
  });

  describe('reading a bad artifact', () => {

    const manifestFile = (version: string) => join(dir, 'api', 'versions', version, 'manifest.json');
    const rewrite = (version: string, change: (m: Record<string, unknown>) => void) => {
      const m = JSON.parse(readFileSync(manifestFile(version), 'utf8')) as Record<string, unknown>;
      change(m);
      writeFileSync(manifestFile(version), JSON.stringify(m));
    };

    it.each<[string, (m: Record<string, unknown>) => void, string, RegExp]>([
      ['an old artifact format', (m) => (m.formatVersion = 0), 'formatVersion', /field "formatVersion"/],
      ['a newer artifact format', (m) => (m.formatVersion = 2), 'formatVersion', /seasonal-naive artifacts of format 2 cannot be read/],
      ['a missing field', (m) => delete m.stepSeconds, 'stepSeconds', /field "stepSeconds"/],
      ['a field of the wrong type', (m) => (m.gate = { ...(m.gate as object), margin: 'high' }), 'gate.margin', /field "gate.margin"/],
      ['an unknown model kind', (m) => (m.kind = 'prophet'), 'kind', /unknown model kind "prophet"/],
    ])('refuses %s, naming the file and the field', async (_label, change, field, message) => {
      const version = await registry.save(manifest('api', 'promoted'), artifact(1));
      rewrite(version, change);

      const load = registry.load('api', version);

      await expect(load).rejects.toMatchObject({ code: 'INVALID_INPUT', field });
      await expect(load).rejects.toThrow(message);
      await expect(load).rejects.toThrow(manifestFile(version));
    });

    it('refuses a manifest that is not JSON', async () => {
      const version = await registry.save(manifest('api', 'promoted'), artifact(1));
      writeFileSync(manifestFile(version), '{"series": "api", ');

      expect(() => registry.versions('api')).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', message: expect.stringContaining('is not JSON') }));
    });

    it('refuses a corrupt serving pointer', async () => {
      await registry.save(manifest('api', 'promoted'), artifact(1));
      writeFileSync(join(dir, 'api', 'serving.json'), JSON.stringify({ promoted: 7, history: [] }));

      expect(() => registry.serving('api')).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', field: 'promoted' }));
    });
  });

  describe('keepVersions', () => {
    const names = () => registry.versions('api').map((m) => m.version);

    it('prunes the oldest versions beyond keepVersions after each registration', async () => {
      registry = new FileModelRegistry(dir, { keepVersions: 3 });
      for (let i = 1; i <= 6; i++) await registry.save(manifest('api', 'rejected'), artifact(i));

      expect(names()).toEqual(['v000004', 'v000005', 'v000006']);
      expect(readdirSync(join(dir, 'api', 'versions')).sort()).toEqual(['v000004', 'v000005', 'v000006']);
      expect(await registry.save(manifest('api', 'rejected'), artifact(7))).toBe('v000007');
    });

    it('never deletes the promoted version or the one a rollback would serve, and rollback still works', async () => {
      registry = new FileModelRegistry(dir, { keepVersions: 2 });
      await registry.save(manifest('api', 'promoted'), artifact(1));
      await registry.save(manifest('api', 'promoted'), artifact(2));
      await registry.save(manifest('api', 'promoted'), artifact(3));
      for (let i = 4; i <= 8; i++) await registry.save(manifest('api', 'rejected'), artifact(i));

      expect(names()).toEqual(['v000002', 'v000003', 'v000007', 'v000008']);
      // v000001 is gone, so it is no longer offered as a rollback target.
      expect(registry.serving('api')).toEqual({ promoted: 'v000003', history: ['v000002'] });
      registry.rollback('api');
      expect((await registry.load('api', 'v000002')).artifact.state).toEqual({ n: 2 });
    });

    it('keeps 10 by default', async () => {
      for (let i = 1; i <= 12; i++) await registry.save(manifest('api', 'rejected'), artifact(i));

      expect(registry.versionCount('api')).toBe(10);
      expect(names()[0]).toBe('v000003');
    });
  });
});
