// Phase e: the adversarial graph sets (bench/adversarial.ts) at growing sizes through the
// cross-resource tier, with the growth factor; and the check that the indexed analyzers report
// exactly what the naive ones (bench/reference/) report on them.
import { createHash } from 'crypto';
import { analyzeGraph } from '../lib/validation/graph';
import { ADVERSARIAL_SETS } from './adversarial';
import { REFERENCE_ANALYZERS } from './reference';
import { child, cpuTime, median, round, time } from './util';

/** One size of one set. */
export interface GraphPoint {
  readonly objects: number;
  /** Median CPU time of `analyzeGraph` (this process, user + system), ms. */
  readonly cpuMs: number;
  /** Median wall time, ms. */
  readonly wallMs: number;
  /** Findings by code. */
  readonly findings: Record<string, number>;
  /** SHA-256 of the findings (JSON), to compare runs. */
  readonly digest: string;
  /** Whether the naive reference analyzers were run on this size, and agreed. */
  readonly reference: 'same' | 'different' | 'not run';
  readonly referenceCpuMs?: number;
}

/** One adversarial set at every size. */
export interface GraphSetResult {
  readonly name: string;
  readonly what: string;
  readonly points: readonly GraphPoint[];
  /** CPU time at the largest size over the one before (e.g. 8k over 4k). */
  readonly growth: number;
}

/** Runs one set at `sizes` in this process; the reference check on sizes ≤ `checkUpTo`. */
export function runGraphSet(name: string, sizes: readonly number[], checkUpTo: number): GraphSetResult {
  const set = ADVERSARIAL_SETS.find(s => s.name === name);
  if (!set) throw new Error(`bench: unknown adversarial set ${name}`);
  // Warm-up: compile the analyzers on a small set first.
  const warm = set.generate(250);
  for (let i = 0; i < 3; i++) analyzeGraph(warm);
  const points: GraphPoint[] = sizes.map(n => {
    const docs = set.generate(n);
    const cpu: number[] = [];
    const wall: number[] = [];
    let out: ReturnType<typeof analyzeGraph> = [];
    for (let r = 0; r < 5; r++) {
      // Collect the garbage of earlier runs first, so that no run pays for another's (the child
      // runs with --expose-gc).
      (globalThis as { gc?: () => void }).gc?.();
      const [[found, c], w] = time(() => cpuTime(() => analyzeGraph(docs)));
      out = found;
      cpu.push(c);
      wall.push(w);
    }
    const text = JSON.stringify(out);
    const findings: Record<string, number> = {};
    for (const d of out) findings[d.code] = (findings[d.code] ?? 0) + 1;
    let reference: GraphPoint['reference'] = 'not run';
    let referenceCpuMs: number | undefined;
    if (n <= checkUpTo) {
      const [naive, c] = cpuTime(() => analyzeGraph(docs, {}, REFERENCE_ANALYZERS));
      reference = JSON.stringify(naive) === text ? 'same' : 'different';
      referenceCpuMs = round(c);
    }
    return {
      objects: docs.length, cpuMs: round(median(cpu)), wallMs: round(median(wall)), findings,
      digest: createHash('sha256').update(text).digest('hex').slice(0, 16), reference, referenceCpuMs,
    };
  });
  const last = points[points.length - 1];
  const before = points[points.length - 2];
  return { name: set.name, what: set.what, points, growth: before ? round(last.cpuMs / before.cpuMs, 2) : NaN };
}

/** Phase e: every set in its own fresh process. */
export function measureGraph(sizes: readonly number[], checkUpTo: number): GraphSetResult[] {
  return ADVERSARIAL_SETS.map(s => child<GraphSetResult>(['--phase', 'graph-set', '--set', s.name, '--sizes', sizes.join(','), '--check-up-to', String(checkUpTo)]));
}
