import { ApiObject, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { DestinationRule, ServiceEntry } from '../../imports/networking.istio.io';
import { EgressWaypointRef } from '../egress';
import { checkInteger } from '../mesh/checks';
import { gatewayApiDuration, millisOf } from '../mesh/duration';
import { MeshError } from '../mesh/errors';
import { renderIstioRetries, RetryPolicy } from '../mesh/resilience';
import { clientSidePorts, ExternalModel, hostDestinationRule, serviceEntry } from './model';

/** The objects of an ExternalApi served by an egress waypoint. */
export interface WaypointObjects {
  readonly serviceEntry: ServiceEntry;
  readonly destinationRule?: DestinationRule;
  readonly httpRoute?: ApiObject;
}

/** Label that binds a Service or ServiceEntry to a waypoint. */
export const USE_WAYPOINT_LABEL = 'istio.io/use-waypoint';
/** Label naming the namespace of that waypoint. */
export const USE_WAYPOINT_NAMESPACE_LABEL = 'istio.io/use-waypoint-namespace';

/**
 * Ambient egress waypoint: the ServiceEntry is labelled to use the waypoint; TLS origination
 * and connection limits come from a DestinationRule (applied by the waypoint, which must see
 * it: exportTo); timeout and retries from an HTTPRoute whose parent is the ServiceEntry.
 *
 * @see https://istio.io/latest/docs/ambient/usage/egress-gateway/
 * @see https://istio.io/latest/docs/ambient/usage/waypoint/#configure-resources-to-use-a-cross-namespace-waypoint-proxy
 */
export function renderWaypoint(scope: Construct, m: ExternalModel, waypoint: EgressWaypointRef): WaypointObjects {
  const se = serviceEntry(scope, m, clientSidePorts(m), {
    [USE_WAYPOINT_LABEL]: waypoint.name,
    [USE_WAYPOINT_NAMESPACE_LABEL]: waypoint.namespace,
  });
  const dr = hostDestinationRule(scope, m, m.appPort);
  let route: ApiObject | undefined;
  if (m.timeout !== undefined || m.retries !== undefined) {
    const timeouts: Record<string, string> = {};
    if (m.timeout !== undefined) timeouts.request = m.timeout;
    if (m.backendRequestTimeout !== undefined) timeouts.backendRequest = m.backendRequestTimeout;
    route = new ApiObject(scope, 'http-route', {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: m.name, namespace: m.namespace },
      spec: {
        parentRefs: [{ group: 'networking.istio.io', kind: 'ServiceEntry', name: m.name }],
        rules: [{
          backendRefs: [{ group: 'networking.istio.io', kind: 'Hostname', name: m.host, port: m.appPort }],
          ...(Object.keys(timeouts).length > 0 ? { timeouts } : {}),
          ...(m.retries !== undefined ? { retry: m.retries } : {}),
        }],
      },
    });
  }
  return { serviceEntry: se, destinationRule: dr, httpRoute: route };
}

/** Conditions Istio always retries on when it converts Gateway API `retry`. */
const IMPLIED_CONDITIONS = ['connect-failure', 'refused-stream', 'unavailable', 'cancelled'];

/**
 * Renders a RetryPolicy as Gateway API HTTPRoute `retry` (experimental channel) plus the
 * per-try timeout as `timeouts.backendRequest`. Istio turns it into `retryOn:
 * connect-failure,refused-stream,unavailable,cancelled,<codes>`, so only those conditions,
 * `gateway-error` (= 502, 503, 504) and status codes 400..599 can be expressed.
 *
 * @see https://gateway-api.sigs.k8s.io/reference/spec/#httprouteretry
 */
export function gatewayApiRetry(scope: Construct, policy: RetryPolicy, timeout?: Duration)
  : { retry: Record<string, unknown>; backendRequest?: string } {
  renderIstioRetries(scope, 'retries', policy);
  const codes = new Set<number>();
  (policy.retryOn ?? []).forEach((token, i) => {
    if (typeof token === 'number') {
      codes.add(checkInteger(scope, `retries.retryOn[${i}]`, token, 400, 599));
    } else if (token === 'gateway-error') {
      [502, 503, 504].forEach(c => codes.add(c));
    } else if (!IMPLIED_CONDITIONS.includes(token)) {
      throw MeshError.invalid(scope, `retries.retryOn[${i}]`, token,
        `a status code 400..599, gateway-error or one of ${IMPLIED_CONDITIONS.join(', ')} (what Gateway API retry can express)`);
    }
  });
  const retry: Record<string, unknown> = { attempts: policy.attempts };
  if (codes.size > 0) retry.codes = [...codes].sort((a, b) => a - b);
  let backendRequest: string | undefined;
  if (policy.perTryTimeout !== undefined) {
    backendRequest = gatewayApiDuration(scope, 'retries.perTryTimeout', policy.perTryTimeout, { allowZero: false });
    if (timeout !== undefined && millisOf(policy.perTryTimeout) > millisOf(timeout)) {
      throw MeshError.invalid(scope, 'retries.perTryTimeout', policy.perTryTimeout,
        `at most timeout (${millisOf(timeout)}ms): Gateway API rejects a backendRequest timeout longer than the request timeout`);
    }
  }
  return { retry, backendRequest };
}
