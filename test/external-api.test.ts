import { Chart, Duration } from 'cdk8s';
import { EgressMode } from '../lib/egress';
import { ExternalApi } from '../lib/external-api';
import { ExternalProtocol, ExternalResolution } from '../lib/external/types';
import { MeshContext, MeshError, MeshSimulation } from '../lib';
import { findOne, synthValid, testChart } from './util';
import { AppRuntime } from '../lib/app/runtime';

// Direct egress from sidecars: https://istio.io/latest/docs/tasks/traffic-management/egress/egress-control/
// TLS origination: https://istio.io/latest/docs/tasks/traffic-management/egress/egress-tls-origination/
// (ServiceEntry port 80 -> targetPort 443; DestinationRule portLevelSettings on port 80, mode SIMPLE).

const SE_META = { name: 'api-stripe-com', namespace: 'shop' };

function serviceEntry(ports: unknown[], extra: Record<string, unknown> = {}): unknown {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'ServiceEntry',
    metadata: SE_META,
    spec: { hosts: ['api.stripe.com'], exportTo: ['.'], location: 'MESH_EXTERNAL', resolution: 'DNS', ports, ...extra },
  };
}

describe('ExternalApi: direct egress (sidecar)', () => {
  test('HTTPS passthrough: one ServiceEntry, MESH_EXTERNAL, resolution DNS (not Istio\'s NONE default), explicit port 443', () => {
    // GIVEN
    const { chart } = testChart();
    // WHEN
    const api = new ExternalApi(chart, 'stripe', { host: 'api.stripe.com' });
    // THEN
    expect(synthValid(chart)).toEqual([serviceEntry([{ number: 443, name: 'https', protocol: 'HTTPS' }])]);
    expect(api.name).toBe('api-stripe-com');
    expect(api.namespace).toBe('shop');
    expect(api.port).toBe(443);
    expect(api.appPort).toBe(443);
    expect(api.protocol).toBe(ExternalProtocol.HTTPS);
    expect(api.resolution).toBe(ExternalResolution.DNS);
    expect(api.tlsOrigination).toBe(false);
    expect(api.egress.mode).toBe(EgressMode.DIRECT);
    expect(api.exportTo).toEqual(['.']);
    expect(api.destinationRule).toBeUndefined();
    expect(api.virtualService).toBeUndefined();
  });

  test('TLS origination: the app calls port 80, ServiceEntry maps it to targetPort 443, DestinationRule originates SIMPLE TLS with sni on the SERVICE port 80', () => {
    // GIVEN
    const { chart } = testChart();
    // WHEN
    const api = new ExternalApi(chart, 'stripe', { host: 'api.stripe.com', tlsOrigination: true });
    // THEN
    expect(synthValid(chart)).toEqual([
      serviceEntry([{ number: 80, name: 'http', protocol: 'HTTP', targetPort: 443 }]),
      {
        apiVersion: 'networking.istio.io/v1',
        kind: 'DestinationRule',
        metadata: SE_META,
        spec: {
          host: 'api.stripe.com',
          exportTo: ['.'],
          trafficPolicy: { portLevelSettings: [{ port: { number: 80 }, tls: { mode: 'SIMPLE', sni: 'api.stripe.com' } }] },
        },
      },
    ]);
    expect(api.protocol).toBe(ExternalProtocol.HTTP);
    expect(api.appPort).toBe(80);
  });

  test('TLS origination on other ports: appPort 8080 -> targetPort 8443, TLS keyed on 8080', () => {
    // GIVEN
    const { chart } = testChart();
    // WHEN
    new ExternalApi(chart, 'stripe', { host: 'api.stripe.com', tlsOrigination: true, appPort: 8080, port: 8443 });
    // THEN
    const docs = synthValid(chart);
    expect(findOne(docs, 'ServiceEntry').spec.ports).toEqual([{ number: 8080, name: 'http', protocol: 'HTTP', targetPort: 8443 }]);
    expect(findOne(docs, 'DestinationRule').spec.trafficPolicy.portLevelSettings)
      .toEqual([{ port: { number: 8080 }, tls: { mode: 'SIMPLE', sni: 'api.stripe.com' } }]);
  });

  test('timeout and retries: a VirtualService (implicit mesh gateway) on the port the app calls; attempts counts retries', () => {
    // GIVEN
    const { chart } = testChart();
    // WHEN
    const api = new ExternalApi(chart, 'stripe', {
      host: 'api.stripe.com',
      tlsOrigination: true,
      timeout: Duration.seconds(5),
      retries: { attempts: 2, perTryTimeout: Duration.seconds(2), retryOn: ['connect-failure', 'gateway-error'] },
    });
    // THEN
    const docs = synthValid(chart);
    expect(docs.map(d => d.kind)).toEqual(['ServiceEntry', 'DestinationRule', 'VirtualService']);
    expect(findOne(docs, 'VirtualService')).toEqual({
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: SE_META,
      spec: {
        hosts: ['api.stripe.com'],
        exportTo: ['.'],
        http: [{
          timeout: '5s',
          retries: { attempts: 2, perTryTimeout: '2s', retryOn: 'connect-failure,gateway-error' },
          route: [{ destination: { host: 'api.stripe.com', port: { number: 80 } } }],
        }],
      },
    });
    expect(api.virtualService).toBeDefined();
  });

  test('plain HTTP API with a timeout: VirtualService on port 80, no DestinationRule', () => {
    // GIVEN
    const { chart } = testChart();
    // WHEN
    new ExternalApi(chart, 'legacy', { host: 'legacy.example.com', port: 80, protocol: ExternalProtocol.HTTP, timeout: Duration.millis(1500) });
    // THEN
    const docs = synthValid(chart);
    expect(docs.map(d => d.kind)).toEqual(['ServiceEntry', 'VirtualService']);
    expect(findOne(docs, 'ServiceEntry').spec.ports).toEqual([{ number: 80, name: 'http', protocol: 'HTTP' }]);
    expect(findOne(docs, 'VirtualService').spec.http).toEqual([{
      timeout: '1s500ms',
      route: [{ destination: { host: 'legacy.example.com', port: { number: 80 } } }],
    }]);
  });

  // Port-level settings do not inherit destination-level ones, so with TLS origination (one port)
  // the limits sit in that port's entry next to the TLS settings:
  // https://istio.io/latest/docs/reference/config/networking/destination-rule/#TrafficPolicy
  test('circuitBreaker: DestinationRule connectionPool from the shared CircuitBreaker vocabulary, in the TLS port\'s entry', () => {
    // GIVEN
    const { chart } = testChart();
    // WHEN
    new ExternalApi(chart, 'stripe', {
      host: 'api.stripe.com',
      tlsOrigination: true,
      circuitBreaker: { maxConnections: 50, maxPendingRequests: 10, connectTimeout: Duration.seconds(1) },
    });
    // THEN
    expect(findOne(synthValid(chart), 'DestinationRule').spec).toEqual({
      host: 'api.stripe.com',
      exportTo: ['.'],
      trafficPolicy: {
        portLevelSettings: [{
          port: { number: 80 },
          connectionPool: { tcp: { maxConnections: 50, connectTimeout: '1s' }, http: { http1MaxPendingRequests: 10 } },
          tls: { mode: 'SIMPLE', sni: 'api.stripe.com' },
        }],
      },
    });
  });

  test('circuitBreaker with HTTP-only limits on an HTTPS API: emitted, with a warning that only TCP limits apply', () => {
    // GIVEN
    const { app, chart } = testChart();
    // WHEN
    new ExternalApi(chart, 'stripe', { host: 'api.stripe.com', circuitBreaker: { maxConnections: 5, maxPendingRequests: 1 } });
    // THEN
    expect(findOne(synthValid(chart), 'DestinationRule').spec.trafficPolicy).toEqual({
      connectionPool: { tcp: { maxConnections: 5 }, http: { http1MaxPendingRequests: 1 } },
    });
    expect(MeshContext.of(app).warnings).toEqual([{
      path: 'test/stripe',
      message: 'ExternalApi test/stripe: circuitBreaker: http1MaxPendingRequests apply to HTTP only; '
        + 'the app sends HTTPS, so only maxConnections and connectTimeout take effect',
    }]);
  });

  test('namespace prop places every object there; exportTo names extra client namespaces', () => {
    // GIVEN
    const { app, chart } = testChart(null);
    // WHEN
    const api = new ExternalApi(chart, 'stripe', { host: 'api.stripe.com', namespace: 'payments', exportTo: ['.', 'shop'] });
    // THEN
    expect(synthValid(chart)).toEqual([{
      apiVersion: 'networking.istio.io/v1',
      kind: 'ServiceEntry',
      metadata: { name: 'api-stripe-com', namespace: 'payments' },
      spec: {
        hosts: ['api.stripe.com'], exportTo: ['.', 'shop'], location: 'MESH_EXTERNAL', resolution: 'DNS',
        ports: [{ number: 443, name: 'https', protocol: 'HTTPS' }],
      },
    }]);
    // ZeroTrustNamespace egress scoping of both client namespaces lists payments/api.stripe.com
    const ctx = AppRuntime.of(app);
    expect(ctx.externalHosts('payments')).toEqual([{ host: 'api.stripe.com', namespace: 'payments', construct: api }]);
    expect(ctx.externalHosts('shop')).toEqual([{ host: 'api.stripe.com', namespace: 'payments', construct: api }]);
  });

  test('wildcard host with resolution NONE: allowed for direct egress, named wildcard-...', () => {
    // GIVEN
    const { chart } = testChart();
    // WHEN
    new ExternalApi(chart, 'google', { host: '*.googleapis.com', resolution: ExternalResolution.NONE });
    // THEN
    expect(synthValid(chart)).toEqual([{
      apiVersion: 'networking.istio.io/v1',
      kind: 'ServiceEntry',
      metadata: { name: 'wildcard-googleapis-com', namespace: 'shop' },
      spec: {
        hosts: ['*.googleapis.com'], exportTo: ['.'], location: 'MESH_EXTERNAL', resolution: 'NONE',
        ports: [{ number: 443, name: 'https', protocol: 'HTTPS' }],
      },
    }]);
  });

  test('TCP API and an explicit name', () => {
    // GIVEN
    const { chart } = testChart();
    // WHEN
    new ExternalApi(chart, 'db', { host: 'db.example.com', name: 'managed-db', port: 5432, protocol: ExternalProtocol.TCP });
    // THEN
    const se = findOne(synthValid(chart), 'ServiceEntry');
    expect(se.metadata.name).toBe('managed-db');
    expect(se.spec.ports).toEqual([{ number: 5432, name: 'tcp', protocol: 'TCP' }]);
  });

  test('synthesizing twice gives identical output', () => {
    // GIVEN
    const { chart } = testChart();
    new ExternalApi(chart, 'stripe', {
      host: 'api.stripe.com', tlsOrigination: true, timeout: Duration.seconds(5), retries: { attempts: 1 }, circuitBreaker: { maxConnections: 3 },
    });
    // WHEN
    const first = synthValid(chart);
    const second = synthValid(chart);
    // THEN
    expect(second).toEqual(first);
  });
});

describe('ExternalApi: bad input', () => {
  const make = (props: Record<string, unknown>, chart: Chart = testChart().chart) =>
    () => new ExternalApi(chart, 'api', { host: 'api.stripe.com', ...props } as any);

  test('wildcard host with DNS resolution', () => {
    expect(make({ host: '*.stripe.com' })).toThrow(MeshError);
    expect(make({ host: '*.stripe.com' })).toThrow('ExternalApi test/api: host "*.stripe.com" is a wildcard, which Istio rejects with resolution DNS; '
      + 'set resolution: ExternalResolution.NONE (direct egress only) or name the exact host');
  });

  test.each([['API.Stripe.com'], ['localhost'], ['https://api.stripe.com'], ['api..stripe.com'], [''], [42], ['*']])('host that is not a DNS name: %p', host => {
    expect(make({ host })).toThrow(`ExternalApi test/api: host must be a lowercase DNS name with at least one dot, optionally starting with "*." (e.g. "api.example.com"), got ${JSON.stringify(host)}`);
  });

  test.each([['10.0.0.1'], ['api.example.123']])('host with an all-digit top-level domain (an IP address): %p', host => {
    expect(make({ host })).toThrow(`ExternalApi test/api: host must be a DNS name whose top-level domain is not all digits (Istio rejects it; `
      + `an IP address is not a host: use a ServiceEntry with addresses), got ${JSON.stringify(host)}`);
  });

  test('TLS origination with a non-HTTP protocol', () => {
    expect(make({ tlsOrigination: true, protocol: ExternalProtocol.HTTPS }))
      .toThrow('ExternalApi test/api: tlsOrigination needs protocol HTTP (the app sends plain HTTP and the mesh adds TLS), got "HTTPS"');
    expect(make({ tlsOrigination: true, protocol: ExternalProtocol.TCP })).toThrow(/tlsOrigination needs protocol HTTP .*got "TCP"/);
  });

  test('TLS origination with resolution NONE', () => {
    expect(make({ tlsOrigination: true, resolution: ExternalResolution.NONE }))
      .toThrow('ExternalApi test/api: tlsOrigination needs resolution DNS: with NONE the proxy keeps the port the app called and cannot map it to the TLS port');
  });

  test('appPort without TLS origination, and appPort equal to port', () => {
    expect(make({ appPort: 80 }))
      .toThrow('ExternalApi test/api: appPort must be unset unless tlsOrigination is true (the app then calls the API port itself), got 80');
    expect(make({ tlsOrigination: true, appPort: 443 }))
      .toThrow('ExternalApi test/api: appPort must be a port other than port (443): the app calls appPort in clear, the mesh calls port with TLS, got 443');
  });

  test('timeout or retries on traffic the mesh cannot read (HTTPS/TLS/TCP from the app)', () => {
    expect(make({ timeout: Duration.seconds(5) })).toThrow('ExternalApi test/api: timeout needs HTTP the mesh can read, but the app sends HTTPS '
      + '(opaque to the proxies); set tlsOrigination: true and let the app call http://api.stripe.com, or drop timeout');
    expect(make({ retries: { attempts: 2 }, protocol: ExternalProtocol.TCP, port: 5432 }))
      .toThrow(/retries needs HTTP the mesh can read, but the app sends TCP/);
  });

  test('invalid timeout and retries are reported with the prop path', () => {
    expect(make({ tlsOrigination: true, timeout: Duration.millis(0.5) })).toThrow(/timeout must be a whole number of milliseconds, at least 1ms/);
    expect(make({ tlsOrigination: true, retries: { attempts: -1 } })).toThrow('ExternalApi test/api: retries.attempts must be an integer 0..2147483647, got -1');
    expect(make({ circuitBreaker: {} })).toThrow(/circuitBreaker must be a CircuitBreaker with at least one limit set/);
  });

  test.each([
    [[], 'a non-empty list of "." (this namespace), "*" (all namespaces, alone) or namespace names, without duplicates'],
    [['~'], '"." (this namespace), "*" (all namespaces, alone) or namespace names, without duplicates; "~" would hide the API from its own clients'],
    [['*', '.'], '"." (this namespace), "*" (all namespaces, alone) or namespace names, without duplicates; "*" cannot be combined with other values'],
    [['.', 'shop'], '"." (this namespace), "*" (all namespaces, alone) or namespace names, without duplicates ("." is namespace "shop")'],
    [['.', '.'], '"." (this namespace), "*" (all namespaces, alone) or namespace names, without duplicates ("." is namespace "shop")'],
    [['Not_A_Namespace'], '"." (this namespace), "*" (all namespaces, alone) or namespace names, without duplicates'],
    ['.', 'a non-empty list of "." (this namespace), "*" (all namespaces, alone) or namespace names, without duplicates'],
  ])('exportTo values Istio rejects: %p', (exportTo, allowed) => {
    expect(make({ exportTo })).toThrow(`ExternalApi test/api: exportTo must be ${allowed}, got ${JSON.stringify(exportTo)}`);
  });

  test('name that is not a DNS-1123 label (explicit or derived from a long host)', () => {
    expect(make({ name: 'Stripe' })).toThrow(/ExternalApi test\/api: name must be a DNS-1123 label .*got "Stripe"/);
    const long = `${'a'.repeat(60)}.example.com`;
    expect(make({ host: long })).toThrow(`got "${'a'.repeat(60)}-example-com"`);
  });

  test('bad protocol, resolution, port, tlsOrigination, egress and props', () => {
    expect(make({ protocol: 'HTTP3' })).toThrow('ExternalApi test/api: protocol must be one of HTTP, HTTPS, TLS, TCP, got "HTTP3"');
    expect(make({ resolution: 'STATIC' })).toThrow('ExternalApi test/api: resolution must be one of DNS, NONE, got "STATIC"');
    expect(make({ port: 70000 })).toThrow('ExternalApi test/api: port must be an integer 1..65535, got 70000');
    expect(make({ tlsOrigination: 'yes' })).toThrow('ExternalApi test/api: tlsOrigination must be true or false, got "yes"');
    expect(make({ egress: 'gateway' })).toThrow('ExternalApi test/api: egress must be Egress.direct(), Egress.gateway({ namespace, selector }) '
      + 'or Egress.waypoint({ namespace, name }), got "gateway"');
    expect(() => new ExternalApi(testChart().chart, 'api', undefined as any))
      .toThrow('ExternalApi test/api: props must be an ExternalApiProps object with at least host, got undefined');
  });

  test('a chart without namespace needs the namespace prop', () => {
    expect(make({}, testChart(null).chart)).toThrow('ExternalApi test/api: namespace must be set, because the chart has no namespace, got undefined');
    expect(make({ namespace: 'Shop' })).toThrow(/namespace must be a DNS-1123 label/);
  });

  test('the same host twice in one namespace is a conflict naming both constructs', () => {
    // GIVEN
    const { chart } = testChart();
    new ExternalApi(chart, 'first', { host: 'api.stripe.com' });
    // WHEN / THEN
    expect(() => new ExternalApi(chart, 'second', { host: 'api.stripe.com', tlsOrigination: true }))
      .toThrow('ExternalApi test/second: host "api.stripe.com" in namespace "shop" is already declared by ExternalApi test/first; '
        + 'declare each external host once per namespace (use exportTo to share it)');
    // the same host in another namespace is fine
    new ExternalApi(chart, 'elsewhere', { host: 'api.stripe.com', namespace: 'payments' });
    expect(synthValid(chart)).toHaveLength(2);
  });
});

describe('ExternalApi through the simulator', () => {
  const FROM = { namespace: 'shop', serviceAccount: 'checkout' };

  test('HTTPS passthrough: a TLS connection to api.stripe.com:443 leaves the mesh by the ServiceEntry; no destination policy applies', () => {
    const { chart } = testChart();
    new ExternalApi(chart, 'stripe', { host: 'api.stripe.com' });
    const r = MeshSimulation.fromManifests(synthValid(chart)).request({ from: FROM, to: { host: 'api.stripe.com', port: 443 } });
    expect([r.allowed, r.route?.resource, r.route?.protocol, r.route?.backends, r.decision.enforcedAt]).toEqual([
      true, 'ServiceEntry shop/api-stripe-com', 'TLS', [{ host: 'api.stripe.com', port: 443, percent: 100 }], 'none']);
  });

  test('TLS origination with timeout and retries: the app\'s plain HTTP call on port 80 gets 5 s and 2 retries of 2 s', () => {
    const { chart } = testChart();
    new ExternalApi(chart, 'stripe', {
      host: 'api.stripe.com', tlsOrigination: true, timeout: Duration.seconds(5),
      retries: { attempts: 2, perTryTimeout: Duration.seconds(2), retryOn: ['connect-failure', 'gateway-error'] },
    });
    const r = MeshSimulation.fromManifests(synthValid(chart)).request({ from: FROM, to: { host: 'api.stripe.com', port: 80 }, method: 'POST', path: '/v1/charges' });
    expect([r.allowed, r.route?.resource, r.route?.protocol, r.route?.timeoutMs, r.route?.retries]).toEqual([
      true, 'VirtualService shop/api-stripe-com', undefined, 5000, { attempts: 2, perTryTimeoutMs: 2000, retryOn: 'connect-failure,gateway-error' }]);
  });

  test('plain HTTP API with a timeout: the call on port 80 gets 1.5 s and Istio\'s default retries', () => {
    const { chart } = testChart();
    new ExternalApi(chart, 'legacy', { host: 'legacy.example.com', port: 80, protocol: ExternalProtocol.HTTP, timeout: Duration.millis(1500) });
    const r = MeshSimulation.fromManifests(synthValid(chart)).request({ from: FROM, to: { host: 'legacy.example.com', port: 80 } });
    expect([r.allowed, r.route?.resource, r.route?.timeoutMs, r.route?.retries.attempts, r.route?.backends]).toEqual([
      true, 'VirtualService shop/legacy-example-com', 1500, 2, [{ host: 'legacy.example.com', port: 80, percent: 100 }]]);
  });
});
