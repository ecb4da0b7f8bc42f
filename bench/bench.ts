// npm run bench [-- options]: see USAGE in bench/args.ts (`npm run bench -- --help`).
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { BenchOptions, InternalPhase, parseBenchArgs, USAGE, UsageError } from './args';
import { CliColdResult, CliSmallResult, measureCliCold, measureCliSmall } from './cli-phase';
import { EXTRA_PHASES } from './extra-phases';
import { GraphSetResult, measureGraph, runGraphSet } from './graph-phase';
import { evaluateGoals, Goal, renderReport, renderTables } from './report';
import { measureSynth, runBaseline, runFull, SynthResult, writeYaml } from './synth-phase';
import { child, machine, tmpdir } from './util';

/** Everything one run measured (the `--json` output). */
export interface BenchReport {
  readonly date: string;
  readonly machine: ReturnType<typeof machine>;
  readonly command: string;
  readonly repeat: number;
  readonly synth: SynthResult[];
  readonly cliCold?: CliColdResult;
  readonly cliSmall?: CliSmallResult;
  readonly graph: GraphSetResult[];
  readonly extra: Record<string, Record<string, number>>;
  readonly goals: Goal[];
  readonly durationS: number;
}

function progress(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

function runInternal(p: InternalPhase): void {
  const v = (name: string): string => {
    const value = p.values.get(name);
    if (value === undefined) throw new UsageError(`--phase ${p.phase} needs ${name}`);
    return value;
  };
  let out: unknown;
  switch (p.phase) {
    case 'full': out = runFull(Number(v('--services')), v('--docs')); break;
    case 'baseline': out = runBaseline(v('--docs')); break;
    case 'graph-set': out = runGraphSet(v('--set'), v('--sizes').split(',').map(Number), Number(v('--check-up-to'))); break;
    case 'extra': {
      const extra = EXTRA_PHASES.find(e => e.name === v('--name'));
      if (!extra) throw new UsageError(`unknown extra phase ${v('--name')}`);
      const perChart: { docs: unknown[] }[] = JSON.parse(fs.readFileSync(v('--docs'), 'utf8'));
      out = extra.run({ services: extra.services ?? 1000, docs: perChart.flatMap(c => c.docs) });
      break;
    }
    default: throw new UsageError(`unknown internal phase ${JSON.stringify(p.phase)}`);
  }
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

function run(o: BenchOptions, argv: readonly string[]): BenchReport {
  const started = Date.now();
  const dir = tmpdir();
  try {
    if (o.build && (o.phases.has('b') || o.phases.has('c'))) {
      progress('npm run build (phases b and c run the built CLI)');
      execFileSync('npm', ['run', '--silent', 'build'], { cwd: path.join(__dirname, '..'), stdio: ['ignore', 'ignore', 'inherit'] });
    }
    const docsFiles = new Map<number, string>();
    const docsFor = (services: number): string => {
      let file = docsFiles.get(services);
      if (!file) {
        file = path.join(dir, `docs-${services}.json`);
        progress(`synthesizing the bench mesh of ${services} services`);
        child(['--phase', 'full', '--services', String(services), '--docs', file]);
        docsFiles.set(services, file);
      }
      return file;
    };
    const synth: SynthResult[] = [];
    if (o.phases.has('a')) {
      for (const n of o.services) {
        progress(`a/d/f: full synth vs raw cdk8s, ${n} services, ${o.repeat} runs`);
        const file = path.join(dir, `docs-${n}.json`);
        synth.push(measureSynth(n, o.repeat, file));
        docsFiles.set(n, file);
      }
    }
    let cliCold: CliColdResult | undefined;
    if (o.phases.has('b')) {
      const yamlDir = path.join(dir, 'yaml');
      const documents = writeYaml(docsFor(o.cliServices), yamlDir);
      progress(`b: the CLI cold on ${documents} documents vs js-yaml, ${o.repeat} runs`);
      cliCold = measureCliCold(yamlDir, o.cliServices, documents, o.repeat);
    }
    let cliSmall: CliSmallResult | undefined;
    if (o.phases.has('c')) {
      progress('c: the CLI on one small file vs node -e 0');
      cliSmall = measureCliSmall(Math.max(5, o.repeat));
    }
    let graph: GraphSetResult[] = [];
    if (o.phases.has('e')) {
      progress(`e: adversarial graph sets at ${o.sizes.join(', ')} objects (reference check up to ${o.checkUpTo})`);
      graph = measureGraph(o.sizes, o.checkUpTo);
    }
    const extra: Record<string, Record<string, number>> = {};
    for (const e of EXTRA_PHASES) {
      if (!o.phases.has(e.name)) continue;
      progress(`${e.name}: ${e.description}`);
      extra[e.name] = child(['--phase', 'extra', '--name', e.name, '--docs', docsFor(e.services ?? 1000)]);
    }
    const partial = { synth, cliCold, cliSmall, graph };
    return {
      date: new Date().toISOString(), machine: machine(), command: ['npm run bench', ...(argv.length ? ['--', ...argv] : [])].join(' '),
      repeat: o.repeat, ...partial, extra, goals: evaluateGoals(partial), durationS: Math.round((Date.now() - started) / 1000),
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function main(argv: string[]): number {
  // Warnings of the generated mesh (e.g. about outlier detection) are expected.
  console.warn = () => undefined;
  let parsed: ReturnType<typeof parseBenchArgs>;
  try {
    parsed = parseBenchArgs(argv, EXTRA_PHASES.map(e => e.name));
    if (parsed === 'help') {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    if ('phase' in parsed) {
      runInternal(parsed);
      return 0;
    }
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`bench: ${e.message}\n${USAGE}\n`);
    return 2;
  }
  const report = run(parsed, argv);
  process.stdout.write(parsed.json ? `${JSON.stringify(report, null, 2)}\n` : `${renderTables(report, EXTRA_PHASES)}\n`);
  if (parsed.write) {
    fs.writeFileSync(parsed.write, renderReport(report, EXTRA_PHASES));
    progress(`wrote ${parsed.write}`);
  }
  const different = report.graph.some(s => s.points.some(p => p.reference === 'different'));
  if (different) progress('the indexed analyzers report different findings than the reference analyzers (bench/reference/)');
  return different ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
