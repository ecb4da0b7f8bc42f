import { Testing } from 'cdk8s';
import { Identity, MeshError, MeshSimulation } from '../../lib';
import { buildExampleApp } from '../../examples/shop';
import { ap, app, deploy, ns, principal, svc } from './builders';

const BASE = [ns('shop'), svc('shop', 'reviews', 9080), deploy('shop', 'reviews', { app: 'reviews' }), ap('shop', 'allow-nothing', {}),
  ap('shop', 'allow-reviews', { ...app('reviews'), rules: [{ from: [{ source: { principals: [principal('shop', 'productpage')] } }] }] })];

describe('MeshSimulation', () => {
  test('fromApp simulates what the App synthesizes: the example shop mesh', () => {
    // GIVEN
    const a = Testing.app();
    buildExampleApp(a);
    // WHEN
    const mesh = MeshSimulation.fromApp(a);
    const get = mesh.request({ from: { namespace: 'shop', serviceAccount: 'productpage' }, to: { host: 'reviews.shop', port: 9080 } });
    const post = mesh.request({ from: { namespace: 'shop', serviceAccount: 'productpage' }, to: { host: 'reviews.shop', port: 9080 }, method: 'POST' });
    // THEN
    expect(get.allowed).toBe(true);
    expect(get.decision).toEqual({ action: 'ALLOW', policy: 'shop/allow-reviews', rule: 0, enforcedAt: 'sidecar', reason: 'ALLOW policy shop/allow-reviews rule 0 matches' });
    expect(post.allowed).toBe(false);
    expect(post.decision).toEqual({ action: 'DEFAULT_DENY', enforcedAt: 'sidecar', reason: 'ALLOW policies apply (shop/allow-nothing, shop/allow-reviews) and none matches' });
  });

  test('explain() lists the route, each enforcement point with the policies in order, and the verdict', () => {
    // GIVEN
    const mesh = MeshSimulation.fromManifests(BASE);
    // WHEN
    const r = mesh.request({ from: { namespace: 'shop', serviceAccount: 'ratings' }, to: { host: 'reviews', port: 9080 } });
    // THEN
    expect(r.explain()).toBe([
      'request GET / to reviews:9080',
      'from cluster.local/ns/shop/sa/ratings in namespace shop (sidecar)',
      'route: no route object for reviews.shop.svc.cluster.local: default routing to Service shop/reviews',
      'sidecar: sidecar of shop/reviews (port 9080)',
      '  mTLS PERMISSIVE (no PeerAuthentication (PERMISSIVE)); the caller uses mTLS',
      '  no token, no RequestAuthentication',
      '  ALLOW shop/allow-nothing: no rules (allows nothing)',
      '  ALLOW shop/allow-reviews: no rule matches',
      '  ALLOW policies apply (shop/allow-nothing, shop/allow-reviews) and none matches: denied',
      'verdict: denied (DEFAULT_DENY at sidecar)',
    ].join('\n'));
    expect(r.toJSON()).toEqual({
      allowed: false,
      decision: { action: 'DEFAULT_DENY', enforcedAt: 'sidecar', reason: 'ALLOW policies apply (shop/allow-nothing, shop/allow-reviews) and none matches' },
      decisions: [{ action: 'DEFAULT_DENY', enforcedAt: 'sidecar', reason: 'ALLOW policies apply (shop/allow-nothing, shop/allow-reviews) and none matches' }],
      route: {
        resource: 'Service shop/reviews',
        backends: [{ host: 'reviews.shop.svc.cluster.local', port: 9080, percent: 100 }],
        retries: { attempts: 2, retryOn: 'connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes' },
      },
    });
  });

  test('an Identity is accepted as the caller; Identity.ingressGateway() is a gateway caller', () => {
    // GIVEN
    const mesh = MeshSimulation.fromManifests(BASE);
    // WHEN
    const r = mesh.request({ from: Identity.serviceAccount('shop', 'productpage'), to: { host: 'reviews.shop.svc.cluster.local', port: 9080 } });
    const gw = mesh.request({ from: Identity.ingressGateway(), to: { host: 'reviews.shop.svc.cluster.local', port: 9080 } });
    // THEN
    expect([r.allowed, r.decision.policy]).toEqual([true, 'shop/allow-reviews']);
    expect([gw.allowed, gw.assumptions]).toEqual([false, []]);
  });

  test('what the set does not say is reported in assumptions', () => {
    // GIVEN
    const mesh = MeshSimulation.fromManifests([svc('shop', 'reviews', 9080)]);
    // WHEN
    const r = mesh.request({ from: { namespace: 'web' }, to: { host: 'reviews.shop', port: 9080 } });
    // THEN
    expect(r.assumptions).toEqual([
      'caller: namespace web is not in the set: taken as a sidecar namespace',
      'no workload of the set is selected by Service shop/reviews: its pods are taken to carry the labels {"app":"reviews"}',
    ]);
  });

  test('a host without Service or ServiceEntry in the set is unknown, never a guess', () => {
    // GIVEN
    const mesh = MeshSimulation.fromManifests(BASE);
    // WHEN
    const r = mesh.request({ from: { namespace: 'shop' }, to: { host: 'nowhere.shop', port: 80 } });
    // THEN
    expect([r.allowed, r.unknown]).toEqual([false, 'no Service or ServiceEntry for host "nowhere.shop" in the set']);
  });

  test('a port the Service does not have is unknown', () => {
    // GIVEN
    const mesh = MeshSimulation.fromManifests(BASE);
    // WHEN
    const r = mesh.request({ from: { namespace: 'shop' }, to: { host: 'reviews.shop', port: 80 } });
    // THEN
    expect([r.allowed, r.unknown]).toEqual([false, 'Service shop/reviews has no port 80 (ports: 9080)']);
  });

  test('malformed requests throw MeshError naming the field, the value and what is allowed', () => {
    // GIVEN
    const mesh = MeshSimulation.fromManifests(BASE);
    const from = { namespace: 'shop' };
    // THEN
    expect(() => mesh.request({ from, to: { host: 'http://reviews', port: 9080 } })).toThrow(
      /^MeshSimulation request: to\.host must be a host name such as "reviews\.shop\.svc\.cluster\.local", "reviews\.shop" or "reviews" \(no scheme, port or path\), got "http:\/\/reviews"$/);
    expect(() => mesh.request({ from, to: { host: 'reviews', port: 0 } })).toThrow(/^MeshSimulation request: to\.port must be an integer 1\.\.65535 \(the Service port\), got 0$/);
    expect(() => mesh.request({ to: { host: 'reviews', port: 9080 } })).toThrow(
      /^MeshSimulation request: from must be the caller \(\{ namespace, serviceAccount \}\), or `via: \{ gateway \}` for a client outside the mesh, got undefined$/);
    expect(() => mesh.request({ from: { namespace: 'Shop' }, to: { host: 'reviews', port: 9080 } })).toThrow(/from\.namespace must be the caller's namespace/);
    expect(() => mesh.request({ from, to: { host: 'reviews', port: 9080 }, method: 'get' })).toThrow(/method must be an HTTP method in upper case \("GET", "POST"\), got "get"/);
    expect(() => mesh.request({ from, to: { host: 'reviews', port: 9080 }, path: 'x' })).toThrow(/path must be a path starting with "\/", got "x"/);
    expect(() => mesh.request({ from, to: { host: 'reviews', port: 9080 }, jwt: { issuer: '' } })).toThrow(/jwt\.issuer must be the token issuer \(the `iss` claim\), got ""/);
    expect(() => mesh.request({ to: { host: 'reviews', port: 9080 }, via: { gateway: 'public' } })).toThrow(/via\.gateway must be "namespace\/name" of a Gateway in the set, got "public"/);
    expect(() => mesh.request({ to: { host: 'reviews', port: 9080 }, via: { gateway: 'istio-ingress/public' } })).toThrow(
      /^MeshSimulation request: via\.gateway must name a Gateway in the set, got "istio-ingress\/public" \(gateways: none\)$/);
    expect(() => mesh.request({ from, to: { host: 'reviews', port: 9080 } })).not.toThrow();
    let caught: unknown;
    try { mesh.request({ from, to: { host: '', port: 1 } }); } catch (e) { caught = e; }
    expect(caught).toBeInstanceOf(MeshError);
  });

  test('fromManifests rejects a non-list', () => {
    expect(() => MeshSimulation.fromManifests({} as any)).toThrow(/^MeshSimulation request: fromManifests needs a list of Kubernetes objects, got object$/);
  });

  test('the root namespace is configurable', () => {
    // GIVEN
    const docs = [...BASE.slice(0, 3), ap('mesh-root', 'allow-nothing', {})];
    // WHEN
    const dflt = MeshSimulation.fromManifests(docs).request({ from: { namespace: 'shop' }, to: { host: 'reviews.shop', port: 9080 } });
    const custom = MeshSimulation.fromManifests(docs, { rootNamespace: 'mesh-root' }).request({ from: { namespace: 'shop' }, to: { host: 'reviews.shop', port: 9080 } });
    // THEN
    expect([dflt.allowed, custom.allowed]).toEqual([true, false]);
  });
});
