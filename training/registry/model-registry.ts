import { existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelArtifact } from '../../models/core/forecaster';
import { MODEL_KINDS } from '../../models/model-kinds';
import { DEFAULT_KEEP_VERSIONS } from '../../src/config/training-schema';
import { PrescaleError } from '../../src/errors/prescale-error';
import { isTemporaryName, writeDirAtomic, writeFileAtomic } from './atomic-files';
import { FileIOHandler } from './file-io-handler';
import type { ModelManifest } from './model-manifest';
import { checkFormatVersion, readManifest, readServing } from './registry-files';

import type { ModelRegistry, NewManifest, RegistryLocation, ServingPointer } from './registry-store';

export type { ServingPointer } from './registry-store';

/** How the registry manages its folder. */
export interface FileModelRegistryOptions {
  /**
   * Versions kept per series (`training.keepVersions`, ≥ 1; default 10): after each
   * registration the oldest beyond this many are deleted, except the promoted version and
   * the one a rollback would serve, which are always kept.
   */
  keepVersions?: number;
}

const VERSIONS = 'versions';
const SERVING = 'serving.json';
const MANIFEST = 'manifest.json';

/**
 * Versioned model artifacts on disk:
 * `<root>/<series>/versions/v000001/{manifest.json, model.json, weights.bin}` and
 * `<root>/<series>/serving.json` naming the promoted version. Versions are written
 * atomically (temporary folder + rename) and never changed; promotion and rollback only
 * rewrite `serving.json`, also atomically. Each registration prunes the oldest versions
 * beyond `keepVersions`, so the folder (and every listing of it) stays bounded.
 */
export class FileModelRegistry implements ModelRegistry {
  private readonly keepVersions: number;

  constructor(
    readonly root: string,
    options: FileModelRegistryOptions = {},
  ) {
    this.keepVersions = Math.max(1, Math.floor(options.keepVersions ?? DEFAULT_KEEP_VERSIONS));
  }

  location(): RegistryLocation {
    return { kind: 'files', dir: this.root, keepVersions: this.keepVersions };
  }

  private seriesDir(series: string): string {
    return join(this.root, series);
  }

  /** Manifests of every complete version, oldest first. */
  versions(series: string): ModelManifest[] {
    const dir = join(this.seriesDir(series), VERSIONS);
    return this.versionNames(series).map((name) => readManifest(join(dir, name, MANIFEST)));
  }

  /** Names of the complete versions (a manifest is written last, so its presence means complete), oldest first. */
  private versionNames(series: string): string[] {
    const dir = join(this.seriesDir(series), VERSIONS);
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
      .filter((name) => !isTemporaryName(name) && existsSync(join(dir, name, MANIFEST)))
      .sort();
  }

  serving(series: string): ServingPointer {
    const file = join(this.seriesDir(series), SERVING);
    if (!existsSync(file)) return { promoted: null, history: [] };
    return readServing(file);
  }

  /** How many complete versions a series has, from the folder listing alone (no manifest is read). */
  versionCount(series: string): number {
    return this.versionNames(series).length;
  }

  /** Series with at least one version. */
  seriesNames(): string[] {
    if (!existsSync(this.root)) return [];
    return readdirSync(this.root).filter((name) => !isTemporaryName(name) && existsSync(join(this.root, name, VERSIONS)));
  }

  /**
   * Stores a new version (numbered after the newest) and, when its decision is `promoted`,
   * makes it the serving one. Returns the version name.
   */
  async save(manifest: NewManifest, artifact: ModelArtifact): Promise<string> {
    for (let attempt = 0; ; attempt++) {
      const version = this.nextVersion(manifest.series);
      const full: ModelManifest = { ...manifest, version, kind: artifact.kind, formatVersion: artifact.formatVersion, state: artifact.state };
      try {
        await writeDirAtomic(join(this.seriesDir(manifest.series), VERSIONS, version), async (tmp) => {
          const view = artifact.weightsLayout;
          const weightData = artifact.weights ? artifact.weights.slice().buffer : new ArrayBuffer(0);
          await new FileIOHandler(tmp).save({
            ...(view ? { modelTopology: view.modelTopology } : {}),
            weightSpecs: view ? [...view.weightSpecs] : [{ name: `${artifact.kind}/weights`, shape: [weightData.byteLength / 4], dtype: 'float32' }],
            weightData,
            format: 'layers-model',
            generatedBy: 'prescale',
          });
          writeFileAtomic(join(tmp, MANIFEST), JSON.stringify(full, null, 2));
        });
      } catch (err) {
        // Another trainer took the same number first (the rename found the folder): take the next.
        if (attempt < 3 && ['ENOTEMPTY', 'EEXIST'].includes((err as NodeJS.ErrnoException).code ?? '')) continue;
        throw err;
      }
      if (manifest.decision === 'promoted') this.setPromoted(manifest.series, version);
      this.prune(manifest.series);
      return version;
    }
  }

  /**
   * The artifact of a version, read back from its files, its manifest parsed and its format
   * checked against the model kind's.
   * @throws {PrescaleError} MODEL_NOT_FOUND; INVALID_INPUT naming the file and field of a bad or old-format artifact.
   */
  async load(series: string, version: string): Promise<{ manifest: ModelManifest; artifact: ModelArtifact }> {
    const dir = join(this.seriesDir(series), VERSIONS, version);
    if (!/^v\d+$/.test(version) || !existsSync(join(dir, MANIFEST))) {
      throw new PrescaleError('MODEL_NOT_FOUND', `series "${series}" has no model version "${version}"`, 'version');
    }
    const file = join(dir, MANIFEST);
    const manifest = readManifest(file);
    const kind = MODEL_KINDS[manifest.kind];
    if (!kind) throw new PrescaleError('INVALID_INPUT', `${file}: field "kind": unknown model kind "${manifest.kind}"`, 'kind');
    checkFormatVersion(file, manifest, kind.formatVersion);
    const loaded = await new FileIOHandler(dir).load();
    const bytes = loaded.weightData ? new Uint8Array(loaded.weightData as ArrayBuffer) : new Uint8Array(0);
    const artifact: ModelArtifact = { kind: manifest.kind, formatVersion: manifest.formatVersion, state: manifest.state, ...(bytes.byteLength > 0 ? { weights: bytes } : {}) };
    return { manifest, artifact };
  }

  /** Makes `version` serve; the one it replaces can be rolled back to. @throws {PrescaleError} MODEL_NOT_FOUND. */
  promote(series: string, version: string): ServingPointer {
    if (!this.versionNames(series).includes(version)) {
      throw new PrescaleError('MODEL_NOT_FOUND', `series "${series}" has no model version "${version}"`, 'version');
    }
    return this.setPromoted(series, version);
  }

  /** Serves the previously promoted version again. @throws {PrescaleError} MODEL_NOT_FOUND when there is none. */
  rollback(series: string): ServingPointer {
    const current = this.serving(series);
    const previous = current.history[current.history.length - 1];
    if (previous === undefined) throw new PrescaleError('MODEL_NOT_FOUND', `series "${series}" has no earlier promoted version to roll back to`, 'series');
    const pointer: ServingPointer = { promoted: previous, history: current.history.slice(0, -1) };
    writeFileAtomic(join(this.seriesDir(series), SERVING), JSON.stringify(pointer, null, 2));
    return pointer;
  }

  /**
   * Deletes the oldest versions beyond `keepVersions`, never the promoted one or the previous
   * one (the one a rollback serves). Older rollback entries that point at a deleted version
   * are dropped from `serving.json` first, so a rollback never names a missing version; each
   * folder is renamed to a temporary name before it is removed, so a crash mid-delete leaves
   * only a folder that listings skip. Returns the deleted version names.
   */
  prune(series: string): string[] {
    const names = this.versionNames(series);
    if (names.length <= this.keepVersions) return [];
    const pointer = this.serving(series);
    const previous = pointer.history[pointer.history.length - 1];
    const keep = new Set(names.slice(-this.keepVersions));
    if (pointer.promoted) keep.add(pointer.promoted);
    if (previous !== undefined) keep.add(previous);
    const doomed = names.filter((name) => !keep.has(name));
    if (doomed.length === 0) return [];
    const gone = new Set(doomed);
    if (pointer.history.some((v) => gone.has(v))) {
      const next: ServingPointer = { promoted: pointer.promoted, history: pointer.history.filter((v) => !gone.has(v)) };
      writeFileAtomic(join(this.seriesDir(series), SERVING), JSON.stringify(next, null, 2));
    }
    const dir = join(this.seriesDir(series), VERSIONS);
    for (const name of doomed) {
      const tmp = join(dir, `.${name}.pruned.tmp`);
      try {
        renameSync(join(dir, name), tmp);
      } catch (err) {
        // Another trainer (the CLI beside the service) pruned it first.
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw err;
      }
      rmSync(tmp, { recursive: true, force: true });
    }
    return doomed;
  }

  private setPromoted(series: string, version: string): ServingPointer {
    const current = this.serving(series);
    if (current.promoted === version) return current;
    const history = current.promoted ? [...current.history, current.promoted] : current.history;
    const pointer: ServingPointer = { promoted: version, history };
    writeFileAtomic(join(this.seriesDir(series), SERVING), JSON.stringify(pointer, null, 2));
    return pointer;
  }

  private nextVersion(series: string): string {
    const dir = join(this.seriesDir(series), VERSIONS);
    const numbers = existsSync(dir) ? readdirSync(dir).map((n) => /^v(\d+)$/.exec(n)?.[1]).filter((n): n is string => n !== undefined).map(Number) : [];
    return `v${String(Math.max(0, ...numbers) + 1).padStart(6, '0')}`;
  }
}
