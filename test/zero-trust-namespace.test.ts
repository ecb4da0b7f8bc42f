import { Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { AmbientNamespace, DataplaneMode, Identity, MeshContext, MeshError, WaypointFor } from '../lib';
import { MtlsMode, ZeroTrustNamespace } from '../lib/zero-trust-namespace';
import { appService } from '../examples/shop';
import { findAll, findOne, synthValid, testChart } from './util';
import { AppRuntime } from '../lib/app/runtime';

// Policy shapes: https://istio.io/latest/docs/reference/config/security/authorization-policy/
// (allow-nothing = `spec: {}`; principals without spiffe://), ambient placement:
// https://istio.io/latest/docs/ambient/usage/l4-policy/ and .../ambient/usage/l7-features/

function meta(name: string, namespace: string): { name: string; namespace: string } {
  return { name, namespace };
}

function policy(name: string, namespace: string, spec: unknown): unknown {
  return { apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: meta(name, namespace), spec };
}

function peerAuthentication(namespace: string, mode = 'STRICT'): unknown {
  return { apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: meta('default', namespace), spec: { mtls: { mode } } };
}

const JWT = { issuer: 'https://auth.example.com', jwksUri: 'https://auth.example.com/.well-known/jwks.json' };

describe('ZeroTrustNamespace (sidecar)', () => {
  // A sidecar with REGISTRY_ONLY only reaches hosts its Sidecar imports:
  // https://istio.io/latest/docs/reference/config/networking/sidecar/#IstioEgressListener
  test('an allow() for callers in another zero-trust namespace imports this namespace into the callers\' Sidecar', () => {
    // GIVEN
    const { app } = testChart('shop');
    const shop = new ZeroTrustNamespace(new Chart(app, 'shop-chart', { namespace: 'shop' }), 'zt', { name: 'shop', registryOnly: true });
    const payments = new ZeroTrustNamespace(new Chart(app, 'payments-chart', { namespace: 'payments' }), 'zt', { name: 'payments', registryOnly: true });
    // WHEN
    payments.allow({ from: [Identity.serviceAccount('shop', 'productpage'), Identity.ingressGateway()], to: { name: 'checkout', port: 8080 } });
    payments.allow({ from: [Identity.serviceAccount('payments', 'worker')], to: { name: 'checkout', port: 8080 } });
    // THEN
    const sidecar = (chart: Chart) => findOne(synthValid(chart), 'Sidecar').spec.egress;
    expect(sidecar(shop.node.scope as Chart)).toEqual([{ hosts: ['./*', 'istio-system/*', 'default/kubernetes.default.svc.cluster.local', 'payments/*'] }]);
    expect(sidecar(payments.node.scope as Chart)).toEqual([{ hosts: ['./*', 'istio-system/*', 'default/kubernetes.default.svc.cluster.local'] }]);
  });

  test('three allows and a JWT: Namespace, STRICT, allow-nothing, one ALLOW per allow(), RequestAuthentication with its DENY; no Sidecar by default (#15.9)', () => {
    // GIVEN
    const { chart } = testChart('shop');
    const ns = new ZeroTrustNamespace(chart, 'shop', { name: 'shop' });
    // WHEN
    ns.allow({ from: [Identity.ingressGateway()], to: { name: 'productpage', port: 9080 } });
    ns.allow({
      from: [Identity.serviceAccount('shop', 'productpage')],
      to: { name: 'reviews', namespace: 'shop', port: 9080 },
      methods: ['GET'],
      paths: ['/reviews/*'],
      ports: [9080],
    });
    ns.allow({ from: [Identity.serviceAccount('shop', 'reviews')], to: { name: 'ratings', port: 9080 }, methods: ['GET'] });
    ns.requireJwt({ ...JWT, audiences: ['shop'], to: { name: 'productpage', port: 9080 }, paths: ['/api/*'], ports: [9080] });
    // THEN
    const app = { matchLabels: { app: 'productpage' } };
    expect(synthValid(chart)).toEqual([
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { 'istio-injection': 'enabled' } } },
      peerAuthentication('shop'),
      policy('allow-nothing', 'shop', {}),
      policy('allow-productpage', 'shop', {
        selector: app,
        action: 'ALLOW',
        rules: [{ from: [{ source: { principals: ['cluster.local/ns/istio-ingress/sa/istio-ingress'] } }] }],
      }),
      policy('allow-reviews', 'shop', {
        selector: { matchLabels: { app: 'reviews' } },
        action: 'ALLOW',
        rules: [{
          from: [{ source: { principals: ['cluster.local/ns/shop/sa/productpage'] } }],
          to: [{ operation: { ports: ['9080'], methods: ['GET'], paths: ['/reviews/*'] } }],
        }],
      }),
      policy('allow-ratings', 'shop', {
        selector: { matchLabels: { app: 'ratings' } },
        action: 'ALLOW',
        rules: [{ from: [{ source: { principals: ['cluster.local/ns/shop/sa/reviews'] } }], to: [{ operation: { methods: ['GET'] } }] }],
      }),
      {
        apiVersion: 'security.istio.io/v1',
        kind: 'RequestAuthentication',
        metadata: meta('jwt-productpage', 'shop'),
        spec: { selector: app, jwtRules: [{ ...JWT, audiences: ['shop'] }] },
      },
      policy('jwt-productpage-require', 'shop', {
        selector: app,
        action: 'DENY',
        rules: [{ from: [{ source: { notRequestPrincipals: ['*'] } }], to: [{ operation: { ports: ['9080'], paths: ['/api/*', '/api'] } }] }],
      }),
    ]);
    expect(ns.mode).toBe(DataplaneMode.SIDECAR);
    expect(ns.policies.map(p => p.name)).toEqual(['allow-productpage', 'allow-reviews', 'allow-ratings']);
    expect(AppRuntime.of(chart).namespace('shop')).toBe(ns);
    expect(ns.waypointFor('reviews')).toBeUndefined();
  });

  test('namespaces as source, whole-namespace target, numbered default names, custom trust domain', () => {
    // GIVEN
    const { chart } = testChart('shop');
    const ns = new ZeroTrustNamespace(chart, 'shop', { name: 'shop', trustDomain: 'prod.example.com' });
    // WHEN
    ns.allow({ from: [Identity.anyInNamespace('monitoring'), Identity.anyInNamespace('shop')], ports: [15020] });
    ns.allow({ from: [Identity.serviceAccount('shop', 'productpage'), Identity.principal('other.example.com/ns/x/sa/y')] });
    ns.allow({ from: [Identity.serviceAccount('shop', 'jobs')], name: 'batch' });
    // THEN
    const docs = synthValid(chart);
    expect(findOne(docs, 'AuthorizationPolicy', 'allow-namespace').spec).toEqual({
      action: 'ALLOW',
      rules: [{ from: [{ source: { namespaces: ['monitoring', 'shop'] } }], to: [{ operation: { ports: ['15020'] } }] }],
    });
    expect(findOne(docs, 'AuthorizationPolicy', 'allow-namespace-2').spec).toEqual({
      action: 'ALLOW',
      rules: [{ from: [{ source: { principals: ['prod.example.com/ns/shop/sa/productpage', 'other.example.com/ns/x/sa/y'] } }] }],
    });
    expect(findOne(docs, 'AuthorizationPolicy', 'batch').spec.rules).toEqual([{ from: [{ source: { principals: ['prod.example.com/ns/shop/sa/jobs'] } }] }]);
  });

  test('ingress gateway identities: Helm default, Gateway API gateway, explicit service account', () => {
    // GIVEN
    const { chart } = testChart('shop');
    const ns = new ZeroTrustNamespace(chart, 'shop', { name: 'shop' });
    // WHEN
    ns.allow({
      from: [
        Identity.ingressGateway(),
        Identity.ingressGateway({ gatewayName: 'public' }),
        Identity.ingressGateway({ namespace: 'istio-system', serviceAccount: 'istio-ingressgateway-service-account' }),
      ],
      to: { name: 'productpage', port: 9080 },
    });
    // THEN
    expect(findOne(synthValid(chart), 'AuthorizationPolicy', 'allow-productpage').spec).toEqual({
      selector: { matchLabels: { app: 'productpage' } },
      action: 'ALLOW',
      rules: [{
        from: [{
          source: {
            principals: [
              'cluster.local/ns/istio-ingress/sa/istio-ingress',
              'cluster.local/ns/istio-ingress/sa/public-istio',
              'cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account',
            ],
          },
        }],
      }],
    });
  });

  test('ExternalApi hosts registered for the namespace are added to the Sidecar egress scope at synth unless an entry covers them', () => {
    // GIVEN
    const { chart } = testChart('shop');
    new ZeroTrustNamespace(chart, 'shop', { name: 'shop', registryOnly: true, egressHosts: ['./reviews.shop.svc.cluster.local', 'istio-system/*', 'istio-egress/*'] });
    const ctx = AppRuntime.of(chart);
    const owner = new Construct(chart, 'external');
    // WHEN (after the namespace: read lazily)
    ctx.registerExternalHost('shop', { host: 'api.stripe.com', namespace: 'shop', construct: owner });
    ctx.registerExternalHost('shop', { host: 'api.payments.example.com', namespace: 'egress', construct: owner });
    ctx.registerExternalHost('shop', { host: 'covered.example.com', namespace: 'istio-egress', construct: owner });
    ctx.registerExternalHost('shop', { host: 'api.stripe.com', namespace: 'shop', construct: owner });
    ctx.registerExternalHost('payments', { host: 'ignored.example.com', namespace: 'payments', construct: owner });
    // THEN
    expect(findOne(synthValid(chart), 'Sidecar').spec.egress).toEqual([{
      hosts: ['./reviews.shop.svc.cluster.local', 'istio-system/*', 'istio-egress/*', 'default/kubernetes.default.svc.cluster.local', 'egress/api.payments.example.com', 'shop/api.stripe.com'],
    }]);
  });

  test('PERMISSIVE with the explicit opt-in, and a warning', () => {
    // GIVEN / WHEN
    const { chart } = testChart('shop');
    new ZeroTrustNamespace(chart, 'shop', { name: 'shop', mtls: MtlsMode.PERMISSIVE, allowPermissiveMtls: true });
    // THEN
    expect(findOne(synthValid(chart), 'PeerAuthentication')).toEqual(peerAuthentication('shop', 'PERMISSIVE'));
    expect(MeshContext.of(chart).warnings.map(w => w.message)).toEqual([
      'ZeroTrustNamespace test/shop: mtls is PERMISSIVE: plaintext connections are accepted; rules on principals or namespaces '
      + 'still deny them, but this is not zero trust (use it only while migrating)',
    ]);
  });

  test('extra Namespace labels', () => {
    const { chart } = testChart('shop');
    new ZeroTrustNamespace(chart, 'shop', { name: 'shop', labels: { team: 'shop' } });
    expect(findOne(synthValid(chart), 'Namespace').metadata.labels).toEqual({ 'istio-injection': 'enabled', 'team': 'shop' });
  });

  test('synthesizing twice gives identical output', () => {
    const { chart } = testChart('shop');
    const ns = new ZeroTrustNamespace(chart, 'shop', { name: 'shop' });
    ns.allow({ from: [Identity.serviceAccount('shop', 'productpage')], to: { name: 'reviews', port: 9080 }, methods: ['GET'] });
    ns.requireJwt({ ...JWT, ports: [9080] });
    const first = synthValid(chart);
    expect(synthValid(chart)).toEqual(first);
  });
});

describe('ZeroTrustNamespace (ambient)', () => {
  function paymentsApp(props: { waypoint?: boolean; ingressUseWaypoint?: boolean } = { waypoint: true }): { chart: Chart; amb: AmbientNamespace; ns: ZeroTrustNamespace } {
    const { chart } = testChart('payments');
    appService(chart, 'checkout', 8080);
    appService(chart, 'ledger', 8080);
    const amb = new AmbientNamespace(chart, 'payments', { name: 'payments', ...props });
    const ns = new ZeroTrustNamespace(chart, 'zero-trust', { namespace: amb });
    return { chart, amb, ns };
  }

  test('L4 and L7 allows with a waypoint: ztunnel allow-nothing + waypoint identity, waypoint allow-nothing, L7 rule with targetRefs, L4 rule at ztunnel', () => {
    // GIVEN: checkout has its own waypoint; ledger has none
    const { chart } = testChart('payments');
    appService(chart, 'checkout', 8080);
    appService(chart, 'ledger', 8080);
    const amb = new AmbientNamespace(chart, 'payments', { name: 'payments' });
    const ns = new ZeroTrustNamespace(chart, 'zero-trust', { namespace: amb });
    amb.useWaypointFor('checkout', amb.addWaypoint('wp', { name: 'waypoint' }));
    // WHEN
    ns.allow({ from: [Identity.serviceAccount('payments', 'frontend')], to: { name: 'checkout', port: 8080 }, methods: ['GET', 'POST'], paths: ['/api/*'] });
    ns.allow({ from: [Identity.serviceAccount('payments', 'checkout')], to: { name: 'ledger', port: 8080 }, ports: [8080] });
    // THEN
    const docs = synthValid(chart);
    expect(findAll(docs, 'Namespace')).toEqual([{
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'payments', labels: { 'istio.io/dataplane-mode': 'ambient' } },
    }]);
    expect(findAll(docs, 'Sidecar')).toEqual([]);
    expect(findOne(docs, 'PeerAuthentication')).toEqual(peerAuthentication('payments'));
    expect(findAll(docs, 'AuthorizationPolicy')).toEqual([
      policy('allow-nothing', 'payments', {}),
      policy('waypoint-allow-nothing', 'payments', {
        targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'waypoint' }],
        action: 'ALLOW',
      }),
      policy('allow-waypoints', 'payments', {
        action: 'ALLOW',
        rules: [{ from: [{ source: { principals: ['cluster.local/ns/payments/sa/waypoint'] } }] }],
      }),
      policy('allow-checkout', 'payments', {
        targetRefs: [{ group: '', kind: 'Service', name: 'checkout' }],
        action: 'ALLOW',
        rules: [{
          from: [{ source: { principals: ['cluster.local/ns/payments/sa/frontend'] } }],
          // #15.4: to.port restricts the port; at a waypoint it is the Service port
          to: [{ operation: { ports: ['8080'], methods: ['GET', 'POST'], paths: ['/api/*'] } }],
        }],
      }),
      policy('allow-ledger', 'payments', {
        selector: { matchLabels: { app: 'ledger' } },
        action: 'ALLOW',
        rules: [{ from: [{ source: { principals: ['cluster.local/ns/payments/sa/checkout'] } }], to: [{ operation: { ports: ['8080'] } }] }],
      }),
    ]);
    expect(ns.mode).toBe(DataplaneMode.AMBIENT);
    expect(ns.construct).toBe(amb);
    expect(ns.waypointAllowNothingPolicies.map(p => p.name)).toEqual(['waypoint-allow-nothing']);
    expect(ns.waypointPeersPolicy?.name).toBe('allow-waypoints');
    expect(ns.allowNothing.name).toBe('allow-nothing');
    expect(AppRuntime.of(chart).namespace('payments')).toBe(amb);
    expect(ns.waypointFor('checkout')).toEqual({ name: 'waypoint', namespace: 'payments', for: WaypointFor.SERVICE });
  });

  test('namespace waypoint: L4 allow to a Service it serves is enforced at the waypoint (ztunnel only sees the waypoint); JWT at the waypoint', () => {
    // GIVEN
    const { chart, ns } = paymentsApp();
    // WHEN
    ns.allow({ from: [Identity.serviceAccount('payments', 'frontend')], to: { name: 'ledger', port: 8080 } });
    ns.requireJwt({ ...JWT, to: { name: 'checkout', port: 8080 }, paths: ['/api/*'] });
    // THEN
    const docs = synthValid(chart);
    const svc = [{ group: '', kind: 'Service', name: 'checkout' }];
    expect(findOne(docs, 'AuthorizationPolicy', 'allow-ledger').spec).toEqual({
      targetRefs: [{ group: '', kind: 'Service', name: 'ledger' }],
      action: 'ALLOW',
      rules: [{ from: [{ source: { principals: ['cluster.local/ns/payments/sa/frontend'] } }], to: [{ operation: { ports: ['8080'] } }] }],
    });
    expect(findOne(docs, 'RequestAuthentication')).toEqual({
      apiVersion: 'security.istio.io/v1',
      kind: 'RequestAuthentication',
      metadata: meta('jwt-checkout', 'payments'),
      spec: { targetRefs: svc, jwtRules: [JWT] },
    });
    expect(findAll(docs, 'AuthorizationPolicy').filter(p => p.metadata.name === 'jwt-checkout-allow')).toEqual([]);
    expect(findOne(docs, 'AuthorizationPolicy', 'jwt-checkout-require').spec).toEqual({
      targetRefs: svc,
      action: 'DENY',
      rules: [{ from: [{ source: { notRequestPrincipals: ['*'] } }], to: [{ operation: { paths: ['/api/*', '/api'] } }] }],
    });
  });

  test('a namespace-wide L4 allow is emitted at ztunnel and on the namespace waypoint', () => {
    // GIVEN
    const { chart, ns } = paymentsApp();
    // WHEN
    ns.allow({ from: [Identity.anyInNamespace('monitoring')], ports: [15020] });
    // THEN
    const docs = synthValid(chart);
    const rules = [{ from: [{ source: { namespaces: ['monitoring'] } }], to: [{ operation: { ports: ['15020'] } }] }];
    expect(findOne(docs, 'AuthorizationPolicy', 'allow-namespace').spec).toEqual({ action: 'ALLOW', rules });
    expect(findOne(docs, 'AuthorizationPolicy', 'allow-namespace-waypoint').spec).toEqual({
      targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'waypoint' }],
      action: 'ALLOW',
      rules,
    });
  });

  test('a namespace-wide L7 allow attaches to the namespace waypoint Gateway', () => {
    const { chart, ns } = paymentsApp();
    ns.allow({ from: [Identity.serviceAccount('payments', 'frontend')], methods: ['GET'] });
    expect(findOne(synthValid(chart), 'AuthorizationPolicy', 'allow-namespace').spec.targetRefs)
      .toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'waypoint' }]);
  });

  test('ingress gateway: L4 allow at ztunnel (ingress skips the waypoint); with ingressUseWaypoint an L7 allow at the waypoint', () => {
    // GIVEN / WHEN
    const direct = paymentsApp();
    direct.ns.allow({ from: [Identity.ingressGateway({ gatewayName: 'public' })], to: { name: 'checkout', port: 8080 } });
    const via = paymentsApp({ waypoint: true, ingressUseWaypoint: true });
    via.ns.allow({ from: [Identity.ingressGateway({ gatewayName: 'public' })], to: { name: 'checkout', port: 8080 }, methods: ['GET'] });
    // THEN
    const from = [{ source: { principals: ['cluster.local/ns/istio-ingress/sa/public-istio'] } }];
    expect(findOne(synthValid(direct.chart), 'AuthorizationPolicy', 'allow-checkout').spec).toEqual({
      selector: { matchLabels: { app: 'checkout' } },
      action: 'ALLOW',
      rules: [{ from, to: [{ operation: { ports: ['8080'] } }] }],
    });
    expect(findOne(synthValid(via.chart), 'AuthorizationPolicy', 'allow-checkout').spec).toEqual({
      targetRefs: [{ group: '', kind: 'Service', name: 'checkout' }],
      action: 'ALLOW',
      rules: [{ from, to: [{ operation: { ports: ['8080'], methods: ['GET'] } }] }],
    });
  });

  test('a sidecar client of this App reaches an ambient Service directly: its L4 allow stays at ztunnel', () => {
    // GIVEN
    const { chart, ns } = paymentsApp();
    new ZeroTrustNamespace(chart, 'shop', { name: 'shop' });
    // WHEN
    ns.allow({ from: [Identity.serviceAccount('shop', 'productpage')], to: { name: 'checkout', port: 8080 }, ports: [8080] });
    // THEN
    expect(findOne(synthValid(chart), 'AuthorizationPolicy', 'allow-checkout').spec).toEqual({
      selector: { matchLabels: { app: 'checkout' } },
      action: 'ALLOW',
      rules: [{ from: [{ source: { principals: ['cluster.local/ns/shop/sa/productpage'] } }], to: [{ operation: { ports: ['8080'] } }] }],
    });
  });

  test('a waypoint bound after allow(): placement and waypoint policies follow at synth', () => {
    // GIVEN
    const { chart, amb, ns } = paymentsApp({});
    ns.allow({ from: [Identity.serviceAccount('payments', 'frontend')], to: { name: 'checkout', port: 8080 } });
    expect(findAll(synthValid(chart), 'AuthorizationPolicy').map(p => p.metadata.name)).toEqual(['allow-nothing', 'allow-checkout']);
    // WHEN
    amb.useWaypointFor('checkout', amb.addWaypoint('wp', { name: 'checkout-waypoint' }));
    // THEN
    const docs = synthValid(chart);
    expect(findAll(docs, 'AuthorizationPolicy').map(p => p.metadata.name))
      .toEqual(['allow-nothing', 'allow-checkout', 'checkout-waypoint-allow-nothing', 'allow-waypoints']);
    expect(findOne(docs, 'AuthorizationPolicy', 'allow-checkout').spec.targetRefs).toEqual([{ group: '', kind: 'Service', name: 'checkout' }]);
    expect(findOne(docs, 'AuthorizationPolicy', 'allow-waypoints').spec.rules)
      .toEqual([{ from: [{ source: { principals: ['cluster.local/ns/payments/sa/checkout-waypoint'] } }] }]);
  });

  test('a waypoint in another namespace that is not zero-trust: its identity is allowed, with a warning', () => {
    // GIVEN
    const app = Testing.app();
    const chart = new Chart(app, 'payments', { namespace: 'payments' });
    new AmbientNamespace(chart, 'infra', { name: 'mesh-infra', waypoint: { name: 'shared' } });
    const amb = new AmbientNamespace(chart, 'payments', { name: 'payments', useWaypoint: { namespace: 'mesh-infra', name: 'shared' } });
    // WHEN
    new ZeroTrustNamespace(chart, 'zt', { namespace: amb });
    // THEN
    expect(findOne(synthValid(chart), 'AuthorizationPolicy', 'allow-waypoints').spec.rules)
      .toEqual([{ from: [{ source: { principals: ['cluster.local/ns/mesh-infra/sa/shared'] } }] }]);
    expect(MeshContext.of(app).warnings.map(w => w.message)).toEqual([
      'ZeroTrustNamespace payments/zt: waypoint mesh-infra/shared is in another namespace that is not zero-trust here: its identity is allowed at '
      + 'ztunnel, so Services without an allow() are open through it; make that namespace a ZeroTrustNamespace too',
    ]);
  });

  test('no warning when the waypoint namespace is zero-trust too', () => {
    const { chart } = testChart('payments');
    const infra = new AmbientNamespace(chart, 'infra', { name: 'mesh-infra', waypoint: { name: 'shared' } });
    new ZeroTrustNamespace(chart, 'infra-zt', { namespace: infra });
    const amb = new AmbientNamespace(chart, 'payments', { name: 'payments', useWaypoint: { namespace: 'mesh-infra', name: 'shared' } });
    new ZeroTrustNamespace(chart, 'zt', { namespace: amb });
    const docs = synthValid(chart);
    expect(findAll(docs, 'AuthorizationPolicy').filter(p => p.metadata.namespace === 'mesh-infra').map(p => p.metadata.name))
      .toEqual(['allow-nothing', 'allow-waypoints', 'shared-allow-nothing']);
    expect(MeshContext.of(chart).warnings).toEqual([]);
  });

  test('a zero-trust waypoint namespace warns about consumers that are not zero-trust (its allow-nothing denies their traffic)', () => {
    // GIVEN
    const { chart } = testChart('payments');
    const infra = new AmbientNamespace(chart, 'infra', { name: 'mesh-infra', waypoint: { name: 'shared' } });
    new ZeroTrustNamespace(chart, 'infra-zt', { namespace: infra });
    // WHEN
    new AmbientNamespace(chart, 'payments', { name: 'payments', useWaypoint: { namespace: 'mesh-infra', name: 'shared' } });
    // THEN
    synthValid(chart);
    expect(MeshContext.of(chart).warnings.map(w => w.message)).toEqual([
      'ZeroTrustNamespace test/infra-zt: waypoint mesh-infra/shared also serves namespace "payments", which is not zero-trust: the waypoint\'s '
      + 'allow-nothing denies all of its traffic through the waypoint; make "payments" a ZeroTrustNamespace with allow() rules',
    ]);
  });

  test('synthesizing twice gives identical output', () => {
    const { chart, ns } = paymentsApp();
    ns.allow({ from: [Identity.serviceAccount('payments', 'frontend')], to: { name: 'checkout', port: 8080 }, methods: ['GET'] });
    const first = synthValid(chart);
    expect(synthValid(chart)).toEqual(first);
  });

  describe('bad input (ambient)', () => {
    test('methods/paths in an ambient namespace with no waypoint', () => {
      const { chart, ns } = paymentsApp({});
      ns.allow({ from: [Identity.serviceAccount('payments', 'frontend')], to: { name: 'checkout', port: 8080 }, methods: ['GET'] });
      // Thrown as MeshError while rendering; cdk8s prefixes "Failed serializing construct ...".
      expect(() => Testing.synth(chart)).toThrow('ZeroTrustNamespace test/zero-trust: allow(allow-checkout): methods, paths and JWT are L7 rules that '
        + 'need a waypoint serving Service "checkout", but no waypoint is bound (AmbientNamespace `waypoint`, `useWaypoint` or useWaypointFor()); '
        + 'at ztunnel an L7 ALLOW rule denies all traffic and an L7 DENY rule does nothing');
    });

    test('JWT in an ambient namespace with no waypoint', () => {
      const { chart, ns } = paymentsApp({});
      ns.requireJwt(JWT);
      expect(() => Testing.synth(chart)).toThrow(/requireJwt\(jwt-namespace\): methods, paths and JWT are L7 rules that need a waypoint serving namespace "payments"/);
    });

    test('an L7 allow on a Service whose waypoint is workload-only', () => {
      const { chart } = testChart('payments');
      const amb = new AmbientNamespace(chart, 'payments', { name: 'payments', waypoint: { for: WaypointFor.WORKLOAD } });
      const ns = new ZeroTrustNamespace(chart, 'zt', { namespace: amb });
      ns.allow({ from: [Identity.serviceAccount('payments', 'frontend')], to: { name: 'checkout', port: 8080 }, paths: ['/api/*'] });
      expect(() => Testing.synth(chart)).toThrow(/need a waypoint serving Service "checkout", but its waypoint payments\/waypoint is for "workload" traffic only/);
    });

    test('egressHosts in ambient', () => {
      const { chart } = testChart('payments');
      const amb = new AmbientNamespace(chart, 'payments', { name: 'payments' });
      expect(() => new ZeroTrustNamespace(chart, 'zt', { namespace: amb, egressHosts: ['./*'] }))
        .toThrow('ZeroTrustNamespace test/zt: egressHosts must be omitted in an ambient namespace (a Sidecar has no effect there; egress goes through ztunnel and egress waypoints), got ["./*"]');
    });

    test('methods from a sidecar client or an ingress gateway at the waypoint', () => {
      const { chart, ns } = paymentsApp();
      new ZeroTrustNamespace(chart, 'shop', { name: 'shop' });
      ns.allow({ from: [Identity.serviceAccount('shop', 'productpage')], to: { name: 'checkout', port: 8080 }, methods: ['GET'] });
      expect(() => Testing.synth(chart)).toThrow('ZeroTrustNamespace test/zero-trust: allow(allow-checkout): serviceAccount shop/productpage cannot be matched by '
        + 'methods/paths at waypoint payments/waypoint of Service "checkout": sidecar workloads, and ingress gateways unless the AmbientNamespace sets '
        + 'ingressUseWaypoint: true, skip the destination waypoint and reach ztunnel directly (their traffic is denied there); allow them without methods/paths');
    });

    test('an ingress gateway mixed with waypoint-routed sources', () => {
      const { chart, ns } = paymentsApp();
      ns.allow({ from: [Identity.ingressGateway(), Identity.serviceAccount('payments', 'frontend')], to: { name: 'checkout', port: 8080 } });
      expect(() => Testing.synth(chart)).toThrow(/ingressGateway istio-ingress\/istio-ingress reach Service "checkout" directly \(ztunnel\) while the other sources go through waypoint payments\/waypoint/);
    });

    test('an L7 namespace-wide allow with a waypoint of another namespace', () => {
      const { chart } = testChart('payments');
      const amb = new AmbientNamespace(chart, 'payments', { name: 'payments', useWaypoint: { namespace: 'mesh-infra', name: 'shared' } });
      const ns = new ZeroTrustNamespace(chart, 'zt', { namespace: amb });
      ns.allow({ from: [Identity.serviceAccount('payments', 'frontend')], methods: ['GET'] });
      expect(() => Testing.synth(chart)).toThrow(/L7 rules without `to` attach to the namespace's waypoint, but mesh-infra\/shared is in another namespace/);
    });

    test('labels on the ZeroTrustNamespace in ambient mode', () => {
      const { chart } = testChart('payments');
      const amb = new AmbientNamespace(chart, 'payments', { name: 'payments' });
      expect(() => new ZeroTrustNamespace(chart, 'zt', { namespace: amb, labels: { a: 'b' } })).toThrow(/labels must be omitted in ambient mode/);
    });
  });
});

describe('ZeroTrustNamespace bad input', () => {
  function shop(): ZeroTrustNamespace {
    const { chart } = testChart('shop');
    return new ZeroTrustNamespace(chart, 'shop', { name: 'shop' });
  }

  test('an allow() with no source', () => {
    const ns = shop();
    const msg = 'ZeroTrustNamespace test/shop: from must be a non-empty list of identities (Identity.serviceAccount(ns, sa), Identity.anyInNamespace(ns), '
      + 'Identity.ingressGateway()); an allow() without a source would allow everyone, got ';
    expect(() => ns.allow({ from: [] })).toThrow(MeshError);
    expect(() => ns.allow({ from: [] })).toThrow(`${msg}[]`);
    expect(() => ns.allow({} as any)).toThrow(`${msg}undefined`);
    expect(() => ns.allow({ from: ['shop/productpage' as any] })).toThrow(/from\[0\] must be an Identity/);
  });

  test('a principal with the spiffe:// prefix', () => {
    const ns = shop();
    expect(() => ns.allow({ from: [Identity.principal('spiffe://cluster.local/ns/shop/sa/productpage')] }))
      .toThrow('ZeroTrustNamespace test/shop: from[0] must be a principal without the "spiffe://" prefix (Istio compares "<trustDomain>/ns/<ns>/sa/<sa>"; '
        + 'a spiffe:// principal never matches), e.g. "cluster.local/ns/shop/sa/productpage", got "spiffe://cluster.local/ns/shop/sa/productpage"');
  });

  test('serviceAccount mixed with namespaces in one source', () => {
    const ns = shop();
    expect(() => ns.allow({ from: [Identity.serviceAccount('shop', 'productpage'), Identity.anyInNamespace('monitoring')] }))
      .toThrow('ZeroTrustNamespace test/shop: from must be service accounts (principals) or namespaces, not both in one allow(): in one source they would '
        + 'both have to match; call allow() once per kind, got ["serviceAccount shop/productpage","namespace monitoring"]');
  });

  test('an egress host without the ns/ form, or without a dot', () => {
    const { chart } = testChart('shop');
    const allowed = '"<namespace>/<host>" with a namespace ("." for this one, "*" for any, or a name) and a host "*" or a DNS name with a dot '
      + '(e.g. "istio-system/*", "./api.example.com")';
    expect(() => new ZeroTrustNamespace(chart, 'a', { name: 'shop', registryOnly: true, egressHosts: ['api.example.com'] }))
      .toThrow(`ZeroTrustNamespace test/a: egressHosts[0] must be ${allowed}, got "api.example.com"`);
    expect(() => new ZeroTrustNamespace(chart, 'b', { name: 'shop', registryOnly: true, egressHosts: ['./*', 'shop/reviews'] }))
      .toThrow(`ZeroTrustNamespace test/b: egressHosts[1] must be ${allowed}, got "shop/reviews"`);
    expect(() => new ZeroTrustNamespace(chart, 'c', { name: 'shop', registryOnly: true, egressHosts: [] })).toThrow(/egressHosts must be a non-empty list/);
  });

  test('JWT without issuer or jwksUri', () => {
    const ns = shop();
    expect(() => ns.requireJwt({ jwksUri: JWT.jwksUri } as any))
      .toThrow('ZeroTrustNamespace test/shop: requireJwt.issuer must be the token issuer (the `iss` claim, e.g. "https://auth.example.com"), got undefined');
    expect(() => ns.requireJwt({ issuer: JWT.issuer } as any))
      .toThrow('ZeroTrustNamespace test/shop: requireJwt.jwksUri must be the URL of the issuer\'s JSON Web Key Set (e.g. "https://auth.example.com/.well-known/jwks.json"), got undefined');
    expect(() => ns.requireJwt({ ...JWT, audiences: [] })).toThrow(/requireJwt.audiences must be a non-empty list/);
  });

  test('PERMISSIVE without the explicit opt-in', () => {
    const { chart } = testChart('shop');
    expect(() => new ZeroTrustNamespace(chart, 'shop', { name: 'shop', mtls: MtlsMode.PERMISSIVE }))
      .toThrow('ZeroTrustNamespace test/shop: mtls must be MtlsMode.STRICT unless `allowPermissiveMtls: true` is set (PERMISSIVE accepts plaintext '
        + 'from anything that can reach the pods), got "PERMISSIVE"');
    expect(() => new ZeroTrustNamespace(chart, 'x', { name: 'shop', mtls: 'DISABLE' as MtlsMode })).toThrow(/mtls must be MtlsMode.STRICT or MtlsMode.PERMISSIVE/);
  });

  test('both or neither of name and namespace', () => {
    const { chart } = testChart('shop');
    const amb = new AmbientNamespace(chart, 'amb', { name: 'payments' });
    expect(() => new ZeroTrustNamespace(chart, 'a', {})).toThrow(/name\/namespace must be exactly one of `name` \(a sidecar namespace\) and `namespace`/);
    expect(() => new ZeroTrustNamespace(chart, 'b', { name: 'payments', namespace: amb })).toThrow(/name\/namespace must be exactly one of/);
  });

  test('a namespace cannot be both sidecar-injected and ambient', () => {
    const { chart } = testChart('shop');
    new AmbientNamespace(chart, 'amb', { name: 'payments' });
    expect(() => new ZeroTrustNamespace(chart, 'zt', { name: 'payments' }))
      .toThrow('ZeroTrustNamespace test/zt: namespace "payments" is ambient (declared by AmbientNamespace test/amb); a namespace cannot be both '
        + 'sidecar-injected and ambient: pass `namespace: <the AmbientNamespace>` to layer zero trust on it');
    new ZeroTrustNamespace(chart, 'shop', { name: 'shop' });
    expect(() => new AmbientNamespace(chart, 'amb2', { name: 'shop' }))
      .toThrow('AmbientNamespace test/amb2: namespace "shop" is sidecar-injected by ZeroTrustNamespace test/shop; a namespace cannot be both sidecar-injected and ambient');
    expect(() => new ZeroTrustNamespace(chart, 'lbl', { name: 'web', labels: { 'istio.io/dataplane-mode': 'ambient' } }))
      .toThrow(/labels\["istio.io\/dataplane-mode"\] must be absent: a namespace cannot be both sidecar-injected and ambient/);
  });

  test('two ZeroTrustNamespaces for one namespace', () => {
    const { chart } = testChart('payments');
    const amb = new AmbientNamespace(chart, 'amb', { name: 'payments' });
    new ZeroTrustNamespace(chart, 'a', { namespace: amb });
    expect(() => new ZeroTrustNamespace(chart, 'b', { namespace: amb }))
      .toThrow('ZeroTrustNamespace test/b: namespace "payments" is already zero-trust (ZeroTrustNamespace test/a); declare one ZeroTrustNamespace per namespace');
  });

  test('a target in another namespace, bad methods, paths, ports and names', () => {
    const ns = shop();
    const from = [Identity.serviceAccount('shop', 'productpage')];
    expect(() => ns.allow({ from, to: { name: 'checkout', namespace: 'payments', port: 8080 } }))
      .toThrow('ZeroTrustNamespace test/shop: to.namespace must be "shop", the namespace of this ZeroTrustNamespace (policies live with the callee), got "payments"');
    expect(() => ns.allow({ from, methods: ['get'] })).toThrow('ZeroTrustNamespace test/shop: methods[0] must be HTTP methods in upper case, e.g. ["GET", "POST"], got "get"');
    expect(() => ns.allow({ from, paths: ['api/*'] })).toThrow(/paths\[0\] must be paths that are exact \("\/api"\), a prefix \("\/api\/\*"\), a suffix \("\*.html"\) or "\*", got "api\/\*"/);
    expect(() => ns.allow({ from, ports: [0] })).toThrow('ZeroTrustNamespace test/shop: ports[0] must be an integer 1..65535, got 0');
    expect(() => ns.allow({ from, name: 'allow-nothing' })).toThrow('ZeroTrustNamespace test/shop: name must be unique among the policies of namespace "shop", got "allow-nothing"');
    expect(() => ns.allow({ from: [Identity.serviceAccount('Shop', 'x')] })).toThrow(/from\[0\].namespace must be a namespace name \(DNS-1123 label\), got "Shop"/);
    expect(() => ns.allow({ from: [Identity.ingressGateway({ gatewayName: 'public', serviceAccount: 'x' })] }))
      .toThrow(/from\[0\] must be Identity.ingressGateway\(\) with either serviceAccount or gatewayName, not both/);
  });

  test('a bad trust domain', () => {
    const { chart } = testChart('shop');
    expect(() => new ZeroTrustNamespace(chart, 'shop', { name: 'shop', trustDomain: 'spiffe://cluster.local' }))
      .toThrow(/trustDomain must be a trust domain \(lowercase DNS name such as "cluster.local"\), without "spiffe:\/\/", got "spiffe:\/\/cluster.local"/);
  });
});
