import { Testing } from 'cdk8s';
import { buildExampleApp } from '../../examples/shop';
import { MeshErrors } from '../../lib/mesh/errors';
import { MeshGraph } from '../../lib/mesh-graph';
import { mermaidParse } from './mermaid';

// GIVEN manifests, WHEN MeshGraph draws them, THEN nodes, edges and namespaces are exactly the
// mesh they define, the Mermaid text passes mermaid's own parser and the dot text is exact.


const svc = (ns: string, name: string, selector: Record<string, string>, port = 8080) => ({
  apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns }, spec: { selector, ports: [{ name: 'http', port }] },
});

/** A small mesh: a Gateway API split with default weights, a VirtualService with a short host, policies. */
const SMALL = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'web', labels: { 'istio.io/dataplane-mode': 'ambient' } } },
  svc('web', 'front', { app: 'front' }),
  svc('web', 'front-v1', { app: 'front', version: 'v1' }),
  svc('web', 'front-v2', { app: 'front', version: 'v2' }),
  svc('api', 'users', { app: 'users' }),
  {
    apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'front', namespace: 'web' },
    spec: {
      parentRefs: [{ group: '', kind: 'Service', name: 'front', port: 8080 }],
      rules: [
        { matches: [{ path: { type: 'PathPrefix', value: '/beta' } }, { headers: [{ name: 'x-say', value: 'say "hi"' }] }], backendRefs: [{ name: 'front-v2', port: 8080 }] },
        { backendRefs: [{ name: 'front-v1', port: 8080 }, { name: 'front-v2', port: 8080 }] },
      ],
    },
  },
  {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'users', namespace: 'api' },
    spec: { template: { metadata: { labels: { app: 'users' } }, spec: { serviceAccountName: 'users', containers: [{ name: 'c', image: 'i' }] } } },
  },
  {
    apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'users', namespace: 'api' },
    spec: { hosts: ['users'], http: [{ route: [{ destination: { host: 'users', subset: 'a' }, weight: 1 }, { destination: { host: 'users', subset: 'b' }, weight: 2 }] }] },
  },
  { apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: 'allow-nothing', namespace: 'istio-system' }, spec: {} },
  {
    apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: 'users', namespace: 'api' },
    spec: { selector: { matchLabels: { app: 'users' } }, rules: [{ from: [{ source: { namespaces: ['web'] } }], to: [{ operation: { methods: ['GET'], paths: ['/users/*'] } }] }] },
  },
  {
    apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: 'front', namespace: 'web' },
    spec: { targetRefs: [{ kind: 'Service', group: '', name: 'front' }], rules: [{ to: [{ operation: { ports: ['8080'] } }] }] },
  },
  {
    apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: 'deny-admin', namespace: 'api' },
    spec: { action: 'DENY', rules: [{ to: [{ operation: { paths: ['/admin'] } }] }] },
  },
];

const SMALL_DOT = `digraph mesh {
  rankdir=LR;
  node [fontname="Helvetica", fontsize=10];
  edge [fontname="Helvetica", fontsize=9];
  subgraph cluster_1 {
    label="api (deny by default)";
    subgraph cluster_2 {
      label="users";
      n3 [label="users :8080", shape=box];
      n5 [label="a", shape=box, style=rounded];
      n6 [label="b", shape=box, style=rounded];
    }
    n9 [label="Deployment users", shape=component];
  }
  subgraph cluster_3 {
    label="web (ambient, deny by default)";
    n2 [label="any workload in web", shape=ellipse];
    subgraph cluster_4 {
      label="front";
      n4 [label="front :8080", shape=box];
      n7 [label="front-v1 (version=v1)", shape=box, style=rounded];
      n8 [label="front-v2 (version=v2)", shape=box, style=rounded];
    }
  }
  n1 [label="any caller", shape=ellipse];
  n1 -> n4 [label="allow :8080", style=dashed, color="#2e7d32"];
  n2 -> n3 [label="allow GET /users/*", style=dashed, color="#2e7d32"];
  n3 -> n5 [label="33.3%"];
  n3 -> n6 [label="66.7%"];
  n3 -> n9 [arrowhead=none];
  n4 -> n7 [label="50%"];
  n4 -> n8 [label="50%"];
  n4 -> n8 [label="[path=/beta* or x-say=say \\"hi\\"]"];
}`;

describe('MeshGraph of a small mesh', () => {
  const graph = MeshGraph.fromManifests(SMALL);

  test('namespaces: the root namespace\'s allow-nothing denies by default everywhere; ambient from the Namespace label', () => {
    expect(graph.namespaces).toEqual([
      { name: 'api', denyByDefault: true, ambient: false },
      { name: 'istio-system', denyByDefault: true, ambient: false },
      { name: 'web', denyByDefault: true, ambient: true },
    ]);
  });

  test('per-version Services are versions of the Service whose selector they extend; subsets are versions of their host', () => {
    expect(graph.nodes.filter(n => n.kind === 'version')).toEqual([
      { id: 'version:api/users#a', kind: 'version', label: 'a', namespace: 'api', parent: 'service:api/users' },
      { id: 'version:api/users#b', kind: 'version', label: 'b', namespace: 'api', parent: 'service:api/users' },
      { id: 'version:web/front-v1', kind: 'version', label: 'front-v1 (version=v1)', namespace: 'web', parent: 'service:web/front' },
      { id: 'version:web/front-v2', kind: 'version', label: 'front-v2 (version=v2)', namespace: 'web', parent: 'service:web/front' },
    ]);
  });

  test('weights are relative: Gateway API defaults to 1 each (50/50), Istio 1:2 is 33.3/66.7; DENY policies draw no edge', () => {
    expect(graph.edges.filter(e => e.kind === 'route')).toEqual([
      { from: 'service:api/users', to: 'version:api/users#a', kind: 'route', label: '33.3%' },
      { from: 'service:api/users', to: 'version:api/users#b', kind: 'route', label: '66.7%' },
      { from: 'service:web/front', to: 'version:web/front-v1', kind: 'route', label: '50%' },
      { from: 'service:web/front', to: 'version:web/front-v2', kind: 'route', label: '50%' },
      { from: 'service:web/front', to: 'version:web/front-v2', kind: 'route', label: '[path=/beta* or x-say=say "hi"]' },
    ]);
    expect(graph.edges.filter(e => e.kind === 'allow')).toEqual([
      { from: 'identity:*', to: 'service:web/front', kind: 'allow', label: 'allow :8080' },
      { from: 'identity:web/*', to: 'service:api/users', kind: 'allow', label: 'allow GET /users/*' },
    ]);
  });

  test('dot output, exactly', () => {
    expect(graph.toDot()).toBe(SMALL_DOT);
  });

  test('deterministic: the input order does not change the output', () => {
    const reversed = MeshGraph.fromManifests([...SMALL].reverse());
    expect(reversed.toDot()).toBe(SMALL_DOT);
    expect(reversed.toMermaid()).toBe(graph.toMermaid());
  });

  test('mermaid: quotes in labels are entities, edge labels are quoted', () => {
    expect(graph.toMermaid().split('\n').filter(l => l.includes('x-say'))).toEqual(['  n4 -->|"[path=/beta* or x-say=say #quot;hi#quot;]"| n8']);
  });

  test('the Mermaid text passes mermaid\'s parser (and a broken diagram does not)', () => {
    const results = mermaidParse([graph.toMermaid(), 'flowchart LR\n  a -->|"x| b']);
    expect(results[0]).toEqual({ ok: true, diagramType: 'flowchart-v2' });
    expect(results[1].ok).toBe(false);
    expect(results[1].error).toMatch(/^Parse error on line \d+:/);
  }, 120_000);

  test('not a list: a MeshError', () => {
    let caught: unknown;
    try { MeshGraph.fromManifests({} as unknown as unknown[]); } catch (e) { caught = e; }
    expect(MeshErrors.isMeshError(caught)).toBe(true);
    expect((caught as Error).message).toBe('MeshGraph.fromManifests needs a list of Kubernetes objects, got object');
  });
});

describe('MeshGraph of the example app', () => {
  const graph = MeshGraph.fromApp(buildExampleApp(Testing.app()));

  test('the reviews canary: 90/10 and the canary header or cookie to the canary subset', () => {
    expect(graph.edges.filter(e => e.from === 'service:shop/reviews')).toEqual([
      { from: 'service:shop/reviews', to: 'version:shop/reviews#canary', kind: 'route', label: '10%' },
      { from: 'service:shop/reviews', to: 'version:shop/reviews#canary', kind: 'route', label: '[x-canary=true or cookie ~regex]' },
      { from: 'service:shop/reviews', to: 'version:shop/reviews#stable', kind: 'route', label: '90%' },
    ]);
  });

  test('who may call whom: the allow edges of the zero-trust and ambient namespaces', () => {
    expect(graph.edges.filter(e => e.kind === 'allow').map(e => `${e.from} -> ${e.to}: ${e.label}`)).toEqual([
      'identity:istio-ingress/istio-ingress -> service:payments/checkout: allow GET,POST /api/* :8080',
      'identity:istio-ingress/istio-ingress -> service:shop/productpage: allow :9080',
      'identity:shop/productpage -> service:payments/checkout: allow :8080',
      'identity:shop/productpage -> service:shop/details: allow GET :9080',
      'identity:shop/productpage -> service:shop/reviews: allow GET :9080',
      'identity:shop/ratings -> service:db/legacy-db.db.svc.cluster.local: allow :5432',
      'identity:shop/reviews -> service:shop/ratings: allow GET :9080',
      'waypoint:payments/waypoint -> namespace:payments: allow',
    ]);
  });

  test('egress: the external API through the egress waypoint; the ingress route; the VM behind its ServiceEntry', () => {
    expect(graph.edges.filter(e => e.kind === 'egress' || e.kind === 'selects' || e.from.startsWith('gateway:'))).toEqual([
      { from: 'gateway:istio-ingress/public', to: 'service:shop/productpage', kind: 'route', label: 'bookinfo.example.com' },
      { from: 'service:db/legacy-db.db.svc.cluster.local', to: 'workload:db/WorkloadEntry/legacy-db', kind: 'selects', label: '' },
      { from: 'waypoint:istio-egress/egress-waypoint', to: 'external:api.payments.example.com', kind: 'egress', label: 'egress' },
    ]);
    expect(graph.namespaces.filter(n => n.denyByDefault).map(n => n.name)).toEqual(['db', 'payments', 'shop']);
  });

});
