import { Chart, Testing } from 'cdk8s';
import { buildExampleApp } from '../../examples/shop';
import { findAll, findOne, synthValid } from '../util';

// The example app's security: shop's allows are exactly the bookinfo call graph;
// payments is ambient with a waypoint, zero-trust with an L7 and an L4 allow.

describe('example app security', () => {
  const app = buildExampleApp(Testing.app());
  const chart = (id: string): Chart => app.charts.find(c => c.node.id === id)!;

  test('shop: STRICT, allow-nothing, and one ALLOW per edge of the call graph (ingress -> productpage -> reviews, details; reviews -> ratings)', () => {
    // GIVEN / WHEN
    const docs = synthValid(chart('shop'));
    // THEN
    expect(findOne(docs, 'Namespace').metadata).toEqual({ name: 'shop', labels: { 'istio-injection': 'enabled' } });
    expect(findOne(docs, 'PeerAuthentication').spec).toEqual({ mtls: { mode: 'STRICT' } });
    expect(findOne(docs, 'AuthorizationPolicy', 'allow-nothing').spec).toEqual({});
    const edges = findAll(docs, 'AuthorizationPolicy')
      .filter(p => p.spec.action === 'ALLOW')
      .map(p => `${p.spec.rules[0].from[0].source.principals.join(',')} -> ${p.spec.selector.matchLabels.app}`);
    expect(edges).toEqual([
      'cluster.local/ns/istio-ingress/sa/istio-ingress -> productpage',
      'cluster.local/ns/shop/sa/productpage -> reviews',
      'cluster.local/ns/shop/sa/productpage -> details',
      'cluster.local/ns/shop/sa/reviews -> ratings',
    ]);
    expect(findOne(docs, 'Sidecar').spec.outboundTrafficPolicy).toEqual({ mode: 'REGISTRY_ONLY' });
    // productpage calls payments/checkout and ratings calls db/legacy-db (allowed there): with
    // REGISTRY_ONLY the sidecar must import payments and db.
    expect(findOne(docs, 'Sidecar').spec.egress).toEqual([{ hosts: ['./*', 'istio-system/*', 'default/kubernetes.default.svc.cluster.local', 'db/*', 'payments/*'] }]);
  });

  test('payments: one ambient Namespace with a waypoint; L7 allow at the waypoint, L4 allow from the sidecar client at ztunnel', () => {
    // GIVEN / WHEN
    const docs = synthValid(chart('payments'));
    // THEN
    expect(findOne(docs, 'Namespace', 'payments').metadata.labels).toEqual({
      'istio.io/dataplane-mode': 'ambient',
      'istio.io/ingress-use-waypoint': 'true',
      'istio.io/use-waypoint': 'waypoint',
    });
    expect(findAll(docs, 'Sidecar')).toEqual([]);
    expect(findOne(docs, 'Gateway', 'waypoint').spec.gatewayClassName).toBe('istio-waypoint');
    expect(findOne(docs, 'AuthorizationPolicy', 'allow-checkout').spec).toEqual({
      targetRefs: [{ group: '', kind: 'Service', name: 'checkout' }],
      action: 'ALLOW',
      rules: [{
        from: [{ source: { principals: ['cluster.local/ns/istio-ingress/sa/istio-ingress'] } }],
        to: [{ operation: { ports: ['8080'], methods: ['GET', 'POST'], paths: ['/api/*'] } }],
      }],
    });
    expect(findOne(docs, 'AuthorizationPolicy', 'allow-checkout-2').spec).toEqual({
      selector: { matchLabels: { app: 'checkout' } },
      action: 'ALLOW',
      rules: [{ from: [{ source: { principals: ['cluster.local/ns/shop/sa/productpage'] } }], to: [{ operation: { ports: ['8080'] } }] }],
    });
    expect(findOne(docs, 'AuthorizationPolicy', 'allow-waypoints').spec.rules)
      .toEqual([{ from: [{ source: { principals: ['cluster.local/ns/payments/sa/waypoint'] } }] }]);
    expect(findOne(docs, 'AuthorizationPolicy', 'waypoint-allow-nothing').spec)
      .toEqual({ targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'waypoint' }], action: 'ALLOW' });
  });
});
