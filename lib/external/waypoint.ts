import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { DestinationRule, ServiceEntry } from '../../imports/networking.istio.io';
import { EgressWaypointRef } from '../egress';
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
