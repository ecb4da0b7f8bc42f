import { Chart, Duration } from 'cdk8s';
import { AmbientNamespace, Egress, EgressWaypoint, ExternalApi } from '../lib';

/**
 * External APIs called from `shop` (sidecars): the ratings service calls a moderation API over
 * plain HTTP; the sidecar originates TLS to port 443, times out after 3s and retries twice.
 */
export function addShopExternal(shop: Chart): void {
  new ExternalApi(shop, 'moderation-api', {
    host: 'moderation.example.com',
    tlsOrigination: true,
    timeout: Duration.seconds(3),
    retries: { attempts: 2, perTryTimeout: Duration.seconds(1), retryOn: ['connect-failure', 'gateway-error'] },
    circuitBreaker: { maxConnections: 20, maxPendingRequests: 10 },
  });
}

/**
 * External APIs called from `payments` (ambient): checkout calls the payment provider through an
 * egress waypoint in `istio-egress`, which originates TLS, limits connections and times out
 * after 5s. The waypoint admits `payments` (allowedRoutes) because an ExternalApi there uses it.
 */
export function addPaymentsExternal(payments: Chart): void {
  new AmbientNamespace(payments, 'istio-egress', { name: 'istio-egress' });
  const waypoint = new EgressWaypoint(payments, 'egress-waypoint', { namespace: 'istio-egress' });
  new ExternalApi(payments, 'payment-provider', {
    host: 'api.payments.example.com',
    tlsOrigination: true,
    timeout: Duration.seconds(5),
    circuitBreaker: { maxConnections: 50 },
    egress: Egress.waypoint(waypoint),
  });
}
