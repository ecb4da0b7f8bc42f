import { Duration, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { AmbientNamespace } from '../lib/ambient-namespace';
import { Egress, EgressMode } from '../lib/egress';
import { ExternalApi } from '../lib/external-api';
import { EgressWaypoint } from '../lib/egress-waypoint';
import { ExternalProtocol, ExternalResolution } from '../lib/external/types';
import { DataplaneMode, GatewayApiChannel, MeshContext, MeshError } from '../lib';
import { formatDiagnostic, validateManifests } from '../lib/tools';
import { findAll, findOne, synthValid, testChart } from './util';
import { AppRuntime } from '../lib/app/runtime';

const EGRESS_GW = { namespace: 'istio-system', selector: { istio: 'egressgateway' } };
const GW_HOST = 'istio-egressgateway.istio-system.svc.cluster.local';
const META = { name: 'api-payments-example-com', namespace: 'shop' };
const HOST = 'api.payments.example.com';

describe('Egress factories', () => {
  test('direct, gateway and waypoint carry their mode and options', () => {
    expect(Egress.direct().mode).toBe(EgressMode.DIRECT);
    const gw = Egress.gateway(EGRESS_GW);
    expect(gw.mode).toBe(EgressMode.GATEWAY);
    expect(gw.gatewayOptions).toEqual(EGRESS_GW);
    const wp = Egress.waypoint({ namespace: 'istio-egress', name: 'egress-waypoint' });
    expect(wp.mode).toBe(EgressMode.WAYPOINT);
    expect(wp.waypointRef).toEqual({ namespace: 'istio-egress', name: 'egress-waypoint' });
  });
});

// Istio egress gateway with TLS origination, after
// https://istio.io/latest/docs/tasks/traffic-management/egress/egress-gateway-tls-origination/
// (Gateway HTTPS + ISTIO_MUTUAL on 80, subset DR with sni, VS bound to mesh and the gateway, DR SIMPLE on 443).
describe('ExternalApi through an Istio egress gateway (sidecar clients)', () => {
  test('with TLS origination at the gateway: the full composition, objects in the client namespace exported to the gateway namespace', () => {
    // GIVEN
    const { chart } = testChart();
    // WHEN
    const api = new ExternalApi(chart, 'payments', {
      host: HOST,
      tlsOrigination: true,
      timeout: Duration.seconds(5),
      retries: { attempts: 3, perTryTimeout: Duration.seconds(2) },
      egress: Egress.gateway(EGRESS_GW),
    });
    // THEN
    const exportTo = ['.', 'istio-system'];
    expect(synthValid(chart)).toEqual([
      {
        apiVersion: 'networking.istio.io/v1',
        kind: 'ServiceEntry',
        metadata: META,
        spec: {
          hosts: [HOST], exportTo, location: 'MESH_EXTERNAL', resolution: 'DNS',
          ports: [{ number: 80, name: 'http', protocol: 'HTTP' }, { number: 443, name: 'https', protocol: 'HTTPS' }],
        },
      },
      {
        apiVersion: 'networking.istio.io/v1',
        kind: 'Gateway',
        metadata: { name: 'api-payments-example-com', namespace: 'istio-system' },
        spec: {
          selector: { istio: 'egressgateway' },
          servers: [{
            port: { number: 80, name: 'https', protocol: 'HTTPS' },
            hosts: ['shop/api.payments.example.com'],
            tls: { mode: 'ISTIO_MUTUAL' },
          }],
        },
      },
      {
        apiVersion: 'networking.istio.io/v1',
        kind: 'DestinationRule',
        metadata: { name: 'istio-egressgateway-istio-system', namespace: 'shop' },
        spec: {
          host: GW_HOST,
          exportTo,
          subsets: [{
            name: 'api-payments-example-com',
            trafficPolicy: { portLevelSettings: [{ port: { number: 80 }, tls: { mode: 'ISTIO_MUTUAL', sni: HOST } }] },
          }],
        },
      },
      {
        apiVersion: 'networking.istio.io/v1',
        kind: 'VirtualService',
        metadata: META,
        spec: {
          hosts: [HOST],
          gateways: ['istio-system/api-payments-example-com', 'mesh'],
          exportTo,
          http: [
            {
              match: [{ gateways: ['mesh'], port: 80 }],
              route: [{ destination: { host: GW_HOST, subset: 'api-payments-example-com', port: { number: 80 } } }],
            },
            {
              match: [{ gateways: ['istio-system/api-payments-example-com'], port: 80 }],
              timeout: '5s',
              retries: { attempts: 3, perTryTimeout: '2s' },
              route: [{ destination: { host: HOST, port: { number: 443 } } }],
            },
          ],
        },
      },
      {
        apiVersion: 'networking.istio.io/v1',
        kind: 'DestinationRule',
        metadata: META,
        spec: {
          host: HOST,
          exportTo,
          trafficPolicy: { portLevelSettings: [{ port: { number: 443 }, tls: { mode: 'SIMPLE', sni: HOST } }] },
        },
      },
    ]);
    expect(api.egressGateway?.metadata.namespace).toBe('istio-system');
    expect(api.egressGatewayDestinationRule).toBeDefined();
    expect(api.exportTo).toEqual(exportTo);
  });

  test('without TLS origination: SNI passthrough on 443 (Gateway TLS PASSTHROUGH, VirtualService tls routes on sniHosts)', () => {
    // GIVEN
    const { chart } = testChart();
    // WHEN
    new ExternalApi(chart, 'payments', { host: HOST, egress: Egress.gateway(EGRESS_GW) });
    // THEN
    const docs = synthValid(chart);
    expect(docs.map(d => d.kind)).toEqual(['ServiceEntry', 'Gateway', 'DestinationRule', 'VirtualService']);
    expect(findOne(docs, 'ServiceEntry').spec.ports).toEqual([{ number: 443, name: 'https', protocol: 'HTTPS' }]);
    expect(findOne(docs, 'Gateway').spec.servers).toEqual([{
      port: { number: 443, name: 'tls', protocol: 'TLS' },
      hosts: ['shop/api.payments.example.com'],
      tls: { mode: 'PASSTHROUGH' },
    }]);
    expect(findOne(docs, 'DestinationRule').spec).toEqual({
      host: GW_HOST, exportTo: ['.', 'istio-system'], subsets: [{ name: 'api-payments-example-com' }],
    });
    expect(findOne(docs, 'VirtualService').spec).toEqual({
      hosts: [HOST],
      gateways: ['istio-system/api-payments-example-com', 'mesh'],
      exportTo: ['.', 'istio-system'],
      tls: [
        {
          match: [{ gateways: ['mesh'], port: 443, sniHosts: [HOST] }],
          route: [{ destination: { host: GW_HOST, subset: 'api-payments-example-com', port: { number: 443 } } }],
        },
        {
          match: [{ gateways: ['istio-system/api-payments-example-com'], port: 443, sniHosts: [HOST] }],
          route: [{ destination: { host: HOST, port: { number: 443 } } }],
        },
      ],
    });
  });

  test('plain HTTP API: mesh hop ISTIO_MUTUAL on 80, gateway calls the host on 80, no TLS origination rule', () => {
    // GIVEN
    const { chart } = testChart();
    // WHEN
    new ExternalApi(chart, 'legacy', {
      host: 'legacy.example.com', port: 80, protocol: ExternalProtocol.HTTP, egress: Egress.gateway({ ...EGRESS_GW, service: 'egress' }),
    });
    // THEN
    const docs = synthValid(chart);
    expect(docs.map(d => d.kind)).toEqual(['ServiceEntry', 'Gateway', 'DestinationRule', 'VirtualService']);
    expect(findOne(docs, 'ServiceEntry').spec.ports).toEqual([{ number: 80, name: 'http', protocol: 'HTTP' }]);
    expect(findOne(docs, 'DestinationRule').spec.host).toBe('egress.istio-system.svc.cluster.local');
    expect(findOne(docs, 'VirtualService').spec.http[1]).toEqual({
      match: [{ gateways: ['istio-system/legacy-example-com'], port: 80 }],
      route: [{ destination: { host: 'legacy.example.com', port: { number: 80 } } }],
    });
  });

  test('two APIs of one namespace share one DestinationRule for the gateway Service, one subset each, sorted', () => {
    // GIVEN
    const { chart } = testChart();
    // WHEN
    const b = new ExternalApi(chart, 'b', { host: 'b.example.com', tlsOrigination: true, egress: Egress.gateway(EGRESS_GW) });
    const a = new ExternalApi(chart, 'a', { host: 'a.example.com', egress: Egress.gateway(EGRESS_GW), exportTo: ['*'] });
    // THEN
    const rules = findAll(synthValid(chart), 'DestinationRule').filter(d => d.spec.host === GW_HOST);
    expect(rules).toEqual([{
      apiVersion: 'networking.istio.io/v1',
      kind: 'DestinationRule',
      metadata: { name: 'istio-egressgateway-istio-system', namespace: 'shop' },
      spec: {
        host: GW_HOST,
        exportTo: ['*'],
        subsets: [
          { name: 'a-example-com' },
          {
            name: 'b-example-com',
            trafficPolicy: { portLevelSettings: [{ port: { number: 80 }, tls: { mode: 'ISTIO_MUTUAL', sni: 'b.example.com' } }] },
          },
        ],
      },
    }]);
    expect(a.egressGatewayDestinationRule).toBe(b.egressGatewayDestinationRule);
  });

  test('synthesizing twice gives identical output (shared gateway DestinationRule and waypoint allowedRoutes are rendered at synth)', () => {
    // GIVEN
    const { chart } = testChart();
    const wp = new EgressWaypoint(chart, 'wp', { namespace: 'istio-egress' });
    new ExternalApi(chart, 'b', { host: 'b.example.com', tlsOrigination: true, egress: Egress.gateway(EGRESS_GW) });
    new ExternalApi(chart, 'a', { host: 'a.example.com', egress: Egress.gateway(EGRESS_GW) });
    new ExternalApi(chart, 'c', { host: 'c.example.com', tlsOrigination: true, timeout: Duration.seconds(2), egress: Egress.waypoint(wp) });
    // WHEN
    const first = synthValid(chart);
    const second = synthValid(chart);
    // THEN
    expect(second).toEqual(first);
    expect(first.map(d => `${d.kind}/${d.metadata.namespace}/${d.metadata.name}`)).toEqual([
      'Gateway/istio-egress/egress-waypoint',
      'ServiceEntry/shop/b-example-com',
      'Gateway/istio-system/b-example-com',
      'DestinationRule/shop/istio-egressgateway-istio-system',
      'VirtualService/shop/b-example-com',
      'DestinationRule/shop/b-example-com',
      'ServiceEntry/shop/a-example-com',
      'Gateway/istio-system/a-example-com',
      'VirtualService/shop/a-example-com',
      'ServiceEntry/shop/c-example-com',
      'DestinationRule/shop/c-example-com',
      'HTTPRoute/shop/c-example-com',
    ]);
  });

  test('the gateway Service is registered for egress scoping next to the host', () => {
    // GIVEN
    const { app, chart } = testChart();
    // WHEN
    const api = new ExternalApi(chart, 'payments', { host: HOST, egress: Egress.gateway(EGRESS_GW) });
    // THEN
    expect(AppRuntime.of(app).externalHosts('shop')).toEqual([
      { host: HOST, namespace: 'shop', construct: api },
      { host: GW_HOST, namespace: 'istio-system', construct: api },
    ]);
    expect(AppRuntime.of(app).externalHosts('istio-system')).toEqual([]);
  });

  test('errors: gateway without a selector, TCP, resolution NONE, exportTo hiding the objects from the gateway (EXT-17)', () => {
    const make = (props: Record<string, unknown>) => () => new ExternalApi(testChart().chart, 'api', { host: HOST, ...props } as any);
    const selectorError = 'ExternalApi test/api: egress.selector must be a non-empty map of labels of the egress gateway pods, '
      + 'e.g. { istio: \'egressgateway\' } (without one the Gateway applies to every gateway of the mesh), got ';
    expect(make({ egress: Egress.gateway({ namespace: 'istio-system' } as any) })).toThrow(MeshError);
    expect(make({ egress: Egress.gateway({ namespace: 'istio-system' } as any) })).toThrow(`${selectorError}undefined`);
    expect(make({ egress: Egress.gateway({ namespace: 'istio-system', selector: {} }) })).toThrow(`${selectorError}{}`);
    expect(make({ egress: Egress.gateway({ namespace: 'Istio_System', selector: { istio: 'egressgateway' } }) }))
      .toThrow(/egress.namespace must be a DNS-1123 label/);
    expect(make({ egress: Egress.gateway(EGRESS_GW), protocol: ExternalProtocol.TCP, port: 5432 }))
      .toThrow('ExternalApi test/api: Egress.gateway() routes HTTP, HTTPS and TLS by host; protocol TCP carries no host to route on');
    expect(make({ egress: Egress.gateway(EGRESS_GW), resolution: ExternalResolution.NONE }))
      .toThrow('ExternalApi test/api: Egress.gateway() needs resolution DNS: with NONE the egress gateway forwards the traffic to itself in a loop');
    expect(make({ egress: Egress.gateway(EGRESS_GW), exportTo: ['.'] }))
      .toThrow('ExternalApi test/api: exportTo ["."] hides the ServiceEntry, DestinationRules and routes from the egress gateway in namespace '
        + '"istio-system", which must see them; add "istio-system" to exportTo (the default is [".", "istio-system"])');
  });

  test('an egress gateway in the client namespace itself needs no extra exportTo', () => {
    // GIVEN
    const { chart } = testChart();
    // WHEN
    const api = new ExternalApi(chart, 'payments', { host: HOST, egress: Egress.gateway({ namespace: 'shop', selector: { app: 'egress' } }) });
    // THEN
    expect(api.exportTo).toEqual(['.']);
    expect(findOne(synthValid(chart), 'Gateway').metadata).toEqual({ name: 'api-payments-example-com', namespace: 'shop' });
  });

  test('the same host through the same gateway from two namespaces is a conflict (one Gateway object per host)', () => {
    const { chart } = testChart();
    new ExternalApi(chart, 'shop-api', { host: HOST, egress: Egress.gateway(EGRESS_GW) });
    expect(() => new ExternalApi(chart, 'payments-api', { host: HOST, namespace: 'payments', egress: Egress.gateway(EGRESS_GW) }))
      .toThrow('ExternalApi test/payments-api: the egress Gateway istio-system/api-payments-example-com is already emitted by '
        + 'ExternalApi test/shop-api; declare the host once and share it with other namespaces through exportTo, or set name');
  });

  test('an egress gateway from an ambient namespace fails at synth: ambient pods have no sidecar to route to the gateway', () => {
    // GIVEN
    const { chart } = testChart('payments');
    new AmbientNamespace(chart, 'ns', { name: 'payments' });
    // WHEN
    new ExternalApi(chart, 'api', { host: HOST, egress: Egress.gateway(EGRESS_GW) });
    // THEN
    expect(() => Testing.synth(chart)).toThrow('\n  ExternalApi test/api: namespace "payments" is ambient: Egress.gateway() routes '
      + 'through sidecars, which ambient pods do not have; use Egress.waypoint({ namespace, name })');
  });
});

// Ambient egress waypoint, after https://istio.io/latest/docs/ambient/usage/egress-gateway/ (SE port 80 ->
// targetPort 443 + DR SIMPLE) and the cross-namespace labels of
// https://istio.io/latest/docs/ambient/usage/waypoint/#configure-resources-to-use-a-cross-namespace-waypoint-proxy
describe('ExternalApi through an ambient egress waypoint', () => {
  test('ambient namespace, library-owned waypoint: labelled ServiceEntry, TLS-origination DR, HTTPRoute timeout with a ServiceEntry parent, waypoint admits the namespace', () => {
    // GIVEN
    const { chart } = testChart('payments');
    new AmbientNamespace(chart, 'ns', { name: 'payments' });
    const waypoint = new EgressWaypoint(chart, 'egress', { namespace: 'istio-egress' });
    // WHEN
    const api = new ExternalApi(chart, 'psp', {
      host: HOST, tlsOrigination: true, timeout: Duration.seconds(5), circuitBreaker: { maxConnections: 50 }, egress: Egress.waypoint(waypoint),
    });
    // THEN
    const docs = synthValid(chart);
    const meta = { name: 'api-payments-example-com', namespace: 'payments' };
    const exportTo = ['.', 'istio-egress'];
    expect(docs.filter(d => d.kind !== 'Namespace')).toEqual([
      {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'Gateway',
        metadata: { name: 'egress-waypoint', namespace: 'istio-egress', labels: { 'istio.io/waypoint-for': 'service' } },
        spec: {
          gatewayClassName: 'istio-waypoint',
          listeners: [{
            name: 'mesh', port: 15008, protocol: 'HBONE',
            allowedRoutes: {
              namespaces: {
                from: 'Selector',
                selector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['payments'] }] },
              },
            },
          }],
        },
      },
      {
        apiVersion: 'networking.istio.io/v1',
        kind: 'ServiceEntry',
        metadata: { ...meta, labels: { 'istio.io/use-waypoint': 'egress-waypoint', 'istio.io/use-waypoint-namespace': 'istio-egress' } },
        spec: {
          hosts: [HOST], exportTo, location: 'MESH_EXTERNAL', resolution: 'DNS',
          ports: [{ number: 80, name: 'http', protocol: 'HTTP', targetPort: 443 }],
        },
      },
      {
        apiVersion: 'networking.istio.io/v1',
        kind: 'DestinationRule',
        metadata: meta,
        spec: {
          host: HOST,
          exportTo,
          trafficPolicy: {
            // Port-level settings do not inherit destination-level ones: the limits sit in the port's entry.
            portLevelSettings: [{ port: { number: 80 }, connectionPool: { tcp: { maxConnections: 50 } }, tls: { mode: 'SIMPLE', sni: HOST } }],
          },
        },
      },
      {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'HTTPRoute',
        metadata: meta,
        spec: {
          parentRefs: [{ group: 'networking.istio.io', kind: 'ServiceEntry', name: 'api-payments-example-com' }],
          rules: [{
            backendRefs: [{ group: 'networking.istio.io', kind: 'Hostname', name: HOST, port: 80 }],
            timeouts: { request: '5s' },
          }],
        },
      },
    ]);
    expect(api.httpRoute).toBeDefined();
    expect(api.virtualService).toBeUndefined();
    expect(MeshContext.of(chart).warnings).toEqual([]);
  });

  test('a waypoint declared elsewhere ({ namespace, name }): no Gateway emitted; HTTPS from the app is bound without L7 objects', () => {
    // GIVEN
    const { chart } = testChart('payments');
    new AmbientNamespace(chart, 'ns', { name: 'payments' });
    // WHEN
    new ExternalApi(chart, 'psp', { host: HOST, egress: Egress.waypoint({ namespace: 'istio-egress', name: 'egress-waypoint' }) });
    // THEN
    expect(synthValid(chart).filter(d => d.kind !== 'Namespace')).toEqual([{
      apiVersion: 'networking.istio.io/v1',
      kind: 'ServiceEntry',
      metadata: {
        name: 'api-payments-example-com', namespace: 'payments',
        labels: { 'istio.io/use-waypoint': 'egress-waypoint', 'istio.io/use-waypoint-namespace': 'istio-egress' },
      },
      spec: {
        hosts: [HOST], exportTo: ['.', 'istio-egress'], location: 'MESH_EXTERNAL', resolution: 'DNS',
        ports: [{ number: 443, name: 'https', protocol: 'HTTPS' }],
      },
    }]);
  });

  test('a waypoint declared by an AmbientNamespace of the App admits the ExternalApi\'s namespace too', () => {
    // GIVEN
    const { chart } = testChart('payments');
    new AmbientNamespace(chart, 'ns', { name: 'payments' });
    new AmbientNamespace(chart, 'egress-ns', { name: 'istio-egress', waypoint: { name: 'egress-waypoint' } });
    // WHEN
    new ExternalApi(chart, 'psp', {
      host: HOST, tlsOrigination: true, timeout: Duration.seconds(5), egress: Egress.waypoint({ namespace: 'istio-egress', name: 'egress-waypoint' }),
    });
    // THEN
    const docs = synthValid(chart);
    const listener = findOne(docs, 'Gateway', 'egress-waypoint').spec.listeners[0];
    expect(listener.allowedRoutes.namespaces.selector.matchExpressions[0].values).toContain('payments');
    expect(findOne(docs, 'ServiceEntry').metadata.labels)
      .toEqual({ 'istio.io/use-waypoint': 'egress-waypoint', 'istio.io/use-waypoint-namespace': 'istio-egress' });
  });

  test('retries need the experimental channel: an App on the standard channel fails synth with the reason (the construct never changes the channel)', () => {
    const { app, chart } = testChart('payments');
    new ExternalApi(chart, 'psp', {
      host: HOST, tlsOrigination: true, retries: { attempts: 2 }, egress: Egress.waypoint({ namespace: 'istio-egress', name: 'egress-waypoint' }),
    });
    expect(() => Testing.synth(chart)).toThrow('\n  ExternalApi test/psp: retries through an egress waypoint need HTTPRoute retry, '
      + 'which is Gateway API experimental-channel only, but the App targets the standard channel (whose CRDs drop it silently); install the experimental-channel CRDs and set MeshContext.of(app).gatewayApiChannel = GatewayApiChannel.EXPERIMENTAL, or drop retries');
    expect(MeshContext.of(app).gatewayApiChannel).toBe(GatewayApiChannel.STANDARD);
  });

  test('retries on an App that targets the experimental channel: HTTPRoute retry + backendRequest, validated against the experimental channel', () => {
    // GIVEN
    const { app, chart } = testChart('payments');
    MeshContext.of(app).gatewayApiChannel = GatewayApiChannel.EXPERIMENTAL;
    // WHEN
    new ExternalApi(chart, 'psp', {
      host: HOST,
      tlsOrigination: true,
      timeout: Duration.seconds(5),
      retries: { attempts: 2, perTryTimeout: Duration.seconds(2), retryOn: ['connect-failure', 'gateway-error', 429] },
      egress: Egress.waypoint({ namespace: 'istio-egress', name: 'egress-waypoint' }),
    });
    // THEN: the App validates against the experimental channel, where `retry` exists
    // (https://gateway-api.sigs.k8s.io/reference/spec/#httprouteretry is experimental).
    const docs = Testing.synth(chart);
    expect(findOne(docs, 'HTTPRoute').spec.rules).toEqual([{
      backendRefs: [{ group: 'networking.istio.io', kind: 'Hostname', name: HOST, port: 80 }],
      timeouts: { request: '5s', backendRequest: '2s' },
      retry: { attempts: 2, codes: [429, 502, 503, 504] },
    }]);
    expect(validateManifests(docs, { gatewayApiChannel: 'experimental' }).filter(d => d.severity === 'error')).toEqual([]);
    // Against standard-channel CRDs the same output has exactly one problem: the `retry` field.
    const errors = validateManifests(docs).filter(d => d.severity === 'error').map(formatDiagnostic);
    expect(errors).toEqual([expect.stringMatching(/^error CI1002 HTTPRoute payments\/api-payments-example-com spec.rules\[0\].retry: unknown field "retry"/)]);
  });

  test('retry conditions Gateway API cannot express, and a per-try timeout longer than the timeout', () => {
    const { chart } = testChart('payments');
    const egress = Egress.waypoint({ namespace: 'istio-egress', name: 'egress-waypoint' });
    expect(() => new ExternalApi(chart, 'a', { host: HOST, tlsOrigination: true, retries: { attempts: 1, retryOn: ['5xx'] }, egress }))
      .toThrow('ExternalApi test/a: retries.retryOn[0] must be a status code 400..599, gateway-error or one of connect-failure, refused-stream, '
        + 'unavailable, cancelled (what Gateway API retry can express), got "5xx"');
    expect(() => new ExternalApi(chart, 'b', { host: HOST, tlsOrigination: true, retries: { attempts: 1, retryOn: [302] }, egress }))
      .toThrow('ExternalApi test/b: retries.retryOn[0] must be an integer 400..599, got 302');
    expect(() => new ExternalApi(chart, 'c', {
      host: HOST, tlsOrigination: true, timeout: Duration.seconds(1), retries: { attempts: 1, perTryTimeout: Duration.seconds(2) }, egress,
    })).toThrow('ExternalApi test/c: retries.perTryTimeout must be at most timeout (1000ms): Gateway API rejects a backendRequest timeout '
      + 'longer than the request timeout, got 2000ms');
    expect(() => new ExternalApi(chart, 'd', { host: HOST, tlsOrigination: true, timeout: Duration.millis(1.5), egress }))
      .toThrow(/ExternalApi test\/d: timeout must be a whole number of milliseconds, at least 1ms in Gateway API format/);
  });

  test('errors: waypoint with resolution NONE or a wildcard host, exportTo hiding the objects from the waypoint (EXT-17), bad names', () => {
    const egress = Egress.waypoint({ namespace: 'istio-egress', name: 'egress-waypoint' });
    const make = (props: Record<string, unknown>) => () => new ExternalApi(testChart('payments').chart, 'api', { host: HOST, egress, ...props } as any);
    const noneError = 'ExternalApi test/api: Egress.waypoint() needs resolution DNS: ztunnel and waypoints support neither wildcard hosts nor resolution NONE';
    expect(make({ resolution: ExternalResolution.NONE })).toThrow(noneError);
    expect(make({ host: '*.example.com', resolution: ExternalResolution.NONE })).toThrow(noneError);
    expect(make({ exportTo: ['.'] })).toThrow('ExternalApi test/api: exportTo ["."] hides the ServiceEntry, DestinationRules and routes from '
      + 'the egress waypoint in namespace "istio-egress", which must see them; add "istio-egress" to exportTo (the default is [".", "istio-egress"])');
    expect(make({ egress: Egress.waypoint({ namespace: 'istio-egress', name: 'Egress' }) })).toThrow(/egress.name must be a DNS-1123 label/);
    expect(make({ egress: Egress.waypoint(undefined as any) }))
      .toThrow('ExternalApi test/api: egress must be Egress.waypoint({ namespace, name }), got undefined');
    expect(make({ exportTo: ['*'] })).not.toThrow();
  });

  test('explicit exportTo in an ambient namespace: emitted, with a warning that ztunnel ignores it', () => {
    // GIVEN
    const { app, chart } = testChart('payments');
    new AmbientNamespace(chart, 'ns', { name: 'payments' });
    // WHEN
    new ExternalApi(chart, 'psp', {
      host: HOST, exportTo: ['.', 'istio-egress'], egress: Egress.waypoint({ namespace: 'istio-egress', name: 'egress-waypoint' }),
    });
    // THEN
    expect(findOne(synthValid(chart), 'ServiceEntry').spec.exportTo).toEqual(['.', 'istio-egress']);
    expect(MeshContext.of(app).warnings).toEqual([{
      path: 'test/psp',
      message: 'ExternalApi test/psp: exportTo [".","istio-egress"] is not an isolation boundary in ambient namespace "payments": '
        + 'ztunnel ignores exportTo (istio/istio#55163), so pods of any namespace resolve the host',
    }]);
  });

  test('a sidecar namespace with an egress waypoint: emitted, with a warning that sidecars never use it', () => {
    // GIVEN
    const { app, chart } = testChart();
    const decl = new Construct(chart, 'shop-ns');
    AppRuntime.of(app).registerNamespace({ name: 'shop', mode: DataplaneMode.SIDECAR, construct: decl, waypointFor: () => undefined, waypointBoundTo: () => undefined });
    // WHEN
    new ExternalApi(chart, 'psp', { host: HOST, egress: Egress.waypoint({ namespace: 'istio-egress', name: 'egress-waypoint' }) });
    // THEN
    expect(findAll(synthValid(chart), 'ServiceEntry')).toHaveLength(1);
    expect(MeshContext.of(app).warnings).toEqual([{
      path: 'test/psp',
      message: 'ExternalApi test/psp: namespace "shop" uses sidecars, which never use an egress waypoint: its pods call the host directly '
        + '(the DestinationRule still applies at the sidecar); use Egress.direct() or Egress.gateway()',
    }]);
  });
});

describe('ExternalApi in an ambient namespace without an egress waypoint', () => {
  test.each([
    ['tlsOrigination', { tlsOrigination: true }],
    ['timeout', { tlsOrigination: true, timeout: Duration.seconds(5) }],
    ['retries', { protocol: ExternalProtocol.HTTP, port: 80, retries: { attempts: 2 } }],
    ['circuitBreaker', { circuitBreaker: { maxConnections: 10 } }],
  ])('%s cannot be enforced by ztunnel: synth fails', (_name, props) => {
    // GIVEN
    const { chart } = testChart('payments');
    new AmbientNamespace(chart, 'ns', { name: 'payments' });
    // WHEN
    new ExternalApi(chart, 'api', { host: HOST, ...props });
    // THEN
    expect(() => Testing.synth(chart)).toThrow('\n  ExternalApi test/api: namespace "payments" is ambient: ztunnel is L4 only and cannot '
      + 'enforce tlsOrigination, timeout, retries or circuitBreaker without a waypoint; use egress: Egress.waypoint({ namespace, name }) or drop them');
  });

  test('an ambient namespace with its own waypoint: the error names that waypoint', () => {
    // GIVEN
    const { chart } = testChart('payments');
    new AmbientNamespace(chart, 'ns', { name: 'payments', waypoint: true });
    // WHEN
    new ExternalApi(chart, 'api', { host: HOST, tlsOrigination: true });
    // THEN
    expect(() => Testing.synth(chart)).toThrow('\n  ExternalApi test/api: namespace "payments" is ambient: ztunnel is L4 only and cannot '
      + 'enforce tlsOrigination, timeout, retries or circuitBreaker without a waypoint; use egress: '
      + 'Egress.waypoint({ namespace: \'payments\', name: \'waypoint\' }) (the namespace\'s waypoint) or drop them');
  });

  test('the namespace waypoint given as the egress waypoint: emitted the ambient way, validates clean', () => {
    // GIVEN
    const { chart } = testChart('payments');
    new AmbientNamespace(chart, 'ns', { name: 'payments', waypoint: true });
    // WHEN
    new ExternalApi(chart, 'api', { host: HOST, tlsOrigination: true, timeout: Duration.seconds(3), egress: Egress.waypoint({ namespace: 'payments', name: 'waypoint' }) });
    // THEN
    const docs = synthValid(chart);
    expect(findOne(docs, 'ServiceEntry').metadata.labels).toEqual({ 'istio.io/use-waypoint': 'waypoint', 'istio.io/use-waypoint-namespace': 'payments' });
    expect(findOne(docs, 'ServiceEntry').spec.exportTo).toEqual(['.']);
    expect(findOne(docs, 'HTTPRoute').spec.rules[0].timeouts).toEqual({ request: '3s' });
  });

  test('plain L4 egress (HTTPS passthrough) from an ambient namespace is fine', () => {
    // GIVEN
    const { chart } = testChart('payments');
    new AmbientNamespace(chart, 'ns', { name: 'payments' });
    // WHEN
    new ExternalApi(chart, 'api', { host: HOST });
    // THEN
    expect(synthValid(chart).map(d => d.kind)).toEqual(['Namespace', 'ServiceEntry']);
  });

  test('the namespace is declared after the ExternalApi: the check still sees it (read at synth)', () => {
    // GIVEN
    const { chart } = testChart('payments');
    new ExternalApi(chart, 'api', { host: HOST, tlsOrigination: true });
    // WHEN
    new AmbientNamespace(chart, 'ns', { name: 'payments' });
    // THEN
    expect(() => Testing.synth(chart)).toThrow(/namespace "payments" is ambient: ztunnel is L4 only/);
  });
});
