// @ts-check
const tseslint = require('typescript-eslint');
const { builtinRules } = require('eslint/use-at-your-own-risk');

/**
 * The wings and which way their imports point (docs/architecture.md):
 *   main/ → everything;  api/, training/, simulate/ → src/ and models/;  src/ → models/;  models/ → nothing.
 *   bench/ and test/ are consumers of the whole tree, like main/.
 * One rule per wing, each with its reason, and no path exempted: a file that needs to
 * import across a wall belongs in the wing that may.
 */
const wing = (files, patterns) => ({ files, rules: { 'no-restricted-imports': ['error', { patterns }] } });
const forbid = (wings, message) => ({ group: wings.flatMap((w) => [`**/${w}/**`, `${w}/**`]), message });

const NO_IO = { group: ['node:fs', 'fs', 'node:http', 'http', 'node:https', 'https', 'express', 'better-sqlite3'], message: 'models/ does no I/O; pass data in through the forecaster contract.' };

// `max-lines` twice: a warning when a file passes 250 lines (time to look for the seam), an error at 400.
const hardLimit = { rules: { 'max-lines': /** @type {any} */ (builtinRules.get('max-lines')) } };
const fileSize = { max: 0, skipBlankLines: true, skipComments: true };

module.exports = tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'coverage/**', 'bin/**', '*.config.js'] },
  ...tseslint.configs.recommended,
  {
    plugins: { hard: hardLimit },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'max-lines': ['warn', { ...fileSize, max: 250 }],
      'hard/max-lines': ['error', { ...fileSize, max: 400 }],
    },
  },
  wing(['models/**/*.ts'], [
    forbid(['main', 'src', 'api', 'training', 'simulate'], 'models/ is a pure forecasting library: it depends on nothing of the service, its transports, training or the simulator.'),
    NO_IO,
  ]),
  wing(['src/**/*.ts'], [
    forbid(['main', 'api', 'training', 'simulate'], 'src/ is the core and imports only models/: transports (api/), training and the simulator depend on it, and only main/ wires them together.'),
  ]),
  wing(['simulate/**/*.ts'], [
    forbid(['main', 'api', 'training'], 'simulate/ is the offline replay: it uses models/ and the core (planner, config, errors), never a transport, training or the composition root.'),
  ]),
  wing(['training/**/*.ts'], [
    forbid(['main', 'api', 'simulate'], 'training/ uses models/ and the core\'s ports; transports and the composition root depend on it, not the other way round.'),
  ]),
  wing(['api/**/*.ts'], [
    forbid(['main', 'training', 'simulate'], 'api/ is a thin transport over the core\'s services (src/): it never calls training or the simulator directly, and main/ wires it.'),
  ]),
);
