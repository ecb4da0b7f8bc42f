import { MeshErrors } from '../mesh/errors';
import { MeshSimulation, SimulationResult } from '../simulation';
import { describeRoute, describeVerdict } from '../simulation/describe';
import { Diagnostic, formatDiagnostic } from '../validation';
import { collectFiles } from './files';
import { loadFile } from './load';
import { SimulateArgs } from './simulate-args';

// `cdk8s-istio simulate`: one request against the manifests under the given paths.

/** Exit status of `simulate`: the request is allowed. */
export const SIMULATE_EXIT_ALLOWED = 0;
/** Exit status of `simulate`: the request is denied (or no route rule matches). */
export const SIMULATE_EXIT_DENIED = 1;
/** Exit status of `simulate`: usage error, unreadable input, or a request the manifests cannot answer (unknown gateway). */
export const SIMULATE_EXIT_INPUT = 2;
/** Exit status of `simulate`: the outcome depends on something outside the manifests. */
export const SIMULATE_EXIT_UNKNOWN = 3;

/** Where `simulate` writes and what it reads. */
export interface SimulateIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  readonly readStdin?: () => string;
}

/** Reads the manifests under `paths` (as `validate` does); input errors are returned, warnings dropped. */
export function loadManifests(paths: readonly string[], readStdin?: () => string): { docs: unknown[]; errors: Diagnostic[] } {
  const files: string[] = [];
  const errors: Diagnostic[] = [];
  for (const p of paths) {
    if (p === '-') {
      if (!files.includes(p)) files.push(p);
      continue;
    }
    const c = collectFiles([p]);
    errors.push(...c.problems.filter(d => d.severity === 'error'));
    for (const f of c.files) if (!files.includes(f)) files.push(f);
  }
  const docs: unknown[] = [];
  for (const f of files) {
    const r = loadFile(f, readStdin);
    docs.push(...r.docs.map(d => d.doc));
    errors.push(...r.problems.filter(d => d.severity === 'error'));
  }
  return { docs, errors };
}

/** The text output: the verdict, the route, its retries and timeout, then `explain()`. */
export function simulateText(r: SimulationResult): string[] {
  const lines = [describeVerdict(r), `route: ${describeRoute(r.route)}`];
  if (r.route && !r.route.redirect && !r.route.directResponse) {
    const retries = r.route.retries.attempts === 0 ? 'none'
      : `${r.route.retries.attempts} (${r.route.retries.retryOn ?? ''}${r.route.retries.perTryTimeoutMs !== undefined ? `, per try ${r.route.retries.perTryTimeoutMs}ms` : ''})`;
    lines.push(`retries: ${retries}; timeout: ${r.route.timeoutMs === undefined ? 'none' : `${r.route.timeoutMs}ms`}`);
  }
  return [...lines, '', ...r.explain().split('\n')];
}

/** Runs `simulate` and returns its exit status. */
export function runSimulate(args: SimulateArgs, io: SimulateIo): number {
  const { docs, errors } = loadManifests(args.paths, io.readStdin);
  if (errors.length) {
    for (const d of errors) io.err(formatDiagnostic(d));
    io.err(`cdk8s-istio: cannot simulate: ${errors.length} input error${errors.length === 1 ? '' : 's'}`);
    return SIMULATE_EXIT_INPUT;
  }
  let r: SimulationResult;
  try {
    r = MeshSimulation.fromManifests(docs).request(args.request);
  } catch (e) {
    if (!MeshErrors.isMeshError(e)) throw e;
    io.err(`cdk8s-istio: ${e.message}`);
    return SIMULATE_EXIT_INPUT;
  }
  if (args.format === 'json') io.out(JSON.stringify({ request: args.request, ...r.toJSON(), explain: r.explain().split('\n') }, null, 2));
  else simulateText(r).forEach(l => io.out(l));
  if (r.unknown !== undefined) return SIMULATE_EXIT_UNKNOWN;
  return r.allowed ? SIMULATE_EXIT_ALLOWED : SIMULATE_EXIT_DENIED;
}
