import { HostTarget, hostMatches, qualify } from './hosts';
import { Named } from './model';
import { NormalizedRequest } from './request';
import { RouteRule, Routed } from './route-common';
import { byAge } from './route-http';
import { GatewayInfo } from './routing';
import { vsGateways, vsHosts } from './route-vs';
import { Caller } from './security';

// TCP and TLS routing (Istio 1.30.3, Gateway API v1.6):
// - Protocol of a port: Service `appProtocol`, else the port name's prefix before "-"
//   (pkg/config/kube/conversion.go ConvertProtocol, pkg/config/protocol/instance.go Parse/IsTCP):
//   tcp, mongo, mysql, redis are TCP; https and tls are TLS; a ServiceEntry port's `protocol` the same.
// - Mesh, TCP port: the VirtualServices of the host are scanned in order, the first `tcp` rule
//   without match, or with a match whose static predicates hold (port, sourceLabels, gateways,
//   sourceNamespace), wins; none: the Service itself (pilot/pkg/networking/core/tls.go
//   buildSidecarOutboundTCPFilterChainOpts, `!defaultRouteAdded`).
// - Mesh, TLS port: `tls` rules whose static predicates hold become filter chains keyed by their
//   `sniHosts`; the connection's SNI picks one. With no such rule the Service itself is the
//   destination; with such rules and no SNI match no filter chain matches and the connection is
//   closed (tls.go buildSidecarOutboundTLSFilterChainOpts, `!hasTLSMatch`).
// - TCPRoute / TLSRoute become VirtualService tcp / tls routes: each rule one route, no matches
//   (TCPRoute), or `sniHosts` = the route's hostnames, "*" when none (TLSRoute); weights default
//   to 1, weight-0 backends are dropped, all zero rejects the connection
//   (pilot/pkg/config/kube/gateway/conversion.go convertTCPRoute, convertTLSRoute, buildTCPDestination).
// - Gateways: an Istio Gateway server with protocol TCP, or TLS in PASSTHROUGH/AUTO_PASSTHROUGH
//   mode, uses the tcp / tls rules of the VirtualServices bound to it (gateway.go
//   createGatewayTCPFilterChainOpts); a Gateway API listener of protocol TCP / TLS uses the
//   TCPRoutes / TLSRoutes attached to it.
// The SNI of a TLS connection is the host the caller names (`to.host`).

/** L4 protocol of a request, or undefined for HTTP. */
export type L4Protocol = 'TCP' | 'TLS';

const TCP_NAMES = new Set(['tcp', 'mongo', 'mysql', 'redis']);
const TLS_NAMES = new Set(['https', 'tls']);

/** Protocol of a declared name (`tcp-postgres`, `TLS`, `kubernetes.io/wss`); undefined for HTTP or undeclared. */
export function protocolOfName(name: string | undefined): L4Protocol | undefined {
  if (!name) return undefined;
  if (name === 'kubernetes.io/wss') return 'TLS';
  const lower = name.toLowerCase();
  const prefix = lower.startsWith('grpc-web') ? 'grpc-web' : lower.split('-')[0];
  if (TCP_NAMES.has(prefix)) return 'TCP';
  if (TLS_NAMES.has(prefix)) return 'TLS';
  return undefined;
}

/** The L4 protocol of a request to `target` on `port`: the request's own, else the port's declaration. */
export function l4ProtocolOf(req: NormalizedRequest, target: HostTarget, port: number): L4Protocol | undefined {
  if (req.protocol !== undefined) return req.protocol === 'HTTP' ? undefined : req.protocol;
  if (target.kind === 'Service') {
    const sp = target.service.ports.find(p => p.port === port);
    return protocolOfName(sp?.appProtocol ?? sp?.name);
  }
  const sp = ((target.entry.object.spec?.ports ?? []) as any[]).find(p => Number(p?.number) === port);
  return protocolOfName(sp?.protocol);
}

/** What an L4 route match sees about the caller. */
interface L4Caller {
  readonly namespace?: string;
  readonly labels: Record<string, string>;
  /** `mesh` or the `namespace/name` of the gateway. */
  readonly gateway: string;
}

/** Evaluates the `tcp` / `tls` rules of VirtualServices; `unknown` when a match depends on IP addresses. */
function matchVirtualServicesL4(vss: readonly Named[], proto: L4Protocol, sni: string, port: number, caller: L4Caller, clusterDomain: string): { rule?: RouteRule; staticMatch: boolean; unknown?: string } {
  const section = proto === 'TCP' ? 'tcp' : 'tls';
  let staticMatch = false;
  for (const vs of vss) {
    const rules = (vs.object.spec?.[section] ?? []) as any[];
    for (let i = 0; i < rules.length; i++) {
      const matches = (rules[i]?.match ?? []) as any[];
      if (matches.length === 0 && proto === 'TCP') return { rule: translateVs(vs, rules[i], i, section, -1, clusterDomain), staticMatch: true };
      for (let m = 0; m < matches.length; m++) {
        const match = matches[m] ?? {};
        if (!staticPredicates(match, port, caller, vs.namespace)) continue;
        staticMatch = true;
        if ((match.destinationSubnets ?? []).length) {
          return { staticMatch, unknown: `rule ${i} of VirtualService ${ref(vs)} matches destinationSubnets ${JSON.stringify(match.destinationSubnets)}: the destination IP is not in the set` };
        }
        if (proto === 'TLS' && !((match.sniHosts ?? []) as string[]).some(h => hostMatches(h, sni))) continue;
        return { rule: translateVs(vs, rules[i], i, section, m, clusterDomain), staticMatch };
      }
    }
  }
  return { staticMatch };
}

function staticPredicates(m: any, port: number, caller: L4Caller, vsNamespace: string): boolean {
  if (m.port !== undefined && Number(m.port) !== port) return false;
  if (m.sourceLabels && !Object.entries(m.sourceLabels as Record<string, string>).every(([k, v]) => caller.labels[k] === v)) return false;
  if (m.sourceNamespace !== undefined && m.sourceNamespace !== caller.namespace) return false;
  const gws = (m.gateways ?? []) as string[];
  if (gws.length && !gws.map(g => g === 'mesh' || g.includes('/') ? g : `${vsNamespace}/${g}`).includes(caller.gateway)) return false;
  return true;
}

function translateVs(vs: Named, rule: any, index: number, section: 'tcp' | 'tls', match: number, clusterDomain: string): RouteRule {
  const routes = (rule?.route ?? []) as any[];
  const weights = routes.map(r => r?.weight === undefined ? (routes.length === 1 ? 100 : 0) : Number(r.weight));
  const total = weights.reduce((a, b) => a + b, 0);
  return {
    resource: `VirtualService ${ref(vs)}`, rule: index, protocol: section === 'tcp' ? 'TCP' : 'TLS',
    why: match < 0 ? `${section} rule ${index} has no match` : `${section} rule ${index} match ${match} holds${section === 'tls' ? ' (sniHosts)' : ''}`,
    backends: routes.map((r, i) => ({
      host: qualify(String(r?.destination?.host ?? ''), vs.namespace, clusterDomain),
      ...(r?.destination?.port?.number !== undefined ? { port: Number(r.destination.port.number) } : {}),
      ...(r?.destination?.subset ? { subset: String(r.destination.subset) } : {}),
      percent: total > 0 ? Math.round(weights[i] * 10000 / total) / 100 : 0,
    })),
    retries: { attempts: 0 },
  };
}

/** First rule of TCPRoutes/TLSRoutes (oldest first) whose hostnames cover the SNI. */
function matchGatewayRoutes(routes: readonly Named[], proto: L4Protocol, sni: string, clusterDomain: string): RouteRule | { rejected: string } | undefined {
  for (const route of [...routes].sort(byAge)) {
    if (proto === 'TLS') {
      const hostnames = (route.object.spec?.hostnames ?? []) as string[];
      if (hostnames.length && !hostnames.some(h => hostMatches(h, sni))) continue;
    }
    const rules = (route.object.spec?.rules ?? []) as any[];
    if (!rules.length) continue;
    const refs = ((rules[0]?.backendRefs ?? []) as any[]).filter(r => (r?.weight === undefined ? 1 : Number(r.weight)) > 0);
    const kind = route.kind;
    if (refs.length === 0) return { rejected: `${kind} ${ref(route)} rule 0 has no backend with weight > 0: the connection is rejected` };
    const weights = refs.map(r => r?.weight === undefined ? 1 : Number(r.weight));
    const total = weights.reduce((a, b) => a + b, 0);
    return {
      resource: `${kind} ${ref(route)}`, rule: 0, protocol: proto,
      why: `rule 0 ${proto === 'TLS' ? `(hostnames ${JSON.stringify(route.object.spec?.hostnames ?? ['*'])} cover SNI ${sni})` : '(a TCPRoute rule has no matches)'}`,
      backends: refs.map((r, i) => ({
        host: (r?.kind ?? 'Service') === 'Service' ? `${r.name}.${r.namespace ?? route.namespace}.svc.${clusterDomain}` : String(r?.name ?? ''),
        ...(r?.port !== undefined ? { port: Number(r.port) } : {}),
        percent: Math.round(weights[i] * 10000 / total) / 100,
      })),
      retries: { attempts: 0 },
    };
  }
  return undefined;
}

/** Hooks the L4 router needs from route-select (kept there: defaults, subsets, finish). */
export interface L4Hooks {
  readonly clusterDomain: string;
  readonly routesOf: (kind: string, parentKind: string, key: string) => Named[];
  readonly virtualServices: (gateway: string) => readonly Named[];
  readonly visible: (vs: Named, ns: string) => boolean;
  readonly allowed: (listener: any, routeNs: string, gwNs: string, routeNsName: string) => boolean;
  readonly finish: (rule: RouteRule, configNs: string, head: string) => Routed;
  readonly defaultRoute: (line: string, proto: L4Protocol) => Routed;
}

/** Routes a TCP or TLS connection inside the mesh (at the caller's sidecar or the destination's waypoint). */
export function routeMeshL4(h: L4Hooks, req: NormalizedRequest, target: HostTarget, proto: L4Protocol, caller: Caller, configNs: string, where: string): Routed {
  const kind = target.kind;
  const ns = kind === 'Service' ? target.service.namespace : target.entry.namespace;
  const name = kind === 'Service' ? target.service.name : target.entry.name;
  const routeKind = proto === 'TCP' ? 'TCPRoute' : 'TLSRoute';
  const routes = h.routesOf(routeKind, kind, `${ns}/${name}`);
  const vss = h.virtualServices('mesh').filter(vs => vsGateways(vs).includes('mesh') && vsHosts(vs, h.clusterDomain).some(x => hostMatches(x, target.fqdn)) && h.visible(vs, configNs));
  if (routes.length && vss.length) {
    return { backends: [], trace: [], unknown: `VirtualService ${ref(vss[0])} and ${routeKind} ${ref(routes[0])} both route ${proto} to ${target.fqdn}: which one a proxy uses depends on creation times` };
  }
  const head = `route: at ${where} (${proto}${proto === 'TLS' ? `, SNI ${req.host}` : ''})`;
  if (routes.length) {
    const hit = matchGatewayRoutes(routes, proto, req.host, h.clusterDomain);
    if (hit && 'rejected' in hit) return { backends: [], trace: [`${head}: ${hit.rejected}`], noRouteReason: hit.rejected };
    if (hit) return { ...h.finish(hit, configNs, `${head}: ${hit.resource}`), addressed: target };
    return { ...h.defaultRoute(`${head}: no ${routeKind} rule covers SNI ${req.host}: default routing`, proto), addressed: target };
  }
  const out = matchVirtualServicesL4(vss, proto, req.host, req.port, { namespace: caller.namespace, labels: caller.labels ?? {}, gateway: 'mesh' }, h.clusterDomain);
  if (out.unknown) return { backends: [], trace: [], unknown: out.unknown };
  if (out.rule) return { ...h.finish(out.rule, configNs, `${head}: ${out.rule.resource}`), addressed: target };
  if (proto === 'TLS' && out.staticMatch) {
    const reason = `no tls rule of ${vss.map(v => `VirtualService ${ref(v)}`).join(', ')} lists SNI ${req.host}: no filter chain matches and the connection is closed`;
    return { backends: [], trace: [`${head}: ${reason}`], noRouteReason: reason };
  }
  const what = vss.length ? `no ${proto === 'TCP' ? 'tcp' : 'tls'} rule of ${vss.map(v => `VirtualService ${ref(v)}`).join(', ')} applies` : `no ${proto} route object for ${target.fqdn}`;
  return { ...h.defaultRoute(`${head}: ${what}: default routing`, proto), addressed: target };
}

/**
 * Routes a connection that enters an ingress gateway on a TCP or TLS-passthrough listener/server;
 * undefined when the port is served as HTTP (or not at all).
 */
export function routeGatewayL4(h: L4Hooks, req: NormalizedRequest, gw: GatewayInfo, gateway: string): Routed | undefined {
  const spec = gw.object.object.spec ?? {};
  if (gw.gatewayApi) {
    const listeners = ((spec.listeners ?? []) as any[]).filter(l => Number(l?.port) === req.port && (l?.protocol === 'TCP' || l?.protocol === 'TLS')
      && (l.protocol === 'TCP' || l.hostname === undefined || hostMatches(l.hostname, req.host)));
    if (!listeners.length) return undefined;
    const proto: L4Protocol = listeners[0].protocol;
    const routeKind = proto === 'TCP' ? 'TCPRoute' : 'TLSRoute';
    const head = `route: at gateway ${gateway} (listener ${listeners.map(l => l.name).join(', ')}, ${proto}${proto === 'TLS' ? ` passthrough, SNI ${req.host}` : ''})`;
    const routes = h.routesOf(routeKind, 'Gateway', gateway).filter(r => ((r.object.spec?.parentRefs ?? []) as any[]).some(pr =>
      (pr?.kind ?? 'Gateway') === 'Gateway' && `${pr.namespace ?? r.namespace}/${pr.name}` === gateway
      && listeners.some(l => (pr.sectionName === undefined || pr.sectionName === l.name) && (pr.port === undefined || Number(pr.port) === req.port)
        && h.allowed(l, r.namespace, gw.namespace, r.namespace))));
    const hit = matchGatewayRoutes(routes, proto, req.host, h.clusterDomain);
    if (hit && 'rejected' in hit) return { backends: [], trace: [`${head}: ${hit.rejected}`], noRouteReason: hit.rejected };
    if (!hit) {
      const reason = `no ${routeKind} attached to Gateway ${gateway} ${proto === 'TLS' ? `covers SNI ${req.host}` : `on port ${req.port}`}: the connection is closed`;
      return { backends: [], trace: [`${head}: ${reason}`], noRouteReason: reason };
    }
    return h.finish(hit, gw.namespace, `${head}: ${hit.resource}`);
  }
  const servers = ((spec.servers ?? []) as any[]).filter(s => Number(s?.port?.number) === req.port
    && (s?.port?.protocol === 'TCP' || (s?.port?.protocol === 'TLS' && ['PASSTHROUGH', 'AUTO_PASSTHROUGH'].includes(s?.tls?.mode ?? 'PASSTHROUGH'))));
  if (!servers.length) return undefined;
  const proto: L4Protocol = servers[0].port.protocol === 'TCP' ? 'TCP' : 'TLS';
  const hostsOf = (s: any): string[] => ((s.hosts ?? []) as string[]).map(x => x.includes('/') ? x.split('/')[1] : x);
  if (proto === 'TLS' && !servers.some(s => hostsOf(s).some(x => hostMatches(x, req.host)))) return undefined;
  const head = `route: at gateway ${gateway} (server port ${req.port}, ${proto}${proto === 'TLS' ? ` passthrough, SNI ${req.host}` : ''})`;
  const vss = h.virtualServices(gateway).filter(vs => proto === 'TCP' || ((vs.object.spec?.hosts ?? []) as string[]).some(x => hostMatches(x, req.host)));
  const out = matchVirtualServicesL4(vss, proto, req.host, req.port, { labels: {}, gateway }, h.clusterDomain);
  if (out.unknown) return { backends: [], trace: [], unknown: out.unknown };
  if (!out.rule) {
    const reason = `no ${proto === 'TCP' ? 'tcp' : 'tls'} rule of a VirtualService bound to Gateway ${gateway} matches${proto === 'TLS' ? ` SNI ${req.host}` : ` port ${req.port}`}: the connection is closed`;
    return { backends: [], trace: [`${head}: ${reason}`], noRouteReason: reason };
  }
  return h.finish(out.rule, gw.namespace, `${head}: ${out.rule.resource}`);
}

function ref(n: Named): string {
  return `${n.namespace}/${n.name}`;
}
