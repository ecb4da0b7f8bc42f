// The tables, the goals of issue #18 and BENCHMARKS.md, from one run's figures.
import type { BenchReport } from './bench';
import type { CliColdResult, CliSmallResult } from './cli-phase';
import type { ExtraPhase } from './extra-phases';
import type { GraphSetResult } from './graph-phase';
import type { SynthResult } from './synth-phase';

/** One goal of the issue and whether this run met it. */
export interface Goal {
  readonly goal: string;
  readonly result: string;
  readonly met: boolean | null;
}

type Figures = { synth: SynthResult[]; cliCold?: CliColdResult; cliSmall?: CliSmallResult; graph: GraphSetResult[] };

/** The goals of issue #18 ("Done when"), evaluated on the figures (null: not measured in this run). */
export function evaluateGoals(f: Figures): Goal[] {
  const goals: Goal[] = [];
  const at = (n: number) => f.synth.find(s => s.services === n);
  const s1 = at(1000);
  const s10 = at(10000);
  goals.push({ goal: '1. full synth N = 1,000 ≤ 1.6× raw cdk8s', met: s1 ? s1.ratioToBaseline <= 1.6 : null,
    result: s1 ? `${s1.ratioToBaseline}× (${s1.fullMs} ms vs ${s1.baselineMs} ms)` : 'not measured' });
  goals.push({ goal: '1. full synth N = 10,000 ≤ 1.7× raw cdk8s, peak RSS ≤ 1 GiB', met: s10 ? s10.ratioToBaseline <= 1.7 && s10.peakRssMb <= 1024 : null,
    result: s10 ? `${s10.ratioToBaseline}× (${s10.fullMs} ms vs ${s10.baselineMs} ms), ${s10.peakRssMb} MB` : 'not measured' });
  const c = f.cliCold;
  goals.push({ goal: '2. CLI cold on ≥ 10k documents ≤ 3× the js-yaml parse floor', met: c ? c.documents >= 10000 && c.ratioToFloor <= 3 : null,
    result: c ? `${c.ratioToFloor}× (${c.cliMs} ms vs ${c.floorMs} ms, ${c.documents} documents)` : 'not measured' });
  const sm = f.cliSmall;
  goals.push({ goal: '3. CLI on one small file ≤ 0.5 s wall', met: sm ? sm.cliMs <= 500 : null,
    result: sm ? `${sm.cliMs} ms (node -e 0: ${sm.nodeMs} ms)` : 'not measured' });
  goals.push({ goal: '4. warm engine ≥ 35,000 docs/s', met: f.synth.length ? f.synth.every(s => s.validatorDocsPerSecond >= 35000) : null,
    result: f.synth.length ? f.synth.map(s => `${s.validatorDocsPerSecond} docs/s at ${s.documents} documents`).join('; ') : 'not measured' });
  const largest = (g: GraphSetResult) => g.points[g.points.length - 1];
  goals.push({ goal: '5. each adversarial set: largest size ≤ 1 s, growth over the size before ≤ 2.5×', met: f.graph.length ? f.graph.every(g => largest(g).cpuMs <= 1000 && g.growth <= 2.5) : null,
    result: f.graph.length ? f.graph.map(g => `${g.name} ${largest(g).cpuMs} ms, ${g.growth}×`).join('; ') : 'not measured' });
  const checked = f.graph.flatMap(g => g.points.filter(p => p.reference !== 'not run'));
  goals.push({ goal: '6. the same findings as the naive reference analyzers on the adversarial sets', met: checked.length ? checked.every(p => p.reference === 'same') : null,
    result: checked.length ? `${checked.filter(p => p.reference === 'same').length} of ${checked.length} checked set sizes agree` : 'not measured' });
  return goals;
}

function table(head: readonly string[], rows: readonly (readonly unknown[])[], align?: string): string {
  return [`| ${head.join(' | ')} |`, `|${align ?? head.map(() => '---:').join('|')}|`, ...rows.map(r => `| ${r.join(' | ')} |`)].join('\n');
}

function codes(findings: Record<string, number>): string {
  return Object.entries(findings).map(([c, n]) => `${c} ×${n}`).join(', ') || 'none';
}

/** The tables of every measured phase (markdown). */
export function renderTables(r: BenchReport, extras: readonly ExtraPhase[]): string {
  const out: string[] = [];
  if (r.synth.length) {
    out.push('### a, d, f: full synth vs raw cdk8s, the warm engine, peak RSS', '', table(
      ['services', 'documents', 'construct ms', 'synth ms (all tiers)', 'full ms', 'baseline ms', 'floor ms', 'full/baseline', 'full/floor', 'warm engine ms', 'warm engine docs/s', 'peak RSS MB (full)', 'peak RSS MB (baseline)'],
      r.synth.map(s => [s.services, s.documents, s.constructMs, s.synthMs, s.fullMs, s.baselineMs, s.floorMs, s.ratioToBaseline, s.ratioToFloor, s.validatorMs, s.validatorDocsPerSecond, s.peakRssMb, s.baselinePeakRssMb])), '');
  }
  if (r.cliCold) {
    const c = r.cliCold;
    out.push('### b: the CLI cold vs the js-yaml parse floor (fresh processes)', '', table(
      ['services', 'documents', 'files', 'MB of YAML', 'CLI ms', 'js-yaml floor ms', 'CLI/floor', 'CLI docs/s', 'CLI peak RSS MB', 'CLI exit status'],
      [[c.services, c.documents, c.files, c.megabytes, c.cliMs, c.floorMs, c.ratioToFloor, c.cliDocsPerSecond, c.cliPeakRssMb, c.cliExitCode]]), '');
  }
  if (r.cliSmall) {
    const c = r.cliSmall;
    out.push('### c: the CLI on one small file vs `node -e 0` (fresh processes)', '', table(
      ['CLI ms', 'node -e 0 ms', 'CLI overhead ms', 'CLI peak RSS MB', 'CLI loads cdk8s/constructs'],
      [[c.cliMs, c.nodeMs, c.overheadMs, c.cliPeakRssMb, c.loadsCdk8s ? 'yes' : 'no']]), '');
  }
  if (r.graph.length) {
    const sizes = r.graph[0].points.map(p => p.objects);
    out.push('### e: adversarial graph sets, cross-resource tier (CPU ms, median of 5, heap collected before each; fresh process per set)', '', table(
      ['set', ...sizes.map(n => `${n}`), 'growth (last/previous)', 'wall ms (largest)', 'findings (largest)', 'reference check'],
      r.graph.map(g => [g.name, ...g.points.map(p => p.cpuMs), `${g.growth}×`, g.points[g.points.length - 1].wallMs, codes(g.points[g.points.length - 1].findings),
        g.points.filter(p => p.reference !== 'not run').map(p => `${p.objects}: ${p.reference}${p.referenceCpuMs !== undefined ? ` (naive ${p.referenceCpuMs} ms)` : ''}`).join(', ') || 'not run'])), '');
  }
  for (const e of extras) {
    const figures = r.extra[e.name];
    if (!figures) continue;
    out.push(`### ${e.name}: ${e.description}`, '', table(Object.keys(figures), [Object.values(figures)]), '');
  }
  out.push('### Goals (issue #18)', '', table(['goal', 'result', 'met'], r.goals.map(g => [g.goal, g.result, g.met === null ? 'not measured' : g.met ? '**met**' : '**not met**']), '---|---|---'));
  return out.join('\n');
}

/** BENCHMARKS.md. */
export function renderReport(r: BenchReport, extras: readonly ExtraPhase[]): string {
  const m = r.machine;
  return `# Benchmarks

Generated by \`${r.command} --write BENCHMARKS.md\` (do not edit by hand) on ${r.date.slice(0, 10)}
(${r.date}), in ${r.durationS} s. Performance is measured here, never by timed assertions in tests.

Machine: ${m.cores} × ${m.cpus}, ${m.memoryGiB} GiB, ${m.platform}, Node.js ${m.node}; load average at
the end of the run ${m.loadAverage.join(', ')} (the machine is shared: absolute times vary by tens of percent
between runs, ratios measured side by side much less). Each figure is the median over ${r.repeat} fresh
processes unless said otherwise.

## The bench mesh (bench/mesh.ts)

For N services: ceil(N / 50) namespaces, one Chart each, alternately a zero-trust sidecar
namespace and an ambient namespace with a waypoint plus zero trust. Every service has a core
Service, a \`CanaryRoute\` (90/10 with a header match), a \`ResilientService\` (timeout, circuit
breaker, outlier detection, least-request) and an \`allow()\` rule from its predecessor (or the
ingress gateway). N / 20 \`ExternalApi\`s call external hosts: directly with TLS origination from
sidecar namespaces, through a shared egress waypoint from ambient ones.

## Phases

| phase | what is timed |
|---|---|
| a: full | construct + \`app.synth()\` of the bench mesh to a temporary folder, every validation tier included (schema + CEL, admission semantics, cross-resource analysis), in a fresh process |
| a: baseline | the identical documents as plain cdk8s \`ApiObject\`s in the same Charts, construct + \`app.synth()\`, no validation, in a fresh process |
| a: floor | \`yaml\` stringify of the same documents |
| b: CLI cold | \`cdk8s-istio validate --format json <dir>\` as a fresh process on the bench mesh's YAML (one file per chart), wall time |
| b: floor | a fresh \`node\` process that only parses the same files with js-yaml \`loadAll\` |
| c | \`cdk8s-istio validate\` on one clean file (a Service, its VirtualService and DestinationRule: no diagnostics) vs \`node -e 0\`, wall time |
| d: warm engine | \`validateManifests()\` over the synthesized documents in the full process, after one warm-up pass, best of three |
| e | \`analyzeGraph()\` (the cross-resource tier) on each adversarial set (bench/adversarial.ts) at each size, CPU time of the process (median of 5 runs after a warm-up, the heap collected before each run); the findings of the sizes up to the check limit are compared with those of the naive analyzers kept in \`bench/reference/\` |
| f | peak RSS (\`maxRSS\`) of each measured process |
${extras.map(e => `| ${e.name} | ${e.description} |\n`).join('')}
The adversarial sets:

${r.graph.map(g => `- \`${g.name}\`: ${g.what}.`).join('\n')}

## Results

${renderTables(r, extras)}

## Reproduce

\`\`\`sh
npm ci
npm run bench                                   # every phase, as above
npm run bench -- --write BENCHMARKS.md          # and regenerate this file
npm run bench -- --phases a --services 1000 --repeat 1 --json
npm run bench -- --phases e --sizes 1000,2000,4000,8000 --check-up-to 8000
npm run bench -- --help
node bench/profile.js 1000                      # where the time of a full synth goes
\`\`\`

\`--json\` prints every figure of the tables above (\`synth\`, \`cliCold\`, \`cliSmall\`, \`graph\`,
\`extra\`, \`goals\`, \`machine\`, \`date\`).
`;
}
