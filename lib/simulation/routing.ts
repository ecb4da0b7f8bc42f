import { HostTarget, resolveHostName } from './hosts';
import { ManifestIndex, Named } from './model';
import { NormalizedRequest, simulationError } from './request';
import { Caller } from './security';
import { RouteResult, SimulationVia } from './types';

// Routing: which route object and rule a request matches, and where it goes.

/** Istio's retry policy for a route without `retries` (pilot/pkg/networking/core/route/retry/retry.go, 1.30.3). */
export const DEFAULT_RETRIES = { attempts: 2, retryOn: 'connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes' } as const;

/** A backend the route sends to, resolved for authorization. */
export interface RoutedBackend {
  readonly target: HostTarget;
  readonly port?: number;
  readonly subset?: string;
  /** Labels of the subset (empty without a subset). */
  readonly subsetLabels: Record<string, string>;
}

/** The routing outcome. */
export interface Routed {
  readonly route?: RouteResult;
  readonly backends: RoutedBackend[];
  readonly trace: string[];
  readonly unknown?: string;
  readonly noRouteReason?: string;
}

/** Route objects of the set, indexed. */
export class RouteContext {
  public constructor(public readonly index: ManifestIndex, public readonly clusterDomain: string) {}
}

/** A gateway a request enters through. */
export interface GatewayInfo {
  readonly namespace: string;
  readonly name: string;
  readonly gatewayApi: boolean;
  readonly object: Named;
  readonly selector: Record<string, string>;
  readonly podNamespace: string;
  readonly serviceAccount: string;
  readonly port?: number;
  readonly assumption?: string;
}

/** Looks up `via.gateway` (a Gateway API Gateway or an Istio Gateway); MeshError when it is not in the set. */
export function gatewayOf(index: ManifestIndex, via: SimulationVia): GatewayInfo {
  const [namespace, name] = via.gateway.split('/');
  const found = index.ofKind('Gateway', namespace).filter(g => g.name === name);
  const api = found.find(g => (g.object.apiVersion ?? '').startsWith('gateway.networking.k8s.io/'));
  const istio = found.find(g => (g.object.apiVersion ?? '').startsWith('networking.istio.io/'));
  if (api) {
    return {
      namespace, name, gatewayApi: true, object: api, selector: {}, podNamespace: via.namespace ?? namespace,
      serviceAccount: via.serviceAccount ?? `${name}-istio`,
    };
  }
  if (istio) {
    const assumption = via.serviceAccount === undefined
      ? `gateway ${via.gateway} runs as istio-ingress/istio-ingress (Istio's Helm gateway); pass via.serviceAccount and via.namespace otherwise` : undefined;
    return {
      namespace, name, gatewayApi: false, object: istio, selector: { ...(istio.object.spec?.selector ?? {}) },
      podNamespace: via.namespace ?? 'istio-ingress', serviceAccount: via.serviceAccount ?? 'istio-ingress', assumption,
    };
  }
  const known = index.allOfKind('Gateway').filter(g => (g.object.spec?.gatewayClassName ?? '') !== 'istio-waypoint').map(g => `${g.namespace}/${g.name}`);
  throw simulationError(`via.gateway must name a Gateway in the set, got "${via.gateway}" (gateways: ${known.length ? known.join(', ') : 'none'})`);
}

/** Routes a request (no route objects yet: the Service itself). */
export function routeRequest(ctx: RouteContext, req: NormalizedRequest, caller: Caller, _gateway: string | undefined): Routed {
  const target = resolveHostName(ctx.index, req.host, req.toNamespace ?? caller.namespace, ctx.clusterDomain);
  if (!target) {
    return { backends: [], trace: [], unknown: `no Service or ServiceEntry for host "${req.host}" in the set` };
  }
  const route: RouteResult = {
    resource: target.kind === 'Service' ? `Service ${target.service.namespace}/${target.service.name}` : `ServiceEntry ${target.entry.namespace}/${target.entry.name}`,
    backends: [{ host: target.fqdn, port: req.port, percent: 100 }],
    timeoutMs: null,
    retries: { ...DEFAULT_RETRIES },
  };
  return { route, backends: [{ target, port: req.port, subsetLabels: {} }], trace: [`route: no route object for ${target.fqdn}: default routing to ${route.resource}`] };
}
