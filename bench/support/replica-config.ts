/**
 * The config of the several-replica runs (bench:failover and test/main/postgres-replicas): an
 * hourly series served by seasonal-naive, quick ensemble trainings every 5 s so a new leader's
 * first round shows at once, and a 3 s lease so failover fits in a run.
 */
export function replicaConfig(backend: 'postgres' | 'sqlite'): string {
  return `storage:
  backend: ${backend}
forecast:
  model: seasonal-naive
leader:
  leaseDuration: 3s
training:
  backend: wasm
  model: ensemble
  holdout: 1d
  schedule: "*/5 * * * * *"
  lstm: { units: 4, maxEpochs: 2, maxSamples: 200 }
series:
  - name: api-rps
    step: 1h
    horizon: 2h
`;
}
