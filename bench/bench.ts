// npm run bench [-- --services N] [--json]
//
// Measures, for a generated mesh of N services (bench/mesh.ts):
//   construct  building the App with the library's constructs
//   synth      app.synth() to a temporary folder, including every validation tier
//   validator  validateManifests() alone over the synthesized documents (after one warm-up pass)
// against a baseline (the identical documents as plain cdk8s ApiObjects, construct + synth with
// no validation) and a floor (yaml stringify of the same documents).
// Without --services, runs N = 100, 1000 and 5000, each in a fresh process, and prints a table.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart } from 'cdk8s';
import { stringify } from 'yaml';
import { MeshContext, validateManifests } from '../lib';
import { buildMesh } from './mesh';

/** One benchmark result (the `--json` output). */
export interface BenchResult {
  readonly services: number;
  readonly documents: number;
  readonly constructMs: number;
  readonly synthMs: number;
  readonly fullMs: number;
  readonly validatorMs: number;
  readonly baselineMs: number;
  readonly floorMs: number;
  readonly ratioToBaseline: number;
  readonly ratioToFloor: number;
  readonly validatorDocsPerSecond: number;
  readonly peakRssMb: number;
}

function time<T>(fn: () => T): [T, number] {
  const start = process.hrtime.bigint();
  const value = fn();
  return [value, Number(process.hrtime.bigint() - start) / 1e6];
}

function tmpdir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-istio-bench-'));
}

function round(n: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

function measure(services: number): BenchResult {
  const outdir = tmpdir();
  try {
    // Full: the library's constructs, synthesized with validation.
    const app = new App({ outdir });
    const [, constructMs] = time(() => buildMesh(app, services));
    const [, synthMs] = time(() => app.synth());

    // The synthesized documents (validation off: it already ran above).
    MeshContext.of(app).validate = false;
    const perChart = app.charts.map(c => ({ id: c.node.id, docs: c.toJson() as any[] }));
    const docs = perChart.flatMap(c => c.docs);

    // The validator alone, in steady state: one warm-up pass, then the measured pass.
    validateManifests(docs);
    const [, validatorMs] = time(() => validateManifests(docs));

    // Baseline: the identical documents as plain ApiObjects, no validation.
    const baseDir = tmpdir();
    const [, baselineMs] = time(() => {
      const raw = new App({ outdir: baseDir });
      for (const c of perChart) {
        const chart = new Chart(raw, c.id);
        c.docs.forEach((doc, i) => new ApiObject(chart, `o${i}`, doc));
      }
      raw.synth();
    });
    fs.rmSync(baseDir, { recursive: true, force: true });

    // Floor: serializing the same documents to YAML.
    const [, floorMs] = time(() => docs.map(d => stringify(d)).join('---\n'));

    const fullMs = constructMs + synthMs;
    return {
      services,
      documents: docs.length,
      constructMs: round(constructMs),
      synthMs: round(synthMs),
      fullMs: round(fullMs),
      validatorMs: round(validatorMs),
      baselineMs: round(baselineMs),
      floorMs: round(floorMs),
      ratioToBaseline: round(fullMs / baselineMs, 2),
      ratioToFloor: round(fullMs / floorMs, 2),
      validatorDocsPerSecond: Math.round(docs.length / (validatorMs / 1000)),
      peakRssMb: round(process.resourceUsage().maxRSS / 1024),
    };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

function table(results: readonly BenchResult[]): string {
  const rows = [
    '| services | documents | construct ms | synth ms (all tiers) | full ms | baseline ms | floor ms | full/baseline | full/floor | validator ms | validator docs/s | peak RSS MB |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...results.map(r => `| ${r.services} | ${r.documents} | ${r.constructMs} | ${r.synthMs} | ${r.fullMs} | ${r.baselineMs} | ${r.floorMs} | ${r.ratioToBaseline} | ${r.ratioToFloor} | ${r.validatorMs} | ${r.validatorDocsPerSecond} | ${r.peakRssMb} |`),
  ];
  return rows.join('\n');
}

function main(argv: string[]): void {
  const json = argv.includes('--json');
  const i = argv.indexOf('--services');
  if (i >= 0) {
    const services = Number(argv[i + 1]);
    if (!Number.isInteger(services) || services < 1) {
      console.error(`bench: --services must be a positive integer, got ${argv[i + 1]}`);
      process.exit(2);
    }
    // Warnings of the generated mesh (e.g. outlier detection's locality failover) are expected.
    console.warn = () => undefined;
    const result = measure(services);
    console.log(json ? JSON.stringify(result) : table([result]));
    return;
  }
  const results = [100, 1000, 5000].map(n => JSON.parse(execFileSync(process.execPath,
    ['-r', 'sucrase/register', __filename, '--services', String(n), '--json'],
    { encoding: 'utf8', maxBuffer: 1 << 26, stdio: ['ignore', 'pipe', 'inherit'] })) as BenchResult);
  console.log(json ? JSON.stringify(results) : table(results));
}

main(process.argv.slice(2));
