/**
 * `GET /v1/status` is composed from small providers, one per area (training backend,
 * models, sources, training history, and `leader`: `LeaderStatus` from
 * src/leader-election/observed-leader-election.ts, who leads and since when), so an area
 * adds itself with one entry and no provider knows the others.
 */
export type StatusProvider = () => unknown;

export function composeStatus(providers: Readonly<Record<string, StatusProvider>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, read] of Object.entries(providers)) out[key] = read();
  return out;
}
