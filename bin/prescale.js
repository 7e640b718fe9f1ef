#!/usr/bin/env node
'use strict';
// A closed pipe (e.g. `prescale forecast … | head`) ends the command quietly, as in other Unix tools.
process.stdout.on('error', (err) => { if (err.code === 'EPIPE') process.exit(0); throw err; });
// The CLI runs from the compiled output (built by `npm install` through the `prepare` script).
require('../dist/main/cli/main.js').main(process.argv).then(
  (code) => { process.exitCode = code; },
  (err) => { process.stderr.write(`prescale: ${err && err.message ? err.message : String(err)}\n`); process.exitCode = 1; },
);
