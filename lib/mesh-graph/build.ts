import { ManifestIndex, Named, ServiceInfo, labelsMatch } from '../simulation/model';
import { resolveHostName } from '../simulation/hosts';
import { cmp, faultText, operationText, percent, portsText, routeMatches, vsMatches } from './labels';
import { MeshGraphEdge, MeshGraphEdgeKind, MeshGraphNamespace, MeshGraphNode, MeshGraphNodeKind } from './types';

// Builds the nodes and edges of the mesh picture from the indexed manifest set. Everything is
// keyed by stable ids and sorted at the end, so the input order never changes the output.

const WAYPOINT_CLASSES = new Set(['istio-waypoint']);
const ROUTE_KINDS = ['HTTPRoute', 'GRPCRoute', 'TCPRoute', 'TLSRoute'] as const;

/** The graph under construction. */
export class GraphBuilder {
  public readonly nodes = new Map<string, MeshGraphNode>();
  public readonly edges = new Map<string, MeshGraphEdge>();
  public readonly namespaces = new Map<string, { ambient: boolean; denyByDefault: boolean }>();
  /** `namespace/name` of Services that are versions of another Service → that Service's key. */
  private readonly versionOf = new Map<string, string>();

  public constructor(private readonly index: ManifestIndex, private readonly rootNamespace: string, private readonly clusterDomain: string) {
    for (const [name, labels] of index.namespaces) this.namespace(name, labels);
    this.services();
    this.serviceEntries();
    this.workloads();
    this.gateways();
    this.virtualServices();
    this.gatewayApiRoutes();
    this.authorization();
    this.waypointUse();
  }

  public result(): { namespaces: MeshGraphNamespace[]; nodes: MeshGraphNode[]; edges: MeshGraphEdge[] } {
    const rootDenies = this.namespaces.get(this.rootNamespace)?.denyByDefault ?? false;
    const namespaces = [...this.namespaces.entries()].sort(([a], [b]) => cmp(a, b))
      .map(([name, n]) => ({ name, denyByDefault: n.denyByDefault || rootDenies, ambient: n.ambient }));
    const nodes = [...this.nodes.values()].sort((a, b) => cmp(a.id, b.id));
    const edges = [...this.edges.values()].sort((a, b) => cmp(a.from, b.from) || cmp(a.to, b.to) || cmp(a.kind, b.kind) || cmp(a.label, b.label));
    return { namespaces, nodes, edges };
  }

  // --- nodes -------------------------------------------------------------------------------

  private namespace(name: string, labels: Record<string, string> = {}): void {
    const n = this.namespaces.get(name);
    if (n) {
      if (labels['istio.io/dataplane-mode'] === 'ambient') n.ambient = true;
      return;
    }
    this.namespaces.set(name, { ambient: labels['istio.io/dataplane-mode'] === 'ambient', denyByDefault: false });
  }

  private node(kind: MeshGraphNodeKind, key: string, label: string, namespace?: string, parent?: string): string {
    const id = `${kind}:${key}`;
    if (!this.nodes.has(id)) {
      if (namespace !== undefined) this.namespace(namespace);
      this.nodes.set(id, { id, kind, label, ...(namespace !== undefined ? { namespace } : {}), ...(parent ? { parent } : {}) });
    }
    return id;
  }

  private edge(from: string, to: string, kind: MeshGraphEdgeKind, label: string): void {
    // A route to the host it is for (no subset) changes nothing about where traffic goes.
    if (from === to && kind === 'route') return;
    const key = `${from}|${to}|${kind}|${label}`;
    if (!this.edges.has(key)) this.edges.set(key, { from, to, kind, label });
  }

  private services(): void {
    const all = [...this.index.services.values()];
    for (const s of all) {
      // A Service whose selector strictly extends another's in the namespace is one of its versions.
      const base = all.filter(o => o !== s && o.namespace === s.namespace && o.selector && Object.keys(o.selector).length > 0 && s.selector
        && Object.keys(s.selector).length > Object.keys(o.selector).length && labelsMatch(o.selector, s.selector))
        .sort((a, b) => Object.keys(b.selector!).length - Object.keys(a.selector!).length || cmp(a.name, b.name))[0];
      if (base) this.versionOf.set(`${s.namespace}/${s.name}`, `${base.namespace}/${base.name}`);
    }
    for (const s of all) {
      const base = this.versionOf.get(`${s.namespace}/${s.name}`);
      if (base) continue;
      this.node('service', `${s.namespace}/${s.name}`, `${s.name}${portsText(s.ports.map(p => p.port))}`, s.namespace);
    }
    for (const s of all) {
      const base = this.versionOf.get(`${s.namespace}/${s.name}`);
      if (!base) continue;
      const extra = Object.entries(s.selector!).filter(([k]) => !(k in this.index.services.get(base)!.selector!));
      this.node('version', `${s.namespace}/${s.name}`, `${s.name} (${extra.map(([k, v]) => `${k}=${v}`).join(', ')})`, s.namespace, this.serviceId(this.index.services.get(base)!));
    }
  }

  private serviceId(s: ServiceInfo): string {
    const key = `${s.namespace}/${s.name}`;
    return this.versionOf.has(key) ? `version:${key}` : `service:${key}`;
  }

  private serviceEntries(): void {
    for (const se of this.index.allOfKind('ServiceEntry')) {
      const spec = se.object.spec ?? {};
      const ports = ((spec.ports ?? []) as any[]).map(p => p?.number).filter((p): p is number => typeof p === 'number');
      for (const host of (spec.hosts ?? []) as string[]) {
        if (spec.location === 'MESH_INTERNAL') this.node('service', `${se.namespace}/${host}`, `${host}${portsText(ports)}`, se.namespace);
        else this.node('external', host, `${host}${portsText(ports)}`);
      }
    }
  }

  /** The node a ServiceEntry host is drawn as. */
  private entryHostId(se: Named, host: string): string {
    return se.object.spec?.location === 'MESH_INTERNAL' ? `service:${se.namespace}/${host}` : `external:${host}`;
  }

  private workloads(): void {
    for (const list of this.index.workloads.values()) {
      for (const w of list) {
        const id = this.node('workload', `${w.namespace}/${w.kind}/${w.name}`, `${w.kind} ${w.name}`, w.namespace);
        for (const s of this.index.services.values()) {
          if (s.namespace === w.namespace && s.selector && Object.keys(s.selector).length > 0 && labelsMatch(s.selector, w.labels)) this.edge(this.serviceId(s), id, 'selects', '');
        }
      }
    }
    for (const we of this.index.allOfKind('WorkloadEntry')) {
      const spec = we.object.spec ?? {};
      const id = this.node('workload', `${we.namespace}/WorkloadEntry/${we.name}`, `WorkloadEntry ${we.name}${typeof spec.address === 'string' ? ` ${spec.address}` : ''}`, we.namespace);
      for (const se of this.index.ofKind('ServiceEntry', we.namespace)) {
        const sel = se.object.spec?.workloadSelector?.labels;
        if (!sel || !labelsMatch(sel, spec.labels ?? {})) continue;
        for (const host of (se.object.spec?.hosts ?? []) as string[]) this.edge(this.entryHostId(se, host), id, 'selects', '');
      }
    }
  }

  private gateways(): void {
    for (const g of this.index.allOfKind('Gateway')) {
      const api = g.object.apiVersion ?? '';
      if (api.startsWith('gateway.networking.k8s.io/')) {
        const waypoint = WAYPOINT_CLASSES.has(g.object.spec?.gatewayClassName);
        this.node(waypoint ? 'waypoint' : 'gateway', `${g.namespace}/${g.name}`, `${waypoint ? 'waypoint' : 'Gateway'} ${g.name}`, g.namespace);
      } else if (api.startsWith('networking.istio.io/')) {
        const ports = ((g.object.spec?.servers ?? []) as any[]).map(s => s?.port?.number).filter((p): p is number => typeof p === 'number');
        this.node('gateway', `${g.namespace}/${g.name}`, `Gateway ${g.name}${portsText(ports)}`, g.namespace);
      }
    }
  }

  /** The node a host names (as a caller in `namespace` writes it); unknown hosts become external nodes. */
  private hostId(host: string, namespace: string): string {
    const t = resolveHostName(this.index, host, namespace, this.clusterDomain);
    if (t?.kind === 'Service') return this.serviceId(t.service);
    if (t?.kind === 'ServiceEntry') {
      const hosts = (t.entry.object.spec?.hosts ?? []) as string[];
      return this.entryHostId(t.entry, hosts.includes(host) ? host : hosts.find(h => h.startsWith('*.') && host.endsWith(h.slice(1))) ?? host);
    }
    return this.node('external', host, host);
  }

  // --- routes ------------------------------------------------------------------------------

  private virtualServices(): void {
    for (const vs of this.index.allOfKind('VirtualService')) {
      const spec = vs.object.spec ?? {};
      const hosts = (spec.hosts ?? []) as string[];
      const gateways = (spec.gateways ?? []) as string[];
      const sources: Array<{ id: string; host?: string }> = [];
      for (const g of gateways.length ? gateways : ['mesh']) {
        if (g === 'mesh') {
          for (const h of hosts) sources.push({ id: this.hostId(h, vs.namespace) });
          continue;
        }
        const [gns, gname] = g.includes('/') ? g.split('/', 2) : [vs.namespace, g];
        const id = this.nodes.has(`gateway:${gns}/${gname}`) ? `gateway:${gns}/${gname}` : this.node('gateway', `${gns}/${gname}`, `Gateway ${gname}`, gns);
        for (const h of hosts) sources.push({ id, host: h });
      }
      const rules: Array<{ proto: string; rule: any }> = [
        ...((spec.http ?? []) as any[]).map(rule => ({ proto: 'http', rule })),
        ...((spec.tls ?? []) as any[]).map(rule => ({ proto: 'tls', rule })),
        ...((spec.tcp ?? []) as any[]).map(rule => ({ proto: 'tcp', rule })),
      ];
      for (const { proto, rule } of rules) {
        const route = (rule?.route ?? []) as any[];
        const weights = route.map(r => (typeof r?.weight === 'number' ? r.weight : route.length === 1 ? 100 : 0));
        const total = weights.reduce((a, b) => a + b, 0);
        const conditions = [...(proto === 'http' ? [] : [proto]), ...vsMatches(rule?.match ?? []), ...(rule?.fault ? [faultText(rule.fault)] : [])];
        route.forEach((r, i) => {
          const host = r?.destination?.host;
          if (typeof host !== 'string') return;
          const to = this.destinationId(host, r.destination.subset, vs.namespace);
          const share = route.length > 1 ? [total > 0 ? `${percent(weights[i], total)}%` : '0%'] : [];
          for (const s of sources) this.edge(s.id, to, 'route', [...(s.host ? [s.host] : []), ...conditions, ...share].join(' '));
        });
        if (rule?.mirror?.host) {
          const to = this.destinationId(rule.mirror.host, rule.mirror.subset, vs.namespace);
          for (const s of sources) this.edge(s.id, to, 'route', [...(s.host ? [s.host] : []), ...conditions, 'mirror'].join(' '));
        }
      }
    }
  }

  /** A VirtualService destination: the service, or its subset as a version node. */
  private destinationId(host: string, subset: unknown, namespace: string): string {
    const id = this.hostId(host, namespace);
    if (typeof subset !== 'string' || subset === '') return id;
    const node = this.nodes.get(id)!;
    const key = id.slice(id.indexOf(':') + 1);
    const labels = this.subsetLabels(host, namespace, subset);
    const shown = labels ? ` (${Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(', ')})` : '';
    return this.node('version', `${key}#${subset}`, `${subset}${shown}`, node.namespace, id);
  }

  private subsetLabels(host: string, namespace: string, subset: string): Record<string, string> | undefined {
    const t = resolveHostName(this.index, host, namespace, this.clusterDomain);
    const fqdn = t?.fqdn ?? host;
    for (const dr of this.index.allOfKind('DestinationRule')) {
      const drHost = dr.object.spec?.host;
      if (typeof drHost !== 'string') continue;
      const drTarget = resolveHostName(this.index, drHost, dr.namespace, this.clusterDomain);
      if ((drTarget?.fqdn ?? drHost) !== fqdn) continue;
      const s = ((dr.object.spec?.subsets ?? []) as any[]).find(x => x?.name === subset);
      if (s) return s.labels ?? {};
    }
    return undefined;
  }

  private gatewayApiRoutes(): void {
    for (const kind of ROUTE_KINDS) {
      for (const route of this.index.allOfKind(kind)) {
        const spec = route.object.spec ?? {};
        const hostnames = (spec.hostnames ?? []) as string[];
        const sources: Array<{ id: string; host?: string }> = [];
        for (const p of (spec.parentRefs ?? []) as any[]) {
          const pns = p?.namespace ?? route.namespace;
          const pkind = p?.kind ?? 'Gateway';
          const group = p?.group ?? (pkind === 'Service' ? '' : 'gateway.networking.k8s.io');
          if (pkind === 'Service' && group === '') {
            const s = this.index.services.get(`${pns}/${p.name}`);
            sources.push({ id: s ? this.serviceId(s) : this.hostId(`${p.name}.${pns}`, pns) });
          } else if (pkind === 'ServiceEntry') {
            const se = this.index.find('ServiceEntry', pns, p.name);
            for (const h of (se?.object.spec?.hosts ?? []) as string[]) sources.push({ id: this.entryHostId(se!, h) });
          } else if (pkind === 'Gateway') {
            const known = [`gateway:${pns}/${p.name}`, `waypoint:${pns}/${p.name}`].find(id => this.nodes.has(id));
            const id = known ?? this.node('gateway', `${pns}/${p.name}`, `Gateway ${p.name}`, pns);
            if (hostnames.length) for (const h of hostnames) sources.push({ id, host: h });
            else sources.push({ id });
          }
        }
        for (const rule of (spec.rules ?? []) as any[]) {
          const backends = (rule?.backendRefs ?? []) as any[];
          const weights = backends.map(b => (typeof b?.weight === 'number' ? b.weight : 1));
          const total = weights.reduce((a, b) => a + b, 0);
          const conditions = [...(kind === 'HTTPRoute' || kind === 'GRPCRoute' ? [] : [kind === 'TCPRoute' ? 'tcp' : 'tls']), ...routeMatches(rule?.matches ?? [])];
          backends.forEach((b, i) => {
            const to = this.backendId(b, route.namespace);
            if (!to) return;
            const share = backends.length > 1 ? [total > 0 ? `${percent(weights[i], total)}%` : '0%'] : [];
            for (const s of sources) this.edge(s.id, to, 'route', [...(s.host ? [s.host] : []), ...conditions, ...share].join(' '));
          });
        }
      }
    }
  }

  private backendId(b: any, namespace: string): string | undefined {
    if (typeof b?.name !== 'string') return undefined;
    const kind = b.kind ?? 'Service';
    const group = b.group ?? '';
    const ns = b.namespace ?? namespace;
    if (kind === 'Service' && group === '') {
      const s = this.index.services.get(`${ns}/${b.name}`);
      return s ? this.serviceId(s) : this.hostId(`${b.name}.${ns}`, ns);
    }
    if (kind === 'Hostname' && group === 'networking.istio.io') return this.hostId(b.name, ns);
    if (kind === 'ServiceEntry') {
      const se = this.index.find('ServiceEntry', ns, b.name);
      const host = se?.object.spec?.hosts?.[0];
      return se && typeof host === 'string' ? this.entryHostId(se, host) : undefined;
    }
    return undefined;
  }

  // --- authorization -----------------------------------------------------------------------

  private authorization(): void {
    for (const p of this.index.allOfKind('AuthorizationPolicy')) {
      const spec = p.object.spec ?? {};
      const action = spec.action ?? 'ALLOW';
      if (action !== 'ALLOW') continue;
      const rules = (spec.rules ?? []) as any[];
      if (rules.length === 0) {
        // Allow-nothing: without a target it covers the namespace (the mesh, in the root namespace).
        if (!spec.selector && !spec.targetRefs && !spec.targetRef) {
          this.namespace(p.namespace);
          this.namespaces.get(p.namespace)!.denyByDefault = true;
        }
        continue;
      }
      const targets = this.policyTargets(p);
      for (const rule of rules) {
        const callers = this.callers(rule, p.namespace);
        const label = ['allow', ...operationText(rule?.to ?? []), ...((rule?.when ?? []).length ? ['when …'] : [])].join(' ');
        for (const from of callers) for (const to of targets) this.edge(from, to, 'allow', label);
      }
    }
  }

  /** What a policy applies to: its targetRefs, the services its selector selects, or the whole namespace. */
  private policyTargets(p: Named): string[] {
    const spec = p.object.spec ?? {};
    const refs = (spec.targetRefs ?? (spec.targetRef ? [spec.targetRef] : undefined)) as any[] | undefined;
    if (refs) {
      return refs.map(r => {
        if (r?.kind === 'Service') {
          const s = this.index.services.get(`${p.namespace}/${r.name}`);
          return s ? this.serviceId(s) : this.hostId(`${r.name}.${p.namespace}`, p.namespace);
        }
        if (r?.kind === 'ServiceEntry') {
          const se = this.index.find('ServiceEntry', p.namespace, r.name);
          const host = se?.object.spec?.hosts?.[0];
          if (se && typeof host === 'string') return this.entryHostId(se, host);
        }
        const known = [`waypoint:${p.namespace}/${r?.name}`, `gateway:${p.namespace}/${r?.name}`].find(id => this.nodes.has(id));
        return known ?? this.node('gateway', `${p.namespace}/${r?.name}`, `${r?.kind ?? 'Gateway'} ${r?.name}`, p.namespace);
      });
    }
    const sel = spec.selector?.matchLabels as Record<string, string> | undefined;
    if (!sel || Object.keys(sel).length === 0) {
      return [p.namespace === this.rootNamespace
        ? this.node('namespace', '*', 'every workload in the mesh')
        : this.node('namespace', p.namespace, `every workload in ${p.namespace}`, p.namespace)];
    }
    const found: string[] = [];
    for (const s of this.index.services.values()) {
      if (s.namespace !== p.namespace && p.namespace !== this.rootNamespace) continue;
      if (!s.selector || this.versionOf.has(`${s.namespace}/${s.name}`) || !labelsMatch(sel, s.selector)) continue;
      found.push(this.serviceId(s));
    }
    for (const se of this.index.allOfKind('ServiceEntry')) {
      const wsel = se.object.spec?.workloadSelector?.labels;
      if (se.object.spec?.location !== 'MESH_INTERNAL' || !wsel || (se.namespace !== p.namespace && p.namespace !== this.rootNamespace) || !labelsMatch(sel, wsel)) continue;
      for (const h of (se.object.spec?.hosts ?? []) as string[]) found.push(this.entryHostId(se, h));
    }
    if (found.length) return found;
    const text = Object.entries(sel).map(([k, v]) => `${k}=${v}`).sort().join(', ');
    return [this.node('workload', `${p.namespace}/selector/${text}`, `workloads ${text}`, p.namespace)];
  }

  /** The callers of one rule: service accounts, namespaces, or anyone. */
  private callers(rule: any, namespace: string): string[] {
    const from = (rule?.from ?? []) as any[];
    if (from.length === 0) return [this.node('identity', '*', 'any caller')];
    const out: string[] = [];
    for (const f of from) {
      const src = f?.source ?? {};
      for (const pr of (src.principals ?? []) as string[]) out.push(this.principalId(pr));
      for (const ns of (src.namespaces ?? []) as string[]) out.push(this.node('identity', `${ns}/*`, `any workload in ${ns}`, ns === '*' ? undefined : ns));
      for (const rp of (src.requestPrincipals ?? []) as string[]) out.push(this.node('identity', `jwt:${rp}`, `JWT ${rp}`));
      if (!src.principals && !src.namespaces && !src.requestPrincipals) {
        out.push(this.node('identity', `${namespace}/other`, Object.keys(src).length ? `callers (${Object.keys(src).sort().join(', ')})` : 'any caller', undefined));
      }
    }
    return out;
  }

  /** `cluster.local/ns/N/sa/S`: the waypoint or workload of that account, or an identity node. */
  private principalId(principal: string): string {
    const m = /^[^/]+\/ns\/([^/]+)\/sa\/([^/]+)$/.exec(principal);
    if (!m) return this.node('identity', principal, principal);
    const [, ns, sa] = m;
    if (this.nodes.has(`waypoint:${ns}/${sa}`)) return `waypoint:${ns}/${sa}`;
    const workloads = (this.index.workloads.get(ns) ?? []).filter(w => w.serviceAccount === sa);
    if (workloads.length === 1) return `workload:${ns}/${workloads[0].kind}/${workloads[0].name}`;
    return this.node('identity', `${ns}/${sa}`, `sa ${sa}`, ns);
  }

  // --- waypoints and egress -------------------------------------------------------------

  private waypointUse(): void {
    const useOf = (labels: Record<string, string> | undefined, ns: string, fallback?: { name: string; ns: string }) => {
      const name = labels?.['istio.io/use-waypoint'];
      if (name === 'none') return undefined;
      if (name) return { name, ns: labels?.['istio.io/use-waypoint-namespace'] ?? ns };
      return fallback;
    };
    for (const s of this.index.services.values()) {
      if (this.versionOf.has(`${s.namespace}/${s.name}`)) continue;
      const nsLabels = this.index.namespaces.get(s.namespace);
      const w = useOf(s.labels, s.namespace, useOf(nsLabels, s.namespace));
      if (w && this.nodes.has(`waypoint:${w.ns}/${w.name}`)) this.edge(this.serviceId(s), `waypoint:${w.ns}/${w.name}`, 'waypoint', '');
    }
    for (const se of this.index.allOfKind('ServiceEntry')) {
      const w = useOf(se.object.metadata?.labels, se.namespace, useOf(this.index.namespaces.get(se.namespace), se.namespace));
      if (!w || !this.nodes.has(`waypoint:${w.ns}/${w.name}`)) continue;
      for (const h of (se.object.spec?.hosts ?? []) as string[]) {
        const id = this.entryHostId(se, h);
        if (id.startsWith('external:')) this.edge(`waypoint:${w.ns}/${w.name}`, id, 'egress', 'egress');
        else this.edge(id, `waypoint:${w.ns}/${w.name}`, 'waypoint', '');
      }
    }
  }
}
