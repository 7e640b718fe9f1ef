import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as tf from '@tensorflow/tfjs';

const MODEL_JSON = 'model.json';
const WEIGHTS_BIN = 'weights.bin';

/**
 * A tfjs IOHandler for a local folder, in the standard tfjs layout (`model.json` with the
 * topology and weights manifest, plus `weights.bin`), so it works without
 * `@tensorflow/tfjs-node` (whose `file://` handler is not installable everywhere). A model
 * saved here also loads with `tf.loadLayersModel(new FileIOHandler(dir))`.
 */
export class FileIOHandler implements tf.io.IOHandler {
  constructor(private readonly dir: string) {}

  async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
    const weightData = artifacts.weightData === undefined ? new Uint8Array(0) : toBytes(artifacts.weightData);
    writeFileSync(join(this.dir, WEIGHTS_BIN), weightData);
    const modelJson = {
      modelTopology: artifacts.modelTopology ?? null,
      format: artifacts.format,
      generatedBy: artifacts.generatedBy,
      convertedBy: artifacts.convertedBy ?? null,
      weightsManifest: [{ paths: [`./${WEIGHTS_BIN}`], weights: artifacts.weightSpecs ?? [] }],
      ...(artifacts.userDefinedMetadata ? { userDefinedMetadata: artifacts.userDefinedMetadata } : {}),
    };
    const text = JSON.stringify(modelJson);
    writeFileSync(join(this.dir, MODEL_JSON), text);
    return {
      modelArtifactsInfo: {
        dateSaved: new Date(),
        modelTopologyType: 'JSON',
        modelTopologyBytes: JSON.stringify(modelJson.modelTopology).length,
        weightSpecsBytes: JSON.stringify(modelJson.weightsManifest).length,
        weightDataBytes: weightData.byteLength,
      },
    };
  }

  async load(): Promise<tf.io.ModelArtifacts> {
    const json = JSON.parse(readFileSync(join(this.dir, MODEL_JSON), 'utf8')) as {
      modelTopology: object | null;
      format?: string;
      generatedBy?: string;
      weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
      userDefinedMetadata?: Record<string, object>;
    };
    const bytes = readFileSync(join(this.dir, WEIGHTS_BIN));
    const weightData = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    return {
      ...(json.modelTopology ? { modelTopology: json.modelTopology } : {}),
      ...(json.format ? { format: json.format } : {}),
      ...(json.generatedBy ? { generatedBy: json.generatedBy } : {}),
      weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
      weightData,
      ...(json.userDefinedMetadata ? { userDefinedMetadata: json.userDefinedMetadata } : {}),
    };
  }
}

function toBytes(data: tf.io.WeightData): Uint8Array {
  const buffers = Array.isArray(data) ? data : [data];
  const total = buffers.reduce((s, b) => s + b.byteLength, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const b of buffers) {
    out.set(new Uint8Array(b), o);
    o += b.byteLength;
  }
  return out;
}
