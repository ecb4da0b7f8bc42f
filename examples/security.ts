import { Chart } from 'cdk8s';
import { PeerAuthentication, PeerAuthenticationSpecMtlsMode } from '../imports/security.istio.io';
import { namespaceObject } from '../lib/mesh/kube';

/** Namespace, mTLS and authorization of `shop`. */
export function addShopSecurity(shop: Chart): void {
  namespaceObject(shop, 'namespace', 'shop', { 'istio-injection': 'enabled' });
  new PeerAuthentication(shop, 'mtls', {
    metadata: { name: 'default' },
    spec: { mtls: { mode: PeerAuthenticationSpecMtlsMode.STRICT } },
  });
}

/** Namespace (ambient, with a waypoint), mTLS and authorization of `payments`. */
export function addPaymentsSecurity(payments: Chart): void {
  namespaceObject(payments, 'namespace', 'payments', { 'istio.io/dataplane-mode': 'ambient' });
}
