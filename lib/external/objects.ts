import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { DestinationRule, Gateway, ServiceEntry, VirtualService } from '../../imports/networking.istio.io';
import { lazy } from '../mesh/lazy';
import { backendTlsPolicySpec } from './backend-tls';
import { directVirtualServiceSpec } from './direct';
import { claimGatewayName, egressGatewaySpec, gatewayDestinationRule, gatewayRef, gatewayServiceEntryPorts, gatewayVirtualServiceSpec } from './gateway';
import { clientSidePorts, ExternalIntent, hasHostDestinationRule, hostDestinationRuleSpec, serviceEntrySpec, wantsRoute } from './model';
import { waypointHttpRouteSpec, waypointLabels } from './waypoint';

/** The children of one ExternalApi. */
export interface ExternalObjects {
  readonly serviceEntry: ServiceEntry;
  readonly destinationRule?: DestinationRule;
  readonly virtualService?: VirtualService;
  readonly egressGateway?: Gateway;
  readonly egressGatewayDestinationRule?: DestinationRule;
  readonly httpRoute?: ApiObject;
  readonly backendTlsPolicy?: ApiObject;
}

/**
 * Creates the children of an ExternalApi in its constructor. Which objects exist follows from the
 * intent alone (the egress mode fixes the API), so they are created at once; their specs are lazy
 * and rendered from the intent by the pure renderers of this folder, once per synth.
 */
export function createExternalObjects(scope: Construct, m: ExternalIntent): ExternalObjects {
  const metadata = { name: m.name, namespace: m.namespace };
  const gw = m.egressGateway;
  const wp = m.egressWaypoint;
  const ports = gw ? gatewayServiceEntryPorts(m) : clientSidePorts(m);
  // Creation order is output order: the ServiceEntry, then the gateway's objects, then the routes
  // and the host's DestinationRule.
  if (gw) claimGatewayName(scope, gatewayRef(m, gw));
  const serviceEntry = new ServiceEntry(scope, 'service-entry', {
    metadata: wp ? { ...metadata, labels: waypointLabels(wp) } : metadata,
    spec: lazy(() => serviceEntrySpec(m, ports)),
  });
  // With an egress gateway, the gateway originates TLS on the server's port; otherwise the client
  // proxy does, keyed on the port the app calls.
  const hostRule = () => (hasHostDestinationRule(m)
    ? new DestinationRule(scope, 'destination-rule', { metadata, spec: lazy(() => hostDestinationRuleSpec(scope, m, gw ? m.port : m.appPort)) })
    : undefined);
  if (gw) {
    const egressGateway = new Gateway(scope, 'egress-gateway', {
      metadata: { name: m.name, namespace: gw.namespace },
      spec: lazy(() => egressGatewaySpec(m, gw)),
    });
    const egressGatewayDestinationRule = gatewayDestinationRule(scope, m, gw);
    const virtualService = new VirtualService(scope, 'virtual-service', { metadata, spec: lazy(() => gatewayVirtualServiceSpec(scope, m, gw)) });
    return { serviceEntry, egressGateway, egressGatewayDestinationRule, virtualService, destinationRule: hostRule() };
  }
  const destinationRule = hostRule();
  let virtualService: VirtualService | undefined;
  let httpRoute: ApiObject | undefined;
  if (wp && wantsRoute(m)) {
    httpRoute = new ApiObject(scope, 'http-route', {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata,
      spec: lazy(() => waypointHttpRouteSpec(scope, m)),
    });
  } else if (!wp && wantsRoute(m)) {
    virtualService = new VirtualService(scope, 'virtual-service', { metadata, spec: lazy(() => directVirtualServiceSpec(scope, m)) });
  }
  const backendTlsPolicy = m.backendTls
    ? new ApiObject(scope, 'backend-tls-policy', {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'BackendTLSPolicy',
      metadata,
      spec: lazy(() => backendTlsPolicySpec(m)),
    })
    : undefined;
  return { serviceEntry, destinationRule, virtualService, httpRoute, backendTlsPolicy };
}
