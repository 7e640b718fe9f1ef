/**
 * The trained network as plain arrays, and its forward pass in JavaScript. Prediction and
 * conditioning need one forward pass per call, which plain loops do in microseconds; so a
 * fitted LSTM holds no tensors (nothing to leak or dispose) and serves on any thread
 * without loading a TensorFlow backend. A test checks it against tfjs' own predict.
 *
 * Layout (Keras/tfjs conventions): LSTM kernel [features, 4·units], recurrent kernel
 * [units, 4·units], bias [4·units] with gates in the order input, forget, cell, output;
 * then one dense layer [units + aux, horizon] over the last hidden state and the side inputs.
 */
export interface LstmWeights {
  units: number;
  features: number;
  auxSize: number;
  horizon: number;
  kernel: Float32Array;
  recurrent: Float32Array;
  bias: Float32Array;
  dense: Float32Array;
  denseBias: Float32Array;
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** Runs the network on one input: `seq` holds seqLen × features values, `aux` auxSize values. */
export function forward(w: LstmWeights, seq: ArrayLike<number>, seqOffset: number, seqLen: number, aux: ArrayLike<number>, auxOffset: number): Float64Array {
  const U = w.units;
  const G = 4 * U;
  let h = new Float64Array(U);
  const c = new Float64Array(U);
  const z = new Float64Array(G);
  for (let t = 0; t < seqLen; t++) {
    const xo = seqOffset + t * w.features;
    for (let g = 0; g < G; g++) z[g] = w.bias[g] as number;
    for (let f = 0; f < w.features; f++) {
      const x = seq[xo + f] as number;
      const row = f * G;
      for (let g = 0; g < G; g++) z[g]! += x * (w.kernel[row + g] as number);
    }
    for (let u = 0; u < U; u++) {
      const hu = h[u] as number;
      if (hu === 0) continue;
      const row = u * G;
      for (let g = 0; g < G; g++) z[g]! += hu * (w.recurrent[row + g] as number);
    }
    const next = new Float64Array(U);
    for (let u = 0; u < U; u++) {
      const i = sigmoid(z[u] as number);
      const f = sigmoid(z[U + u] as number);
      const cc = Math.tanh(z[2 * U + u] as number);
      const o = sigmoid(z[3 * U + u] as number);
      c[u] = f * (c[u] as number) + i * cc;
      next[u] = o * Math.tanh(c[u] as number);
    }
    h = next;
  }
  const H = w.horizon;
  const out = Float64Array.from(w.denseBias);
  for (let j = 0; j < U + w.auxSize; j++) {
    const v = j < U ? (h[j] as number) : (aux[auxOffset + j - U] as number);
    if (v === 0) continue;
    const row = j * H;
    for (let k = 0; k < H; k++) out[k]! += v * (w.dense[row + k] as number);
  }
  return out;
}

/** The tensors in a fixed order, for serialization. */
export function weightList(w: LstmWeights): { name: string; shape: number[]; data: Float32Array }[] {
  const G = 4 * w.units;
  return [
    { name: 'lstm/kernel', shape: [w.features, G], data: w.kernel },
    { name: 'lstm/recurrent_kernel', shape: [w.units, G], data: w.recurrent },
    { name: 'lstm/bias', shape: [G], data: w.bias },
    { name: 'head/kernel', shape: [w.units + w.auxSize, w.horizon], data: w.dense },
    { name: 'head/bias', shape: [w.horizon], data: w.denseBias },
  ];
}

/** Concatenates the weights into one little-endian float32 buffer (the tfjs weights.bin layout). */
export function packWeights(w: LstmWeights): Uint8Array {
  const list = weightList(w);
  const total = list.reduce((s, t) => s + t.data.length, 0);
  const all = new Float32Array(total);
  let o = 0;
  for (const t of list) {
    all.set(t.data, o);
    o += t.data.length;
  }
  return new Uint8Array(all.buffer, all.byteOffset, all.byteLength);
}

export function unpackWeights(dims: Pick<LstmWeights, 'units' | 'features' | 'auxSize' | 'horizon'>, bytes: Uint8Array): LstmWeights {
  const copy = new Uint8Array(bytes);
  const all = new Float32Array(copy.buffer, copy.byteOffset, copy.byteLength / 4);
  const G = 4 * dims.units;
  const sizes = [dims.features * G, dims.units * G, G, (dims.units + dims.auxSize) * dims.horizon, dims.horizon];
  const total = sizes.reduce((a, b) => a + b, 0);
  if (all.length !== total) throw new RangeError(`LSTM weights hold ${all.length} floats, expected ${total}`);
  const parts: Float32Array[] = [];
  let o = 0;
  for (const s of sizes) {
    parts.push(all.subarray(o, o + s));
    o += s;
  }
  const [kernel, recurrent, bias, dense, denseBias] = parts as [Float32Array, Float32Array, Float32Array, Float32Array, Float32Array];
  return { ...dims, kernel, recurrent, bias, dense, denseBias };
}

/** tfjs weight specs of the packed buffer (names match the layers built in lstm-training.ts). */
export function weightSpecs(dims: Pick<LstmWeights, 'units' | 'features' | 'auxSize' | 'horizon'>): { name: string; shape: number[]; dtype: 'float32' }[] {
  const G = 4 * dims.units;
  return [
    { name: 'lstm/kernel', shape: [dims.features, G], dtype: 'float32' },
    { name: 'lstm/recurrent_kernel', shape: [dims.units, G], dtype: 'float32' },
    { name: 'lstm/bias', shape: [G], dtype: 'float32' },
    { name: 'head/kernel', shape: [dims.units + dims.auxSize, dims.horizon], dtype: 'float32' },
    { name: 'head/bias', shape: [dims.horizon], dtype: 'float32' },
  ];
}
