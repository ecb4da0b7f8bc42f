import { MeshGraphEdge, MeshGraphEdgeKind, MeshGraphNamespace, MeshGraphNode, MeshGraphNodeKind } from './types';

// Mermaid flowchart and Graphviz dot text of a mesh graph. Nodes get short ids (n1, n2, ...) in
// their sorted order, so equal graphs give byte-identical text.

/** The graph as the renderers see it. */
export interface GraphData {
  readonly namespaces: readonly MeshGraphNamespace[];
  readonly nodes: readonly MeshGraphNode[];
  readonly edges: readonly MeshGraphEdge[];
}

/** Namespace title: `shop (deny by default)`, `payments (ambient, deny by default)`. */
export function namespaceTitle(ns: MeshGraphNamespace): string {
  const notes = [...(ns.ambient ? ['ambient'] : []), ...(ns.denyByDefault ? ['deny by default'] : [])];
  return notes.length ? `${ns.name} (${notes.join(', ')})` : ns.name;
}

/** What is drawn where: namespaces with their nodes (versions grouped under their service), then the rest. */
interface Layout {
  readonly ids: Map<string, string>;
  readonly namespaces: Array<{ ns: MeshGraphNamespace; nodes: MeshGraphNode[] }>;
  readonly children: Map<string, MeshGraphNode[]>;
  readonly external: MeshGraphNode[];
  readonly loose: MeshGraphNode[];
}

function layout(g: GraphData): Layout {
  const ids = new Map(g.nodes.map((n, i) => [n.id, `n${i + 1}`]));
  const children = new Map<string, MeshGraphNode[]>();
  for (const n of g.nodes) {
    if (n.parent && ids.has(n.parent)) {
      const list = children.get(n.parent) ?? [];
      list.push(n);
      children.set(n.parent, list);
    }
  }
  const top = g.nodes.filter(n => !(n.parent && ids.has(n.parent)));
  const namespaces = g.namespaces.map(ns => ({ ns, nodes: top.filter(n => n.namespace === ns.name) })).filter(x => x.nodes.length > 0);
  const placed = new Set(namespaces.map(x => x.ns.name));
  const rest = top.filter(n => n.namespace === undefined || !placed.has(n.namespace));
  return { ids, namespaces, children, external: rest.filter(n => n.kind === 'external'), loose: rest.filter(n => n.kind !== 'external') };
}

// --- Mermaid --------------------------------------------------------------------------------

function mq(text: string): string {
  return `"${text.replace(/#/g, '#35;').replace(/"/g, '#quot;')}"`;
}

const MERMAID_SHAPE: Record<MeshGraphNodeKind, [string, string]> = {
  service: ['[', ']'],
  version: ['([', '])'],
  workload: ['[[', ']]'],
  gateway: ['{{', '}}'],
  waypoint: ['[/', '/]'],
  external: ['>', ']'],
  identity: ['(', ')'],
  namespace: ['[\\', '\\]'],
};

const MERMAID_ARROW: Record<MeshGraphEdgeKind, string> = {
  route: '-->',
  allow: '-.->',
  egress: '==>',
  waypoint: '-.-',
  selects: '---',
};

/** A Mermaid flowchart (left to right): namespaces and services with versions as subgraphs. */
export function toMermaid(g: GraphData): string {
  const l = layout(g);
  const lines = ['flowchart LR'];
  let groups = 0;
  const node = (n: MeshGraphNode, indent: string) => {
    const [open, close] = MERMAID_SHAPE[n.kind];
    const kids = l.children.get(n.id);
    if (!kids) {
      lines.push(`${indent}${l.ids.get(n.id)}${open}${mq(n.label)}${close}`);
      return;
    }
    lines.push(`${indent}subgraph g${++groups}[${mq(n.label.split(' ')[0])}]`);
    lines.push(`${indent}  ${l.ids.get(n.id)}${open}${mq(n.label)}${close}`);
    for (const k of kids) node(k, `${indent}  `);
    lines.push(`${indent}end`);
  };
  for (const { ns, nodes } of l.namespaces) {
    lines.push(`  subgraph g${++groups}[${mq(namespaceTitle(ns))}]`);
    for (const n of nodes) node(n, '    ');
    lines.push('  end');
  }
  if (l.external.length) {
    lines.push(`  subgraph g${++groups}[${mq('outside the mesh')}]`);
    for (const n of l.external) node(n, '    ');
    lines.push('  end');
  }
  for (const n of l.loose) node(n, '  ');
  for (const e of g.edges) {
    const label = e.label ? `|${mq(e.label)}|` : '';
    lines.push(`  ${l.ids.get(e.from)} ${MERMAID_ARROW[e.kind]}${label} ${l.ids.get(e.to)}`);
  }
  return lines.join('\n');
}

// --- Graphviz dot ---------------------------------------------------------------------------

function dq(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

const DOT_SHAPE: Record<MeshGraphNodeKind, string> = {
  service: 'shape=box',
  version: 'shape=box, style=rounded',
  workload: 'shape=component',
  gateway: 'shape=hexagon',
  waypoint: 'shape=parallelogram',
  external: 'shape=octagon',
  identity: 'shape=ellipse',
  namespace: 'shape=folder',
};

const DOT_EDGE: Record<MeshGraphEdgeKind, string> = {
  route: '',
  allow: 'style=dashed, color="#2e7d32"',
  egress: 'style=bold',
  waypoint: 'style=dotted, arrowhead=none',
  selects: 'arrowhead=none',
};

/** A Graphviz digraph (left to right): namespaces and services with versions as clusters. */
export function toDot(g: GraphData): string {
  const l = layout(g);
  const lines = ['digraph mesh {', '  rankdir=LR;', '  node [fontname="Helvetica", fontsize=10];', '  edge [fontname="Helvetica", fontsize=9];'];
  let groups = 0;
  const node = (n: MeshGraphNode, indent: string) => {
    const kids = l.children.get(n.id);
    const line = `${indent}${l.ids.get(n.id)} [label=${dq(n.label)}, ${DOT_SHAPE[n.kind]}];`;
    if (!kids) {
      lines.push(line);
      return;
    }
    lines.push(`${indent}subgraph cluster_${++groups} {`, `${indent}  label=${dq(n.label.split(' ')[0])};`, `  ${line}`);
    for (const k of kids) node(k, `${indent}  `);
    lines.push(`${indent}}`);
  };
  for (const { ns, nodes } of l.namespaces) {
    lines.push(`  subgraph cluster_${++groups} {`, `    label=${dq(namespaceTitle(ns))};`);
    for (const n of nodes) node(n, '    ');
    lines.push('  }');
  }
  if (l.external.length) {
    lines.push(`  subgraph cluster_${++groups} {`, `    label=${dq('outside the mesh')};`);
    for (const n of l.external) node(n, '    ');
    lines.push('  }');
  }
  for (const n of l.loose) node(n, '  ');
  for (const e of g.edges) {
    const attrs = [...(e.label ? [`label=${dq(e.label)}`] : []), ...(DOT_EDGE[e.kind] ? [DOT_EDGE[e.kind]] : [])];
    lines.push(`  ${l.ids.get(e.from)} -> ${l.ids.get(e.to)}${attrs.length ? ` [${attrs.join(', ')}]` : ''};`);
  }
  lines.push('}');
  return lines.join('\n');
}
