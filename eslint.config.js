// @ts-check
const tseslint = require('typescript-eslint');

/** Imports point one way (DESIGN.md): api → src → models, training → models; the composition root sees all. */
const layerRule = (patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

module.exports = tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'coverage/**', 'bin/**', '*.config.js'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    files: ['models/**/*.ts'],
    rules: layerRule([
      { group: ['**/src/**', '**/api/**', '**/training/**'], message: 'models/ is a pure forecasting library: it must not depend on the service, transports or training.' },
      { group: ['node:fs', 'fs', 'node:http', 'http', 'express', 'better-sqlite3'], message: 'models/ does no I/O; pass data in through the forecaster contract.' },
    ]),
  },
  {
    // Reading a model's own WebAssembly code is loading code, like require, not data I/O.
    files: ['models/mstl/augurs-module.ts'],
    rules: layerRule([{ group: ['**/src/**', '**/api/**', '**/training/**'], message: 'models/ is a pure forecasting library.' }]),
  },
  {
    files: ['training/**/*.ts'],
    rules: layerRule([{ group: ['**/api/**'], message: 'training/ uses models/ (and src/ ports); transports depend on it, not the other way round.' }]),
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/app.ts', 'src/serve.ts', 'src/cli/**'],
    rules: layerRule([
      { group: ['**/api/**'], message: 'src/ is the core: transports (api/) depend on it, never the reverse. Only the composition root (src/app.ts) wires them.' },
      { group: ['**/training/**'], message: 'src/ reaches training through ports; only the composition root and the CLI wire training in.' },
    ]),
  },
  {
    files: ['api/**/*.ts'],
    rules: layerRule([{ group: ['**/training/**'], message: 'api/ is a thin transport over src/ services; it never calls training directly.' }]),
  },
);
