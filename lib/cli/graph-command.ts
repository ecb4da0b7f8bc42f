import { MeshErrors } from '../mesh/errors';
import { MeshGraph } from '../mesh-graph';
import { formatDiagnostic } from '../validation';
import { loadManifests, SimulateIo } from './simulate-command';

// `cdk8s-istio graph`: the picture of the mesh that the manifests define.

/** Parsed arguments of `cdk8s-istio graph`. */
export interface GraphArgs {
  readonly command: 'graph';
  /** Files and directories to read, in the order given. */
  readonly paths: readonly string[];
  /** Output format. */
  readonly format: 'mermaid' | 'dot';
}

export const GRAPH_USAGE = `Usage: cdk8s-istio graph <file|dir|->... [--format mermaid|dot]

graph: draws the mesh the manifests define: namespaces (marked when an allow-nothing policy
denies by default), services with their versions (subsets, per-version Services), workloads,
gateways, waypoints and external hosts; routes labelled with matches and weights (shares of
100), the callers each ALLOW AuthorizationPolicy lets through, egress through waypoints.
Reads the paths as validate does. The output is deterministic.

Options:
  --format mermaid|dot  a Mermaid flowchart (default) or a Graphviz digraph

Exit status: 0 drawn, 2 usage error or unreadable input.`;

/** Exit status of `graph`: drawn. */
export const GRAPH_EXIT_OK = 0;
/** Exit status of `graph`: usage error or unreadable input. */
export const GRAPH_EXIT_INPUT = 2;

/** Parses `graph` arguments (after the command). */
export function parseGraphArgs(rest: readonly string[]): GraphArgs | { readonly command: 'usage-error'; readonly message: string } {
  const paths: string[] = [];
  let format: 'mermaid' | 'dot' = 'mermaid';
  let onlyPaths = false;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (onlyPaths || !arg.startsWith('-') || arg === '-') {
      paths.push(arg);
    } else if (arg === '--') {
      onlyPaths = true;
    } else if (arg === '--format' || arg.startsWith('--format=')) {
      const v = arg === '--format' ? rest[++i] : arg.slice('--format='.length);
      if (v !== 'mermaid' && v !== 'dot') return { command: 'usage-error', message: `--format must be one of "mermaid", "dot", got ${v === undefined ? 'nothing' : JSON.stringify(v)}` };
      format = v;
    } else {
      return { command: 'usage-error', message: `unknown option ${JSON.stringify(arg)}` };
    }
  }
  if (paths.length === 0) return { command: 'usage-error', message: 'no file or directory given' };
  return { command: 'graph', paths, format };
}

/** Runs `graph` and returns its exit status. */
export function runGraph(args: GraphArgs, io: SimulateIo): number {
  const { docs, errors } = loadManifests(args.paths, io.readStdin);
  if (errors.length) {
    for (const d of errors) io.err(formatDiagnostic(d));
    io.err(`cdk8s-istio: cannot draw the graph: ${errors.length} input error${errors.length === 1 ? '' : 's'}`);
    return GRAPH_EXIT_INPUT;
  }
  let graph: MeshGraph;
  try {
    graph = MeshGraph.fromManifests(docs);
  } catch (e) {
    if (!MeshErrors.isMeshError(e)) throw e;
    io.err(`cdk8s-istio: ${e.message}`);
    return GRAPH_EXIT_INPUT;
  }
  io.out(args.format === 'dot' ? graph.toDot() : graph.toMermaid());
  return GRAPH_EXIT_OK;
}
