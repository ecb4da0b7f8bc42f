// npm run bench [-- --services N] [--json] [--repeat R]
//
// Measures, for a generated mesh of N services (bench/mesh.ts):
//   construct  building the App with the library's constructs
//   synth      app.synth() to a temporary folder, including every validation tier
//   validator  validateManifests() alone over the synthesized documents (best of 3 passes after a warm-up)
// against a baseline (the identical documents as plain cdk8s ApiObjects, construct + synth with
// no validation) and a floor (yaml stringify of the same documents).
// The full run and the baseline each run in a fresh process (as `cdk8s synth` does in CI).
// Each phase runs R times (default 3) and the medians are reported. Without --services, runs
// N = 100, 500, 1000 and 5000 and prints a table.
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

interface FullRun {
  readonly documents: number;
  readonly constructMs: number;
  readonly synthMs: number;
  readonly validatorMs: number;
  readonly peakRssMb: number;
}

interface BaselineRun {
  readonly baselineMs: number;
  readonly floorMs: number;
}

/** Phase "full" (own process): the library's constructs, synthesized with every validation tier. */
function runFull(services: number, docsFile: string): FullRun {
  const outdir = tmpdir();
  try {
    const app = new App({ outdir });
    const [, constructMs] = time(() => buildMesh(app, services));
    const [, synthMs] = time(() => app.synth());

    // The synthesized documents, per chart (validation off: it already ran above).
    MeshContext.of(app).validate = false;
    const perChart = app.charts.map(c => ({ id: c.node.id, docs: c.toJson() as any[] }));
    const docs = perChart.flatMap(c => c.docs);
    fs.writeFileSync(docsFile, JSON.stringify(perChart));

    // The validator alone, in steady state: one warm-up pass, then the best of three passes.
    validateManifests(docs);
    const validatorMs = Math.min(...[0, 1, 2].map(() => time(() => validateManifests(docs))[1]));
    return { documents: docs.length, constructMs, synthMs, validatorMs, peakRssMb: process.resourceUsage().maxRSS / 1024 };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/**
 * Phase "baseline" (own process, so that the full run's warm-up does not help it): the identical
 * documents as plain ApiObjects, construct + synth with no validation; then the floor, YAML
 * stringify of the same documents.
 */
function runBaseline(docsFile: string): BaselineRun {
  const perChart: { id: string; docs: any[] }[] = JSON.parse(fs.readFileSync(docsFile, 'utf8'));
  const outdir = tmpdir();
  try {
    const [, baselineMs] = time(() => {
      const raw = new App({ outdir });
      for (const c of perChart) {
        const chart = new Chart(raw, c.id);
        c.docs.forEach((doc, i) => new ApiObject(chart, `o${i}`, doc));
      }
      raw.synth();
    });
    const docs = perChart.flatMap(c => c.docs);
    const [, floorMs] = time(() => docs.map(d => stringify(d)).join('---\n'));
    return { baselineMs, floorMs };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

function child<T>(args: string[]): T {
  return JSON.parse(execFileSync(process.execPath, ['-r', 'sucrase/register', __filename, ...args],
    { encoding: 'utf8', maxBuffer: 1 << 26, stdio: ['ignore', 'pipe', 'inherit'] })) as T;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/**
 * Runs both phases for `services`, each in a fresh process, `repeat` times, and combines the
 * medians (this 2-core VM's timings vary by ±30% from run to run).
 */
function measure(services: number, repeat: number): BenchResult {
  const dir = tmpdir();
  const docsFile = path.join(dir, 'docs.json');
  try {
    const fulls: FullRun[] = [];
    const bases: BaselineRun[] = [];
    for (let r = 0; r < repeat; r++) {
      fulls.push(child<FullRun>(['--phase', 'full', '--services', String(services), '--docs', docsFile]));
      bases.push(child<BaselineRun>(['--phase', 'baseline', '--docs', docsFile]));
    }
    const full = fulls.find(f => f.constructMs + f.synthMs === median(fulls.map(x => x.constructMs + x.synthMs)))!;
    const fullMs = full.constructMs + full.synthMs;
    const baselineMs = median(bases.map(b => b.baselineMs));
    const floorMs = median(bases.map(b => b.floorMs));
    const validatorMs = median(fulls.map(f => f.validatorMs));
    return {
      services,
      documents: full.documents,
      constructMs: round(full.constructMs),
      synthMs: round(full.synthMs),
      fullMs: round(fullMs),
      validatorMs: round(validatorMs),
      baselineMs: round(baselineMs),
      floorMs: round(floorMs),
      ratioToBaseline: round(fullMs / baselineMs, 2),
      ratioToFloor: round(fullMs / floorMs, 2),
      validatorDocsPerSecond: Math.round(full.documents / (validatorMs / 1000)),
      peakRssMb: round(Math.max(...fulls.map(f => f.peakRssMb))),
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
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

function option(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

function main(argv: string[]): void {
  // Warnings of the generated mesh (e.g. about outlier detection) are expected.
  console.warn = () => undefined;
  const phase = option(argv, '--phase');
  const docsFile = option(argv, '--docs');
  if (phase === 'full' && docsFile) {
    console.log(JSON.stringify(runFull(Number(option(argv, '--services')), docsFile)));
    return;
  }
  if (phase === 'baseline' && docsFile) {
    console.log(JSON.stringify(runBaseline(docsFile)));
    return;
  }
  const json = argv.includes('--json');
  const repeat = Number(option(argv, '--repeat') ?? 3);
  if (!Number.isInteger(repeat) || repeat < 1) {
    console.error(`bench: --repeat must be a positive integer, got ${option(argv, '--repeat')}`);
    process.exit(2);
  }
  const requested = option(argv, '--services');
  if (requested !== undefined) {
    const services = Number(requested);
    if (!Number.isInteger(services) || services < 1) {
      console.error(`bench: --services must be a positive integer, got ${requested}`);
      process.exit(2);
    }
    const result = measure(services, repeat);
    console.log(json ? JSON.stringify(result) : table([result]));
    return;
  }
  const results = DEFAULT_SIZES.map(n => measure(n, repeat));
  console.log(json ? JSON.stringify(results) : table(results));
}

/** Mesh sizes of the default run (500 shows linear growth against 5,000). */
const DEFAULT_SIZES = [100, 500, 1000, 5000];

main(process.argv.slice(2));
