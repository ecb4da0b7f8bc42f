// Entry point for the repository's own cdk8s.yaml: loads the plugin from the TypeScript sources
// (Sucrase, a dev dependency), so `npm run synth` works on a fresh clone without `npm run build`.
// Users of the published package point cdk8s.yaml at `./node_modules/cdk8s-istio` instead.
require('sucrase/register/ts');
module.exports = require('./index.ts');
