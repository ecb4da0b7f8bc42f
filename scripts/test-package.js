#!/usr/bin/env node
// `npm run test:package`: the published package works in a fresh cdk8s app.
//
// 1. `npm pack` the repository (which builds it through `prepack`) and check the file list: built
//    JS + .d.ts, crds/, no tests, no TypeScript sources, no source maps.
// 2. Create a cdk8s TypeScript app in a temporary directory outside the repository and install
//    cdk8s, constructs and cdk8s-plus-33 from the npm registry (the versions of our
//    devDependencies, so the npm cache serves them) plus the tarball.
// 3. Type-check the app with the repository's TypeScript against the installed package's .d.ts
//    (module resolution node16, so `exports` is honoured), run it (all five constructs, a
//    cdk8s-plus Service as a ServiceTarget, cdk8s-plus Deployments as version workloads).
// 4. Validate dist/ with the installed CLI (`node_modules/.bin/cdk8s-istio validate --format json`)
//    and load the cdk8s validation plugin the way cdk8s-cli does (`package: ./node_modules/cdk8s-istio`).
//
// Needs only the npm registry (or its cache). Exits non-zero on any failure; the temporary
// directory is removed unless KEEP_PACKAGE_TEST=1.
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const { createRequire } = require('node:module');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.join(__dirname, '..');
const started = Date.now();
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function log(msg) {
  console.log(`[test:package ${((Date.now() - started) / 1000).toFixed(1)}s] ${msg}`);
}

function fail(msg) {
  throw new Error(msg);
}

function run(cmd, args, cwd, opts = {}) {
  log(`$ ${[cmd, ...args].join(' ')}${cwd === ROOT ? '' : `   (in ${cwd})`}`);
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: opts.capture ? ['ignore', 'pipe', 'inherit'] : 'inherit', env: { ...process.env, ...opts.env } });
}

function installedVersion(name) {
  return JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version;
}

/** The consumer app: everything a user would write, importing only public entry points. */
const MAIN_TS = `import { ApiObject, App, Chart, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import {
  AmbientNamespace, CanaryRoute, ExternalApi, Identity, MeshContext, RequestMatch, ResilientService,
  ServiceTarget, TrafficApi, ZeroTrustNamespace,
} from 'cdk8s-istio';
import * as pkg from 'cdk8s-istio/package.json';
import { synthSnapshot } from 'cdk8s-istio/testing';

const app = new App();

// A sidecar namespace with zero trust, a canary and a resilient service.
const shop = new Chart(app, 'shop', { namespace: 'shop' });
MeshContext.of(shop);
const zeroTrust = new ZeroTrustNamespace(shop, 'zero-trust', { name: 'shop' });

function deployment(name: string, version: string): kplus.Deployment {
  return new kplus.Deployment(shop, name, {
    metadata: { name },
    podMetadata: { labels: { app: 'reviews', version } },
    containers: [{ image: 'docker.io/istio/examples-bookinfo-reviews-' + version + ':1.20.3', portNumber: 9080 }],
  });
}
const reviewsV1 = deployment('reviews-v1', 'v1');
const reviewsV2 = deployment('reviews-v2', 'v2');
const reviews = new kplus.Service(shop, 'reviews', {
  metadata: { name: 'reviews' },
  selector: kplus.Pods.select(shop, 'reviews-pods', { labels: { app: 'reviews' } }),
  ports: [{ name: 'http', port: 9080, targetPort: 9080 }],
});
const target: ServiceTarget = reviews; // a cdk8s-plus Service is a ServiceTarget

const route = new CanaryRoute(shop, 'reviews-canary', {
  service: target,
  stableWorkload: reviewsV1,
  canaryWorkload: reviewsV2,
  canaryWeight: 10,
  canaryMatches: [RequestMatch.header('x-canary', 'true')],
});
new ResilientService(shop, 'reviews-resilience', {
  service: reviews,
  timeout: Duration.seconds(3),
  retries: { attempts: 2, perTryTimeout: Duration.millis(800), retryOn: ['gateway-error', 'connect-failure'] },
});
new ApiObject(shop, 'ratings-service', {
  apiVersion: 'v1', kind: 'Service', metadata: { name: 'ratings' },
  spec: { selector: { app: 'ratings' }, ports: [{ name: 'http', port: 9080 }] },
});
new ResilientService(shop, 'ratings-resilience', {
  service: { name: 'ratings', port: 9080 },
  circuitBreaker: { maxConnections: 100, maxPendingRequests: 50 },
});
zeroTrust.allow({ from: [Identity.serviceAccount('shop', 'productpage')], to: { name: 'reviews', port: 9080 }, methods: ['GET'] });
new ExternalApi(shop, 'stripe', { host: 'api.stripe.com', tlsOrigination: true, timeout: Duration.seconds(5) });

// An ambient namespace with a waypoint: the canary there is a Gateway API HTTPRoute.
const payments = new Chart(app, 'payments', { namespace: 'payments' });
new AmbientNamespace(payments, 'namespace', { name: 'payments', waypoint: true });
new ApiObject(payments, 'checkout-service', {
  apiVersion: 'v1', kind: 'Service', metadata: { name: 'checkout' },
  spec: { selector: { app: 'checkout' }, ports: [{ name: 'http', port: 8080 }] },
});
const checkout = new CanaryRoute(payments, 'checkout-canary', {
  service: { name: 'checkout', port: 8080 }, stableVersion: 'v1', canaryVersion: 'v2', canaryWeight: 20,
});

// The snapshot helper: validated, stable YAML (what a jest test passes to toMatchSnapshot()).
const snapshot = synthSnapshot(app);
if (snapshot !== synthSnapshot(app) || !/^kind: HTTPRoute$/m.test(snapshot)) throw new Error('synthSnapshot: unstable or incomplete YAML');
console.log('synthSnapshot: ' + snapshot.split('---\\n').length + ' documents');
app.synth();
const apis: TrafficApi[] = [route.api, checkout.api];
console.log('synthesized with cdk8s-istio ' + pkg.version + '; APIs: ' + apis.join(', '));
`;

/** Throws unless the packed file list is lean (no tests, sources, source maps of ours; bundled dependencies as they are) and complete. */
function checkFileList(files) {
  // node_modules/ holds the bundledDependencies (jsii needs its non-jsii dependencies bundled): their files are theirs.
  const bad = files.filter(f => !f.startsWith('node_modules/')).filter(f => f.startsWith('test/') || f.startsWith('lib/') || f.startsWith('examples/') || f.startsWith('bench/')
    || f.endsWith('.map') || (f.endsWith('.ts') && !f.endsWith('.d.ts')));
  if (bad.length > 0) fail(`the package contains files it must not: ${bad.join(', ')}`);
  const required = ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md', 'bin/cdk8s-istio.js', 'build/lib/index.js', 'build/lib/index.d.ts',
    'build/lib/cli/bin.js', 'build/lib/testing/index.js', 'build/lib/testing/snapshot.js', 'crds/README.md', 'crds/istio-1.30.3-crds.yaml', 'crds/gateway-api-1.6.1-standard-crds.yaml', 'docs/diagnostic-codes.md'];
  const missing = required.filter(f => !files.includes(f));
  if (missing.length > 0) fail(`the package lacks: ${missing.join(', ')}`);
}

function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-istio-package-'));
  let ok = false;
  try {
    // 1. Pack.
    const packed = JSON.parse(run(NPM, ['pack', '--json', '--pack-destination', tmp], ROOT, { capture: true }))[0];
    const files = packed.files.map(f => f.path).sort();
    checkFileList(files);
    const tarball = path.join(tmp, packed.filename);
    log(`packed ${packed.filename}: ${packed.entryCount} files, ${(packed.size / 1024).toFixed(0)} kB (${(packed.unpackedSize / 1024).toFixed(0)} kB unpacked); no tests, sources or source maps; crds/ included`);

    // 2. A fresh cdk8s app outside the repository.
    const appDir = path.join(tmp, 'app');
    fs.mkdirSync(appDir);
    const deps = { 'cdk8s': installedVersion('cdk8s'), 'constructs': installedVersion('constructs'), 'cdk8s-plus-33': installedVersion('cdk8s-plus-33') };
    fs.writeFileSync(path.join(appDir, 'package.json'), JSON.stringify({ name: 'consumer-app', version: '0.0.0', private: true, license: 'UNLICENSED' }, null, 2));
    fs.writeFileSync(path.join(appDir, 'tsconfig.json'), JSON.stringify({
      compilerOptions: {
        target: 'ES2022', module: 'node16', moduleResolution: 'node16', strict: true, resolveJsonModule: true,
        esModuleInterop: true, skipLibCheck: true, types: [], outDir: 'build', rootDir: '.',
      },
      include: ['main.ts'],
    }, null, 2));
    fs.writeFileSync(path.join(appDir, 'main.ts'), MAIN_TS);
    run(NPM, ['install', '--no-audit', '--no-fund', '--prefer-offline', '--save-exact',
      ...Object.entries(deps).map(([n, v]) => `${n}@${v}`), tarball], appDir);

    // 3. Type-check against the installed .d.ts, compile, run.
    const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    run(process.execPath, [tsc, '-p', 'tsconfig.json'], appDir);
    // Resolved from the app (a require.resolve here would self-reference the repository's package).
    const appRequire = createRequire(path.join(appDir, 'main.js'));
    const resolved = appRequire.resolve('cdk8s-istio');
    if (!resolved.startsWith(path.join(appDir, 'node_modules', 'cdk8s-istio'))) fail(`cdk8s-istio resolved to ${resolved}, not the installed package`);
    run(process.execPath, ['build/main.js'], appDir);
    const manifests = fs.readdirSync(path.join(appDir, 'dist')).filter(f => f.endsWith('.k8s.yaml')).sort();
    if (manifests.length !== 2) fail(`expected dist/shop.k8s.yaml and dist/payments.k8s.yaml, got ${manifests.join(', ') || 'nothing'}`);
    const all = manifests.map(f => fs.readFileSync(path.join(appDir, 'dist', f), 'utf8')).join('\n');
    for (const kind of ['VirtualService', 'DestinationRule', 'HTTPRoute', 'ServiceEntry', 'AuthorizationPolicy', 'PeerAuthentication', 'Gateway', 'Deployment']) {
      if (!new RegExp(`^kind: ${kind}$`, 'm').test(all)) fail(`dist/ has no ${kind}`);
    }
    log(`synthesized ${manifests.join(', ')}`);

    // 4. The installed CLI validates the output: zero errors.
    const cli = path.join(appDir, 'node_modules', '.bin', process.platform === 'win32' ? 'cdk8s-istio.cmd' : 'cdk8s-istio');
    const out = run(cli, ['validate', '--format', 'json', 'dist/'], appDir, { capture: true });
    const diagnostics = JSON.parse(out);
    const errors = diagnostics.filter(d => d.severity === 'error');
    if (errors.length > 0) fail(`the installed CLI reports errors:\n${JSON.stringify(errors, null, 2)}`);
    log(`installed CLI: 0 errors (${diagnostics.length} warnings/infos)`);

    // The cdk8s plugin path users configure (package: ./node_modules/cdk8s-istio), resolved as cdk8s-cli does.
    const pluginModule = appRequire(appRequire.resolve(path.resolve(appDir, './node_modules/cdk8s-istio')));
    if (typeof pluginModule.IstioValidation !== 'function') fail('./node_modules/cdk8s-istio does not export IstioValidation');
    const violations = [];
    let status;
    return new pluginModule.IstioValidation({}).validate({
      manifests: manifests.map(f => path.join(appDir, 'dist', f)),
      report: { addViolation: v => violations.push(v), submit: s => { status = s; } },
    }).then(() => {
      if (status !== 'success') fail(`the plugin reported ${status}: ${JSON.stringify(violations, null, 2)}`);
      log('cdk8s plugin loaded from ./node_modules/cdk8s-istio: success');
      ok = true;
    }).finally(() => cleanup(tmp, ok));
  } catch (e) {
    cleanup(tmp, ok);
    throw e;
  }
}

function cleanup(tmp, ok) {
  if (process.env.KEEP_PACKAGE_TEST === '1') {
    log(`kept ${tmp}`);
  } else {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  if (ok) log(`passed in ${((Date.now() - started) / 1000).toFixed(1)}s`);
}

module.exports = { checkFileList };

if (require.main === module) {
  Promise.resolve().then(main).catch(e => {
    console.error(`[test:package] FAILED: ${e.message}`);
    process.exitCode = 1;
  });
}
