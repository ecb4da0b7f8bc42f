import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { CanaryRoute, IngressGateway, Listener, RouteProtocol, TlsCertificate, TrafficApi } from '../lib';

/**
 * The public entrance of the example mesh, in `istio-ingress`: an Istio `Gateway` for the
 * Helm-installed gateway pods (`helm install istio-ingress istio/gateway -n istio-ingress`, labels
 * `istio: ingress`, service account `istio-ingress`: the identity security.ts admits to productpage).
 * productpage is served at https://bookinfo.example.com (certificate Secret `bookinfo-cert` in
 * `istio-ingress`); plain HTTP is redirected to HTTPS.
 */
export class IngressChart extends Chart {
  /** The gateway. */
  public readonly gateway: IngressGateway;

  public constructor(scope: Construct, id: string) {
    super(scope, id, { namespace: 'istio-ingress' });
    this.gateway = new IngressGateway(this, 'public', {
      api: TrafficApi.ISTIO,
      listeners: [
        Listener.https({ hostnames: ['bookinfo.example.com'], certificate: TlsCertificate.fromSecret('bookinfo-cert') }),
        Listener.http({ hostnames: ['bookinfo.example.com'], redirectToHttps: true }),
      ],
    });
    this.gateway.expose({ service: { name: 'productpage', namespace: 'shop', port: 9080 }, hostname: 'bookinfo.example.com' });
  }
}

/** inventory-db in `shop`: a database-like TCP service whose v2 gets 10% of the new connections. */
export function addShopDatabase(shop: Chart): void {
  new ApiObject(shop, 'inventory-db-service', {
    apiVersion: 'v1', kind: 'Service',
    metadata: { name: 'inventory-db', labels: { app: 'inventory-db' } },
    spec: { selector: { app: 'inventory-db' }, ports: [{ name: 'tcp', port: 5432, targetPort: 5432 }] },
  });
  new CanaryRoute(shop, 'inventory-db-canary', {
    service: { name: 'inventory-db', port: 5432 },
    protocol: RouteProtocol.TCP,
    stableVersion: 'v1',
    canaryVersion: 'v2',
    canaryWeight: 10,
    api: TrafficApi.ISTIO,
  });
}
