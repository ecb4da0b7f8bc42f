import { MeshSimulation } from '../../lib';
import { describeRoute, installMeshMatchers, meshMatchers } from '../../lib/testing';
import { ap, app, deploy, ns, principal, svc } from '../simulation/builders';

// The jest matchers of `cdk8s-istio/testing`: registered through installMeshMatchers(), used as
// users would, and called directly to pin the exact failure messages.

installMeshMatchers();

const FQDN = 'reviews.shop.svc.cluster.local';
const DOCS = [
  ns('shop'), svc('shop', 'reviews', 9080),
  deploy('shop', 'reviews-v1', { app: 'reviews', version: 'v1' }, { serviceAccount: 'reviews' }),
  deploy('shop', 'reviews-v2', { app: 'reviews', version: 'v2' }, { serviceAccount: 'reviews' }),
  { apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'reviews', namespace: 'shop' },
    spec: { host: 'reviews', subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v2', labels: { version: 'v2' } }] } },
  { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'reviews', namespace: 'shop' },
    spec: { hosts: ['reviews'], http: [
      { match: [{ headers: { 'x-canary': { exact: 'true' } } }], route: [{ destination: { host: 'reviews', subset: 'v2' } }] },
      { route: [{ destination: { host: 'reviews', subset: 'v1' }, weight: 90 }, { destination: { host: 'reviews', subset: 'v2' }, weight: 10 }] },
    ] } },
  ap('shop', 'allow-productpage', { ...app('reviews'), rules: [{ from: [{ source: { principals: [principal('shop', 'productpage')] } }], to: [{ operation: { methods: ['GET'] } }] }] }),
];
const mesh = MeshSimulation.fromManifests(DOCS);
const PRODUCTPAGE = { namespace: 'shop', serviceAccount: 'productpage' };
const RATINGS = { namespace: 'shop', serviceAccount: 'ratings' };
const TO = { host: 'reviews', port: 9080 };
const CANARY = { from: PRODUCTPAGE, to: TO, headers: { 'x-canary': 'true' } };
const EXPLAIN_RATINGS = [
  '  request GET / to reviews:9080',
  '  from cluster.local/ns/shop/sa/ratings in namespace shop (sidecar)',
];

describe('cdk8s-istio/testing matchers, as users write them', () => {
  test('toAllow / toDeny, with and without pinned decision fields', () => {
    expect(mesh).toAllow({ from: PRODUCTPAGE, to: TO });
    expect(mesh).toAllow({ from: PRODUCTPAGE, to: TO }, { action: 'ALLOW', policy: 'shop/allow-productpage', rule: 0, enforcedAt: 'sidecar' });
    expect(mesh).toDeny({ from: RATINGS, to: TO }, { action: 'DEFAULT_DENY', enforcedAt: 'sidecar' });
    expect(mesh).toDeny({ from: PRODUCTPAGE, to: TO, method: 'DELETE' });
    expect(mesh).not.toAllow({ from: RATINGS, to: TO });
    expect(mesh).not.toDeny({ from: PRODUCTPAGE, to: TO });
  });

  test('toRoute: header canary, 90/10 split, exact backends', () => {
    expect(mesh).toRoute(CANARY, { subset: 'v2' });
    expect(mesh).toRoute(CANARY, { resource: 'VirtualService shop/reviews', rule: 0, host: 'reviews', subset: 'v2', percent: 100 });
    expect(mesh).toRoute({ from: PRODUCTPAGE, to: TO }, { subset: 'v2', percent: 10 });
    expect(mesh).toRoute({ from: PRODUCTPAGE, to: TO }, { host: 'reviews.shop', percent: 100 });
    expect(mesh).toRoute({ from: PRODUCTPAGE, to: TO }, { rule: 1, backends: [{ host: FQDN, subset: 'v1', percent: 90 }, { host: FQDN, subset: 'v2', percent: 10 }] });
    expect(mesh).not.toRoute({ from: PRODUCTPAGE, to: TO }, { subset: 'v2' });
  });
});

describe('failure messages', () => {
  test('toAllow on a denied request shows the request, the decision, the route and explain()', () => {
    // WHEN
    const r = meshMatchers.toAllow.call({ isNot: false }, mesh, { from: RATINGS, to: TO });
    // THEN
    expect(r.pass).toBe(false);
    expect(r.message()).toBe([
      'expect(mesh).toAllow(request)',
      '',
      'request:  GET / from shop/ratings to reviews:9080',
      'expected: allowed',
      'received: denied: DEFAULT_DENY at sidecar (ALLOW policies apply (shop/allow-productpage) and none matches)',
      `route:    VirtualService shop/reviews rule 1 -> ${FQDN} subset v1 90%, ${FQDN} subset v2 10%`,
      '',
      'explain():',
      ...EXPLAIN_RATINGS,
      '  route: at the caller\'s sidecar: VirtualService shop/reviews: rule 1 has no match (catch-all)',
      '  sidecar: sidecar of shop/reviews-v1 (port 9080)',
      '    mTLS PERMISSIVE (no PeerAuthentication (PERMISSIVE)); the caller uses mTLS',
      '    no token, no RequestAuthentication',
      '    ALLOW shop/allow-productpage: no rule matches',
      '    ALLOW policies apply (shop/allow-productpage) and none matches: denied',
      '  verdict: denied (DEFAULT_DENY at sidecar)',
    ].join('\n'));
  });

  test('.not.toAllow on an allowed request, and pinned fields that differ', () => {
    // WHEN
    const not = meshMatchers.toAllow.call({ isNot: true }, mesh, { from: PRODUCTPAGE, to: TO });
    const pinned = meshMatchers.toAllow.call({ isNot: false }, mesh, { from: PRODUCTPAGE, to: TO }, { policy: 'shop/other', enforcedAt: 'waypoint' });
    // THEN
    expect(not.pass).toBe(true);
    expect(not.message().split('\n').slice(0, 5)).toEqual([
      'expect(mesh).not.toAllow(request)',
      '',
      'request:  GET / from shop/productpage to reviews:9080',
      'expected: not allowed',
      'received: allowed: ALLOW shop/allow-productpage rule 0 at sidecar (ALLOW policy shop/allow-productpage rule 0 matches)',
    ]);
    expect(pinned.pass).toBe(false);
    expect(pinned.message().split('\n').slice(0, 8)).toEqual([
      'expect(mesh).toAllow(request, expected)',
      '',
      'request:  GET / from shop/productpage to reviews:9080',
      'expected: allowed (policy "shop/other", enforcedAt "waypoint")',
      'received: allowed: ALLOW shop/allow-productpage rule 0 at sidecar (ALLOW policy shop/allow-productpage rule 0 matches)',
      '  - decision.policy is "shop/allow-productpage", expected "shop/other"',
      '  - decision.enforcedAt is "sidecar", expected "waypoint"',
      `route:    VirtualService shop/reviews rule 1 -> ${FQDN} subset v1 90%, ${FQDN} subset v2 10%`,
    ]);
  });

  test('toDeny on an allowed request; an unknown outcome passes neither toAllow nor toDeny', () => {
    // GIVEN
    const custom = MeshSimulation.fromManifests([...DOCS, ap('shop', 'ext-authz', { ...app('reviews'), action: 'CUSTOM', provider: { name: 'opa' }, rules: [{}] })]);
    const req = { from: PRODUCTPAGE, to: TO, path: '/x', headers: { 'x-user': 'a' }, jwt: { issuer: 'https://auth.example.com' } };
    // WHEN
    const deny = meshMatchers.toDeny.call({}, mesh, { from: PRODUCTPAGE, to: TO });
    const allowUnknown = meshMatchers.toAllow.call({}, custom, req);
    const denyUnknown = meshMatchers.toDeny.call({}, custom, req);
    // THEN
    expect(deny.pass).toBe(false);
    expect(deny.message().split('\n').slice(3, 5)).toEqual([
      'expected: denied',
      'received: allowed: ALLOW shop/allow-productpage rule 0 at sidecar (ALLOW policy shop/allow-productpage rule 0 matches)',
    ]);
    const unknown = 'received: unknown: CUSTOM policy shop/ext-authz sends the request to the external authorizer "opa", whose answer is outside the set';
    expect(allowUnknown.pass).toBe(false);
    expect(denyUnknown.pass).toBe(false);
    expect(allowUnknown.message().split('\n').slice(2, 5)).toEqual([
      'request:  GET /x from shop/productpage to reviews:9080, headers {"x-user":"a"}, a token of https://auth.example.com',
      'expected: allowed',
      unknown,
    ]);
    expect(denyUnknown.message().split('\n')[4]).toBe(unknown);
  });

  test('toRoute: the wrong share, the wrong rule, the wrong backends, and 404', () => {
    // GIVEN
    const split = { from: PRODUCTPAGE, to: TO };
    const onlyCanary = MeshSimulation.fromManifests(DOCS.map(d => (d as any).kind === 'VirtualService'
      ? { ...d, spec: { hosts: ['reviews'], http: [(d as any).spec.http[0]] } } : d));
    // WHEN
    const share = meshMatchers.toRoute.call({}, mesh, split, { subset: 'v2' });
    const rule = meshMatchers.toRoute.call({}, mesh, split, { resource: 'HTTPRoute shop/reviews', rule: 0 });
    const backends = meshMatchers.toRoute.call({}, mesh, split, { backends: [{ host: FQDN, percent: 100 }] });
    const none = meshMatchers.toRoute.call({}, onlyCanary, split);
    // THEN
    expect(share.message().split('\n').slice(0, 6)).toEqual([
      'expect(mesh).toRoute(request, expected)',
      '',
      'request:  GET / from shop/productpage to reviews:9080',
      'expected: routed to backends with subset v2 at 100%',
      `received: VirtualService shop/reviews rule 1 -> ${FQDN} subset v1 90%, ${FQDN} subset v2 10%`,
      '  - backends with subset v2 receives 10%, expected 100%',
    ]);
    expect(rule.message().split('\n').slice(3, 7)).toEqual([
      'expected: routed to HTTPRoute shop/reviews, rule 0',
      `received: VirtualService shop/reviews rule 1 -> ${FQDN} subset v1 90%, ${FQDN} subset v2 10%`,
      '  - route.resource is "VirtualService shop/reviews", expected "HTTPRoute shop/reviews"',
      '  - route.rule is 1, expected 0',
    ]);
    expect(backends.message().split('\n').slice(3, 6)).toEqual([
      `expected: routed to backends ${FQDN} 100%`,
      `received: VirtualService shop/reviews rule 1 -> ${FQDN} subset v1 90%, ${FQDN} subset v2 10%`,
      `  - route.backends are ${FQDN} subset v1 90%, ${FQDN} subset v2 10%, expected ${FQDN} 100%`,
    ]);
    expect([share.pass, rule.pass, backends.pass, none.pass]).toEqual([false, false, false, false]);
    expect(none.message().split('\n').slice(0, 6)).toEqual([
      'expect(mesh).toRoute(request)',
      '',
      'request:  GET / from shop/productpage to reviews:9080',
      'expected: routed (a rule matches)',
      'received: no route (404)',
      '  - no route rule matches (404)',
    ]);
  });

  test('a redirect and a direct response are described as such', () => {
    expect(describeRoute({ resource: 'VirtualService shop/r', rule: 0, backends: [], retries: { attempts: 0 }, redirect: { statusCode: 301, uri: '/new' } }))
      .toBe('VirtualService shop/r rule 0 -> redirect 301');
    expect(describeRoute({ resource: 'HTTPRoute shop/r', rule: 2, backends: [], retries: { attempts: 0 }, directResponse: { status: 503 } }))
      .toBe('HTTPRoute shop/r rule 2 -> direct response 503');
  });

  test('a received value that is not a MeshSimulation, and a missing expect, are TypeErrors that say what is needed', () => {
    expect(() => meshMatchers.toAllow.call({}, { apps: 1 }, { from: PRODUCTPAGE, to: TO }))
      .toThrow(new TypeError('expect(mesh).toAllow(request): mesh must be a MeshSimulation (MeshSimulation.fromApp(app) or MeshSimulation.fromManifests(docs)), got {"apps":1}'));
    expect(() => meshMatchers.toRoute.call({}, undefined, { from: PRODUCTPAGE, to: TO }))
      .toThrow('expect(mesh).toRoute(request): mesh must be a MeshSimulation (MeshSimulation.fromApp(app) or MeshSimulation.fromManifests(docs)), got undefined');
    const saved = (globalThis as any).expect;
    let thrown: unknown;
    try {
      (globalThis as any).expect = undefined;
      installMeshMatchers();
    } catch (e) {
      thrown = e;
    } finally {
      (globalThis as any).expect = saved;
    }
    expect(thrown).toEqual(new TypeError('installMeshMatchers: no global `expect` with `extend` (call it from a jest setup file, or pass `expect`)'));
    expect(() => installMeshMatchers({} as any))
      .toThrow('installMeshMatchers: no global `expect` with `extend` (call it from a jest setup file, or pass `expect`)');
  });

  test('installMeshMatchers registers the three matchers on the expect it is given', () => {
    // GIVEN
    const registered: object[] = [];
    // WHEN
    installMeshMatchers({ extend: m => registered.push(m) });
    // THEN
    expect(registered).toEqual([meshMatchers]);
    expect(Object.keys(meshMatchers)).toEqual(['toAllow', 'toDeny', 'toRoute']);
  });
});
