#!/usr/bin/env node
// Regenerates imports/ from the vendored CRDs in crds/ with `cdk8s import`.
// Only local files are read: nothing is downloaded. Keeps the API groups the library emits
// (Istio networking + security, Gateway API) and drops the rest.
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const out = path.join(root, 'imports');
const sources = ['crds/istio-1.30.3-crds.yaml', 'crds/gateway-api-1.6.1-standard-crds.yaml'];
const keep = new Set(['networking.istio.io.ts', 'security.istio.io.ts', 'gateway.networking.k8s.io.ts']);
const cli = path.join(root, 'node_modules', 'cdk8s-cli', 'bin', 'cdk8s');

fs.rmSync(out, { recursive: true, force: true });
for (const source of sources) {
  execFileSync(process.execPath, [cli, 'import', source, '--output', out, '--language', 'typescript', '--no-check-upgrade'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}
for (const file of fs.readdirSync(out)) {
  if (!keep.has(file)) fs.rmSync(path.join(out, file));
}
console.log(`imports/: ${[...keep].sort().join(', ')}`);
