// Helpers shared by the bench phases: timing, medians, temporary folders, child processes.
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** Runs `fn` and returns its value with the wall time in milliseconds. */
export function time<T>(fn: () => T): [T, number] {
  const start = process.hrtime.bigint();
  const value = fn();
  return [value, Number(process.hrtime.bigint() - start) / 1e6];
}

/** Runs `fn` and returns its value with the CPU time (user + system) of this process in milliseconds. */
export function cpuTime<T>(fn: () => T): [T, number] {
  const start = process.cpuUsage();
  const value = fn();
  const used = process.cpuUsage(start);
  return [value, (used.user + used.system) / 1000];
}

/** A fresh temporary folder. */
export function tmpdir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-istio-bench-'));
}

/** Rounds to `digits` decimals. */
export function round(n: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/** The median (the upper one of an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Peak resident set size of this process so far, in MB. */
export function peakRssMb(): number {
  return round(process.resourceUsage().maxRSS / 1024);
}

/** The bench script itself, for child processes. */
const BENCH = path.join(__dirname, 'bench.ts');

/** Runs a phase of the bench in a fresh Node.js process and returns what it prints as JSON. */
export function child<T>(args: readonly string[]): T {
  const out = execFileSync(process.execPath, ['--expose-gc', '-r', 'sucrase/register', BENCH, ...args],
    { encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'inherit'] });
  return JSON.parse(out) as T;
}

/** The result of one command run in a fresh process. */
export interface ProcessRun {
  readonly wallMs: number;
  readonly status: number | null;
  readonly peakRssMb: number;
  readonly stdoutBytes: number;
}

const RSS_PRELOAD = path.join(__dirname, 'rss-preload.js');

/**
 * Runs `node <args>` in a fresh process and measures its wall time; a tiny preload module writes
 * the process's peak RSS to a file when it exits.
 */
export function runNode(args: readonly string[], cwd: string): ProcessRun {
  const dir = tmpdir();
  const rssFile = path.join(dir, 'rss');
  try {
    const [r, wallMs] = time(() => spawnSync(process.execPath, ['-r', RSS_PRELOAD, ...args],
      { cwd, encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, CDK8S_ISTIO_BENCH_RSS: rssFile } }));
    if (r.error) throw r.error;
    const rss = fs.existsSync(rssFile) ? Number(fs.readFileSync(rssFile, 'utf8')) : NaN;
    return { wallMs, status: r.status, peakRssMb: round(rss / 1024), stdoutBytes: r.stdout.length };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The machine, for the report. */
export function machine(): { cpus: string; cores: number; memoryGiB: number; node: string; platform: string; loadAverage: number[] } {
  const cpus = os.cpus();
  return {
    cpus: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    loadAverage: os.loadavg().map(l => round(l, 2)),
  };
}
