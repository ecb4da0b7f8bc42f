// Command line of `npm run bench`.

export const USAGE = `Usage: npm run bench -- [options]

Measures, in one run (every measurement in fresh Node.js processes, medians reported):
  a  full synth of the bench mesh (bench/mesh.ts) with every validation tier, against the same
     documents as raw cdk8s ApiObjects (baseline) and YAML stringify (floor)
  b  the CLI cold (\`cdk8s-istio validate\`, fresh process) on the bench mesh's YAML, against a
     parse-only js-yaml run in a fresh process (the floor)
  c  the CLI on one small file, against \`node -e 0\`
  d  the warm in-memory engine (validateManifests, steady state), docs/s
  e  the adversarial graph sets (bench/adversarial.ts) through the cross-resource tier at growing
     sizes, with the growth factor and a check against the naive analyzers (bench/reference/)
  f  peak RSS of every measured process
  plus the extra phases registered in bench/extra-phases.ts

Options:
  --services N[,N...]   mesh sizes for a/d/f (default: 1000,10000)
  --cli-services N      mesh size whose YAML phase b reads (default: 2000, about 12,500 documents)
  --sizes N[,N...]      adversarial set sizes for e, ascending (default: 1000,2000,4000,8000)
  --check-up-to N       run the naive reference analyzers on sizes up to N (default: 2000)
  --repeat R            fresh processes per measurement (default: 3)
  --phases LIST         comma-separated subset of a,b,c,d,e,f and extra phase names (default: all)
  --json                print one JSON object with every figure instead of tables
  --write FILE          also write the report (BENCHMARKS.md) to FILE, with machine and date
  --no-build            do not run \`npm run build\` first (phases b and c run the built CLI)
  -h, --help            show this help

Exit status: 0 done (goals met or not: see the report), 1 the indexed analyzers' findings differ
from the reference, 2 usage error.`;

/** Parsed options. */
export interface BenchOptions {
  readonly services: number[];
  readonly cliServices: number;
  readonly sizes: number[];
  readonly checkUpTo: number;
  readonly repeat: number;
  readonly phases: ReadonlySet<string>;
  readonly json: boolean;
  readonly write?: string;
  readonly build: boolean;
}

/** An internal child-process phase. */
export interface InternalPhase {
  readonly phase: string;
  readonly values: ReadonlyMap<string, string>;
}

const PHASES = ['a', 'b', 'c', 'd', 'e', 'f'];
const VALUE_OPTIONS = ['--services', '--cli-services', '--sizes', '--check-up-to', '--repeat', '--phases', '--write'];
const INTERNAL = ['--phase', '--docs', '--set', '--name'];

function positive(name: string, text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < 1) throw new UsageError(`${name} must be a positive integer, got ${JSON.stringify(text)}`);
  return n;
}

function positives(name: string, text: string): number[] {
  return text.split(',').map(t => positive(name, t.trim()));
}

/** A usage error: printed with the usage, exit status 2. */
export class UsageError extends Error {}

/**
 * Parses the command line. Returns 'help', the options of a run, or an internal phase (the bench
 * runs itself with `--phase ...` in child processes). Throws UsageError.
 */
export function parseBenchArgs(argv: readonly string[], extraNames: readonly string[]): 'help' | BenchOptions | InternalPhase {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-h' || arg === '--help') return 'help';
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    if (VALUE_OPTIONS.includes(name) || INTERNAL.includes(name)) {
      const value = eq > 0 && name !== arg ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined || (value.startsWith('-') && name === arg)) throw new UsageError(`${name} needs a value`);
      values.set(name, value);
    } else if (arg === '--json' || arg === '--no-build') {
      flags.add(arg);
    } else {
      throw new UsageError(arg.startsWith('-') ? `unknown option ${JSON.stringify(arg)}` : `unexpected argument ${JSON.stringify(arg)}`);
    }
  }
  const phase = values.get('--phase');
  if (phase !== undefined) return { phase, values };
  for (const name of INTERNAL) if (values.has(name)) throw new UsageError(`${name} is internal (used with --phase)`);
  const phases = new Set((values.get('--phases') ?? [...PHASES, ...extraNames].join(',')).split(',').map(p => p.trim()));
  for (const p of phases) {
    if (!PHASES.includes(p) && !extraNames.includes(p)) throw new UsageError(`--phases: unknown phase ${JSON.stringify(p)} (known: ${[...PHASES, ...extraNames].join(', ')})`);
  }
  // d (the warm engine) and f (peak RSS of the synth) are measured in the processes of a.
  if (phases.has('d') || phases.has('f')) phases.add('a');
  const sizes = positives('--sizes', values.get('--sizes') ?? '1000,2000,4000,8000');
  if (sizes.some((n, i) => i > 0 && n <= sizes[i - 1])) throw new UsageError('--sizes must be ascending');
  return {
    services: positives('--services', values.get('--services') ?? '1000,10000'),
    cliServices: positive('--cli-services', values.get('--cli-services') ?? '2000'),
    sizes,
    checkUpTo: positive('--check-up-to', values.get('--check-up-to') ?? '2000'),
    repeat: positive('--repeat', values.get('--repeat') ?? '3'),
    phases,
    json: flags.has('--json'),
    write: values.get('--write'),
    build: !flags.has('--no-build'),
  };
}
