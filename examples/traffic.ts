import { Chart } from 'cdk8s';
import { DestinationRule, VirtualService } from '../imports/networking.istio.io';
import { serviceFqdn } from '../lib';

/** Routing and resilience in `shop`. */
export function addShopTraffic(shop: Chart): void {
  const reviews = serviceFqdn('reviews', 'shop');
  new DestinationRule(shop, 'reviews-dr', {
    metadata: { name: 'reviews' },
    spec: {
      host: reviews,
      subsets: [
        { name: 'stable', labels: { version: 'v1' } },
        { name: 'canary', labels: { version: 'v2' } },
      ],
    },
  });
  new VirtualService(shop, 'reviews-vs', {
    metadata: { name: 'reviews' },
    spec: {
      hosts: [reviews],
      http: [{
        route: [
          { destination: { host: reviews, subset: 'stable', port: { number: 9080 } }, weight: 90 },
          { destination: { host: reviews, subset: 'canary', port: { number: 9080 } }, weight: 10 },
        ],
      }],
    },
  });
}

/** Routing in `payments` (ambient: Gateway API). */
export function addPaymentsTraffic(_payments: Chart): void {
  // CanaryRoute for checkout lands with the CanaryRoute issue.
}
