import { resolveHost } from '../../../mesh/hosts';

/** The Istio root namespace: mesh-wide policies live here. */
export const ROOT_NAMESPACE = 'istio-system';

/** Namespace assumed for a namespaced document that has none (what `kubectl apply` does). */
export const DEFAULT_NAMESPACE = 'default';

const CLUSTER_SCOPED = new Set(['/Namespace', 'gateway.networking.k8s.io/GatewayClass', 'apiextensions.k8s.io/CustomResourceDefinition',
  'rbac.authorization.k8s.io/ClusterRole', 'rbac.authorization.k8s.io/ClusterRoleBinding']);

/** Group/kind keys of the kinds the graph tier reads. */
export const GK = {
  namespace: '/Namespace',
  service: '/Service',
  virtualService: 'networking.istio.io/VirtualService',
  destinationRule: 'networking.istio.io/DestinationRule',
  istioGateway: 'networking.istio.io/Gateway',
  serviceEntry: 'networking.istio.io/ServiceEntry',
  sidecar: 'networking.istio.io/Sidecar',
  peerAuthentication: 'security.istio.io/PeerAuthentication',
  requestAuthentication: 'security.istio.io/RequestAuthentication',
  authorizationPolicy: 'security.istio.io/AuthorizationPolicy',
  gateway: 'gateway.networking.k8s.io/Gateway',
  httpRoute: 'gateway.networking.k8s.io/HTTPRoute',
  grpcRoute: 'gateway.networking.k8s.io/GRPCRoute',
  tlsRoute: 'gateway.networking.k8s.io/TLSRoute',
  tcpRoute: 'gateway.networking.k8s.io/TCPRoute',
  referenceGrant: 'gateway.networking.k8s.io/ReferenceGrant',
} as const;

/** Route kinds of the Gateway API that have `parentRefs` and `backendRefs`. */
export const ROUTE_KINDS = [GK.httpRoute, GK.grpcRoute, GK.tlsRoute, GK.tcpRoute];

/** One document of the set, with the fields every analyzer needs parsed once. */
export interface Obj {
  /** Position in the input array. */
  readonly index: number;
  /** The document itself. */
  readonly doc: any;
  /** API group ('' for core). */
  readonly group: string;
  /** Kind. */
  readonly kind: string;
  /** `group/kind`. */
  readonly gk: string;
  /** Namespace (DEFAULT_NAMESPACE when a namespaced document has none; '' for cluster-scoped kinds). */
  readonly ns: string;
  /** `metadata.name`. */
  readonly name: string;
  /** `spec` or an empty object. */
  readonly spec: any;
  /** `metadata.labels` or an empty object. */
  readonly labels: Record<string, string>;
  /** `metadata.annotations` or an empty object. */
  readonly annotations: Record<string, string>;
}

function record(v: unknown): any {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? v : {};
}

/** Array value or empty array. */
export function arr(v: unknown): any[] {
  return Array.isArray(v) ? v : [];
}

/** String value or ''. */
export function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function parse(doc: unknown, index: number): Obj | undefined {
  const d = record(doc);
  if (typeof d.kind !== 'string' || typeof d.apiVersion !== 'string') return undefined;
  const slash = d.apiVersion.indexOf('/');
  const group = slash < 0 ? '' : d.apiVersion.slice(0, slash);
  const gk = `${group}/${d.kind}`;
  const metadata = record(d.metadata);
  const ns = CLUSTER_SCOPED.has(gk) ? '' : (str(metadata.namespace) || DEFAULT_NAMESPACE);
  return {
    index, doc: d, group, kind: d.kind, gk, ns, name: str(metadata.name),
    spec: record(d.spec), labels: record(metadata.labels), annotations: record(metadata.annotations),
  };
}

/** A list for a message: at most `max` items, then how many more. */
export function list(items: readonly string[], max = 10): string {
  return items.length <= max ? items.join(', ') : `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

/**
 * The same text as `list(items)` when only the first `max` of the `total` items are at hand
 * (callers that count the items without collecting them all).
 */
export function listHead(head: readonly string[], total: number, max = 10): string {
  return total <= max ? head.join(', ') : `${head.slice(0, max).join(', ')} and ${total - max} more`;
}

/** `ns/name` of an object, for messages. */
export function ref(o: Obj): string {
  return o.ns ? `${o.ns}/${o.name}` : o.name;
}

/** Where an object is visible (its `exportTo`): everywhere, or a set of namespaces. */
export interface Visibility {
  readonly all: boolean;
  readonly namespaces: ReadonlySet<string>;
  /** Equal for equal visibilities: `*`, or the sorted namespaces (empty: visible nowhere). */
  readonly key: string;
}

const VISIBLE_EVERYWHERE: Visibility = { all: true, namespaces: new Set(), key: '*' };

/** The namespaces an Istio networking object is exported to (`exportTo`; default: all). */
export function visibility(o: Obj): Visibility {
  const list = arr(o.spec.exportTo).filter((x): x is string => typeof x === 'string');
  if (list.length === 0 || list.includes('*')) return VISIBLE_EVERYWHERE;
  const namespaces = new Set(list.map(x => (x === '.' ? o.ns : x)).filter(x => x !== '~'));
  return { all: false, namespaces, key: [...namespaces].sort().join(',') };
}

/** True if an object with visibility `v` is visible to namespace `ns`. */
export function visibleTo(v: Visibility, ns: string): boolean {
  return v.all || v.namespaces.has(ns);
}

/** True if two visibilities share at least one namespace. */
export function visibilitiesOverlap(a: Visibility, b: Visibility): boolean {
  if (a.all) return b.all || b.namespaces.size > 0;
  if (b.all) return a.namespaces.size > 0;
  for (const n of a.namespaces) if (b.namespaces.has(n)) return true;
  return false;
}

/**
 * True if two hosts overlap as Istio's host matching does: equal, either is `*`, or a
 * wildcard (`*.example.com`) covers the other name or the other wildcard.
 */
export function hostsOverlap(a: string, b: string): boolean {
  if (a === b || a === '*' || b === '*') return true;
  const aw = a.startsWith('*');
  const bw = b.startsWith('*');
  if (aw && bw) return a.slice(1).endsWith(b.slice(1)) || b.slice(1).endsWith(a.slice(1));
  if (aw) return b.endsWith(a.slice(1));
  if (bw) return a.endsWith(b.slice(1));
  return false;
}

/** Parses `name.namespace.svc.<domain>` into its Service coordinates. */
export function serviceOfHost(fqdn: string): { name: string; namespace: string } | undefined {
  const labels = fqdn.split('.');
  if (labels.length >= 4 && labels[2] === 'svc' && !labels[0].startsWith('*')) {
    return { name: labels[0], namespace: labels[1] };
  }
  return undefined;
}

/** A key → list map with a default. */
class MultiMap<T> {
  private readonly map = new Map<string, T[]>();
  public add(key: string, value: T): void {
    const list = this.map.get(key);
    if (list) list.push(value); else this.map.set(key, [value]);
  }
  public get(key: string): readonly T[] {
    return this.map.get(key) ?? [];
  }
  public entries(): IterableIterator<[string, T[]]> {
    return this.map.entries();
  }
}

/** A host-keyed index with exact and wildcard entries. */
export class HostIndex<T> {
  private readonly exact = new MultiMap<T>();
  private readonly wildcard = new MultiMap<T>();

  /** Adds `value` under `host` (exact, `*.suffix` or `*`). */
  public add(host: string, value: T): void {
    if (host.startsWith('*')) this.wildcard.add(host.slice(1), value); else this.exact.add(host, value);
  }

  /** Values whose host equals `host` or whose wildcard host covers it (most specific first). */
  public lookup(host: string): T[] {
    return this.buckets(host).flat();
  }

  /**
   * The lists of values that `lookup` concatenates, in its order: the exact host, then wildcards
   * from the longest suffix of `host` (`*.b.c`, `*.c`) to `*`. Each list is the same object on
   * every call (callers may cache what they derive from it).
   */
  public buckets(host: string): (readonly T[])[] {
    const out: (readonly T[])[] = [];
    const exact = this.exact.get(host);
    if (exact.length > 0) out.push(exact);
    // Walk the suffixes of `host`: ".b.c", ".c", "" (for "*").
    let i = host.indexOf('.');
    while (i >= 0) {
      const w = this.wildcard.get(host.slice(i));
      if (w.length > 0) out.push(w);
      i = host.indexOf('.', i + 1);
    }
    const all = this.wildcard.get('');
    if (all.length > 0) out.push(all);
    return out;
  }
}

/** Everything the analyzers look up, indexed once: O(documents). */
export class GraphIndex {
  /** All parsed documents (documents without kind or apiVersion are skipped). */
  public readonly objects: Obj[] = [];
  private readonly byGk = new MultiMap<Obj>();
  private readonly byKey = new Map<string, Obj>();
  private readonly nsWithObjects = new Set<string>();
  private readonly byGkNs = new MultiMap<Obj>();
  /** ServiceEntries by host. */
  public readonly serviceEntryHosts = new HostIndex<Obj>();
  /** DestinationRules by resolved host. */
  public readonly destinationRuleHosts = new HostIndex<Obj>();
  private readonly visibilities = new Map<Obj, Visibility>();

  public constructor(docs: readonly unknown[]) {
    docs.forEach((doc, i) => {
      const o = parse(doc, i);
      if (!o) return;
      this.objects.push(o);
      this.byGk.add(o.gk, o);
      const key = `${o.gk}|${o.ns}|${o.name}`;
      if (!this.byKey.has(key)) this.byKey.set(key, o);
      if (o.ns) this.nsWithObjects.add(o.ns);
      this.byGkNs.add(`${o.gk}|${o.ns}`, o);
      if (o.gk === GK.namespace) this.nsWithObjects.add(o.name);
      if (o.gk === GK.serviceEntry) {
        for (const h of arr(o.spec.hosts)) if (typeof h === 'string') this.serviceEntryHosts.add(h, o);
      }
      if (o.gk === GK.destinationRule && typeof o.spec.host === 'string') {
        this.destinationRuleHosts.add(resolveHost(o.spec.host, o.ns), o);
      }
    });
  }

  /** All documents of a group/kind, in input order. */
  public all(gk: string): readonly Obj[] {
    return this.byGk.get(gk);
  }

  /** True if the set holds at least one document of this group/kind. */
  public has(gk: string): boolean {
    return this.byGk.get(gk).length > 0;
  }

  /** The document of a group/kind with this namespace and name (first one wins). */
  public find(gk: string, ns: string, name: string): Obj | undefined {
    return this.byKey.get(`${gk}|${ns}|${name}`);
  }

  /** True if the set holds at least one document of this group/kind in namespace `ns`. */
  public hasIn(gk: string, ns: string): boolean {
    return this.byGkNs.get(`${gk}|${ns}`).length > 0;
  }

  /** All documents of a group/kind in namespace `ns`, in input order. */
  public allIn(gk: string, ns: string): readonly Obj[] {
    return this.byGkNs.get(`${gk}|${ns}`);
  }

  /** True if any document lives in namespace `ns` or a Namespace document declares it. */
  public hasNamespace(ns: string): boolean {
    return this.nsWithObjects.has(ns);
  }

  /** The Namespace document `ns`, if present. */
  public namespaceDoc(ns: string): Obj | undefined {
    return this.find(GK.namespace, '', ns);
  }

  /** The visibility (`exportTo`) of `o`, computed once per object. */
  public visibilityOf(o: Obj): Visibility {
    let v = this.visibilities.get(o);
    if (!v) {
      v = visibility(o);
      this.visibilities.set(o, v);
    }
    return v;
  }

  /** True if a Namespace document labels `ns` `istio.io/dataplane-mode: ambient`. */
  public isAmbient(ns: string): boolean {
    return this.namespaceDoc(ns)?.labels['istio.io/dataplane-mode'] === 'ambient';
  }
}
