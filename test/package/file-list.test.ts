// The file-list check of `npm run test:package` (scripts/test-package.js): what a lean, complete
// package contains, and the exact failures for what it must not or must contain.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { checkFileList } = require('../../scripts/test-package.js') as { checkFileList: (files: string[]) => void };

const LEAN = [
  'package.json', 'README.md', 'LICENSE', 'CHANGELOG.md', 'bin/cdk8s-istio.js', 'build/lib/index.js', 'build/lib/index.d.ts',
  'build/lib/cli/bin.js', 'build/lib/testing/index.js', 'build/lib/testing/snapshot.js', 'build/imports/networking.istio.io.js', 'build/imports/networking.istio.io.d.ts', 'crds/README.md',
  'crds/istio-1.30.3-crds.yaml', 'crds/gateway-api-1.6.1-standard-crds.yaml', 'docs/diagnostic-codes.md',
];

describe('test:package file list', () => {
  test('a lean, complete list passes', () => {
    expect(() => checkFileList(LEAN)).not.toThrow();
  });

  test('tests, TypeScript sources (not .d.ts), source maps and examples are rejected, each named', () => {
    expect(() => checkFileList([...LEAN, 'test/util.ts', 'lib/index.ts', 'build/lib/index.js.map', 'examples/main.ts', 'bench/run.ts']))
      .toThrow('the package contains files it must not: test/util.ts, lib/index.ts, build/lib/index.js.map, examples/main.ts, bench/run.ts');
  });

  test('bundled dependencies (node_modules/) are shipped as they are, source maps included', () => {
    expect(() => checkFileList([...LEAN, 'node_modules/js-yaml/dist/js-yaml.js.map', 'node_modules/yaml/dist/index.d.ts'])).not.toThrow();
    expect(() => checkFileList([...LEAN, 'node_modules/js-yaml/index.js', 'lib/cli/bin.ts']))
      .toThrow('the package contains files it must not: lib/cli/bin.ts');
  });

  test('missing CRDs, entry points or docs are named', () => {
    expect(() => checkFileList(LEAN.filter(f => !f.startsWith('crds/') && f !== 'build/lib/index.d.ts' && f !== 'CHANGELOG.md')))
      .toThrow('the package lacks: CHANGELOG.md, build/lib/index.d.ts, crds/README.md, crds/istio-1.30.3-crds.yaml, crds/gateway-api-1.6.1-standard-crds.yaml');
  });
});
