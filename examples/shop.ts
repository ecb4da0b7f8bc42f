import { ApiObject, App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { DestinationRule, VirtualService } from '../imports/networking.istio.io';
import { PeerAuthentication, PeerAuthenticationSpecMtlsMode } from '../imports/security.istio.io';
import { MeshContext, serviceFqdn } from '../lib';
import { namespaceObject } from '../lib/mesh/kube';

/** The services of the example "shop" mesh (bookinfo-style) and their ports. */
export const SHOP_SERVICES = [
  { name: 'productpage', port: 9080, versions: ['v1'] },
  { name: 'reviews', port: 9080, versions: ['v1', 'v2'] },
  { name: 'ratings', port: 9080, versions: ['v1'] },
  { name: 'details', port: 9080, versions: ['v1'] },
] as const;

/**
 * The example "shop" mesh: namespace `shop` with productpage, reviews (v1, v2), ratings and
 * details. It grows as the constructs land.
 */
export class ShopChart extends Chart {
  public constructor(scope: Construct, id: string) {
    super(scope, id, { namespace: 'shop' });
    MeshContext.of(this);

    namespaceObject(this, 'namespace', 'shop', { 'istio-injection': 'enabled' });

    for (const svc of SHOP_SERVICES) {
      new ApiObject(this, `${svc.name}-service`, {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: svc.name, labels: { app: svc.name } },
        spec: { selector: { app: svc.name }, ports: [{ name: 'http', port: svc.port, targetPort: svc.port }] },
      });
    }

    new PeerAuthentication(this, 'mtls', {
      metadata: { name: 'default' },
      spec: { mtls: { mode: PeerAuthenticationSpecMtlsMode.STRICT } },
    });

    const reviews = serviceFqdn('reviews', 'shop');
    new DestinationRule(this, 'reviews-dr', {
      metadata: { name: 'reviews' },
      spec: {
        host: reviews,
        subsets: [
          { name: 'stable', labels: { version: 'v1' } },
          { name: 'canary', labels: { version: 'v2' } },
        ],
      },
    });
    new VirtualService(this, 'reviews-vs', {
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
}

/** Builds the example app (used by `examples/main.ts` and by the tests). */
export function buildExampleApp(app: App): App {
  new ShopChart(app, 'shop');
  return app;
}
