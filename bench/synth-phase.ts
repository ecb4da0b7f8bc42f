// Phases a (full synth vs raw cdk8s), d (the warm in-memory engine) and f (peak RSS).
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart } from 'cdk8s';
import { stringify } from 'yaml';
import { MeshContext } from '../lib';
import { validateManifests } from '../lib/tools';
import { buildMesh } from './mesh';
import { child, median, peakRssMb, round, time, tmpdir } from './util';

/** Phase a/d/f result for one mesh size (medians over the fresh processes). */
export interface SynthResult {
  readonly services: number;
  readonly documents: number;
  readonly constructMs: number;
  readonly synthMs: number;
  readonly fullMs: number;
  readonly baselineMs: number;
  readonly floorMs: number;
  readonly ratioToBaseline: number;
  readonly ratioToFloor: number;
  readonly validatorMs: number;
  readonly validatorDocsPerSecond: number;
  readonly peakRssMb: number;
  readonly baselinePeakRssMb: number;
  readonly runs: number;
}

/** What one "full" process reports. */
export interface FullRun {
  readonly documents: number;
  readonly constructMs: number;
  readonly synthMs: number;
  readonly validatorMs: number;
  readonly peakRssMb: number;
}

/** What one "baseline" process reports. */
export interface BaselineRun {
  readonly baselineMs: number;
  readonly floorMs: number;
  readonly peakRssMb: number;
}

/**
 * Phase "full" (own process): the library's constructs, synthesized with every validation tier;
 * then the synthesized documents (per chart) are written to `docsFile` and validated again in
 * steady state (one warm-up pass, then the best of three).
 */
export function runFull(services: number, docsFile: string): FullRun {
  const outdir = tmpdir();
  try {
    const app = new App({ outdir });
    const [, constructMs] = time(() => buildMesh(app, services));
    const [, synthMs] = time(() => app.synth());
    const rss = peakRssMb();

    MeshContext.of(app).validate = false;
    const perChart = app.charts.map(c => ({ id: c.node.id, docs: c.toJson() as any[] }));
    const docs = perChart.flatMap(c => c.docs);
    fs.writeFileSync(docsFile, JSON.stringify(perChart));

    validateManifests(docs);
    const validatorMs = Math.min(...[0, 1, 2].map(() => time(() => validateManifests(docs))[1]));
    return { documents: docs.length, constructMs, synthMs, validatorMs, peakRssMb: rss };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/**
 * Phase "baseline" (own process): the identical documents as plain ApiObjects in the same
 * Charts, construct + synth with no validation; then the floor, YAML stringify of the documents.
 */
export function runBaseline(docsFile: string): BaselineRun {
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
    const rss = peakRssMb();
    const docs = perChart.flatMap(c => c.docs);
    const [, floorMs] = time(() => docs.map(d => stringify(d)).join('---\n'));
    return { baselineMs, floorMs, peakRssMb: rss };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/**
 * Runs the full and the baseline phase for `services`, alternating, each in a fresh process,
 * `repeat` times, and combines the medians. The documents of the last full run are left in
 * `docsFile` (per chart) for the phases that need the bench mesh.
 */
export function measureSynth(services: number, repeat: number, docsFile: string): SynthResult {
  const fulls: FullRun[] = [];
  const bases: BaselineRun[] = [];
  for (let r = 0; r < repeat; r++) {
    fulls.push(child<FullRun>(['--phase', 'full', '--services', String(services), '--docs', docsFile]));
    bases.push(child<BaselineRun>(['--phase', 'baseline', '--docs', docsFile]));
  }
  const fullMs = median(fulls.map(f => f.constructMs + f.synthMs));
  const full = fulls.find(f => f.constructMs + f.synthMs === fullMs)!;
  const baselineMs = median(bases.map(b => b.baselineMs));
  const floorMs = median(bases.map(b => b.floorMs));
  const validatorMs = median(fulls.map(f => f.validatorMs));
  return {
    services,
    documents: full.documents,
    constructMs: round(full.constructMs),
    synthMs: round(full.synthMs),
    fullMs: round(fullMs),
    baselineMs: round(baselineMs),
    floorMs: round(floorMs),
    ratioToBaseline: round(fullMs / baselineMs, 2),
    ratioToFloor: round(fullMs / floorMs, 2),
    validatorMs: round(validatorMs),
    validatorDocsPerSecond: Math.round(full.documents / (validatorMs / 1000)),
    peakRssMb: Math.max(...fulls.map(f => f.peakRssMb)),
    baselinePeakRssMb: Math.max(...bases.map(b => b.peakRssMb)),
    runs: repeat,
  };
}

/** Writes the documents of `docsFile` as one YAML file per chart into `dir` (as cdk8s synth does). */
export function writeYaml(docsFile: string, dir: string): number {
  const perChart: { id: string; docs: any[] }[] = JSON.parse(fs.readFileSync(docsFile, 'utf8'));
  fs.mkdirSync(dir, { recursive: true });
  let count = 0;
  for (const c of perChart) {
    fs.writeFileSync(path.join(dir, `${c.id}.k8s.yaml`), c.docs.map(d => stringify(d)).join('---\n'));
    count += c.docs.length;
  }
  return count;
}
