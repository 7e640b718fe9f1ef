// The PostgreSQL launcher lives with the benchmarks (bench/ is compiled by the build; test/ is not).
export { RealPostgres, postgresBinDir } from '../../bench/support/real-postgres';
