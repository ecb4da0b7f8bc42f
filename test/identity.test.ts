import { Construct } from 'constructs';
import * as fc from 'fast-check';
import { DEFAULT_TRUST_DOMAIN, Identity, IdentityKind, MeshError, WaypointFor } from '../lib';
import { checkPrincipal, checkTrustDomain } from '../lib/identity';
import { attempt } from './security/attempt';
import { testChart } from './util';

// Principal format: https://istio.io/latest/docs/reference/config/security/authorization-policy/#Source
// ("<trustDomain>/ns/<ns>/sa/<sa>", no spiffe:// prefix; a prefixed principal never matches at ztunnel,
// istio/ztunnel#1901).

function scope(): Construct {
  return new Construct(testChart().chart, 'owner');
}

describe('Identity', () => {
  test('serviceAccount renders <trustDomain>/ns/<ns>/sa/<sa>, default trust domain cluster.local', () => {
    // GIVEN
    const id = Identity.serviceAccount('shop', 'productpage');
    // THEN
    expect(DEFAULT_TRUST_DOMAIN).toBe('cluster.local');
    expect(id.kind).toBe(IdentityKind.SERVICE_ACCOUNT);
    expect(id.toPrincipal()).toBe('cluster.local/ns/shop/sa/productpage');
    expect(id.toPrincipal('prod.example.com')).toBe('prod.example.com/ns/shop/sa/productpage');
    expect(String(id)).toBe('serviceAccount shop/productpage');
  });

  test('namespace has no principal; it is rendered in source.namespaces', () => {
    const id = Identity.anyInNamespace('monitoring');
    expect(id.kind).toBe(IdentityKind.NAMESPACE);
    expect(id.toPrincipal()).toBeUndefined();
    expect(String(id)).toBe('namespace monitoring');
  });

  test('ingressGateway: Helm default, Gateway API gateway (<name>-istio), explicit service account', () => {
    expect(Identity.ingressGateway().toPrincipal()).toBe('cluster.local/ns/istio-ingress/sa/istio-ingress');
    expect(Identity.ingressGateway({ gatewayName: 'public' }).toPrincipal()).toBe('cluster.local/ns/istio-ingress/sa/public-istio');
    expect(Identity.ingressGateway({ namespace: 'istio-system', serviceAccount: 'istio-ingressgateway-service-account' }).toPrincipal())
      .toBe('cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account');
    expect(Identity.ingressGateway().isIngressGateway).toBe(true);
    expect(Identity.serviceAccount('istio-ingress', 'istio-ingress').isIngressGateway).toBe(false);
    expect(String(Identity.ingressGateway())).toBe('ingressGateway istio-ingress/istio-ingress');
  });

  test('waypoint: the service account is named like the waypoint Gateway', () => {
    expect(Identity.waypoint({ name: 'waypoint', namespace: 'payments', for: WaypointFor.SERVICE }).toPrincipal())
      .toBe('cluster.local/ns/payments/sa/waypoint');
  });

  test('principal is taken as written', () => {
    const id = Identity.principal('*');
    expect(id.kind).toBe(IdentityKind.PRINCIPAL);
    expect(id.toPrincipal('other.domain')).toBe('*');
    expect(String(id)).toBe('principal "*"');
  });

  test('validate accepts good identities and names the prop in errors', () => {
    const s = scope();
    expect(() => Identity.serviceAccount('shop', 'productpage').validate(s, 'from[0]')).not.toThrow();
    expect(() => Identity.principal('cluster.local/ns/shop/sa/*').validate(s, 'from[0]')).not.toThrow();
    expect(() => Identity.serviceAccount('shop', 'Bad_SA').validate(s, 'from[1]'))
      .toThrow('Construct test/owner: from[1].serviceAccount must be a service account name (DNS-1123 subdomain), got "Bad_SA"');
    expect(() => Identity.anyInNamespace('').validate(s, 'from[0]')).toThrow(/from\[0\].namespace must be a namespace name \(DNS-1123 label\), got ""/);
  });

  test('checkPrincipal refuses spiffe://, spaces, inner wildcards and empty values', () => {
    const s = scope();
    expect(checkPrincipal(s, 'p', 'cluster.local/ns/a/sa/b')).toBe('cluster.local/ns/a/sa/b');
    expect(() => checkPrincipal(s, 'p', 'SPIFFE://cluster.local/ns/a/sa/b')).toThrow(/without the "spiffe:\/\/" prefix/);
    for (const bad of ['', 'a b', 'cluster.local/*/sa/b', '**', 42]) {
      expect(() => checkPrincipal(s, 'p', bad)).toThrow(MeshError);
    }
  });

  test('checkTrustDomain', () => {
    const s = scope();
    expect(checkTrustDomain(s, 'trustDomain', 'cluster.local')).toBe('cluster.local');
    expect(() => checkTrustDomain(s, 'trustDomain', 'Cluster.Local')).toThrow(/trustDomain must be a trust domain/);
  });

  test('property: any principal string is accepted as written or refused with MeshError', () => {
    const s = scope();
    fc.assert(fc.property(fc.oneof(fc.string(), fc.constantFrom('spiffe://x/ns/a/sa/b', '*', 'td/ns/a/sa/b', '*/sa/b')), (p) => {
      let out: string | undefined;
      const outcome = attempt(() => { out = checkPrincipal(s, 'p', p); });
      expect(outcome === 'rejected' || out === p).toBe(true);
      expect(outcome === 'rejected' || !p.startsWith('spiffe://')).toBe(true);
    }), { numRuns: 300 });
  });
});
