import { ApiObject, Chart, Duration, Testing } from 'cdk8s';
import { CanaryRoute, CanaryRouteProps, IngressGateway, Listener, MeshSimulation, RequestMatch, ResilientService, RouteNamespaces, RouteProtocol, SimulationResult, TrafficApi } from '../lib';
import { synthValid } from './util';

// CanaryRoute protocol: TCP and TLS (VirtualService tcp/tls, TCPRoute/TLSRoute) and gRPC
// (VirtualService http, GRPCRoute). Istio 1.30 converts TCPRoute and TLSRoute with Service parents
// into mesh routes (pilot/pkg/config/kube/gateway/route_collections.go, computeRoute mesh=true).

/** The App's db Service; its port name is copied to the per-version Services (#15 item 7). */
function dbChart(portName = 'tcp'): Chart {
  const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
  new ApiObject(chart, 'svc', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'db' }, spec: { selector: { app: 'db' }, ports: [{ name: portName, port: 5432 }] } });
  return chart;
}

function db(protocol: RouteProtocol, extra: Partial<CanaryRouteProps> = {}): CanaryRouteProps {
  return { service: { name: 'db', port: 5432 }, protocol, stableVersion: 'v1', canaryVersion: 'v2', canaryWeight: 20, ...extra };
}

const d = (subset: string) => ({ host: 'db.shop.svc.cluster.local', port: { number: 5432 }, subset });
const SPLIT = [{ destination: d('stable'), weight: 80 }, { destination: d('canary'), weight: 20 }];
const BACKENDS = [{ name: 'db-v1', port: 5432, weight: 80 }, { name: 'db-v2', port: 5432, weight: 20 }];
const SUBSETS = { host: 'db.shop.svc.cluster.local', subsets: [{ name: 'stable', labels: { version: 'v1' } }, { name: 'canary', labels: { version: 'v2' } }] };
const versionService = (v: string, port: string) => ({
  apiVersion: 'v1', kind: 'Service', metadata: { name: `db-${v}`, namespace: 'shop' },
  spec: { selector: { app: 'db', version: v }, ports: [{ name: port, port: 5432, targetPort: 5432 }] },
});
const parent = [{ group: '', kind: 'Service', name: 'db', port: 5432 }];

function emitted(chart: Chart) {
  return synthValid(chart).filter(o => !(o.kind === 'Service' && o.metadata.name === 'db') && o.kind !== 'Gateway');
}

describe('TCP weighted split', () => {
  test('Istio: VirtualService tcp route with relative weights, DestinationRule subsets', () => {
    const chart = dbChart();
    new CanaryRoute(chart, 'db', db(RouteProtocol.TCP, { api: TrafficApi.ISTIO }));
    expect(emitted(chart)).toEqual([
      { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'db', namespace: 'shop' }, spec: { hosts: ['db.shop.svc.cluster.local'], tcp: [{ route: SPLIT }] } },
      { apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'db', namespace: 'shop' }, spec: SUBSETS },
    ]);
  });

  test('Gateway API: TCPRoute with the Service parent and per-version Services (port name tcp)', () => {
    const chart = dbChart();
    const route = new CanaryRoute(chart, 'db', db(RouteProtocol.TCP, { api: TrafficApi.GATEWAY_API }));
    expect(emitted(chart)).toEqual([
      { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'TCPRoute', metadata: { name: 'db', namespace: 'shop' }, spec: { parentRefs: parent, rules: [{ backendRefs: BACKENDS }] } },
      versionService('v1', 'tcp'), versionService('v2', 'tcp'),
    ]);
    expect(route.objects.otherRoutes.length).toBe(1);
  });
});

describe('TLS passthrough by SNI', () => {
  function withGateway(api: TrafficApi) {
    const chart = dbChart('tls');
    new IngressGateway(chart, 'edge', { api, allowRoutesFrom: RouteNamespaces.SAME, listeners: [Listener.tlsPassthrough({ hostnames: ['db.example.com'] })] });
    new CanaryRoute(chart, 'db', db(RouteProtocol.TLS, { api, ingress: { gateway: { name: 'edge' }, hostnames: ['db.example.com'] } }));
    return chart;
  }

  test('Istio: mesh and gateway VirtualServices with tls routes matched by sniHosts', () => {
    expect(emitted(withGateway(TrafficApi.ISTIO))).toEqual([
      {
        apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'db', namespace: 'shop' },
        spec: { hosts: ['db.shop.svc.cluster.local'], tls: [{ match: [{ sniHosts: ['db.shop.svc.cluster.local'] }], route: SPLIT }] },
      },
      {
        apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'db-ingress', namespace: 'shop' },
        spec: { hosts: ['db.example.com'], gateways: ['shop/edge'], tls: [{ match: [{ sniHosts: ['db.example.com'] }], route: SPLIT }] },
      },
      { apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'db', namespace: 'shop' }, spec: SUBSETS },
    ]);
  });

  test('Gateway API: TLSRoutes keyed by hostnames (SNI), one on the Service, one on the Gateway', () => {
    expect(emitted(withGateway(TrafficApi.GATEWAY_API))).toEqual([
      {
        apiVersion: 'gateway.networking.k8s.io/v1', kind: 'TLSRoute', metadata: { name: 'db', namespace: 'shop' },
        spec: { parentRefs: parent, hostnames: ['db.shop.svc.cluster.local'], rules: [{ backendRefs: BACKENDS }] },
      },
      {
        apiVersion: 'gateway.networking.k8s.io/v1', kind: 'TLSRoute', metadata: { name: 'db-ingress', namespace: 'shop' },
        spec: { parentRefs: [{ name: 'edge' }], hostnames: ['db.example.com'], rules: [{ backendRefs: BACKENDS }] },
      },
      versionService('v1', 'tls'), versionService('v2', 'tls'),
    ]);
  });

  test('sniHosts: the Istio VirtualService lists them as hosts too (sniHosts must be among the hosts)', () => {
    const chart = dbChart();
    new CanaryRoute(chart, 'db', db(RouteProtocol.TLS, { api: TrafficApi.ISTIO, sniHosts: ['db.internal.example.com'] }));
    expect(emitted(chart)[0].spec).toEqual({
      hosts: ['db.shop.svc.cluster.local', 'db.internal.example.com'],
      tls: [{ match: [{ sniHosts: ['db.internal.example.com'] }], route: SPLIT }],
    });
  });
});

describe('gRPC canary', () => {
  test('Istio: http rules (gRPC is HTTP/2), header match first, weighted catch-all last', () => {
    const chart = dbChart();
    new CanaryRoute(chart, 'db', db(RouteProtocol.GRPC, { api: TrafficApi.ISTIO, canaryMatches: [RequestMatch.header('x-canary', 'true')] }));
    expect(emitted(chart)[0].spec).toEqual({
      hosts: ['db.shop.svc.cluster.local'],
      http: [
        { name: 'canary-match', match: [{ headers: { 'x-canary': { exact: 'true' } } }], route: [{ destination: d('canary') }] },
        { name: 'weighted', route: SPLIT },
      ],
    });
  });

  test('Gateway API: GRPCRoute with header match and per-version Services named grpc', () => {
    const chart = dbChart('grpc');
    new CanaryRoute(chart, 'db', db(RouteProtocol.GRPC, { api: TrafficApi.GATEWAY_API, canaryMatches: [RequestMatch.header('x-canary', 'true')] }));
    expect(emitted(chart)).toEqual([
      {
        apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GRPCRoute', metadata: { name: 'db', namespace: 'shop' },
        spec: {
          parentRefs: parent,
          rules: [
            { matches: [{ headers: [{ type: 'Exact', name: 'x-canary', value: 'true' }] }], backendRefs: [{ name: 'db-v2', port: 5432 }] },
            { backendRefs: BACKENDS },
          ],
        },
      },
      versionService('v1', 'grpc'), versionService('v2', 'grpc'),
    ]);
  });
});

describe('features a protocol cannot carry', () => {
  test.each([
    ['a header match on TCP', db(RouteProtocol.TCP, { canaryMatches: [RequestMatch.header('x-canary', 'true')] }),
      /^CanaryRoute shop\/db: canaryMatches must be empty with RouteProtocol\.TCP \(a TCP connection has no headers, paths or cookies to match; only the weighted split\), got "1 matches"$/],
    ['mirroring on TLS', db(RouteProtocol.TLS, { mirrorPercent: 10 }),
      /^CanaryRoute shop\/db: mirrorPercent must be 0 with RouteProtocol\.TLS \(mirroring copies HTTP requests\), got 10$/],
    ['an ingress binding on TCP', db(RouteProtocol.TCP, { ingress: { gateway: { name: 'edge' }, hostnames: ['db.example.com'] } }),
      /^CanaryRoute shop\/db: ingress must be unset with RouteProtocol\.TCP \(a TCP gateway listener has no hostname to bind by; use RouteProtocol\.TLS with a Listener\.tlsPassthrough\(\) listener\), got "an ingress binding"$/],
    ['sniHosts without TLS', db(RouteProtocol.TCP, { sniHosts: ['a.example.com'] }),
      /^CanaryRoute shop\/db: sniHosts must be unset unless protocol is RouteProtocol\.TLS, got \["a\.example\.com"\]$/],
  ] as Array<[string, CanaryRouteProps, RegExp]>)('%s', (_n, props, message) => {
    expect(() => new CanaryRoute(dbChart(), 'db', props)).toThrow(message);
  });

  test('a path match on a Gateway API gRPC route fails synth', () => {
    const chart = dbChart();
    new CanaryRoute(chart, 'db', db(RouteProtocol.GRPC, { api: TrafficApi.GATEWAY_API, canaryMatches: [RequestMatch.pathPrefix('/x')] }));
    expect(() => Testing.synth(chart)).toThrow(/CanaryRoute shop\/db: canaryMatches\[0\]\.conditions\[0\] must be a header condition with RouteProtocol\.GRPC and TrafficApi\.GATEWAY_API/);
  });

  test('a ResilientService timeout on a TCP canary fails synth naming both', () => {
    const chart = dbChart();
    new CanaryRoute(chart, 'db', db(RouteProtocol.TCP));
    new ResilientService(chart, 'res', { service: { name: 'db', port: 5432 }, timeout: Duration.seconds(1) });
    expect(() => Testing.synth(chart)).toThrow(/ResilientService shop\/res: timeouts, retries and faults cannot be carried by CanaryRoute shop\/db's RouteProtocol\.TCP route \(TCP and TLS routes have no requests\); keep only connection policies/);
  });
});

describe('through the simulator', () => {
  const FROM = { namespace: 'shop', serviceAccount: 'app' };
  const DB = 'db.shop.svc.cluster.local';
  const stableCanary = [{ host: DB, port: 5432, subset: 'stable', percent: 80 }, { host: DB, port: 5432, subset: 'canary', percent: 20 }];
  const perVersion = [{ host: 'db-v1.shop.svc.cluster.local', port: 5432, percent: 80 }, { host: 'db-v2.shop.svc.cluster.local', port: 5432, percent: 20 }];
  function withGatewayChart(api: TrafficApi): Chart {
    // The Service port is named tls: on a port declared TCP (dbChart) Istio applies only tcp rules, so
    // the tls split would not be used by mesh callers (pilot/pkg/networking/core/tls.go).
    const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
    new ApiObject(chart, 'svc', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'db' }, spec: { selector: { app: 'db' }, ports: [{ name: 'tls', port: 5432 }] } });
    new IngressGateway(chart, 'edge', { api, allowRoutesFrom: RouteNamespaces.SAME, listeners: [Listener.tlsPassthrough({ hostnames: ['db.example.com'] })] });
    new CanaryRoute(chart, 'db', db(RouteProtocol.TLS, { api, ingress: { gateway: { name: 'edge' }, hostnames: ['db.example.com'] } }));
    return chart;
  }
  const verdict = (r: SimulationResult) => ({ allowed: r.allowed, resource: r.route?.resource, protocol: r.route?.protocol, backends: r.route?.backends });

  test('TCP weighted split: 80/20 by the VirtualService tcp rule (Istio) or the TCPRoute (Gateway API)', () => {
    const istio = dbChart();
    new CanaryRoute(istio, 'db', db(RouteProtocol.TCP, { api: TrafficApi.ISTIO }));
    const gwapi = dbChart();
    new CanaryRoute(gwapi, 'db', db(RouteProtocol.TCP, { api: TrafficApi.GATEWAY_API }));
    const to = { host: 'db', port: 5432 };
    expect(verdict(MeshSimulation.fromManifests(synthValid(istio)).request({ from: FROM, to })))
      .toEqual({ allowed: true, resource: 'VirtualService shop/db', protocol: 'TCP', backends: stableCanary });
    expect(verdict(MeshSimulation.fromManifests(synthValid(gwapi)).request({ from: FROM, to })))
      .toEqual({ allowed: true, resource: 'TCPRoute shop/db', protocol: 'TCP', backends: perVersion });
  });

  test.each([
    [TrafficApi.ISTIO, 'VirtualService shop/db', 'VirtualService shop/db-ingress', stableCanary],
    [TrafficApi.GATEWAY_API, 'TLSRoute shop/db', 'TLSRoute shop/db-ingress', perVersion],
  ])('TLS passthrough by SNI (%s): the mesh SNI and the gateway SNI split 80/20; another SNI at the gateway is not routed', (api, mesh, ingress, backends) => {
    const m = MeshSimulation.fromManifests(synthValid(withGatewayChart(api)));
    expect(verdict(m.request({ from: FROM, to: { host: DB, port: 5432 } }))).toEqual({ allowed: true, resource: mesh, protocol: 'TLS', backends });
    expect(verdict(m.request({ via: { gateway: 'shop/edge' }, to: { host: 'db.example.com', port: 443 } }))).toEqual({ allowed: true, resource: ingress, protocol: 'TLS', backends });
    expect(verdict(m.request({ via: { gateway: 'shop/edge' }, to: { host: 'other.example.com', port: 443 } }))).toEqual({ allowed: false, resource: undefined, protocol: undefined, backends: undefined });
  });

  test('gRPC canary (Istio): x-canary reaches the canary subset over HTTP/2, the rest splits 80/20', () => {
    // A Service port named grpc: with the TCP-named port of the other tests Istio would apply only tcp rules.
    const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
    new ApiObject(chart, 'svc', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'db' }, spec: { selector: { app: 'db' }, ports: [{ name: 'grpc', port: 5432 }] } });
    new CanaryRoute(chart, 'db', db(RouteProtocol.GRPC, { api: TrafficApi.ISTIO, canaryMatches: [RequestMatch.header('x-canary', 'true')] }));
    const m = MeshSimulation.fromManifests(synthValid(chart));
    const to = { host: 'db', port: 5432 };
    expect(verdict(m.request({ from: FROM, to, method: 'POST', path: '/shop.Db/Get', headers: { 'x-canary': 'true' } })))
      .toEqual({ allowed: true, resource: 'VirtualService shop/db', protocol: undefined, backends: [{ host: DB, port: 5432, subset: 'canary', percent: 100 }] });
    expect(verdict(m.request({ from: FROM, to, method: 'POST', path: '/shop.Db/Get' })))
      .toEqual({ allowed: true, resource: 'VirtualService shop/db', protocol: undefined, backends: stableCanary });
  });
});
