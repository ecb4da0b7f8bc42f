import { Chart, Duration } from 'cdk8s';
import { CanaryRoute, LoadBalancer, RequestMatch, ResilientService, Retries, TrafficApi } from '../lib';

/** Routing and resilience in `shop` (sidecar dataplane: Istio VirtualService + DestinationRule). */
export function addShopTraffic(shop: Chart): void {
  // reviews: 90/10 canary; testers opt in with a header or a cookie.
  new CanaryRoute(shop, 'reviews-canary', {
    service: { name: 'reviews', port: 9080 },
    stableVersion: 'v1',
    canaryVersion: 'v2',
    canaryWeight: 10,
    canaryMatches: [RequestMatch.header('x-canary', 'true'), RequestMatch.cookie('canary', 'always')],
    api: TrafficApi.ISTIO,
  });
  // ratings: 3 tries at most (1 + 2 retries), 800ms each, within a 3s budget.
  new ResilientService(shop, 'ratings-resilience', {
    service: { name: 'ratings', port: 9080 },
    timeout: Duration.seconds(3),
    retries: { attempts: 2, perTryTimeout: Duration.millis(800), retryOn: ['gateway-error', 'connect-failure'] },
    circuitBreaker: { maxConnections: 100, maxPendingRequests: 50, maxRequestsPerConnection: 10, maxRetries: 3 },
    outlierDetection: { consecutive5xxErrors: 5, interval: Duration.seconds(10), baseEjectionTime: Duration.seconds(30), maxEjectionPercent: 50 },
    loadBalancer: LoadBalancer.leastRequest(),
  });
  // details: no retries (not even Istio's default two), 2s timeout, chaos testing behind a header.
  new ResilientService(shop, 'details-resilience', {
    service: { name: 'details', port: 9080 },
    timeout: Duration.seconds(2),
    retries: Retries.none(),
    faults: { abort: { percent: 50, httpStatus: 503 }, when: [RequestMatch.header('x-chaos', 'on')] },
  });
}

/** Routing in `payments` (ambient with a waypoint: Gateway API HTTPRoute with the Service as parent, one Service per version). */
export function addPaymentsTraffic(payments: Chart): void {
  // checkout: 80/20 canary; requests with x-canary: true always reach v2.
  new CanaryRoute(payments, 'checkout-canary', {
    service: { name: 'checkout', port: 8080 },
    stableVersion: 'v1',
    canaryVersion: 'v2',
    canaryWeight: 20,
    canaryMatches: [RequestMatch.header('x-canary', 'true')],
    // No `api`: payments is an AmbientNamespace, so this resolves to TrafficApi.GATEWAY_API at synth.
  });
}
