import { MeshError } from '../mesh/errors';
import { escapeRegex, MatchField, MatchType } from '../request-match';
import { RoutingIntent } from './intents';
import { RouteProtocol } from './protocol';
import { backendNames } from './render-gateway';
import { CANARY_SUBSET, ServiceTraffic, STABLE_SUBSET } from './render-istio';

// TCP, TLS and gRPC routes of a CanaryRoute (the weighted split; gRPC also the header matches).

function sni(t: ServiceTraffic): string[] {
  return [...(t.routing!.sniHosts ?? [t.service.host])];
}

function weighted(t: ServiceTraffic): Record<string, unknown>[] {
  const w = t.routing!.canaryWeight;
  const d = (subset: string) => ({ host: t.service.host, port: { number: t.service.port }, subset });
  return [{ destination: d(STABLE_SUBSET), weight: 100 - w }, { destination: d(CANARY_SUBSET), weight: w }];
}

/** True for a routing intent that Istio routes with `tcp` or `tls` instead of `http`. */
export function isL4(r: RoutingIntent | undefined): boolean {
  return r !== undefined && (r.protocol === RouteProtocol.TCP || r.protocol === RouteProtocol.TLS);
}

/** Istio `tcp` or `tls` section for the mesh (`hosts` the service) or the ingress binding. */
export function istioL4Spec(t: ServiceTraffic, ingress: boolean): Record<string, unknown> {
  const r = t.routing!;
  // Istio requires every sniHosts entry to be one of the VirtualService hosts.
  const hosts = ingress ? [...r.ingress!.hostnames] : [...new Set([t.service.host, ...sni(t)])];
  const spec: Record<string, unknown> = { hosts };
  if (ingress) spec.gateways = [`${r.ingress!.namespace}/${r.ingress!.name}`];
  if (r.protocol === RouteProtocol.TCP) {
    spec.tcp = [{ route: weighted(t) }];
  } else {
    spec.tls = [{ match: [{ sniHosts: ingress ? [...r.ingress!.hostnames] : sni(t) }], route: weighted(t) }];
  }
  return spec;
}

function backends(t: ServiceTraffic): Record<string, unknown>[] {
  const names = backendNames(t);
  const w = t.routing!.canaryWeight;
  return [{ name: names.stable, port: t.service.port, weight: 100 - w }, { name: names.canary, port: t.service.port, weight: w }];
}

function parentRefs(t: ServiceTraffic, ingress: boolean): Record<string, unknown>[] {
  if (!ingress) return [{ group: '', kind: 'Service', name: t.service.name, port: t.service.port }];
  const i = t.routing!.ingress!;
  return [{ name: i.name, ...(i.namespace !== t.service.namespace ? { namespace: i.namespace } : {}), ...(i.sectionName ? { sectionName: i.sectionName } : {}) }];
}

/** GRPCRoute header matches: GRPCRoute matches headers (Exact, RegularExpression) and methods only. */
function grpcMatches(t: ServiceTraffic): Record<string, unknown>[] {
  const r = t.routing!;
  return r.canaryMatches.map((m, i) => ({
    headers: m.conditions.map((c, j) => {
      if (c.field !== MatchField.HEADER) {
        throw MeshError.invalid(r.construct, `canaryMatches[${i}].conditions[${j}]`, c.field,
          'a header condition with RouteProtocol.GRPC and TrafficApi.GATEWAY_API (GRPCRoute matches headers and gRPC methods, not paths, cookies or query parameters)');
      }
      const value = c.type === MatchType.PREFIX ? `^${escapeRegex(c.value)}.*` : c.value;
      return { type: c.type === MatchType.EXACT ? 'Exact' : 'RegularExpression', name: c.name, value };
    }),
  }));
}

/** TCPRoute, TLSRoute or GRPCRoute spec for the mesh (Service parent) or the ingress binding (Gateway parent). */
export function gatewayL4Spec(t: ServiceTraffic, ingress: boolean): Record<string, unknown> {
  const r = t.routing!;
  const spec: Record<string, unknown> = { parentRefs: parentRefs(t, ingress) };
  if (r.protocol === RouteProtocol.TLS) spec.hostnames = ingress ? [...r.ingress!.hostnames] : sni(t);
  if (r.protocol === RouteProtocol.GRPC) {
    if (ingress) spec.hostnames = [...r.ingress!.hostnames];
    const rules: Record<string, unknown>[] = [];
    if (r.canaryMatches.length > 0) rules.push({ matches: grpcMatches(t), backendRefs: [{ name: backendNames(t).canary, port: t.service.port }] });
    rules.push({ backendRefs: backends(t) });
    spec.rules = rules;
    return spec;
  }
  spec.rules = [{ backendRefs: backends(t) }];
  return spec;
}
