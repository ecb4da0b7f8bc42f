import { App } from 'cdk8s';
import { ManifestIndex } from '../simulation/model';
import { unscopedMeshError } from '../mesh/errors';
import { GraphBuilder } from './build';
import { toDot, toMermaid } from './render';
import { MeshGraphEdge, MeshGraphNamespace, MeshGraphNode, MeshGraphOptions } from './types';

/**
 * A picture of the mesh that a manifest set defines: services (with their versions as
 * subgroups), workloads, gateways, waypoints and external hosts, grouped by namespace; route
 * edges labelled with matches and weights (as shares of 100, weights being relative), allow
 * edges from the callers each ALLOW AuthorizationPolicy names, egress through waypoints.
 * Namespaces covered by an allow-nothing policy are marked "deny by default".
 *
 * ```ts
 * const graph = MeshGraph.fromApp(app);
 * fs.writeFileSync('mesh.mmd', graph.toMermaid());
 * ```
 *
 * Same input, same text: nodes and edges are sorted, ids are assigned in that order.
 */
export class MeshGraph {
  /**
   * The graph of plain manifests (parsed YAML, `Testing.synth(chart)` output).
   *
   * @param docs Kubernetes objects; objects without a namespace are in `default`
   */
  public static fromManifests(docs: unknown[], options: MeshGraphOptions = {}): MeshGraph {
    if (!Array.isArray(docs)) throw unscopedMeshError(`MeshGraph.fromManifests needs a list of Kubernetes objects, got ${typeof docs}`);
    return new MeshGraph(docs, options);
  }

  /** The graph of everything an App's charts synthesize (each chart's `toJson()`; nothing is written). */
  public static fromApp(app: App, options: MeshGraphOptions = {}): MeshGraph {
    return new MeshGraph(app.charts.flatMap(c => c.toJson()), options);
  }

  /** Namespaces with at least one object or node, sorted by name. */
  public readonly namespaces: MeshGraphNamespace[];
  /** Nodes, sorted by id. */
  public readonly nodes: MeshGraphNode[];
  /** Edges, sorted by source, target, kind and label. */
  public readonly edges: MeshGraphEdge[];

  private constructor(docs: readonly unknown[], options: MeshGraphOptions) {
    const b = new GraphBuilder(new ManifestIndex(docs), options.rootNamespace ?? 'istio-system', options.clusterDomain ?? 'cluster.local');
    const r = b.result();
    this.namespaces = r.namespaces;
    this.nodes = r.nodes;
    this.edges = r.edges;
  }

  /** A Mermaid flowchart (`flowchart LR`), for Markdown on GitHub and elsewhere. */
  public toMermaid(): string {
    return toMermaid(this);
  }

  /** A Graphviz digraph (`dot -Tsvg`). */
  public toDot(): string {
    return toDot(this);
  }
}
