import { Chart, Duration, Testing } from 'cdk8s';
import {
  AmbientNamespace, CanaryRoute, HttpRouter, MeshSimulation, ResilientService, HttpRouterProps, HttpRule, IngressGateway, Listener, RequestMatch, RouteNamespaces, TlsCertificate, TrafficApi,
} from '../lib';
import { serviceDoc } from './sim-helpers';
import { findAll, findOne, synthValid } from './util';

function shop(): Chart {
  return new Chart(Testing.app(), 'shop', { namespace: 'shop' });
}

const dest = (name: string, port: number) => ({ destination: { host: `${name}.shop.svc.cluster.local`, port: { number: port } } });

function router(chart: Chart, api: TrafficApi, extra: Partial<HttpRouterProps> = {}): HttpRouter {
  return new HttpRouter(chart, 'api', {
    host: { service: { name: 'api', port: 80 } },
    api,
    rules: [
      HttpRule.match(RequestMatch.pathPrefix('/v1')).rewritePath('/').to({ name: 'api-v1', port: 8080 }),
      HttpRule.default().to({ name: 'web', port: 80 }).setRequestHeader('x-via', 'mesh'),
    ],
    ...extra,
  });
}

describe('HttpRouter, Istio API', () => {
  test('path routing to two services with a rewrite and a request header: one VirtualService for the service host', () => {
    // GIVEN
    const chart = shop();
    // WHEN
    const r = router(chart, TrafficApi.ISTIO);
    // THEN
    expect(synthValid(chart)).toEqual([{
      apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'api', namespace: 'shop' },
      spec: {
        hosts: ['api.shop.svc.cluster.local'],
        http: [
          { match: [{ uri: { prefix: '/v1' } }], rewrite: { uri: '/' }, route: [dest('api-v1', 8080)] },
          { route: [dest('web', 80)], headers: { request: { set: { 'x-via': 'mesh' } } } },
        ],
      },
    }]);
    expect(r.api).toBe(TrafficApi.ISTIO);
  });

  test('redirect, direct response and CORS; the catch-all goes last whatever its position (Istio takes the first match)', () => {
    // GIVEN
    const chart = shop();
    // WHEN
    new HttpRouter(chart, 'api', {
      host: { service: { name: 'api', port: 80 } },
      rules: [
        HttpRule.default().to({ name: 'web', port: 80 }),
        HttpRule.match(RequestMatch.pathExact('/old')).redirect({ path: '/new', statusCode: 301 }),
        HttpRule.match(RequestMatch.header('x-debug', '1')).respond({ status: 418, body: 'teapot' }),
      ],
      cors: { allowOrigins: ['https://app.example.com'], allowMethods: ['GET', 'POST'], maxAge: Duration.hours(1), allowCredentials: true },
    });
    // THEN
    expect(findOne(synthValid(chart), 'VirtualService').spec.http).toEqual([
      { match: [{ uri: { exact: '/old' } }], redirect: { uri: '/new', redirectCode: 301 } },
      { match: [{ headers: { 'x-debug': { exact: '1' } } }], directResponse: { status: 418, body: { string: 'teapot' } } },
      {
        route: [dest('web', 80)],
        corsPolicy: { allowOrigins: [{ exact: 'https://app.example.com' }], allowMethods: ['GET', 'POST'], maxAge: '1h', allowCredentials: true },
      },
    ]);
  });

  test('weighted backends keep relative weights', () => {
    const chart = shop();
    new HttpRouter(chart, 'api', { host: { service: { name: 'api', port: 80 } }, rules: [HttpRule.default().to({ name: 'a', port: 80, weight: 3 }, { name: 'b', port: 80 })] });
    expect(findOne(synthValid(chart), 'VirtualService').spec.http).toEqual([{ route: [{ ...dest('a', 80), weight: 3 }, { ...dest('b', 80), weight: 1 }] }]);
  });
});

describe('HttpRouter, Gateway API', () => {
  test('path routing with rewrite and header: HTTPRoute with the Service as parent (GAMMA)', () => {
    const chart = shop();
    router(chart, TrafficApi.GATEWAY_API);
    expect(synthValid(chart)).toEqual([{
      apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'api', namespace: 'shop' },
      spec: {
        parentRefs: [{ group: '', kind: 'Service', name: 'api', port: 80 }],
        rules: [
          {
            matches: [{ path: { type: 'PathPrefix', value: '/v1' } }],
            filters: [{ type: 'URLRewrite', urlRewrite: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/' } } }],
            backendRefs: [{ name: 'api-v1', port: 8080 }],
          },
          { filters: [{ type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'x-via', value: 'mesh' }] } }], backendRefs: [{ name: 'web', port: 80 }] },
        ],
      },
    }]);
  });

  test('redirect, 404 direct response (a rule without backends) and CORS filter', () => {
    const chart = shop();
    new HttpRouter(chart, 'api', {
      host: { service: { name: 'api', port: 80 } }, api: TrafficApi.GATEWAY_API,
      rules: [
        HttpRule.match(RequestMatch.pathExact('/old')).redirect({ path: '/new', statusCode: 301 }),
        HttpRule.match(RequestMatch.header('x-debug', '1')).respond({ status: 404 }),
        HttpRule.default().to({ name: 'web', port: 80 }),
      ],
      cors: { allowOrigins: ['https://app.example.com'], allowMethods: ['GET', 'POST'], maxAge: Duration.hours(1) },
    });
    // Istio maps a rule without backendRefs to directResponse 404 (pilot/pkg/config/kube/gateway/conversion.go).
    expect(findOne(synthValid(chart), 'HTTPRoute').spec.rules).toEqual([
      { matches: [{ path: { type: 'Exact', value: '/old' } }], filters: [{ type: 'RequestRedirect', requestRedirect: { path: { type: 'ReplaceFullPath', replaceFullPath: '/new' }, statusCode: 301 } }] },
      { matches: [{ headers: [{ type: 'Exact', name: 'x-debug', value: '1' }] }] },
      { filters: [{ type: 'CORS', cors: { allowOrigins: ['https://app.example.com'], allowMethods: ['GET', 'POST'], maxAge: 3600 } }], backendRefs: [{ name: 'web', port: 80 }] },
    ]);
  });

  test('a direct response other than 404 cannot be expressed', () => {
    expect(() => new HttpRouter(shop(), 'api', {
      host: { service: { name: 'api', port: 80 } }, api: TrafficApi.GATEWAY_API,
      rules: [HttpRule.default().respond({ status: 418, body: 'teapot' })],
    })).toThrow(/^HttpRouter shop\/api: rules\[0\]\.respond must be respond\(\{ status: 404 \}\) without a body for TrafficApi\.GATEWAY_API \(HTTPRoute has no direct-response filter; a rule without backends answers 404\); use TrafficApi\.ISTIO, got \{"status":418,"body":"teapot"\}$/);
  });
});

describe('HttpRouter at a gateway; merging', () => {
  function edge() {
    const app = Testing.app();
    const edgeChart = new Chart(app, 'edge', { namespace: 'istio-ingress' });
    const shopChart = new Chart(app, 'shop', { namespace: 'shop' });
    return { app, edgeChart, shopChart };
  }
  const listeners = () => [
    Listener.https({ hostnames: ['shop.example.com'], certificate: TlsCertificate.fromSecret('shop-cert') }),
    Listener.http({ hostnames: ['shop.example.com'], redirectToHttps: true }),
  ];

  function merged(api: TrafficApi) {
    const { edgeChart } = edge();
    const gw = new IngressGateway(edgeChart, 'public', { api, listeners: listeners() });
    gw.expose({ service: { name: 'web', namespace: 'shop', port: 80 }, hostname: 'shop.example.com' });
    const r = new HttpRouter(edgeChart, 'api', {
      host: { gateway: gw, hostnames: ['shop.example.com'] },
      rules: [HttpRule.match(RequestMatch.pathPrefix('/api')).to({ name: 'api', namespace: 'shop', port: 8080 })],
    });
    return { docs: synthValid(edgeChart), gw, r };
  }

  test('Istio: expose() and a router on the same hostname merge into one VirtualService, catch-all last', () => {
    const { docs, gw, r } = merged(TrafficApi.ISTIO);
    expect(findOne(docs, 'VirtualService')).toEqual({
      apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'public-shop-example-com', namespace: 'istio-ingress' },
      spec: {
        hosts: ['shop.example.com'], gateways: ['istio-ingress/public'],
        http: [
          { match: [{ uri: { prefix: '/api' } }], route: [{ destination: { host: 'api.shop.svc.cluster.local', port: { number: 8080 } } }] },
          { route: [{ destination: { host: 'web.shop.svc.cluster.local', port: { number: 80 } } }] },
        ],
      },
    });
    expect(r.route).toBe(gw.node.findChild('Expose-shop.example.com'));
  });

  test('Gateway API: expose() and a router on the same hostname merge into one HTTPRoute on the HTTPS listener, one ReferenceGrant', () => {
    const { docs, gw, r } = merged(TrafficApi.GATEWAY_API);
    expect(findAll(docs, 'HTTPRoute').map(d => d.metadata.name)).toEqual(['public-http-80-redirect', 'public-shop-example-com']);
    expect(findOne(docs, 'HTTPRoute', 'public-shop-example-com').spec).toEqual({
      parentRefs: [{ name: 'public', sectionName: 'https-443' }],
      hostnames: ['shop.example.com'],
      rules: [
        { backendRefs: [{ name: 'web', namespace: 'shop', port: 80 }] },
        { matches: [{ path: { type: 'PathPrefix', value: '/api' } }], backendRefs: [{ name: 'api', namespace: 'shop', port: 8080 }] },
      ],
    });
    expect(findOne(docs, 'ReferenceGrant').spec.to).toEqual([{ group: '', kind: 'Service', name: 'api' }, { group: '', kind: 'Service', name: 'web' }]);
    expect(r.route).toBe(gw.node.findChild('Expose-shop.example.com'));
  });

  test('a router in another namespace binds when allowRoutesFrom admits it, with no ReferenceGrant for its own namespace', () => {
    const { edgeChart, shopChart } = edge();
    const gw = new IngressGateway(edgeChart, 'public', { allowRoutesFrom: RouteNamespaces.names('shop'), listeners: listeners() });
    new HttpRouter(shopChart, 'api', { host: { gateway: gw, hostnames: ['shop.example.com'] }, rules: [HttpRule.default().to({ name: 'web', port: 80 })] });
    synthValid(edgeChart);
    expect(synthValid(shopChart)).toEqual([{
      apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'api', namespace: 'shop' },
      spec: {
        parentRefs: [{ name: 'public', namespace: 'istio-ingress', sectionName: 'https-443' }],
        hostnames: ['shop.example.com'], rules: [{ backendRefs: [{ name: 'web', port: 80 }] }],
      },
    }]);
  });

  test('allowRoutesFrom that excludes the router: synth fails naming both', () => {
    const { app, edgeChart, shopChart } = edge();
    const gw = new IngressGateway(edgeChart, 'public', { listeners: listeners() });
    new HttpRouter(shopChart, 'api', { host: { gateway: gw, hostnames: ['shop.example.com'] }, rules: [HttpRule.default().to({ name: 'web', port: 80 })] });
    expect(() => app.synth()).toThrow(/IngressGateway edge\/public: allowRoutesFrom RouteNamespaces\.SAME does not admit HTTPRoute shop\/api of HttpRouter shop\/api \(namespace "shop"\)/);
  });

  test('a CanaryRoute on the same service host: synth fails naming both', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    new CanaryRoute(chart, 'canary', { service: { name: 'api', port: 80 }, stableVersion: 'v1', canaryVersion: 'v2', canaryWeight: 10 });
    new HttpRouter(chart, 'api', { host: { service: { name: 'api', port: 80 } }, rules: [HttpRule.default().to({ name: 'web', port: 80 })] });
    expect(() => app.synth()).toThrow(/HttpRouter shop\/api: conflicts with CanaryRoute shop\/canary: its VirtualService shop\/api routes service api\.shop\.svc\.cluster\.local too; one route per host and parent/);
  });

  test('two routers with overlapping but different hostnames, and two catch-alls on one host', () => {
    const { edgeChart } = edge();
    const gw = new IngressGateway(edgeChart, 'public', { listeners: [Listener.http({ hostnames: ['*.example.com'] })] });
    new HttpRouter(edgeChart, 'a', { host: { gateway: gw, hostnames: ['*.example.com'] }, rules: [HttpRule.default().to({ name: 'web', port: 80 })] });
    expect(() => new HttpRouter(edgeChart, 'b', { host: { gateway: gw, hostnames: ['www.example.com'] }, rules: [HttpRule.default().to({ name: 'web', port: 80 })] }))
      .toThrow(/^HttpRouter edge\/b: conflicts with HttpRouter edge\/a: hostnames \["www\.example\.com"\] at gateway istio-ingress\/public overlap istio-ingress\/a \(hostnames \["\*\.example\.com"\]\); routes for one host merge only with the same hostnames in the same namespace$/);
    expect(() => new HttpRouter(edgeChart, 'c', { host: { gateway: gw, hostnames: ['*.example.com'] }, rules: [HttpRule.default().to({ name: 'other', port: 80 })] }))
      .toThrow(/^HttpRouter edge\/c: rules\[0\] matches the same requests as rules\[0\] of HttpRouter edge\/a \(both are catch-alls\); only one of them would ever be used: merge them or make one more specific$/);
  });
});

describe('HttpRouter, bad input', () => {
  const svc = { service: { name: 'api', port: 80 } };
  test.each([
    ['respond together with to in one rule', [HttpRule.default().to({ name: 'web', port: 80 }).respond({ status: 200 })],
      /^HttpRouter shop\/api: rules\[0\] must be a rule with exactly one of to\(\), redirect\(\) or respond\(\) \(a rule either forwards or answers\), got "to\(\) together with respond\(\)"$/],
    ['a rewrite on a redirect rule', [HttpRule.match(RequestMatch.pathPrefix('/a')).redirect({ path: '/b' }).rewritePath('/c')],
      /^HttpRouter shop\/api: rules\[0\]\.rewritePath must be unset on a redirect\(\) rule \(only a forwarded request is rewritten; redirect\(\{ path \}\) sets the new path\), got "\/c"$/],
    ['a rule without an action', [HttpRule.match(RequestMatch.pathPrefix('/a'))],
      /^HttpRouter shop\/api: rules\[0\] must be a rule with exactly one of to\(\), redirect\(\) or respond\(\) \(a rule either forwards or answers\), got "no action"$/],
    ['a rewrite without a path match', [HttpRule.default().rewritePath('/x').to({ name: 'web', port: 80 })],
      /^HttpRouter shop\/api: rules\[0\]\.rewritePath must be used on a rule whose matches all test the path the same way \(all pathPrefix or all pathExact\): the rewrite replaces the matched path, got "\/x"$/],
    ['a redirect status that is not a redirect', [HttpRule.default().redirect({ statusCode: 200 })],
      /^HttpRouter shop\/api: rules\[0\]\.redirect\.statusCode must be one of 301, 302, 303, 307, 308, got 200$/],
  ] as Array<[string, HttpRule[], RegExp]>)('%s', (_n, rules, message) => {
    expect(() => new HttpRouter(shop(), 'api', { host: svc, rules })).toThrow(message);
  });

  test('host with both service and gateway, and a route hostname no listener serves', () => {
    const chart = shop();
    const gw = new IngressGateway(chart, 'gw', { listeners: [Listener.http({ hostnames: ['a.example.com'] })] });
    expect(() => new HttpRouter(chart, 'x', { host: { ...svc, gateway: gw }, rules: [HttpRule.default().to({ name: 'web', port: 80 })] }))
      .toThrow(/^HttpRouter shop\/x: host must be \{ service \} or \{ gateway, hostnames \} \(exactly one of service and gateway\)/);
    expect(() => new HttpRouter(chart, 'y', { host: { gateway: gw, hostnames: ['b.example.com'] }, rules: [HttpRule.default().to({ name: 'web', port: 80 })] }))
      .toThrow(/^HttpRouter shop\/y: host\.hostnames must be a hostname that an HTTP or HTTPS listener of gateway shop\/gw serves \(a\.example\.com\), got "b\.example\.com"$/);
  });

  test('CORS origins', () => {
    expect(() => router(shop(), TrafficApi.ISTIO, { cors: { allowOrigins: ['*', 'https://a.example.com'] } }))
      .toThrow(/^HttpRouter shop\/api: cors\.allowOrigins must be "\*" alone or a list of origins without "\*", got \["\*","https:\/\/a\.example\.com"\]$/);
    expect(() => router(shop(), TrafficApi.GATEWAY_API, { cors: { allowOrigins: ['https://a.example.com'], maxAge: Duration.millis(1500) } }))
      .toThrow(/^HttpRouter shop\/api: cors\.maxAge must be a whole number of seconds, at least 1, for Gateway API \(CORS maxAge is in seconds\), got 1500ms$/);
  });
});

describe('HttpRouter in an ambient namespace', () => {
  function payments(waypoint: boolean) {
    const app = Testing.app();
    const chart = new Chart(app, 'payments', { namespace: 'payments' });
    new AmbientNamespace(chart, 'ns', { name: 'payments', waypoint });
    return { app, chart };
  }
  const rules = () => [HttpRule.default().to({ name: 'web', port: 80 })];

  test('defaults to the Gateway API (HTTPRoute with the Service parent) when a waypoint serves the service', () => {
    const { chart } = payments(true);
    const r = new HttpRouter(chart, 'api', { host: { service: { name: 'api', port: 80 } }, rules: rules() });
    expect(r.api).toBe(TrafficApi.GATEWAY_API);
    expect(findOne(synthValid(chart), 'HTTPRoute').spec.parentRefs).toEqual([{ group: '', kind: 'Service', name: 'api', port: 80 }]);
  });

  test('without a waypoint, or with the Istio API, synth fails', () => {
    const a = payments(false);
    new HttpRouter(a.chart, 'api', { host: { service: { name: 'api', port: 80 } }, rules: rules() });
    expect(() => a.app.synth()).toThrow(/HttpRouter payments\/api: HTTP routing in ambient namespace "payments" needs a waypoint, and no waypoint serves service "api"/);
    const b = payments(true);
    new HttpRouter(b.chart, 'api', { host: { service: { name: 'api', port: 80 } }, api: TrafficApi.ISTIO, rules: rules() });
    expect(() => b.app.synth()).toThrow(/HttpRouter payments\/api: api is TrafficApi\.ISTIO but namespace "payments" is ambient, where VirtualService is alpha; use TrafficApi\.GATEWAY_API/);
  });
});

describe('HttpRouter through the simulator', () => {
  const FROM = { namespace: 'shop', serviceAccount: 'frontend' };
  const SERVICES = [serviceDoc('shop', 'api', 80), serviceDoc('shop', 'api-v1', 8080), serviceDoc('shop', 'web', 80)];
  const host = (name: string) => `${name}.shop.svc.cluster.local`;
  function mergedAtGateway(api: TrafficApi) {
    const edgeChart = new Chart(Testing.app(), 'edge', { namespace: 'istio-ingress' });
    const gw = new IngressGateway(edgeChart, 'public', { api, listeners: [
      Listener.https({ hostnames: ['shop.example.com'], certificate: TlsCertificate.fromSecret('shop-cert') }),
      Listener.http({ hostnames: ['shop.example.com'], redirectToHttps: true }),
    ] });
    gw.expose({ service: { name: 'web', namespace: 'shop', port: 80 }, hostname: 'shop.example.com' });
    new HttpRouter(edgeChart, 'api', {
      host: { gateway: gw, hostnames: ['shop.example.com'] },
      rules: [HttpRule.match(RequestMatch.pathPrefix('/api')).to({ name: 'api', namespace: 'shop', port: 8080 })],
    });
    return { docs: synthValid(edgeChart) };
  }

  test.each([
    [TrafficApi.ISTIO, 'VirtualService shop/api', { request: { set: { 'x-via': 'mesh' } } }],
    [TrafficApi.GATEWAY_API, 'HTTPRoute shop/api', { set: [{ name: 'x-via', value: 'mesh' }] }],
  ])('%s: /v1/... goes to api-v1:8080 rewritten to /, everything else to web:80 with x-via set', (api, resource, headers) => {
    const chart = shop();
    router(chart, api);
    const mesh = MeshSimulation.fromManifests([...synthValid(chart), ...SERVICES]);
    const v1 = mesh.request({ from: FROM, to: { host: 'api', port: 80 }, path: '/v1/users' });
    const other = mesh.request({ from: FROM, to: { host: 'api', port: 80 }, path: '/v2/users' });
    expect([v1.allowed, v1.route?.resource, v1.route?.rule, v1.route?.backends, v1.route?.rewrite]).toEqual([
      true, resource, 0, [{ host: host('api-v1'), port: 8080, percent: 100 }], { uri: '/' }]);
    expect([other.allowed, other.route?.rule, other.route?.backends, other.route?.headers]).toEqual([
      true, 1, [{ host: host('web'), port: 80, percent: 100 }], headers]);
  });

  test('Istio: /old is redirected to /new (301), x-debug: 1 is answered 418 "teapot", neither reaches a backend', () => {
    const chart = shop();
    new HttpRouter(chart, 'api', {
      host: { service: { name: 'api', port: 80 } },
      rules: [
        HttpRule.default().to({ name: 'web', port: 80 }),
        HttpRule.match(RequestMatch.pathExact('/old')).redirect({ path: '/new', statusCode: 301 }),
        HttpRule.match(RequestMatch.header('x-debug', '1')).respond({ status: 418, body: 'teapot' }),
      ],
    });
    const mesh = MeshSimulation.fromManifests([...synthValid(chart), ...SERVICES]);
    const old = mesh.request({ from: FROM, to: { host: 'api', port: 80 }, path: '/old' });
    const debug = mesh.request({ from: FROM, to: { host: 'api', port: 80 }, headers: { 'x-debug': '1' } });
    const page = mesh.request({ from: FROM, to: { host: 'api', port: 80 }, path: '/page' });
    expect([old.route?.rule, old.route?.redirect, old.route?.backends]).toEqual([0, { uri: '/new', statusCode: 301 }, []]);
    expect([debug.route?.rule, debug.route?.directResponse, debug.route?.backends]).toEqual([1, { status: 418, body: 'teapot' }, []]);
    expect([page.route?.rule, page.route?.backends]).toEqual([2, [{ host: host('web'), port: 80, percent: 100 }]]);
  });

  test('at a gateway (both APIs): expose() and a router merged on one hostname send /api to api:8080 and the rest to web:80', () => {
    for (const api of [TrafficApi.ISTIO, TrafficApi.GATEWAY_API]) {
      const { docs } = mergedAtGateway(api);
      const mesh = MeshSimulation.fromManifests([...docs, serviceDoc('shop', 'api', 8080), serviceDoc('shop', 'web', 80)]);
      const via = { gateway: 'istio-ingress/public' };
      const apiReq = mesh.request({ via, to: { host: 'shop.example.com', port: 443 }, path: '/api/cart' });
      const page = mesh.request({ via, to: { host: 'shop.example.com', port: 443 }, path: '/' });
      const plain = mesh.request({ via, to: { host: 'shop.example.com', port: 80 }, path: '/api/cart' });
      expect([apiReq.allowed, apiReq.route?.backends]).toEqual([true, [{ host: host('api'), port: 8080, percent: 100 }]]);
      expect([page.allowed, page.route?.backends]).toEqual([true, [{ host: host('web'), port: 80, percent: 100 }]]);
      expect(plain.route?.redirect).toEqual({ scheme: 'https', statusCode: 301 });
    }
  });
});

describe('HttpRouter and CanaryRoute/ResilientService on one host (#19): one route, or synth fails naming both', () => {
  const rules = () => [HttpRule.default().to({ name: 'web', port: 80 })];
  const canaryOn = (chart: Chart, api?: TrafficApi) => new CanaryRoute(chart, 'canary', { service: { name: 'api', port: 80 }, stableVersion: 'v1', canaryVersion: 'v2', canaryWeight: 10, api });
  const routerOn = (chart: Chart) => new HttpRouter(chart, 'api', { host: { service: { name: 'api', port: 80 } }, rules: rules() });
  function synthError(build: (chart: Chart) => void): string {
    const app = Testing.app();
    build(new Chart(app, 'shop', { namespace: 'shop' }));
    try {
      app.synth();
    } catch (e) {
      return (e as Error).message;
    }
    return 'no error';
  }
  const CONFLICT = (owner: string, kind: string) => `HttpRouter shop/api: conflicts with ${owner}: its ${kind} shop/api routes service api.shop.svc.cluster.local too; one route per host and parent `
    + `(Istio merges several VirtualServices for one host only at gateways, in no defined order): move its rules into the HttpRouter, or route another host`;

  test.each([
    ['a CanaryRoute declared before the router', (c: Chart) => { canaryOn(c); routerOn(c); }, CONFLICT('CanaryRoute shop/canary', 'VirtualService')],
    ['a CanaryRoute declared after the router', (c: Chart) => { routerOn(c); canaryOn(c); }, CONFLICT('CanaryRoute shop/canary', 'VirtualService')],
    ['a Gateway API CanaryRoute next to an Istio router', (c: Chart) => { routerOn(c); canaryOn(c, TrafficApi.GATEWAY_API); }, CONFLICT('CanaryRoute shop/canary', 'HTTPRoute')],
    ['a ResilientService with a timeout (it needs a route)', (c: Chart) => {
      routerOn(c);
      new ResilientService(c, 'res', { service: { name: 'api', port: 80 }, timeout: Duration.seconds(2) });
    }, CONFLICT('ResilientService shop/res', 'VirtualService')],
  ] as Array<[string, (c: Chart) => void, string]>)('%s', (_n, build, message) => {
    // app.synth() reports every validation error; here there is exactly one, naming both constructs.
    expect(synthError(build)).toBe(`Validation failed with the following errors:\n  ${message}`);
  });

  test('a ResilientService with connection policies only merges: the router\'s VirtualService routes, its DestinationRule applies', () => {
    const chart = shop();
    routerOn(chart);
    new ResilientService(chart, 'res', { service: { name: 'api', port: 80 }, circuitBreaker: { maxConnections: 10 } });
    const docs = synthValid(chart);
    expect(docs.map(d => `${d.kind} ${d.metadata.name}`)).toEqual(['VirtualService api', 'DestinationRule api']);
    expect(findOne(docs, 'DestinationRule').spec).toEqual({ host: 'api.shop.svc.cluster.local', trafficPolicy: { connectionPool: { tcp: { maxConnections: 10 } } } });
    const r = MeshSimulation.fromManifests([...docs, serviceDoc('shop', 'api', 80), serviceDoc('shop', 'web', 80)])
      .request({ from: { namespace: 'shop', serviceAccount: 'frontend' }, to: { host: 'api', port: 80 } });
    expect([r.route?.resource, r.route?.backends]).toEqual(['VirtualService shop/api', [{ host: 'web.shop.svc.cluster.local', port: 80, percent: 100 }]]);
  });
});
