import { IConstruct } from 'constructs';
import { EgressWaypointRef } from '../egress';
import { TrafficApi } from '../mesh/traffic-api';
import { gatewayApiRetries, renderTimeout } from '../render';
import { ExternalIntent } from './model';

/** Label that binds a Service or ServiceEntry to a waypoint. */
export const USE_WAYPOINT_LABEL = 'istio.io/use-waypoint';
/** Label naming the namespace of that waypoint. */
export const USE_WAYPOINT_NAMESPACE_LABEL = 'istio.io/use-waypoint-namespace';

/**
 * Ambient egress waypoint: the ServiceEntry is labelled to use the waypoint (these labels); TLS
 * origination and connection limits come from a DestinationRule (applied by the waypoint, which
 * must see it: exportTo); timeout and retries from an HTTPRoute whose parent is the ServiceEntry.
 *
 * @see https://istio.io/latest/docs/ambient/usage/egress-gateway/
 * @see https://istio.io/latest/docs/ambient/usage/waypoint/#configure-resources-to-use-a-cross-namespace-waypoint-proxy
 */
export function waypointLabels(waypoint: EgressWaypointRef): Record<string, string> {
  return { [USE_WAYPOINT_LABEL]: waypoint.name, [USE_WAYPOINT_NAMESPACE_LABEL]: waypoint.namespace };
}

/** The HTTPRoute spec (timeout, retries) at the egress waypoint, parent the ServiceEntry. Pure: called at synth. */
export function waypointHttpRouteSpec(scope: IConstruct, m: ExternalIntent): Record<string, unknown> {
  const timeouts: Record<string, string> = {};
  if (m.timeout !== undefined) timeouts.request = renderTimeout(scope, 'timeout', m.timeout, TrafficApi.GATEWAY_API);
  let retry: Record<string, unknown> | undefined;
  if (m.retries !== undefined) {
    const rendered = gatewayApiRetries(scope, 'retries', m.retries, m.timeout);
    retry = rendered.retry;
    if (rendered.backendRequest !== undefined) timeouts.backendRequest = rendered.backendRequest;
  }
  return {
    parentRefs: [{ group: 'networking.istio.io', kind: 'ServiceEntry', name: m.name }],
    rules: [{
      backendRefs: [{ group: 'networking.istio.io', kind: 'Hostname', name: m.host, port: m.appPort }],
      ...(Object.keys(timeouts).length > 0 ? { timeouts } : {}),
      ...(retry !== undefined ? { retry } : {}),
    }],
  };
}
