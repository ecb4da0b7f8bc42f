import { ApiObject, Chart, Testing } from 'cdk8s';
import {
  CanaryRoute, Identity, IngressGateway, MeshSimulation, IngressGatewayProps, Listener, PathMatch, RouteNamespaces, TlsCertificate, TrafficApi, ZeroTrustNamespace,
} from '../lib';
import { serviceDoc } from './sim-helpers';
import { findOne, synthValid } from './util';

function gwChart(): Chart {
  return new Chart(Testing.app(), 'edge', { namespace: 'istio-ingress' });
}

const HTTPS = () => Listener.https({ hostnames: ['bookinfo.example.com'], certificate: TlsCertificate.fromSecret('bookinfo-cert') });
const REDIRECT = () => Listener.http({ hostnames: ['bookinfo.example.com'], redirectToHttps: true });

function gateway(chart: Chart, props: Partial<IngressGatewayProps> = {}): IngressGateway {
  return new IngressGateway(chart, 'public', { listeners: [HTTPS(), REDIRECT()], ...props });
}

const PRODUCTPAGE = { name: 'productpage', namespace: 'bookinfo', port: 9080 };

describe('IngressGateway, Gateway API (default)', () => {
  test('HTTPS ingress with HTTP->HTTPS redirect: Gateway, redirect HTTPRoute, exposed HTTPRoute on the HTTPS listener, ReferenceGrant for the backend', () => {
    // GIVEN
    const chart = gwChart();
    const gw = gateway(chart);
    // WHEN
    gw.expose({ service: PRODUCTPAGE, hostname: 'bookinfo.example.com' });
    const docs = synthValid(chart);
    // THEN
    expect(docs).toEqual([
      {
        apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'public', namespace: 'istio-ingress' },
        spec: {
          gatewayClassName: 'istio',
          listeners: [
            {
              name: 'https-443', protocol: 'HTTPS', port: 443, hostname: 'bookinfo.example.com',
              tls: { mode: 'Terminate', certificateRefs: [{ kind: 'Secret', name: 'bookinfo-cert' }] },
            },
            { name: 'http-80', protocol: 'HTTP', port: 80, hostname: 'bookinfo.example.com' },
          ],
        },
      },
      {
        apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'public-http-80-redirect', namespace: 'istio-ingress' },
        spec: {
          parentRefs: [{ name: 'public', sectionName: 'http-80' }],
          hostnames: ['bookinfo.example.com'],
          rules: [{ filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }] }],
        },
      },
      {
        apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'public-bookinfo-example-com', namespace: 'istio-ingress' },
        spec: {
          parentRefs: [{ name: 'public', sectionName: 'https-443' }],
          hostnames: ['bookinfo.example.com'],
          rules: [{ backendRefs: [{ name: 'productpage', namespace: 'bookinfo', port: 9080 }] }],
        },
      },
      {
        apiVersion: 'gateway.networking.k8s.io/v1beta1', kind: 'ReferenceGrant', metadata: { name: 'allow-httproute-from-istio-ingress', namespace: 'bookinfo' },
        spec: {
          from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'istio-ingress' }],
          to: [{ group: '', kind: 'Service', name: 'productpage' }],
        },
      },
    ]);
    expect(gw.api).toBe(TrafficApi.GATEWAY_API);
    expect(gw.redirectRoutes.length).toBe(1);
  });

  test('certificate Secret in another namespace: certificateRefs[].namespace and a ReferenceGrant there', () => {
    // GIVEN
    const chart = gwChart();
    // WHEN
    const gw = new IngressGateway(chart, 'public', {
      listeners: [Listener.https({ hostnames: ['bookinfo.example.com'], certificate: TlsCertificate.fromSecret('bookinfo-cert', { namespace: 'certs' }) })],
    });
    const docs = synthValid(chart);
    // THEN
    expect(findOne(docs, 'Gateway').spec.listeners[0].tls).toEqual({
      mode: 'Terminate', certificateRefs: [{ kind: 'Secret', name: 'bookinfo-cert', namespace: 'certs' }],
    });
    expect(findOne(docs, 'ReferenceGrant')).toEqual({
      apiVersion: 'gateway.networking.k8s.io/v1beta1', kind: 'ReferenceGrant', metadata: { name: 'allow-gateway-from-istio-ingress', namespace: 'certs' },
      spec: { from: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: 'istio-ingress' }], to: [{ group: '', kind: 'Secret', name: 'bookinfo-cert' }] },
    });
    expect(gw.referenceGrants.length).toBe(1);
  });

  test('TLS passthrough and TCP listeners; allowRoutesFrom names() admits the gateway namespace too; several hostnames -> one listener each', () => {
    // GIVEN
    const chart = gwChart();
    // WHEN
    new IngressGateway(chart, 'public', {
      allowRoutesFrom: RouteNamespaces.names('db'),
      listeners: [Listener.tlsPassthrough({ hostnames: ['db.example.com', 'db2.example.com'], port: 5443 }), Listener.tcp({ port: 9000 })],
    });
    // THEN
    const allowed = { namespaces: { from: 'Selector', selector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['istio-ingress', 'db'] }] } } };
    expect(findOne(synthValid(chart), 'Gateway').spec.listeners).toEqual([
      { name: 'tls-5443-0', protocol: 'TLS', port: 5443, hostname: 'db.example.com', tls: { mode: 'Passthrough' }, allowedRoutes: allowed },
      { name: 'tls-5443-1', protocol: 'TLS', port: 5443, hostname: 'db2.example.com', tls: { mode: 'Passthrough' }, allowedRoutes: allowed },
      { name: 'tcp-9000', protocol: 'TCP', port: 9000, allowedRoutes: allowed },
    ]);
  });

  test('identity: service account <name>-istio in the gateway namespace (istiod names the deployment and SA <name>-<class>)', () => {
    // GIVEN
    const chart = gwChart();
    // WHEN
    const gw = gateway(chart);
    const gw2 = new IngressGateway(chart, 'internal', { gatewayClassName: 'istio-internal', listeners: [Listener.http({})] });
    // THEN: pilot/pkg/config/kube/gatewaycommon/gateway_utils.go GetDefaultName = "<name>-<gatewayClassName>";
    // deploymentcontroller.go uses it for ServiceAccount unless gateway.istio.io/service-account is set.
    expect(gw.identity.toPrincipal()).toBe('cluster.local/ns/istio-ingress/sa/public-istio');
    expect(gw2.identity.toPrincipal()).toBe('cluster.local/ns/istio-ingress/sa/internal-istio-internal');
    expect(gw.identity.isIngressGateway).toBe(true);
  });

  test('ZeroTrustNamespace.allow({ from: [gw.identity] }) admits the gateway service account', () => {
    // GIVEN
    const app = Testing.app();
    const edge = new Chart(app, 'edge', { namespace: 'istio-ingress' });
    const bookinfo = new Chart(app, 'bookinfo', { namespace: 'bookinfo' });
    const gw = new IngressGateway(edge, 'public', { listeners: [Listener.http({})] });
    // WHEN
    new ZeroTrustNamespace(bookinfo, 'zt', { name: 'bookinfo' }).allow({ from: [gw.identity], to: { name: 'productpage', port: 9080 } });
    // THEN
    const policies = synthValid(bookinfo).filter(d => d.kind === 'AuthorizationPolicy' && d.spec.rules);
    expect(policies.map(p => p.spec.rules[0].from)).toEqual([[{ source: { principals: ['cluster.local/ns/istio-ingress/sa/public-istio'] } }]]);
  });

  test('expose with paths and a hostname on a wildcard listener', () => {
    // GIVEN
    const chart = gwChart();
    const gw = new IngressGateway(chart, 'public', { listeners: [Listener.http({ hostnames: ['*.example.com'] })] });
    // WHEN
    gw.expose({ service: { name: 'web', namespace: 'istio-ingress', port: 80 }, hostname: 'www.example.com', paths: [PathMatch.prefix('/app'), PathMatch.exact('/')] });
    // THEN
    expect(findOne(synthValid(chart), 'HTTPRoute').spec).toEqual({
      parentRefs: [{ name: 'public', sectionName: 'http-80' }],
      hostnames: ['www.example.com'],
      rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/app' } }, { path: { type: 'Exact', value: '/' } }], backendRefs: [{ name: 'web', port: 80 }] }],
    });
  });
});

describe('IngressGateway, Istio API', () => {
  test('HTTPS ingress with redirect: Gateway with the Helm selector, httpsRedirect server, VirtualService bound to the gateway', () => {
    // GIVEN
    const chart = gwChart();
    const gw = gateway(chart, { api: TrafficApi.ISTIO });
    // WHEN
    gw.expose({ service: PRODUCTPAGE, hostname: 'bookinfo.example.com' });
    // THEN
    expect(synthValid(chart)).toEqual([
      {
        apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'public', namespace: 'istio-ingress' },
        spec: {
          selector: { istio: 'ingress' },
          servers: [
            { port: { number: 443, name: 'https-443', protocol: 'HTTPS' }, hosts: ['./bookinfo.example.com'], tls: { mode: 'SIMPLE', credentialName: 'bookinfo-cert' } },
            { port: { number: 80, name: 'http-80', protocol: 'HTTP' }, hosts: ['bookinfo.example.com'], tls: { httpsRedirect: true } },
          ],
        },
      },
      {
        apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'public-bookinfo-example-com', namespace: 'istio-ingress' },
        spec: {
          hosts: ['bookinfo.example.com'], gateways: ['istio-ingress/public'],
          http: [{ route: [{ destination: { host: 'productpage.bookinfo.svc.cluster.local', port: { number: 9080 } } }] }],
        },
      },
    ]);
    expect(gw.identity).toEqual(Identity.ingressGateway());
  });

  test('TLS passthrough, TCP, allowRoutesFrom names()/ALL become the namespace part of servers[].hosts; selector and serviceAccount as given', () => {
    // GIVEN
    const chart = gwChart();
    // WHEN
    const gw = new IngressGateway(chart, 'public', {
      api: TrafficApi.ISTIO, selector: { istio: 'ingressgateway' }, serviceAccount: 'istio-ingressgateway-service-account',
      allowRoutesFrom: RouteNamespaces.names('db'),
      listeners: [Listener.tlsPassthrough({ hostnames: ['db.example.com'], port: 5443 }), Listener.tcp({ port: 9000 })],
    });
    new IngressGateway(chart, 'all', { api: TrafficApi.ISTIO, allowRoutesFrom: RouteNamespaces.ALL, listeners: [Listener.http({})] });
    // THEN
    const docs = synthValid(chart);
    expect(findOne(docs, 'Gateway', 'public').spec).toEqual({
      selector: { istio: 'ingressgateway' },
      servers: [
        { port: { number: 5443, name: 'tls-5443', protocol: 'TLS' }, hosts: ['./db.example.com', 'db/db.example.com'], tls: { mode: 'PASSTHROUGH' } },
        { port: { number: 9000, name: 'tcp-9000', protocol: 'TCP' }, hosts: ['./*', 'db/*'] },
      ],
    });
    expect(findOne(docs, 'Gateway', 'all').spec.servers[0].hosts).toEqual(['*']);
    expect(gw.identity.toPrincipal()).toBe('cluster.local/ns/istio-ingress/sa/istio-ingressgateway-service-account');
  });
});

describe('IngressGateway, bad input', () => {
  const listenerCases: Array<[string, () => Listener[], RegExp]> = [
    ['an HTTPS listener without a certificate', () => [Listener.https({ hostnames: ['a.example.com'] } as any)],
      /^IngressGateway edge\/public: listeners\[0\]\.certificate must be a TlsCertificate \(TlsCertificate\.fromSecret\('<kubernetes\.io\/tls Secret>'\)\): an HTTPS listener terminates TLS and needs a server certificate, got undefined$/],
    ['two listeners with the same port and overlapping hostnames', () => [
      Listener.http({ hostnames: ['*.example.com'] }), Listener.http({ hostnames: ['www.example.com'], name: 'www' })],
    /^IngressGateway edge\/public: listeners\[1\] and listeners\[0\] both serve "www\.example\.com" on port 80; listeners on one port must have disjoint hostnames \(the gateway could not tell them apart\)$/],
    ['HTTP and HTTPS on one port', () => [Listener.http({ port: 8443 }), Listener.https({ port: 8443, certificate: TlsCertificate.fromSecret('c') })],
      /^IngressGateway edge\/public: listeners\[1\] \(HTTPS\) and listeners\[0\] \(HTTP\) both use port 8443; HTTPS and HTTP cannot share a port: use another port$/],
    ['a hostname that is not a DNS name', () => [Listener.http({ hostnames: ['bad_host'] })],
      /^IngressGateway edge\/public: listeners\[0\]\.hostnames\[0\] must be a lowercase DNS name with at least one dot, optionally starting with "\*\." \(e\.g\. "api\.example\.com"\), got "bad_host"$/],
    ['a wildcard that is not a single leading label', () => [Listener.http({ hostnames: ['a.*.example.com'] })],
      /listeners\[0\]\.hostnames\[0\] must be a lowercase DNS name with at least one dot, optionally starting with "\*\." \(e\.g\. "api\.example\.com"\), got "a\.\*\.example\.com"$/],
    ['redirectToHttps on an HTTPS listener', () => [Listener.https({ certificate: TlsCertificate.fromSecret('c'), redirectToHttps: true } as any)],
      /^IngressGateway edge\/public: listeners\[0\]\.redirectToHttps must be unset on an HTTPS listener \(it already serves HTTPS\); set it on a Listener\.http\(\) listener, got true$/],
    ['redirectToHttps without an HTTPS listener', () => [Listener.http({ redirectToHttps: true })],
      /^IngressGateway edge\/public: listeners\[0\]\.redirectToHttps needs an HTTPS listener serving any hostname \(the redirect would lead nowhere\)$/],
    ['a TCP listener with hostnames', () => [Listener.tcp({ port: 9000, hostnames: ['db.example.com'] } as any)],
      /^IngressGateway edge\/public: listeners\[0\]\.hostnames must be unset on a TCP listener: TCP carries no hostname, the listener is selected by its port alone \(use Listener\.tlsPassthrough\(\) to route by SNI\), got \["db\.example\.com"\]$/],
    ['no listeners', () => [], /^IngressGateway edge\/public: listeners must be a list of 1\.\.64 Listener, got \[\]$/],
    ['duplicate listener names', () => [Listener.http({ name: 'web' }), Listener.http({ name: 'web', port: 8080 })],
      /^IngressGateway edge\/public: listeners\[1\]\.name must be a name no other listener has \(listeners\[0\] is "web" too\), got "web"$/],
  ];
  test.each(listenerCases)('%s', (_name, listeners, message) => {
    expect(() => new IngressGateway(gwChart(), 'public', { listeners: listeners() })).toThrow(message);
  });

  test('a route whose hostname no listener serves', () => {
    const gw = gateway(gwChart());
    expect(() => gw.expose({ service: PRODUCTPAGE, hostname: 'other.example.com' })).toThrow(
      /^IngressGateway edge\/public: expose\(\)\.hostname must be a hostname that an HTTP or HTTPS listener of gateway istio-ingress\/public serves \(bookinfo\.example\.com\), got "other\.example\.com"$/);
  });

  test('allowRoutesFrom that excludes a route the app binds: synth fails naming both', () => {
    // GIVEN
    const app = Testing.app();
    const chart = new Chart(app, 'edge', { namespace: 'istio-ingress' });
    gateway(chart);
    new ApiObject(chart, 'raw', {
      apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'shop', namespace: 'shop' },
      spec: { parentRefs: [{ name: 'public', namespace: 'istio-ingress', sectionName: 'https-443' }], hostnames: ['bookinfo.example.com'], rules: [{ backendRefs: [{ name: 'web', port: 80 }] }] },
    });
    // THEN
    expect(() => app.synth()).toThrow(/IngressGateway edge\/public: allowRoutesFrom RouteNamespaces\.SAME does not admit HTTPRoute shop\/shop of Chart edge \(namespace "shop"\): the gateway would ignore the route; admit the namespace \(e\.g\. RouteNamespaces\.names\("shop"\)\) or move the route to namespace "istio-ingress"/);
  });

  test('a CanaryRoute of another namespace bound to the gateway: synth fails naming the gateway and the route', () => {
    const app = Testing.app();
    gateway(new Chart(app, 'edge', { namespace: 'istio-ingress' }));
    const shop = new Chart(app, 'shop', { namespace: 'shop' });
    new CanaryRoute(shop, 'reviews', {
      service: { name: 'reviews', port: 9080 }, stableVersion: 'v1', canaryVersion: 'v2', canaryWeight: 10, api: TrafficApi.GATEWAY_API,
      ingress: { gateway: { name: 'public', namespace: 'istio-ingress', sectionName: 'https-443' }, hostnames: ['bookinfo.example.com'] },
    });
    expect(() => app.synth()).toThrow(/IngressGateway edge\/public: allowRoutesFrom RouteNamespaces\.SAME does not admit HTTPRoute shop\/reviews-ingress of CanaryRoute shop\/reviews \(namespace "shop"\)/);
  });

  test('a route of the gateway namespace without sectionName attaches to the redirecting listener', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'edge', { namespace: 'istio-ingress' });
    gateway(chart);
    new ApiObject(chart, 'raw', {
      apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'web' },
      spec: { parentRefs: [{ name: 'public' }], rules: [{ backendRefs: [{ name: 'web', port: 80 }] }] },
    });
    expect(() => app.synth()).toThrow(/IngressGateway edge\/public: HTTPRoute istio-ingress\/web of Chart edge attaches to listener "http-80", which redirects every request to HTTPS, because its parentRef has no sectionName; bind it to the HTTPS listener/);
  });

  test.each([
    [{ api: TrafficApi.GATEWAY_API, selector: { istio: 'ingress' } }, /selector must be unset with TrafficApi\.GATEWAY_API \(istiod deploys the pods of a Gateway API Gateway\), got \{"istio":"ingress"\}/],
    [{ api: TrafficApi.ISTIO, gatewayClassName: 'istio' }, /gatewayClassName must be unset with TrafficApi\.ISTIO/],
    [{ api: TrafficApi.ISTIO, allowRoutesFrom: RouteNamespaces.selector({ team: 'a' }) }, /allowRoutesFrom must be RouteNamespaces\.SAME, ALL or names\(\.\.\.\) with TrafficApi\.ISTIO \(an Istio Gateway restricts routes by namespace name in servers\[\]\.hosts, not by labels\), got "RouteNamespaces\.selector\(\{\\"team\\":\\"a\\"\}\)"/],
  ] as Array<[Partial<IngressGatewayProps>, RegExp]>)('api-specific props: %j', (props, message) => {
    expect(() => gateway(gwChart(), props)).toThrow(message);
  });

  test('Istio API: a certificate Secret in another namespace', () => {
    expect(() => new IngressGateway(gwChart(), 'public', {
      api: TrafficApi.ISTIO,
      listeners: [Listener.https({ certificate: TlsCertificate.fromSecret('c', { namespace: 'certs' }) })],
    })).toThrow(/^IngressGateway edge\/public: listeners\[0\]\.certificate\.namespace must be the gateway's namespace "istio-ingress" with TrafficApi\.ISTIO \(credentialName is read from the gateway pods' namespace, pilot\/pkg\/model\/credentials\/resource\.go\); copy the Secret there or use TrafficApi\.GATEWAY_API, which emits a ReferenceGrant, got "certs"$/);
  });

  test('two gateways with one name', () => {
    const chart = gwChart();
    gateway(chart);
    expect(() => new IngressGateway(chart, 'other', { name: 'public', listeners: [Listener.http({})] }))
      .toThrow(/^IngressGateway edge\/other: gateway istio-ingress\/public is already declared by IngressGateway edge\/public; name each gateway once$/);
  });
});

describe('IngressGateway through the simulator', () => {
  test.each([TrafficApi.GATEWAY_API, TrafficApi.ISTIO])('%s: HTTP is redirected to HTTPS (301); HTTPS reaches productpage in bookinfo; another host is not routed', (api) => {
    const chart = gwChart();
    const gw = gateway(chart, { api });
    gw.expose({ service: PRODUCTPAGE, hostname: 'bookinfo.example.com' });
    const mesh = MeshSimulation.fromManifests([...synthValid(chart), serviceDoc('bookinfo', 'productpage', 9080)]);
    const via = { gateway: 'istio-ingress/public' };
    const http = mesh.request({ via, to: { host: 'bookinfo.example.com', port: 80 }, path: '/productpage' });
    const https = mesh.request({ via, to: { host: 'bookinfo.example.com', port: 443 }, path: '/productpage' });
    const other = mesh.request({ via, to: { host: 'other.example.com', port: 443 } });
    expect([http.route?.redirect, http.route?.backends]).toEqual([{ scheme: 'https', statusCode: 301 }, []]);
    expect([https.allowed, https.route?.backends]).toEqual([true, [{ host: 'productpage.bookinfo.svc.cluster.local', port: 9080, percent: 100 }]]);
    expect([other.allowed, other.route]).toEqual([false, undefined]);
  });

  test('Gateway API: the cross-namespace backend is reached because of the ReferenceGrant; without it the request fails', () => {
    const chart = gwChart();
    gateway(chart).expose({ service: PRODUCTPAGE, hostname: 'bookinfo.example.com' });
    const docs = [...synthValid(chart), serviceDoc('bookinfo', 'productpage', 9080)];
    const req = { via: { gateway: 'istio-ingress/public' }, to: { host: 'bookinfo.example.com', port: 443 } };
    const withGrant = MeshSimulation.fromManifests(docs).request(req);
    const without = MeshSimulation.fromManifests(docs.filter((d: any) => d.kind !== 'ReferenceGrant')).request(req);
    expect([withGrant.allowed, withGrant.route?.backends.map(b => b.host)]).toEqual([true, ['productpage.bookinfo.svc.cluster.local']]);
    expect([without.allowed, without.route, without.decision.reason]).toEqual([false, undefined,
      'HTTPRoute istio-ingress/public-bookinfo-example-com sends to Service bookinfo/productpage in another namespace and no ReferenceGrant in bookinfo admits HTTPRoutes of istio-ingress: istiod drops the backend, the request fails with 500']);
  });

  test('expose with paths: /productpage and /static reach productpage, / is not routed (404)', () => {
    const chart = gwChart();
    const gw = gateway(chart);
    gw.expose({ service: PRODUCTPAGE, hostname: 'bookinfo.example.com', paths: [PathMatch.exact('/productpage'), PathMatch.prefix('/static')] });
    const mesh = MeshSimulation.fromManifests([...synthValid(chart), serviceDoc('bookinfo', 'productpage', 9080)]);
    const at = (path: string) => mesh.request({ via: { gateway: 'istio-ingress/public' }, to: { host: 'bookinfo.example.com', port: 443 }, path }).allowed;
    expect([at('/productpage'), at('/static/app.css'), at('/'), at('/productpage/x')]).toEqual([true, true, false, false]);
  });
});
