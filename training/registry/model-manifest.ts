import type { GateScore } from '../../src/model-catalog/model-catalog';
import type { ModelChoice } from '../../src/model-selection/model-choice';

/** What the registry records with every version (manifest.json); written once, never changed; checked on read by `manifestSchema` (registry-files.ts). */
export interface ModelManifest {
  series: string;
  version: string;
  kind: string;
  formatVersion: number;
  /** Model options (LSTM hyper-parameters, horizon) as trained. */
  hyperParameters: Record<string, unknown>;
  stepSeconds: number;
  timezone: string;
  horizonSteps: number;
  /** ISO instants: the data the model was fitted on, and how far it was conditioned afterwards. */
  trainedFrom: string;
  trainedTo: string;
  conditionedTo: string;
  gate: { candidate: GateScore; current: GateScore | null; currentVersion: string | null; baseline: GateScore; margin: number; heldOutFrom: string; heldOutTo: string };
  decision: 'promoted' | 'rejected';
  reason: string;
  /** Held-out calibration of the quantiles (per-step scales and the pooled residual grid). */
  calibration: unknown;
  /** TensorFlow.js backend the fit ran on (null for models without a network). */
  backend: string | null;
  createdAt: string;
  /** Version of the Prescale code that trained it (package.json). */
  codeVersion: string;
  /** With `forecast.model: auto`, the kinds scored on the held-out window and why this one won (src/model-selection/model-choice.ts). */
  choice?: ModelChoice;
  /** The version whose weights the fit started from (`training.warmStart`); absent for a fit from the seed. */
  warmStartedFrom?: string;
  /** The artifact's JSON state (weights are in weights.bin). */
  state: unknown;
}
