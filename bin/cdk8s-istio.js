#!/usr/bin/env node
// The `cdk8s-istio` command. A thin wrapper: the CLI is compiled from lib/cli/ into build/ by
// `npm run build` (run by `npm pack`/`npm publish` through `prepack`, and before `npm test`).
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const entry = join(__dirname, '..', 'build', 'lib', 'cli', 'bin.js');
if (!existsSync(entry)) {
  process.stderr.write('cdk8s-istio: the CLI is not built (build/lib/cli/bin.js is missing); run `npm run build`\n');
  process.exitCode = 2;
} else {
  require(entry);
}
