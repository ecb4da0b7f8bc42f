import { ApiObject, Chart, Duration, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { AmbientNamespace } from '../lib/ambient-namespace';
import { CanaryRoute, DataplaneMode, MeshContext, MeshError, MeshSimulation, ResilientService, TrafficApi, WaypointFor } from '../lib';
import { appService } from '../examples/shop';
import { attempt } from './security/attempt';
import { findAll, findOne, synthValid, testChart } from './util';
import { AppRuntime } from '../lib/app/runtime';

// Waypoint Gateway shape: `istioctl waypoint generate --for service` output,
// https://istio.io/latest/docs/ambient/usage/waypoint/#deploy-a-waypoint-proxy
const HBONE = { name: 'mesh', port: 15008, protocol: 'HBONE' };

function waypointGateway(name: string, namespace: string, wpFor = 'service', allowedRoutes?: unknown): unknown {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: { name, namespace, labels: { 'istio.io/waypoint-for': wpFor } },
    spec: { gatewayClassName: 'istio-waypoint', listeners: [allowedRoutes ? { ...HBONE, allowedRoutes } : HBONE] },
  };
}

describe('AmbientNamespace', () => {
  test('plain ambient namespace: one Namespace labelled for ambient, nothing else', () => {
    // GIVEN
    const { chart } = testChart('payments');
    // WHEN
    const ns = new AmbientNamespace(chart, 'ns', { name: 'payments' });
    // THEN
    expect(synthValid(chart)).toEqual([{
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'payments', labels: { 'istio.io/dataplane-mode': 'ambient' } },
    }]);
    expect(ns.mode).toBe(DataplaneMode.AMBIENT);
    expect(ns.waypointFor()).toBeUndefined();
    expect(ns.waypointFor('checkout')).toBeUndefined();
    expect(AppRuntime.of(chart).namespace('payments')).toBe(ns);
  });

  test('namespace waypoint: Gateway of class istio-waypoint with the HBONE listener, bound with istio.io/use-waypoint', () => {
    // GIVEN
    const { chart } = testChart('payments');
    // WHEN
    const ns = new AmbientNamespace(chart, 'ns', { name: 'payments', waypoint: true });
    // THEN
    const docs = synthValid(chart);
    expect(docs).toEqual([
      {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: 'payments', labels: { 'istio.io/dataplane-mode': 'ambient', 'istio.io/use-waypoint': 'waypoint' } },
      },
      waypointGateway('waypoint', 'payments'),
    ]);
    expect(ns.waypointFor()).toEqual({ name: 'waypoint', namespace: 'payments', for: WaypointFor.SERVICE });
    expect(ns.waypointFor('checkout')).toEqual({ name: 'waypoint', namespace: 'payments', for: WaypointFor.SERVICE });
    expect(ns.waypointsInPath()).toEqual([{ name: 'waypoint', namespace: 'payments', for: WaypointFor.SERVICE }]);
  });

  test('named waypoint for all traffic, ingress told to use it, extra labels', () => {
    // GIVEN
    const { chart } = testChart('payments');
    // WHEN
    new AmbientNamespace(chart, 'ns', {
      name: 'payments',
      waypoint: { name: 'payments-wp', for: WaypointFor.ALL },
      ingressUseWaypoint: true,
      labels: { team: 'payments' },
    });
    // THEN
    const docs = synthValid(chart);
    expect(findOne(docs, 'Namespace').metadata.labels).toEqual({
      'istio.io/dataplane-mode': 'ambient',
      'istio.io/use-waypoint': 'payments-wp',
      'istio.io/ingress-use-waypoint': 'true',
      'team': 'payments',
    });
    expect(findOne(docs, 'Gateway')).toEqual(waypointGateway('payments-wp', 'payments', 'all'));
  });

  test('per-service waypoint: the Service is labelled, and it beats the namespace binding', () => {
    // GIVEN
    const { chart } = testChart('payments');
    appService(chart, 'checkout', 8080);
    appService(chart, 'ledger', 8080);
    const ns = new AmbientNamespace(chart, 'ns', { name: 'payments', waypoint: true });
    // WHEN
    const wp = ns.addWaypoint('checkout-wp', { name: 'checkout-waypoint' });
    ns.useWaypointFor('checkout', wp);
    // THEN
    const docs = synthValid(chart);
    expect(findOne(docs, 'Service', 'checkout').metadata).toEqual({
      name: 'checkout',
      namespace: 'payments',
      labels: { 'app': 'checkout', 'istio.io/use-waypoint': 'checkout-waypoint' },
    });
    expect(findOne(docs, 'Service', 'ledger').metadata.labels).toEqual({ app: 'ledger' });
    expect(findOne(docs, 'Gateway', 'checkout-waypoint')).toEqual(waypointGateway('checkout-waypoint', 'payments'));
    expect(ns.waypointFor('checkout')).toEqual({ name: 'checkout-waypoint', namespace: 'payments', for: WaypointFor.SERVICE });
    expect(ns.waypointFor('ledger')).toEqual({ name: 'waypoint', namespace: 'payments', for: WaypointFor.SERVICE });
    expect(ns.waypoints.map(w => w.name)).toEqual(['waypoint', 'checkout-waypoint']);
    expect(ns.boundServices).toEqual(['checkout']);
  });

  test('per-service waypoint without a namespace waypoint: other services have none', () => {
    // GIVEN
    const { chart } = testChart('payments');
    const svc = appService(chart, 'checkout', 8080);
    const ns = new AmbientNamespace(chart, 'ns', { name: 'payments' });
    // WHEN
    ns.useWaypointFor(svc, ns.addWaypoint('wp', { name: 'checkout-waypoint' }));
    // THEN
    const docs = synthValid(chart);
    expect(findOne(docs, 'Namespace').metadata.labels).toEqual({ 'istio.io/dataplane-mode': 'ambient' });
    expect(findOne(docs, 'Service', 'checkout').metadata.labels['istio.io/use-waypoint']).toBe('checkout-waypoint');
    expect(ns.waypointFor()).toBeUndefined();
    expect(ns.waypointFor('ledger')).toBeUndefined();
    expect(ns.waypointFor('checkout')?.name).toBe('checkout-waypoint');
  });

  test('cross-namespace waypoint: the waypoint admits the consumer in allowedRoutes; the consumer names its namespace', () => {
    // GIVEN
    const app = Testing.app();
    const infraChart = new Chart(app, 'infra', { namespace: 'mesh-infra' });
    const paymentsChart = new Chart(app, 'payments', { namespace: 'payments' });
    // WHEN
    new AmbientNamespace(infraChart, 'ns', { name: 'mesh-infra', waypoint: { name: 'shared-waypoint' } });
    const payments = new AmbientNamespace(paymentsChart, 'ns', {
      name: 'payments',
      useWaypoint: { namespace: 'mesh-infra', name: 'shared-waypoint' },
    });
    // THEN
    expect(synthValid(infraChart)).toEqual([
      {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: 'mesh-infra', labels: { 'istio.io/dataplane-mode': 'ambient', 'istio.io/use-waypoint': 'shared-waypoint' } },
      },
      waypointGateway('shared-waypoint', 'mesh-infra', 'service', {
        namespaces: {
          from: 'Selector',
          selector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['mesh-infra', 'payments'] }] },
        },
      }),
    ]);
    expect(synthValid(paymentsChart)).toEqual([{
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: 'payments',
        labels: {
          'istio.io/dataplane-mode': 'ambient',
          'istio.io/use-waypoint': 'shared-waypoint',
          'istio.io/use-waypoint-namespace': 'mesh-infra',
        },
      },
    }]);
    expect(payments.waypointFor('checkout')).toEqual({ name: 'shared-waypoint', namespace: 'mesh-infra', for: WaypointFor.SERVICE });
  });

  test('cross-namespace Service binding labels the Service with both labels and admits the namespace', () => {
    // GIVEN
    const { chart } = testChart('payments');
    appService(chart, 'checkout', 8080);
    const infra = new AmbientNamespace(chart, 'infra', { name: 'mesh-infra' });
    const wp = infra.addWaypoint('shared', { name: 'shared', allowedNamespaces: ['legacy'] });
    const ns = new AmbientNamespace(chart, 'ns', { name: 'payments' });
    // WHEN
    ns.useWaypointFor({ name: 'checkout', port: 8080 }, wp);
    // THEN
    const docs = synthValid(chart);
    expect(findOne(docs, 'Service', 'checkout').metadata.labels).toEqual({
      'app': 'checkout',
      'istio.io/use-waypoint': 'shared',
      'istio.io/use-waypoint-namespace': 'mesh-infra',
    });
    expect(findOne(docs, 'Gateway', 'shared').spec.listeners[0].allowedRoutes.namespaces.selector.matchExpressions[0].values)
      .toEqual(['legacy', 'mesh-infra', 'payments']);
  });

  test('a waypoint outside the App: binding recorded with the given traffic type; allowedNamespaces ["*"] admits all', () => {
    // GIVEN
    const { chart } = testChart('payments');
    const ns = new AmbientNamespace(chart, 'ns', { name: 'payments', useWaypoint: { namespace: 'mesh-infra', name: 'ext', for: WaypointFor.ALL } });
    const open = ns.addWaypoint('open', { name: 'open', allowedNamespaces: ['*'] });
    // THEN
    expect(ns.waypointFor()).toEqual({ name: 'ext', namespace: 'mesh-infra', for: WaypointFor.ALL });
    expect(findOne(synthValid(chart), 'Gateway', 'open').spec.listeners[0].allowedRoutes).toEqual({ namespaces: { from: 'All' } });
    expect(open.allowedNamespaces).toEqual(['*']);
  });

  test('a WORKLOAD waypoint bound namespace-wide does not serve service traffic', () => {
    // GIVEN / WHEN
    const { chart } = testChart('payments');
    const ns = new AmbientNamespace(chart, 'ns', { name: 'payments', waypoint: { for: WaypointFor.WORKLOAD } });
    // THEN
    expect(findOne(synthValid(chart), 'Gateway').metadata.labels).toEqual({ 'istio.io/waypoint-for': 'workload' });
    expect(ns.waypointFor()).toBeUndefined();
    expect(ns.waypointFor('checkout')).toBeUndefined();
    expect(ns.waypointsInPath()).toEqual([{ name: 'waypoint', namespace: 'payments', for: WaypointFor.WORKLOAD }]);
  });

  test('binding a Service that is not in the App warns to label it', () => {
    // GIVEN
    const { chart } = testChart('payments');
    const ns = new AmbientNamespace(chart, 'ns', { name: 'payments', waypoint: true });
    // WHEN
    ns.useWaypointFor('checkout', { name: 'shared', namespace: 'mesh-infra' });
    // THEN
    expect(MeshContext.of(chart).warnings.map(w => w.message)).toEqual([
      'AmbientNamespace test/ns: Service "checkout" is not defined in this App: label it istio.io/use-waypoint=shared '
      + 'and istio.io/use-waypoint-namespace=mesh-infra yourself, or traffic to it does not use the waypoint',
    ]);
    expect(ns.waypointFor('checkout')).toEqual({ name: 'shared', namespace: 'mesh-infra', for: WaypointFor.SERVICE });
    synthValid(chart);
  });

  test('binding the same Service twice to the same waypoint is idempotent', () => {
    // GIVEN
    const { chart } = testChart('payments');
    appService(chart, 'checkout', 8080);
    const ns = new AmbientNamespace(chart, 'ns', { name: 'payments' });
    const wp = ns.addWaypoint('wp', { name: 'wp' });
    // WHEN
    ns.useWaypointFor('checkout', wp);
    ns.useWaypointFor('checkout', { name: 'wp' });
    // THEN
    expect(ns.boundServices).toEqual(['checkout']);
    synthValid(chart);
  });

  test('synthesizing twice gives identical output', () => {
    // GIVEN
    const { chart } = testChart('payments');
    appService(chart, 'checkout', 8080);
    const infra = new AmbientNamespace(chart, 'infra', { name: 'mesh-infra', waypoint: { name: 'shared' } });
    const ns = new AmbientNamespace(chart, 'ns', { name: 'payments', waypoint: true });
    ns.useWaypointFor('checkout', infra.waypoint!);
    // WHEN
    const first = synthValid(chart);
    // THEN
    expect(synthValid(chart)).toEqual(first);
  });

  describe('with CanaryRoute and ResilientService (dataplane awareness)', () => {
    // Ambient L7 = Gateway API HTTPRoute with a Service parent, served by the waypoint:
    // https://istio.io/latest/docs/ambient/usage/l7-features/
    function ambientChart(props: Partial<ConstructorParameters<typeof AmbientNamespace>[2]> = { waypoint: true }): Chart {
      const { chart } = testChart('payments');
      appService(chart, 'checkout', 8080);
      new AmbientNamespace(chart, 'ns', { name: 'payments', ...props });
      return chart;
    }

    test('a canary and a resilient service in an ambient namespace with a waypoint: HTTPRoute (Service parent) + DestinationRule, no VirtualService', () => {
      // GIVEN
      const chart = ambientChart();
      // WHEN
      new CanaryRoute(chart, 'canary', { service: { name: 'checkout', port: 8080 }, stableVersion: 'v1', canaryVersion: 'v2', canaryWeight: 10 });
      new ResilientService(chart, 'resilience', { service: { name: 'checkout', port: 8080 }, timeout: Duration.seconds(5), circuitBreaker: { maxConnections: 50 } });
      // THEN
      const docs = synthValid(chart);
      expect(findAll(docs, 'VirtualService')).toEqual([]);
      expect(findAll(docs, 'Sidecar')).toEqual([]);
      expect(findOne(docs, 'HTTPRoute')).toEqual({
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'HTTPRoute',
        metadata: { name: 'checkout', namespace: 'payments' },
        spec: {
          parentRefs: [{ group: '', kind: 'Service', name: 'checkout', port: 8080 }],
          rules: [{
            backendRefs: [{ name: 'checkout-v1', port: 8080, weight: 90 }, { name: 'checkout-v2', port: 8080, weight: 10 }],
            timeouts: { request: '5s' },
          }],
        },
      });
      expect(findOne(docs, 'DestinationRule', 'checkout')).toEqual({
        apiVersion: 'networking.istio.io/v1',
        kind: 'DestinationRule',
        metadata: { name: 'checkout', namespace: 'payments' },
        spec: { host: 'checkout.payments.svc.cluster.local', trafficPolicy: { connectionPool: { tcp: { maxConnections: 50 } } } },
      });
    });

    test('a per-service waypoint is enough for the canary of that Service', () => {
      const { chart } = testChart('payments');
      appService(chart, 'checkout', 8080);
      const ns = new AmbientNamespace(chart, 'ns', { name: 'payments' });
      ns.useWaypointFor('checkout', ns.addWaypoint('wp', { name: 'checkout-waypoint' }));
      new CanaryRoute(chart, 'canary', { service: { name: 'checkout', port: 8080 }, stableVersion: 'v1', canaryVersion: 'v2', canaryWeight: 10 });
      expect(findOne(synthValid(chart), 'HTTPRoute').spec.parentRefs).toEqual([{ group: '', kind: 'Service', name: 'checkout', port: 8080 }]);
    });

    test('L7 features without a waypoint fail synth', () => {
      const chart = ambientChart({});
      new CanaryRoute(chart, 'canary', { service: { name: 'checkout', port: 8080 }, stableVersion: 'v1', canaryVersion: 'v2', canaryWeight: 10 });
      expect(() => Testing.synth(chart)).toThrow(/ambient namespace "payments" needs a waypoint, and no waypoint serves service "checkout"/);
    });

    test('a workload-only waypoint does not serve the canary of a Service', () => {
      const chart = ambientChart({ waypoint: { for: WaypointFor.WORKLOAD } });
      new CanaryRoute(chart, 'canary', { service: { name: 'checkout', port: 8080 }, stableVersion: 'v1', canaryVersion: 'v2', canaryWeight: 10 });
      expect(() => Testing.synth(chart)).toThrow(/waypoint payments\/waypoint serves workload traffic only/);
    });

    test('TrafficApi.ISTIO routing in an ambient namespace: an error, or an explicit opt-in with an alpha warning', () => {
      const chart = ambientChart();
      new CanaryRoute(chart, 'canary', { service: { name: 'checkout', port: 8080 }, stableVersion: 'v1', canaryVersion: 'v2', canaryWeight: 10, api: TrafficApi.ISTIO });
      expect(() => Testing.synth(chart)).toThrow(/api is TrafficApi.ISTIO but namespace "payments" is ambient, where VirtualService \(served by a waypoint\) is alpha/);

      const optIn = ambientChart();
      new CanaryRoute(optIn, 'canary', {
        service: { name: 'checkout', port: 8080 }, stableVersion: 'v1', canaryVersion: 'v2', canaryWeight: 10,
        api: TrafficApi.ISTIO, allowVirtualServiceInAmbient: true,
      });
      expect(findAll(synthValid(optIn), 'VirtualService')).toHaveLength(1);
      expect(MeshContext.of(optIn).warnings.map(w => w.message)).toContainEqual(expect.stringMatching(/VirtualService in ambient namespace "payments" is alpha/));
    });
  });

  describe('bad input', () => {
    test('a waypoint name that is not DNS-1123', () => {
      const { chart } = testChart('payments');
      expect(() => new AmbientNamespace(chart, 'ns', { name: 'payments', waypoint: { name: 'My_Waypoint' } }))
        .toThrow('AmbientNamespace test/ns: waypoint.name must be a DNS-1123 label (lowercase letters, digits and \'-\', starting and ending with a letter or digit, at most 63 characters), got "My_Waypoint"');
    });

    test('the reserved waypoint name "none"', () => {
      const { chart } = testChart('payments');
      const ns = new AmbientNamespace(chart, 'ns', { name: 'payments' });
      expect(() => ns.addWaypoint('w', { name: 'none' }))
        .toThrow(/waypoint.name must be a waypoint name other than "none" \(reserved by Istio/);
      expect(() => ns.useWaypointFor('checkout', { name: 'none' }))
        .toThrow(/useWaypointFor\(checkout\).waypoint.name must be a waypoint name other than "none"/);
    });

    test('a namespace name that is not DNS-1123', () => {
      const { chart } = testChart('payments');
      expect(() => new AmbientNamespace(chart, 'ns', { name: 'Payments' })).toThrow(/AmbientNamespace test\/ns: name must be a DNS-1123 label/);
    });

    test('useWaypoint together with an own namespace waypoint', () => {
      const { chart } = testChart('payments');
      expect(() => new AmbientNamespace(chart, 'ns', { name: 'payments', waypoint: true, useWaypoint: { namespace: 'mesh-infra', name: 'shared' } }))
        .toThrow('AmbientNamespace test/ns: useWaypoint must be omitted when `waypoint` is set (both would bind the whole namespace; '
          + 'use addWaypoint() and useWaypointFor() for a second waypoint), got {"namespace":"mesh-infra","name":"shared"}');
    });

    test('two waypoints with one name', () => {
      const { chart } = testChart('payments');
      const ns = new AmbientNamespace(chart, 'ns', { name: 'payments', waypoint: true });
      expect(() => ns.addWaypoint('again', {})).toThrow('AmbientNamespace test/ns: waypoint.name must be unique in namespace "payments" (already declared by test/ns/waypoint), got "waypoint"');
    });

    test('a Service bound to a workload-only waypoint (declared before)', () => {
      const { chart } = testChart('payments');
      appService(chart, 'checkout', 8080);
      const ns = new AmbientNamespace(chart, 'ns', { name: 'payments' });
      const wp = ns.addWaypoint('wp', { name: 'pods', for: WaypointFor.WORKLOAD });
      expect(() => ns.useWaypointFor('checkout', wp)).toThrow(MeshError);
      expect(() => ns.useWaypointFor('checkout', wp))
        .toThrow('AmbientNamespace test/ns: useWaypointFor(checkout): waypoint payments/pods is for "workload" traffic only; a Service needs a waypoint for "service" or "all" (istio.io/waypoint-for)');
    });

    test('a Service bound to a workload-only waypoint declared later in another namespace fails synth', () => {
      const { chart } = testChart('payments');
      appService(chart, 'checkout', 8080);
      const ns = new AmbientNamespace(chart, 'ns', { name: 'payments' });
      ns.useWaypointFor('checkout', { namespace: 'mesh-infra', name: 'pods' });
      new AmbientNamespace(chart, 'infra', { name: 'mesh-infra', waypoint: { name: 'pods', for: WaypointFor.WORKLOAD } });
      expect(() => Testing.synth(chart)).toThrow(/useWaypointFor\(checkout\): waypoint mesh-infra\/pods is for "workload" traffic only/);
    });

    test('a binding to a waypoint that the declared namespace does not have fails synth', () => {
      const { chart } = testChart('payments');
      new AmbientNamespace(chart, 'infra', { name: 'mesh-infra', waypoint: true });
      new AmbientNamespace(chart, 'ns', { name: 'payments', useWaypoint: { namespace: 'mesh-infra', name: 'shared' } });
      expect(() => Testing.synth(chart))
        .toThrow(/AmbientNamespace test\/ns: useWaypoint.name must be a waypoint declared by AmbientNamespace test\/infra \(declared: waypoint\), got "shared"/);
    });

    test('a traffic type that contradicts the declared waypoint', () => {
      const { chart } = testChart('payments');
      new AmbientNamespace(chart, 'infra', { name: 'mesh-infra', waypoint: { name: 'shared' } });
      const ns = new AmbientNamespace(chart, 'ns', { name: 'payments', useWaypoint: { namespace: 'mesh-infra', name: 'shared', for: WaypointFor.ALL } });
      expect(() => ns.waypointFor()).toThrow('AmbientNamespace test/ns: useWaypoint.for must be "service", the value of the declared waypoint mesh-infra/shared, got "all"');
    });

    test('a Service bound to two different waypoints', () => {
      const { chart } = testChart('payments');
      appService(chart, 'checkout', 8080);
      const ns = new AmbientNamespace(chart, 'ns', { name: 'payments' });
      ns.useWaypointFor('checkout', ns.addWaypoint('a', { name: 'a' }));
      expect(() => ns.useWaypointFor('checkout', ns.addWaypoint('b', { name: 'b' })))
        .toThrow('AmbientNamespace test/ns: useWaypointFor(checkout).waypoint must be the waypoint it is already bound to (payments/a): a Service uses one waypoint, got "payments/b"');
    });

    test('a Service of another namespace, or an object that is not a Service', () => {
      const { chart } = testChart('payments');
      const ns = new AmbientNamespace(chart, 'ns', { name: 'payments', waypoint: true });
      expect(() => ns.useWaypointFor({ name: 'reviews', namespace: 'shop', port: 9080 }, ns.waypoint!))
        .toThrow('AmbientNamespace test/ns: useWaypointFor.service.namespace must be "payments", the namespace of this AmbientNamespace, got "shop"');
      const cm = new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' } });
      expect(() => ns.useWaypointFor(cm, ns.waypoint!)).toThrow('AmbientNamespace test/ns: useWaypointFor.service must be a Service, got "ConfigMap/cfg"');
    });

    test('an unknown traffic type', () => {
      const { chart } = testChart('payments');
      expect(() => new AmbientNamespace(chart, 'ns', { name: 'payments', waypoint: { for: 'pods' as WaypointFor } }))
        .toThrow('AmbientNamespace test/ns: waypoint.for must be one of WaypointFor.SERVICE, WaypointFor.WORKLOAD, WaypointFor.ALL, got "pods"');
    });

    test('a namespace cannot be both sidecar-injected and ambient (label)', () => {
      const { chart } = testChart('payments');
      expect(() => new AmbientNamespace(chart, 'ns', { name: 'payments', labels: { 'istio-injection': 'enabled' } }))
        .toThrow('AmbientNamespace test/ns: labels["istio-injection"] must be absent: a namespace cannot be both sidecar-injected and ambient (sidecar injection would win), got "enabled"');
      expect(() => new AmbientNamespace(chart, 'ns2', { name: 'payments', labels: { 'istio.io/dataplane-mode': 'none' } }))
        .toThrow(/labels\["istio.io\/dataplane-mode"\] must be absent: this label is set by AmbientNamespace/);
    });

    test('the same namespace declared twice', () => {
      const { chart } = testChart('payments');
      new AmbientNamespace(chart, 'a', { name: 'payments' });
      expect(() => new AmbientNamespace(chart, 'b', { name: 'payments' }))
        .toThrow('AmbientNamespace test/b: namespace "payments" is already declared by AmbientNamespace test/a; a namespace is declared once');
    });

    test('property: any waypoint name is either accepted and valid, or refused with MeshError', () => {
      fc.assert(fc.property(fc.oneof(fc.string(), fc.constantFrom('none', 'waypoint', 'a-b', '-a', 'A'), fc.constant(undefined as unknown as string)), (name) => {
        const { chart } = testChart('payments');
        let ns: AmbientNamespace | undefined;
        if (attempt(() => { ns = new AmbientNamespace(chart, 'ns', { name: 'payments', waypoint: { name } }); }) === 'rejected') return;
        expect(findAll(synthValid(chart), 'Gateway')).toHaveLength(1);
        expect(ns!.waypoint!.name).toBe(name ?? 'waypoint');
      }), { numRuns: 200 });
    });

    test('property: useWaypoint input of any shape is either accepted or refused with MeshError', () => {
      fc.assert(fc.property(fc.anything(), (ref) => {
        const { chart } = testChart('payments');
        const outcome = attempt(() => new AmbientNamespace(chart, 'ns', { name: 'payments', useWaypoint: ref as any }));
        expect(['accepted', 'rejected']).toContain(outcome);
        if (outcome === 'rejected') return;
        synthValid(chart);
      }), { numRuns: 200 });
    });
  });
});

describe('AmbientNamespace through the simulator', () => {
  test('with a waypoint, an ambient caller is routed by the waypoint (90/10 HTTPRoute); without one, ztunnel does not route (default Service)', () => {
    const routed = (waypoint: boolean) => {
      const { chart } = testChart('payments');
      appService(chart, 'checkout', 8080);
      new AmbientNamespace(chart, 'ns', { name: 'payments', waypoint });
      if (waypoint) new CanaryRoute(chart, 'canary', { service: { name: 'checkout', port: 8080 }, stableVersion: 'v1', canaryVersion: 'v2', canaryWeight: 10 });
      return MeshSimulation.fromManifests(synthValid(chart)).request({ from: { namespace: 'payments', serviceAccount: 'cart' }, to: { host: 'checkout', port: 8080 } });
    };
    const w = routed(true);
    const n = routed(false);
    expect([w.allowed, w.route?.resource, w.route?.backends.map(b => [b.host, b.percent])]).toEqual([true, 'HTTPRoute payments/checkout',
      [['checkout-v1.payments.svc.cluster.local', 90], ['checkout-v2.payments.svc.cluster.local', 10]]]);
    expect([n.allowed, n.route?.resource]).toEqual([true, 'Service payments/checkout']);
    expect(w.explain()).toContain('route: at waypoint payments/waypoint');
  });
});
