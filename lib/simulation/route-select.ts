import { dataplaneOf, waypointFor } from './destination';
import { HostTarget, hostMatches, qualify, resolveHostName } from './hosts';
import { ManifestIndex, Named, labelsMatch } from './model';
import { NormalizedRequest } from './request';
import { DEFAULT_RETRIES, RouteRule, Routed, RoutedBackend } from './route-common';
import { byAge, matchHttpRoutes } from './route-http';
import { matchVirtualService, vsHosts } from './route-vs';
import { httpsRedirectOf } from './gateway-redirect';
import { missingGrant } from './reference-grant';
import { L4Hooks, l4ProtocolOf, routeGatewayL4, routeMeshL4 } from './route-l4';
import { gatewayOf } from './routing';
import { Caller } from './security';
import { RouteResult } from './types';

// Which route object applies, where it is applied, and the backends it picks.
// - The caller's sidecar (or an ingress gateway) applies routes; an ambient caller's traffic is
//   routed only by the destination's waypoint (ztunnel does not apply HTTP routes); a plaintext
//   caller is not routed by the mesh.
// - Mesh VirtualServices are not merged: the oldest for a host wins. HTTPRoutes (GAMMA, Service
//   parent) are turned into VirtualServices by istiod; the ones in the proxy's own namespace are
//   taken first (pilot/pkg/model/virtualservice.go SelectVirtualServices, 1.30.3), otherwise the
//   older object wins: with a VirtualService and an HTTPRoute for one host, callers in the
//   HTTPRoute's namespace use the HTTPRoute; others depend on creation times.

/** Route objects of the set, indexed by host, parent Service and parent Gateway. */
export class RouteContext {
  private readonly vsByGateway = new Map<string, Named[]>();
  private readonly byParent = new Map<string, Array<{ route: Named; ref: any }>>();
  private meshHosts?: { readonly exact: Map<string, Named[]>; readonly wild: Array<{ vs: Named; hosts: string[] }>; readonly order: Map<Named, number> };

  public constructor(public readonly index: ManifestIndex, public readonly clusterDomain: string, public readonly rootNamespace = 'istio-system') {
    for (const vs of index.allOfKind('VirtualService').sort(byAge)) {
      const gws = (vs.object.spec?.gateways ?? []) as string[];
      for (const g of gws.length ? gws : ['mesh']) push(this.vsByGateway, g === 'mesh' || g.includes('/') ? g : `${vs.namespace}/${g}`, vs);
    }
    for (const r of index.allOfKind('HTTPRoute')) {
      for (const ref of (r.object.spec?.parentRefs ?? []) as any[]) {
        const kind = ref?.kind ?? 'Gateway';
        push(this.byParent, `${kind}|${ref?.namespace ?? r.namespace}/${ref?.name}`, { route: r, ref });
      }
    }
  }

  /** VirtualServices bound to `gateway` (`mesh` or `ns/name`), oldest first. */
  public virtualServices(gateway: string): readonly Named[] {
    return this.vsByGateway.get(gateway) ?? [];
  }

  /** Mesh VirtualServices with a host matching `fqdn`, oldest first (hosts indexed once: exact names in a map, wildcards in a list). */
  public meshVirtualServicesFor(fqdn: string): readonly Named[] {
    if (!this.meshHosts) {
      const exact = new Map<string, Named[]>();
      const wild: Array<{ vs: Named; hosts: string[] }> = [];
      const order = new Map<Named, number>();
      this.virtualServices('mesh').forEach((vs, i) => {
        order.set(vs, i);
        const hosts = vsHosts(vs, this.clusterDomain);
        const wildcards = hosts.filter(h => h.startsWith('*'));
        if (wildcards.length) wild.push({ vs, hosts: wildcards });
        for (const h of hosts) if (!h.startsWith('*') && !(exact.get(h) ?? []).includes(vs)) push(exact, h, vs);
      });
      this.meshHosts = { exact, wild, order };
    }
    const exact = this.meshHosts.exact.get(fqdn) ?? [];
    const wild = this.meshHosts.wild.filter(w => w.hosts.some(h => hostMatches(h, fqdn))).map(w => w.vs);
    if (wild.length === 0) return exact;
    const order = this.meshHosts.order;
    return [...new Set([...exact, ...wild])].sort((a, b) => order.get(a)! - order.get(b)!);
  }

  /** HTTPRoutes with a parentRef of `kind` to `ns/name`, and that parentRef. */
  public routesOf(kind: string, key: string): ReadonlyArray<{ route: Named; ref: any }> {
    return this.byParent.get(`${kind}|${key}`) ?? [];
  }
}

/** Routes a request at the caller's proxy, the destination's waypoint, or the ingress gateway. */
export function routeRequest(ctx: RouteContext, req: NormalizedRequest, caller: Caller, gateway: string | undefined): Routed {
  if (gateway) return viaGateway(ctx, req, caller, gateway);
  const target = resolveHostName(ctx.index, req.host, req.toNamespace ?? caller.namespace, ctx.clusterDomain);
  if (!target) return { backends: [], trace: [], unknown: `no Service or ServiceEntry for host "${req.host}" in the set` };
  let configNs = caller.namespace ?? '';
  let where = `the caller's sidecar`;
  if (caller.plaintext) return defaultRoute(target, req, 'route: the caller has no proxy: no mesh route applies');
  if (caller.kind === 'workload' && caller.dataplane === 'ambient') {
    const labels = target.kind === 'Service' ? target.service.labels : target.entry.object.metadata?.labels ?? {};
    const ns = target.kind === 'Service' ? target.service.namespace : target.entry.namespace;
    const wp = dataplaneOf(ctx.index, ns).mode === 'ambient' ? waypointFor(ctx.index, labels, ns) : undefined;
    if (!wp) return defaultRoute(target, req, `route: ambient caller and no waypoint for ${target.fqdn}: ztunnel does not apply HTTP routes (default routing)`);
    configNs = wp.namespace;
    where = `waypoint ${wp.namespace}/${wp.name}`;
  }
  const l4 = l4ProtocolOf(req, target, req.port);
  if (l4) return routeMeshL4(l4Hooks(ctx, target, req), req, target, l4, caller, configNs, where);
  const svcNs = target.kind === 'Service' ? target.service.namespace : target.entry.namespace;
  const svcName = target.kind === 'Service' ? target.service.name : target.entry.name;
  const kind = target.kind;
  const routes = ctx.routesOf(kind, `${svcNs}/${svcName}`)
    .filter(p => p.ref?.port === undefined || Number(p.ref.port) === req.port)
    .map(p => p.route);
  const own = routes.filter(r => r.namespace === configNs);
  const producer = routes.filter(r => r.namespace === svcNs);
  const vss = ctx.meshVirtualServicesFor(target.fqdn).filter(vs => visible(vs, configNs));
  let chosen: 'http' | 'vs' | undefined;
  let note = '';
  let httpSet = own.length ? own : producer;
  if (own.length) {
    chosen = 'http';
    if (vss.length) note = ` (HTTPRoute ${ref(own[0])} in the proxy's namespace wins over VirtualService ${ref(vss[0])})`;
  } else if (producer.length && vss.length) {
    const tHttp = producer[0].object.metadata?.creationTimestamp;
    const tVs = vss[0].object.metadata?.creationTimestamp;
    if (!tHttp || !tVs || tHttp === tVs) {
      return { backends: [], trace: [], unknown: `VirtualService ${ref(vss[0])} and HTTPRoute ${ref(producer[0])} both route ${target.fqdn}: for a proxy in namespace ${configNs} the older one wins and the set has no creationTimestamp to tell` };
    }
    chosen = tHttp < tVs ? 'http' : 'vs';
    note = ` (the older of VirtualService ${ref(vss[0])} and HTTPRoute ${ref(producer[0])})`;
  } else if (producer.length) chosen = 'http';
  else if (vss.length) chosen = 'vs';
  if (!chosen) return defaultRoute(target, req, `route: no route object for ${target.fqdn}: default routing to ${resourceOf(target)}`);
  let rule: RouteRule | undefined;
  let resource: string;
  if (chosen === 'http') {
    httpSet = httpSet.sort(byAge);
    resource = httpSet.map(r => `HTTPRoute ${ref(r)}`).join(', ');
    rule = matchHttpRoutes(httpSet, req, ctx.clusterDomain);
  } else {
    resource = `VirtualService ${ref(vss[0])}`;
    rule = matchVirtualService(vss[0], req, { namespace: caller.namespace, labels: callerLabels(caller), gateway: 'mesh' }, req.port, ctx.clusterDomain);
  }
  const head = `route: at ${where}: ${resource}${note}`;
  if (!rule) return { backends: [], trace: [`${head}: no rule matches: 404`], noRouteReason: `no rule of ${resource} matches: 404` };
  return { ...finish(ctx, rule, req, configNs, head), addressed: target };
}

function viaGateway(ctx: RouteContext, req: NormalizedRequest, _caller: Caller, gateway: string): Routed {
  const gw = gatewayOf(ctx.index, { gateway });
  const l4 = routeGatewayL4(l4Hooks(ctx, undefined, req), req, gw, gateway);
  if (l4) return l4;
  const redirect = httpsRedirectOf(req, gw, gateway);
  if (redirect) return redirect;
  if (gw.gatewayApi) {
    const listeners = ((gw.object.object.spec?.listeners ?? []) as any[])
      .filter(l => Number(l?.port) === req.port && (l.hostname === undefined || hostMatches(l.hostname, req.host)));
    if (!listeners.length) return { backends: [], trace: [], noRouteReason: `Gateway ${gateway} has no listener on port ${req.port} for host ${req.host}: 404` };
    const nsLabels = (ns: string): Record<string, string> => ({ 'kubernetes.io/metadata.name': ns, ...(ctx.index.namespaces.get(ns) ?? {}) });
    const routes = ctx.routesOf('Gateway', gateway).filter(({ route, ref: pr }) => listeners.some(l =>
      (pr.sectionName === undefined || pr.sectionName === l.name) && (pr.port === undefined || Number(pr.port) === req.port)
      && allowed(l, route.namespace, gw.namespace, nsLabels(route.namespace))))
      .map(p => p.route)
      .filter(r => !(r.object.spec?.hostnames ?? []).length || (r.object.spec.hostnames as string[]).some(h => hostMatches(h, req.host)));
    const head = `route: at gateway ${gateway} (listener ${listeners.map(l => l.name).join(', ')})`;
    if (!routes.length) return { backends: [], trace: [`${head}: no HTTPRoute attached for ${req.host}: 404`], noRouteReason: `no HTTPRoute of Gateway ${gateway} matches host ${req.host}: 404` };
    const rule = matchHttpRoutes(routes, req, ctx.clusterDomain);
    if (!rule) return { backends: [], trace: [`${head}: no rule matches: 404`], noRouteReason: `no rule of ${routes.map(r => `HTTPRoute ${ref(r)}`).join(', ')} matches: 404` };
    return finish(ctx, rule, req, gw.namespace, head);
  }
  const servers = ((gw.object.object.spec?.servers ?? []) as any[]).filter(s => Number(s?.port?.number) === req.port
    && ((s.hosts ?? []) as string[]).some(h => hostMatches(h.includes('/') ? h.split('/')[1] : h, req.host)));
  if (!servers.length) return { backends: [], trace: [], noRouteReason: `Gateway ${gateway} has no server on port ${req.port} for host ${req.host}: 404` };
  const vss = ctx.virtualServices(gateway).filter(vs => ((vs.object.spec?.hosts ?? []) as string[]).some(h => hostMatches(h, req.host)));
  const head = `route: at gateway ${gateway}: ${vss.map(v => `VirtualService ${ref(v)}`).join(', ') || 'no VirtualService'}`;
  for (const vs of vss) {
    const rule = matchVirtualService(vs, req, { labels: {}, gateway }, req.port, ctx.clusterDomain);
    if (rule) return finish(ctx, rule, req, gw.namespace, head);
  }
  return { backends: [], trace: [`${head}: no rule matches: 404`], noRouteReason: `no VirtualService rule bound to Gateway ${gateway} matches host ${req.host}: 404` };
}

/** What route-l4.ts needs from here (TCP/TLS routing reuses subsets, backends and defaults). */
function l4Hooks(ctx: RouteContext, target: HostTarget | undefined, req: NormalizedRequest): L4Hooks {
  const nsLabels = (ns: string): Record<string, string> => ({ 'kubernetes.io/metadata.name': ns, ...(ctx.index.namespaces.get(ns) ?? {}) });
  return {
    clusterDomain: ctx.clusterDomain,
    routesOf: (kind, parentKind, key) => ctx.index.allOfKind(kind).filter(r => ((r.object.spec?.parentRefs ?? []) as any[]).some(p =>
      (p?.kind ?? 'Gateway') === parentKind && `${p?.namespace ?? r.namespace}/${p?.name}` === key && (parentKind !== 'Service' || p?.port === undefined || Number(p.port) === req.port))),
    virtualServices: g => ctx.virtualServices(g),
    visible,
    allowed: (l, routeNs, gwNs, ns) => allowed(l, routeNs, gwNs, nsLabels(ns)),
    finish: (rule, configNs, head) => finish(ctx, rule, req, configNs, head),
    defaultRoute: (line, protocol) => {
      const r = defaultRoute(target!, req, line);
      return { ...r, route: { ...r.route!, protocol, retries: { attempts: 0 } } };
    },
  };
}

function allowed(listener: any, routeNs: string, gwNs: string, labels: Record<string, string>): boolean {
  const from = listener?.allowedRoutes?.namespaces?.from ?? 'Same';
  if (from === 'All') return true;
  if (from === 'Same') return routeNs === gwNs;
  const sel = listener.allowedRoutes.namespaces.selector ?? {};
  if (!labelsMatch(sel.matchLabels, labels)) return false;
  return ((sel.matchExpressions ?? []) as any[]).every(e => {
    const v = labels[e.key];
    switch (e.operator) {
      case 'In': return v !== undefined && (e.values ?? []).includes(v);
      case 'NotIn': return v === undefined || !(e.values ?? []).includes(v);
      case 'Exists': return v !== undefined;
      case 'DoesNotExist': return v === undefined;
      default: return false;
    }
  });
}

function finish(ctx: RouteContext, rule: RouteRule, req: NormalizedRequest, configNs: string, head: string): Routed {
  const { why, ...route } = rule;
  const trace = [`${head}: ${why}`];
  const backends: RoutedBackend[] = [];
  const out: RouteResult = { ...route, backends: route.backends.map(b => ({ ...b })) };
  for (const b of out.backends) {
    if (b.percent === 0) continue;
    const target = resolveHostName(ctx.index, b.host, undefined, ctx.clusterDomain);
    if (!target) return { route: out, backends: [], trace, unknown: `backend host ${b.host} has no Service or ServiceEntry in the set` };
    const refused = missingGrant(ctx.index, out.resource, target.fqdn, ctx.clusterDomain);
    if (refused) return { backends: [], trace: [...trace, `  ${refused}`], noRouteReason: refused };
    let subsetLabels: Record<string, string> = {};
    if (b.subset) {
      const labels = subsetOf(ctx, target, b.subset, configNs);
      if (!labels) return { route: out, backends: [], trace, unknown: `subset "${b.subset}" of ${b.host} is not defined by a DestinationRule in the set (Istio answers 503)` };
      subsetLabels = labels;
    }
    backends.push({ target, port: b.port ?? (target.kind === 'Service' && target.service.ports.length === 1 ? target.service.ports[0].port : req.port), subset: b.subset, subsetLabels });
  }
  return { route: out, backends, trace };
}

function subsetOf(ctx: RouteContext, target: HostTarget, subset: string, configNs: string): Record<string, string> | undefined {
  const svcNs = target.kind === 'Service' ? target.service.namespace : target.entry.namespace;
  for (const ns of [configNs, svcNs, ctx.rootNamespace]) {
    for (const dr of ctx.index.ofKind('DestinationRule', ns)) {
      const host = String(dr.object.spec?.host ?? '');
      const fq = host.includes('.') || host.startsWith('*') ? host : qualify(host, dr.namespace, ctx.clusterDomain);
      if (!hostMatches(fq, target.fqdn)) continue;
      const s = ((dr.object.spec?.subsets ?? []) as any[]).find(x => x?.name === subset);
      if (s) return { ...(s.labels ?? {}) };
    }
  }
  return undefined;
}

function defaultRoute(target: HostTarget, req: NormalizedRequest, line: string): Routed {
  const route: RouteResult = { resource: resourceOf(target), backends: [{ host: target.fqdn, port: req.port, percent: 100 }], retries: { ...DEFAULT_RETRIES } };
  return { route, backends: [{ target, port: req.port, subsetLabels: {} }], trace: [line], addressed: target };
}

function resourceOf(target: HostTarget): string {
  return target.kind === 'Service' ? `Service ${target.service.namespace}/${target.service.name}` : `ServiceEntry ${target.entry.namespace}/${target.entry.name}`;
}

function visible(vs: Named, ns: string): boolean {
  const exportTo = (vs.object.spec?.exportTo ?? ['*']) as string[];
  return exportTo.includes('*') || exportTo.includes(ns) || (exportTo.includes('.') && vs.namespace === ns);
}

function callerLabels(caller: Caller): Record<string, string> {
  return caller.labels ?? {};
}

function ref(n: Named): string {
  return `${n.namespace}/${n.name}`;
}

function push<V>(map: Map<string, V[]>, key: string, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
