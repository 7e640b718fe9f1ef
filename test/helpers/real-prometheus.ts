// The Prometheus launcher lives with the benchmarks (bench/ is compiled by the build; test/ is not).
export { RealPrometheus, freePort, type OpenMetricsSeries } from '../../bench/support/real-prometheus';
