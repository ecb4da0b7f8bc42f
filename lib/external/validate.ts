import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { AppRuntime } from '../app/runtime';
import { Egress, EgressMode } from '../egress';
import { checkDns1123Label, checkDns1123Subdomain, isDns1123Label } from '../mesh/checks';
import { checkDnsName } from '../mesh/hosts';
import { TrafficApi } from '../mesh/traffic-api';
import { MeshError } from '../mesh/errors';
import { CircuitBreaker, RetryPolicy } from '../mesh/resilience';
import { connectionPool, gatewayApiRetries, istioRetries, renderTimeout } from '../render';
import { ExternalProtocol, ExternalResolution } from './types';

// Internal: prop checks of ExternalApi that do not fit in the constructor.

const EXPORT_TO_ALLOWED = '"." (this namespace), "*" (all namespaces, alone) or namespace names, without duplicates';

/** Requires a props object (JavaScript callers). */
export function checkProps(scope: IConstruct, props: unknown): void {
  if (props === null || typeof props !== 'object') {
    throw MeshError.invalid(scope, 'props', props, 'an ExternalApiProps object with at least host');
  }
}

/** The namespace of the egress gateway or waypoint, if traffic goes through one. */
export function egressNamespace(egress: Egress): string | undefined {
  return egress.gatewayOptions?.namespace ?? egress.waypointRef?.namespace;
}

/** Checks the egress choice against the protocol and resolution. */
export function checkEgress(scope: IConstruct, egress: unknown, protocol: ExternalProtocol, resolution: ExternalResolution): void {
  if (!(egress instanceof Egress)) {
    throw MeshError.invalid(scope, 'egress', egress, 'Egress.direct(), Egress.gateway({ namespace, selector }) or Egress.waypoint({ namespace, name })');
  }
  if (egress.mode === EgressMode.GATEWAY) {
    const gw = egress.gatewayOptions;
    if (gw === null || typeof gw !== 'object') {
      throw MeshError.invalid(scope, 'egress', gw, 'Egress.gateway({ namespace, selector })');
    }
    checkDns1123Label(scope, 'egress.namespace', gw.namespace);
    const selector = gw.selector as unknown;
    if (selector === null || typeof selector !== 'object' || Array.isArray(selector) || Object.keys(selector).length === 0
      || Object.values(selector).some(v => typeof v !== 'string')) {
      throw MeshError.invalid(scope, 'egress.selector', selector,
        'a non-empty map of labels of the egress gateway pods, e.g. { istio: \'egressgateway\' } (without one the Gateway applies to every gateway of the mesh)');
    }
    if (gw.service !== undefined) checkDns1123Label(scope, 'egress.service', gw.service);
    if (protocol === ExternalProtocol.TCP) {
      throw new MeshError(scope, 'Egress.gateway() routes HTTP, HTTPS and TLS by host; protocol TCP carries no host to route on');
    }
    if (resolution !== ExternalResolution.DNS) {
      throw new MeshError(scope, 'Egress.gateway() needs resolution DNS: with NONE the egress gateway forwards the traffic to itself in a loop');
    }
  }
  if (egress.mode === EgressMode.WAYPOINT) {
    const wp = egress.waypointRef;
    if (wp === null || typeof wp !== 'object') {
      throw MeshError.invalid(scope, 'egress', wp, 'Egress.waypoint({ namespace, name })');
    }
    checkDns1123Label(scope, 'egress.namespace', wp.namespace);
    checkDns1123Label(scope, 'egress.name', wp.name);
    if (resolution !== ExternalResolution.DNS) {
      throw new MeshError(scope, 'Egress.waypoint() needs resolution DNS: ztunnel and waypoints support neither wildcard hosts nor resolution NONE');
    }
  }
}

/**
 * Checks `exportTo` the way istiod's admission webhook does (`.`, `*` alone, namespace names, no
 * duplicates counting `.` as this namespace) and that an egress gateway or waypoint in another
 * namespace can see the objects; returns the value to emit.
 *
 * @see https://istio.io/latest/docs/reference/config/networking/service-entry/#ServiceEntry-export_to
 */
export function checkExportTo(scope: IConstruct, namespace: string, exportTo: unknown, egress: Egress): string[] {
  const egressNs = egressNamespace(egress);
  const remote = egressNs !== undefined && egressNs !== namespace ? egressNs : undefined;
  if (exportTo === undefined) {
    return remote ? ['.', remote] : ['.'];
  }
  if (!Array.isArray(exportTo) || exportTo.length === 0) {
    throw MeshError.invalid(scope, 'exportTo', exportTo, `a non-empty list of ${EXPORT_TO_ALLOWED}`);
  }
  const seen = new Set<string>();
  for (const entry of exportTo) {
    if (entry === '~') {
      throw MeshError.invalid(scope, 'exportTo', exportTo, `${EXPORT_TO_ALLOWED}; "~" would hide the API from its own clients`);
    }
    if (entry !== '.' && entry !== '*' && !isDns1123Label(entry)) {
      throw MeshError.invalid(scope, 'exportTo', exportTo, EXPORT_TO_ALLOWED);
    }
    const key = entry === '.' ? namespace : entry;
    if (seen.has(key)) {
      throw MeshError.invalid(scope, 'exportTo', exportTo, `${EXPORT_TO_ALLOWED} ("." is namespace "${namespace}")`);
    }
    seen.add(key);
  }
  if (seen.has('*') && exportTo.length > 1) {
    throw MeshError.invalid(scope, 'exportTo', exportTo, `${EXPORT_TO_ALLOWED}; "*" cannot be combined with other values`);
  }
  if (remote && !seen.has('*') && !seen.has(remote)) {
    throw new MeshError(scope, `exportTo ${JSON.stringify(exportTo)} hides the ServiceEntry, DestinationRules and routes from the egress `
      + `${egress.mode === EgressMode.WAYPOINT ? 'waypoint' : 'gateway'} in namespace "${remote}", which must see them; add "${remote}" to exportTo (the default is [".", "${remote}"])`);
  }
  return [...exportTo];
}

/** Checks `tlsOriginationApi`, `sni` and `caCertificates`; returns the model's `sni` and `backendTls`. */
export function checkBackendTls(scope: IConstruct, props: { tlsOriginationApi?: TrafficApi; sni?: string; caCertificates?: string },
  tlsOrigination: boolean, host: string, egressGateway: boolean, connectionLimits: boolean)
  : { sni?: string; backendTls?: { sni: string; caConfigMap?: string } } {
  const api = props.tlsOriginationApi ?? TrafficApi.ISTIO;
  if (!Object.values(TrafficApi).includes(api)) throw MeshError.invalid(scope, 'tlsOriginationApi', api, 'TrafficApi.ISTIO or TrafficApi.GATEWAY_API');
  for (const [k, v] of [['tlsOriginationApi', props.tlsOriginationApi], ['sni', props.sni], ['caCertificates', props.caCertificates]] as const) {
    if (v !== undefined && !tlsOrigination) throw MeshError.invalid(scope, k, v, 'unset unless tlsOrigination is true');
  }
  const sni = props.sni === undefined ? undefined : checkDnsName(scope, 'sni', props.sni);
  if (props.caCertificates !== undefined && api !== TrafficApi.GATEWAY_API) {
    throw MeshError.invalid(scope, 'caCertificates', props.caCertificates, 'unset unless tlsOriginationApi is TrafficApi.GATEWAY_API (a BackendTLSPolicy CA ConfigMap)');
  }
  const caConfigMap = props.caCertificates === undefined ? undefined : checkDns1123Subdomain(scope, 'caCertificates', props.caCertificates);
  if (api !== TrafficApi.GATEWAY_API || !tlsOrigination) return sni === undefined ? {} : { sni };
  if (egressGateway) {
    throw MeshError.invalid(scope, 'tlsOriginationApi', 'TrafficApi.GATEWAY_API', 'TrafficApi.ISTIO with Egress.gateway() (the egress gateway originates TLS with its own DestinationRule)');
  }
  if (connectionLimits) {
    throw MeshError.invalid(scope, 'tlsOriginationApi', 'TrafficApi.GATEWAY_API', 'TrafficApi.ISTIO with circuitBreaker (the connection limits need a DestinationRule for the host, '
      + 'which would compete with the one istiod derives from the BackendTLSPolicy)');
  }
  return { sni, backendTls: { sni: sni ?? host, caConfigMap } };
}

/**
 * Checks `timeout`, `retries` and `circuitBreaker` once, for the API the egress mode targets
 * (Gateway API at an egress waypoint, Istio otherwise), through the shared concept renderers
 * (lib/render), which reject what a target cannot express the same way in every construct. The
 * values stay raw in the intent; the object renderers render them at synth.
 */
export function checkResilience(scope: IConstruct, props: { timeout?: Duration; retries?: RetryPolicy; circuitBreaker?: CircuitBreaker },
  m: { host: string; protocol: ExternalProtocol; egress: Egress }): void {
  const l7 = props.timeout !== undefined || props.retries !== undefined;
  if (l7 && m.protocol !== ExternalProtocol.HTTP) {
    const prop = props.timeout !== undefined ? 'timeout' : 'retries';
    throw new MeshError(scope, `${prop} needs HTTP the mesh can read, but the app sends ${m.protocol} (opaque to the proxies); `
      + 'set tlsOrigination: true and let the app call http://' + m.host + `, or drop ${prop}`);
  }
  const api = m.egress.mode === EgressMode.WAYPOINT ? TrafficApi.GATEWAY_API : TrafficApi.ISTIO;
  if (props.timeout !== undefined) renderTimeout(scope, 'timeout', props.timeout, api);
  if (props.retries !== undefined && api === TrafficApi.GATEWAY_API) {
    AppRuntime.of(scope).requireExperimentalChannel(scope, 'retries through an egress waypoint need HTTPRoute retry', 'drop retries');
    gatewayApiRetries(scope, 'retries', props.retries, props.timeout);
  } else if (props.retries !== undefined) {
    istioRetries(scope, 'retries', props.retries);
  }
  if (props.circuitBreaker !== undefined) {
    const pool = connectionPool(scope, 'circuitBreaker', props.circuitBreaker);
    if (m.protocol !== ExternalProtocol.HTTP && pool.http !== undefined) {
      AppRuntime.of(scope).warn(scope, `circuitBreaker: ${Object.keys(pool.http as object).join(', ')} apply to HTTP only; `
        + `the app sends ${m.protocol}, so only maxConnections and connectTimeout take effect`);
    }
  }
}
