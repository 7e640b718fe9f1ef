/** Jest runs the TypeScript sources directly through SWC (no type-check here: `npm run typecheck` does that). */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  // ESM-only packages used by tests are compiled to CommonJS like our own sources.
  transformIgnorePatterns: ['/node_modules/(?!(kubernetes-models|@kubernetes-models|@kubernetes/client-node|openid-client|oauth4webapi|jose|fast-check|@bsull)/)'],
  testTimeout: 60_000,
  reporters: ['default', '<rootDir>/test/helpers/summary-reporter.js'],
  // Two cores: run test files two at a time so real servers started by tests do not starve.
  maxWorkers: 2,
};
