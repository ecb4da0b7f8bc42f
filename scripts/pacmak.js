#!/usr/bin/env node
// `npm run pacmak`: jsii-pacmak writes the JavaScript tarball and the Python sources of the jsii
// build (`--code-only`: no wheel, which would need pip/setuptools from PyPI) into dist-jsii/.
// Run `npx jsii` first: it writes .jsii and the jsii-compiled build/.
//
// pacmak runs on a staging copy of the package, because it sorts packages by their dependencies
// (devDependencies too) and this package's devDependency on itself (`cdk8s-istio: file:.`, for
// the README and package tests) makes that order impossible. The copy also lists `.jsii` in
// `files` and drops `prepack`, so the tarball carries the jsii build instead of a rebuild by tsc.
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.join(__dirname, '..');
const OUT = path.join(ROOT, 'dist-jsii');

function main() {
  const assembly = path.join(ROOT, '.jsii');
  if (!fs.existsSync(assembly)) throw new Error('no .jsii: run `npx jsii` first');
  const rtti = fs.readFileSync(path.join(ROOT, 'build', 'lib', 'mesh', 'errors.js'), 'utf8').includes('jsii.rtti');
  if (!rtti) throw new Error('build/ is not the jsii build (no jsii.rtti): run `npx jsii` after `npm run build`');
  const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-istio-pacmak-'));
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    delete pkg.devDependencies[pkg.name];
    delete pkg.scripts.prepack;
    pkg.files = [...pkg.files, '.jsii'];
    pkg.jsii = { ...pkg.jsii, outdir: OUT };
    fs.writeFileSync(path.join(stage, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
    for (const entry of ['.jsii', 'build', 'bin', 'crds', 'docs', 'README.md', 'LICENSE', 'CHANGELOG.md']) {
      fs.cpSync(path.join(ROOT, entry), path.join(stage, entry), { recursive: true });
    }
    fs.symlinkSync(fs.realpathSync(path.join(ROOT, 'node_modules')), path.join(stage, 'node_modules'));
    fs.rmSync(OUT, { recursive: true, force: true });
    const pacmak = path.join(ROOT, 'node_modules', '.bin', 'jsii-pacmak');
    execFileSync(pacmak, ['--targets', 'js,python', '--code-only'], { cwd: stage, stdio: 'inherit' });
    const tarball = fs.readdirSync(path.join(OUT, 'js')).find(f => f.endsWith('.jsii.tgz'));
    const py = path.join(OUT, 'python', 'src', pkg.jsii.targets.python.module, '__init__.py');
    if (!tarball || !fs.existsSync(py)) throw new Error(`pacmak wrote no ${tarball ? py : 'dist-jsii/js/*.jsii.tgz'}`);
    console.log(`pacmak: dist-jsii/js/${tarball}, dist-jsii/python (${fs.readFileSync(py, 'utf8').split('\n').length} lines in ${path.relative(ROOT, py)})`);
  } finally {
    fs.rmSync(stage, { recursive: true, force: true });
  }
}

main();
