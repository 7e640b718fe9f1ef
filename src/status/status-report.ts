/**
 * `GET /v1/status` is composed from small providers, one per area (training backend,
 * models, and later sources and training history), so an area adds itself with one entry
 * and no provider knows the others.
 */
export type StatusProvider = () => unknown;

export function composeStatus(providers: Readonly<Record<string, StatusProvider>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, read] of Object.entries(providers)) out[key] = read();
  return out;
}
