import { isDns1123Label } from '../mesh/checks';
import { findKnownService, KnownService, KnownServicePort } from '../mesh/known-service';
import { MeshError } from '../mesh/errors';
import { TrafficApi } from '../mesh/traffic-api';
import { renderMatches } from '../request-match';
import { gatewayApiRetries, renderTimeout } from '../render';
import { ServiceTraffic } from './render-istio';
import { portName, RouteProtocol } from './protocol';

/** Names of the two per-version Services a Gateway API canary routes to. */
export function backendNames(t: ServiceTraffic): { stable: string; canary: string } {
  const r = t.routing!;
  return r.backendServices ?? { stable: `${t.service.name}-${r.stableVersion}`, canary: `${t.service.name}-${r.canaryVersion}` };
}

/** Throws unless the per-version Service names are valid DNS-1123 labels. */
export function checkBackendNames(t: ServiceTraffic): void {
  const names = backendNames(t);
  for (const [which, name] of Object.entries(names)) {
    if (!isDns1123Label(name)) {
      throw MeshError.invalid(t.routing!.construct, `backendServices.${which}`, name,
        'a DNS-1123 label: Gateway API has no subsets, so each version needs its own Service; '
        + 'the generated name is "<service>-<version>" — pass backendServices or use lowercase versions');
    }
  }
}

/** Gateway API mirror filter with `percent`, or `fraction` for a fractional percentage. */
function mirrorFilter(t: ServiceTraffic, name: string, percent: number): Record<string, unknown> {
  const mirror: Record<string, unknown> = { backendRef: { name, port: t.service.port } };
  if (Number.isInteger(percent)) {
    mirror.percent = percent;
  } else {
    let scale = 1;
    while (!Number.isInteger(Math.round(percent * scale * 1e6) / 1e6) && scale < 10_000) scale *= 10;
    if (Math.abs(percent * scale - Math.round(percent * scale)) > 1e-6) {
      throw MeshError.invalid(t.routing!.construct, 'mirrorPercent', percent,
        'a percentage with at most 4 decimals for Gateway API (RequestMirror fraction)');
    }
    mirror.fraction = { numerator: Math.round(percent * scale), denominator: 100 * scale };
  }
  return { type: 'RequestMirror', requestMirror: mirror };
}

/** Timeouts and (experimental) retry of every rule. */
function ruleResilience(t: ServiceTraffic): Record<string, unknown> {
  const r = t.resilience;
  const out: Record<string, unknown> = {};
  if (!r) return out;
  const timeouts: Record<string, string> = {};
  if (r.timeout !== undefined) timeouts.request = renderTimeout(r.construct, 'timeout', r.timeout, TrafficApi.GATEWAY_API);
  if (r.retries !== undefined) {
    const { retry, backendRequest } = gatewayApiRetries(r.construct, 'retries', r.retries, r.timeout);
    out.retry = retry;
    if (backendRequest !== undefined) timeouts.backendRequest = backendRequest;
  }
  if (Object.keys(timeouts).length > 0) out.timeouts = timeouts;
  return out;
}

/**
 * HTTPRoute rules: the canary-match rule (more specific than the catch-all, since HTTPRoute
 * precedence is by specificity, not order: T7), then the weighted rule with relative weights.
 */
export function httpRouteRules(t: ServiceTraffic): Record<string, unknown>[] {
  const res = ruleResilience(t);
  const port = t.service.port;
  if (!t.routing) return [{ backendRefs: [{ name: t.service.name, port }], ...res }];
  const names = backendNames(t);
  const rules: Record<string, unknown>[] = [];
  if (t.routing.canaryMatches.length > 0) {
    rules.push({
      matches: renderMatches(t.routing.construct, 'canaryMatches', t.routing.canaryMatches, TrafficApi.GATEWAY_API),
      backendRefs: [{ name: names.canary, port }],
      ...res,
    });
  }
  const w = t.routing.canaryWeight;
  const catchAll: Record<string, unknown> = {
    backendRefs: [{ name: names.stable, port, weight: 100 - w }, { name: names.canary, port, weight: w }],
    ...res,
  };
  const mirror = t.routing.mirrorPercent;
  if (mirror !== undefined && mirror > 0) catchAll.filters = [mirrorFilter(t, names.canary, mirror)];
  rules.push(catchAll);
  return rules;
}

/** HTTPRoute spec for in-mesh traffic: the Service is the parent (GAMMA). */
export function meshHttpRouteSpec(t: ServiceTraffic): Record<string, unknown> {
  return {
    parentRefs: [{ group: '', kind: 'Service', name: t.service.name, port: t.service.port }],
    rules: httpRouteRules(t),
  };
}

/** HTTPRoute spec for the ingress binding: the Gateway is the parent, with hostnames. */
export function ingressHttpRouteSpec(t: ServiceTraffic): Record<string, unknown> {
  const ingress = t.routing!.ingress!;
  const parent: Record<string, unknown> = { name: ingress.name };
  if (ingress.namespace !== t.service.namespace) parent.namespace = ingress.namespace;
  if (ingress.sectionName !== undefined) parent.sectionName = ingress.sectionName;
  return { parentRefs: [parent], hostnames: [...ingress.hostnames], rules: httpRouteRules(t) };
}

/**
 * The Service the App declares for the routed service and its routed port (`port` undefined when
 * the Service has no such port); undefined when the App does not declare it.
 */
export function knownServicePort(t: ServiceTraffic): { service: KnownService; port?: KnownServicePort } | undefined {
  const service = findKnownService(t.routing!.construct, t.service.namespace, t.service.name);
  return service && { service, port: service.ports.find(p => p.port === t.service.port) };
}

/**
 * Spec of a created per-version Service: the service's selector plus the version label, and the
 * real Service's port with its `targetPort`, `name` and `appProtocol` (#15.7: Istio picks the
 * protocol from the port name or appProtocol, and the pods listen on the targetPort). Props win
 * over the App's Service; without either the port is the service port, named after the protocol.
 */
export function versionServiceSpec(t: ServiceTraffic, version: string): Record<string, unknown> {
  const r = t.routing!;
  const known = knownServicePort(t);
  const selector = r.selector ?? known?.service.selector ?? { app: t.service.name };
  const real = known?.port;
  return {
    selector: { ...selector, [r.versionLabel]: version },
    ports: [{
      name: real?.name ?? portName(r.protocol ?? RouteProtocol.HTTP),
      port: t.service.port,
      targetPort: r.targetPort ?? real?.targetPort ?? t.service.port,
      ...(real?.appProtocol !== undefined ? { appProtocol: real.appProtocol } : {}),
    }],
  };
}
