import { Chart } from 'cdk8s';
import { AmbientNamespace, Identity, ZeroTrustNamespace } from '../lib';

/**
 * The ingress gateway of the example mesh: Istio's Helm-installed gateway
 * (`helm install istio-ingress istio/gateway -n istio-ingress`), principal
 * `cluster.local/ns/istio-ingress/sa/istio-ingress`.
 */
const INGRESS = Identity.ingressGateway();

/**
 * Namespace, mTLS and authorization of `shop` (sidecars): STRICT mTLS, allow-nothing, and exactly
 * the calls of the bookinfo call graph: ingress -> productpage -> reviews, details; reviews -> ratings.
 * Each service runs as a service account named like the service.
 */
export function addShopSecurity(shop: Chart): ZeroTrustNamespace {
  const ns = new ZeroTrustNamespace(shop, 'zero-trust', { name: 'shop', registryOnly: true });
  const productpage = Identity.serviceAccount('shop', 'productpage');
  ns.allow({ from: [INGRESS], to: { name: 'productpage', port: 9080 }, ports: [9080] });
  ns.allow({ from: [productpage], to: { name: 'reviews', port: 9080 }, methods: ['GET'], ports: [9080] });
  ns.allow({ from: [productpage], to: { name: 'details', port: 9080 }, methods: ['GET'], ports: [9080] });
  ns.allow({ from: [Identity.serviceAccount('shop', 'reviews')], to: { name: 'ratings', port: 9080 }, methods: ['GET'], ports: [9080] });
  return ns;
}

/**
 * Namespace of `payments` (ambient, with a namespace waypoint that ingress traffic also uses), made
 * zero-trust: the public API of checkout (`GET`/`POST` on `/api/*`) is an L7 rule enforced by the
 * waypoint; shop's productpage (a sidecar, which reaches ztunnel directly) may open connections to
 * checkout on 8080, an L4 rule enforced by ztunnel.
 */
export function addPaymentsSecurity(payments: Chart): AmbientNamespace {
  const ns = new AmbientNamespace(payments, 'namespace', { name: 'payments', waypoint: true, ingressUseWaypoint: true });
  const zeroTrust = new ZeroTrustNamespace(payments, 'zero-trust', { namespace: ns });
  zeroTrust.allow({ from: [INGRESS], to: { name: 'checkout', port: 8080 }, methods: ['GET', 'POST'], paths: ['/api/*'] });
  zeroTrust.allow({ from: [Identity.serviceAccount('shop', 'productpage')], to: { name: 'checkout', port: 8080 }, ports: [8080] });
  return ns;
}
