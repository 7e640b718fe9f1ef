import type { ModelVersionView, SeriesModels } from '../src/model-catalog/model-catalog';
import type { ModelManifest } from './registry/model-manifest';
import type { ServingPointer } from './registry/model-registry';

/** The registry's manifests and pointer as the catalog's view of one series. */
export function seriesModelsView(series: string, manifests: readonly ModelManifest[], pointer: ServingPointer): SeriesModels {
  return { series, promoted: pointer.promoted, versions: manifests.map((m) => versionView(m, pointer)) };
}

function versionView(m: ModelManifest, pointer: ServingPointer): ModelVersionView {
  const status = m.version === pointer.promoted ? 'promoted' : pointer.history.includes(m.version) || m.decision === 'promoted' ? 'retired' : 'rejected';
  return {
    version: m.version,
    kind: m.kind,
    status,
    createdAt: m.createdAt,
    trainedFrom: m.trainedFrom,
    trainedTo: m.trainedTo,
    conditionedTo: m.conditionedTo,
    backend: m.backend,
    ...(m.warmStartedFrom ? { warmStartedFrom: m.warmStartedFrom } : {}),
    gate: { candidate: m.gate.candidate, current: m.gate.current, baseline: m.gate.baseline, margin: m.gate.margin, decision: `${m.decision}: ${m.reason}` },
    ...(m.choice ? { choice: m.choice } : {}),
  };
}
