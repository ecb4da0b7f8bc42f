#!/usr/bin/env node
// Where the time of a full synth goes: runs the benchmark's full phase for N services under the
// V8 CPU profiler and prints inclusive milliseconds per area.
//   node bench/profile.js [N]        (default 1000)
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const services = Number(process.argv[2] ?? 1000);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-istio-profile-'));
execFileSync(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, '-r', 'sucrase/register', path.join(__dirname, 'bench.ts'),
  '--phase', 'full', '--services', String(services), '--docs', path.join(dir, 'docs.json')], { stdio: ['ignore', 'ignore', 'inherit'] });
const file = fs.readdirSync(dir).find(f => f.endsWith('.cpuprofile'));
const profile = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
fs.rmSync(dir, { recursive: true, force: true });

// Areas, matched against the call stack from the innermost frame outwards; first match wins.
const AREAS = [
  ['YAML output (cdk8s Yaml.save)', f => f.functionName === 'save' && f.url.endsWith('cdk8s/lib/yaml.js')],
  ['validation: schema + CEL', f => f.url.includes('/lib/validation/schema/')],
  ['validation: semantics', f => f.url.includes('/lib/validation/semantics/')],
  ['validation: graph', f => f.url.includes('/lib/validation/graph/')],
  ['rendering objects for validation', f => f.functionName === 'validateApp'],
  ['rendering charts for output (cdk8s toJson)', f => f.functionName === 'toJson' && f.url.endsWith('cdk8s/lib/chart.js')],
  ['building the constructs', f => f.functionName === 'buildMesh'],
  ['cdk8s validate() walk', f => f.functionName === 'validate' && f.url.endsWith('cdk8s/lib/app.js')],
  ['module loading', f => f.functionName === 'require'],
];
const nodes = new Map(profile.nodes.map(n => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const totals = new Map();
let total = 0;
profile.samples.forEach((id, i) => {
  const dt = (profile.timeDeltas[i] ?? 0) / 1000;
  total += dt;
  let area = 'other';
  for (let cur = id; cur !== undefined && area === 'other'; cur = parent.get(cur)) {
    const frame = nodes.get(cur).callFrame;
    const hit = AREAS.find(([, test]) => test(frame));
    if (hit) area = hit[0];
  }
  totals.set(area, (totals.get(area) ?? 0) + dt);
});
console.log(`profile of the full phase, ${services} services: ${Math.round(total)} ms sampled (profiler overhead included)`);
for (const [area, ms] of [...totals.entries()].sort((a, b) => b[1] - a[1])) {
  console.log(`${String(Math.round(ms)).padStart(7)} ms  ${(100 * ms / total).toFixed(1).padStart(5)}%  ${area}`);
}
