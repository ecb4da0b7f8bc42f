import { Duration, Testing } from 'cdk8s';
import { AmbientNamespace, CanaryRoute, ResilientService, TrafficApi, WaypointFor } from '../../lib';
import { findAll, findOne, synthValid, testChart } from '../util';
import { appService, warnings } from './helpers';

// Dataplane awareness: the default api follows the namespace's dataplane, read at synth from the
// namespace constructs of the App (so a namespace declared after the route still counts).
// https://istio.io/latest/docs/ambient/usage/l7-features/ (L7 needs a waypoint; VirtualService is alpha there)

const service = { name: 'checkout', port: 8080 };
const canaryProps = { service, stableVersion: 'v1', canaryVersion: 'v2', canaryWeight: 20 };

function payments() {
  const t = testChart('payments');
  appService(t.chart, 'checkout', 8080);
  return t;
}

describe('traffic constructs in an ambient namespace', () => {
  test('default api is GATEWAY_API: HTTPRoute with the Service as parent, even when the namespace is declared after the route', () => {
    // GIVEN
    const { chart } = payments();
    const route = new CanaryRoute(chart, 'checkout', canaryProps);
    // WHEN
    new AmbientNamespace(chart, 'ns', { name: 'payments', waypoint: true });
    const docs = synthValid(chart);
    // THEN
    expect(route.api).toBe(TrafficApi.GATEWAY_API);
    expect(findOne(docs, 'HTTPRoute').spec).toEqual({
      parentRefs: [{ group: '', kind: 'Service', name: 'checkout', port: 8080 }],
      rules: [{ backendRefs: [{ name: 'checkout-v1', port: 8080, weight: 80 }, { name: 'checkout-v2', port: 8080, weight: 20 }] }],
    });
    expect(findAll(docs, 'VirtualService')).toEqual([]);
  });

  test('CanaryRoute + ResilientService in an ambient namespace: HTTPRoute with timeouts + DestinationRules', () => {
    const { chart } = payments();
    new AmbientNamespace(chart, 'ns', { name: 'payments', waypoint: true });
    new CanaryRoute(chart, 'checkout', canaryProps);
    new ResilientService(chart, 'resilience', { service, timeout: Duration.seconds(2), circuitBreaker: { maxConnections: 50 } });
    const docs = synthValid(chart);
    expect(findOne(docs, 'HTTPRoute').spec.rules[0].timeouts).toEqual({ request: '2s' });
    expect(findAll(docs, 'DestinationRule').map(d => d.metadata.name)).toEqual(['checkout', 'checkout-v1', 'checkout-v2']);
  });

  test('routing without a waypoint fails synth: L7 needs a waypoint', () => {
    const { chart } = payments();
    new AmbientNamespace(chart, 'ns', { name: 'payments' });
    new CanaryRoute(chart, 'checkout', canaryProps);
    expect(() => Testing.synth(chart)).toThrow('CanaryRoute test/checkout: L7 traffic management (routing, timeouts, retries, faults) in ambient namespace "payments" needs a waypoint, and no waypoint serves service "checkout"; add a waypoint to the namespace (AmbientNamespace waypoint) or bind one to the service');
  });

  test('timeouts without a waypoint fail synth too', () => {
    const { chart } = payments();
    new AmbientNamespace(chart, 'ns', { name: 'payments' });
    new ResilientService(chart, 'resilience', { service, timeout: Duration.seconds(1) });
    expect(() => Testing.synth(chart)).toThrow(/ResilientService test\/resilience: L7 traffic management \(routing, timeouts, retries, faults\) in ambient namespace "payments" needs a waypoint/);
  });

  test('retries with the default Gateway API target need the experimental channel; faults cannot be expressed', () => {
    const a = payments();
    new AmbientNamespace(a.chart, 'ns', { name: 'payments', waypoint: true });
    new ResilientService(a.chart, 'resilience', { service, retries: { attempts: 2 } });
    expect(() => Testing.synth(a.chart)).toThrow('ResilientService test/resilience: retries need HTTPRoute rules[].retry, which is Gateway API experimental-channel only, but the App targets the standard channel (whose CRDs drop it silently); install the experimental-channel CRDs and set MeshContext.of(app).gatewayApiChannel = GatewayApiChannel.EXPERIMENTAL, or use TrafficApi.ISTIO');
    const b = payments();
    new AmbientNamespace(b.chart, 'ns', { name: 'payments', waypoint: true });
    new ResilientService(b.chart, 'resilience', { service, faults: { abort: { percent: 1, httpStatus: 503 } } });
    expect(() => Testing.synth(b.chart)).toThrow('ResilientService test/resilience: faults cannot be expressed with TrafficApi.GATEWAY_API: HTTPRoute has no fault-injection field; use TrafficApi.ISTIO');
  });

  test('a workload-only waypoint does not serve the Service', () => {
    const { chart } = payments();
    new AmbientNamespace(chart, 'ns', { name: 'payments', waypoint: { name: 'waypoint', for: WaypointFor.WORKLOAD } });
    new CanaryRoute(chart, 'checkout', canaryProps);
    expect(() => Testing.synth(chart)).toThrow('CanaryRoute test/checkout: waypoint payments/waypoint serves workload traffic only (istio.io/waypoint-for: workload), so it does not route traffic addressed to service "checkout"; use a waypoint for service or all');
  });

  test('connection policies only, without a waypoint: a DestinationRule and a warning that ambient clients ignore it', () => {
    const { chart } = payments();
    new AmbientNamespace(chart, 'ns', { name: 'payments' });
    new ResilientService(chart, 'resilience', { service, circuitBreaker: { maxConnections: 10 } });
    expect(findAll(synthValid(chart), 'DestinationRule').length).toBe(1);
    expect(warnings(chart)).toEqual([
      'ResilientService test/resilience: namespace "payments" is ambient and no waypoint serves service "checkout": the DestinationRule policies apply only to sidecar clients and waypoints, ambient clients (ztunnel) ignore them',
    ]);
  });

  test('TrafficApi.ISTIO in an ambient namespace without the opt-in fails synth', () => {
    const { chart } = payments();
    new AmbientNamespace(chart, 'ns', { name: 'payments', waypoint: true });
    new CanaryRoute(chart, 'checkout', { ...canaryProps, api: TrafficApi.ISTIO });
    expect(() => Testing.synth(chart)).toThrow('CanaryRoute test/checkout: api is TrafficApi.ISTIO but namespace "payments" is ambient, where VirtualService (served by a waypoint) is alpha; use TrafficApi.GATEWAY_API (the default there) or set allowVirtualServiceInAmbient: true');
  });

  test('TrafficApi.ISTIO in an ambient namespace with the opt-in: VirtualService and an alpha warning, no HTTPRoute', () => {
    const { chart } = payments();
    new AmbientNamespace(chart, 'ns', { name: 'payments', waypoint: true });
    new CanaryRoute(chart, 'checkout', { ...canaryProps, api: TrafficApi.ISTIO, allowVirtualServiceInAmbient: true });
    const docs = synthValid(chart);
    expect(findAll(docs, 'VirtualService').length).toBe(1);
    expect(findAll(docs, 'HTTPRoute')).toEqual([]);
    expect(warnings(chart)).toEqual([
      'CanaryRoute test/checkout: VirtualService in ambient namespace "payments" is alpha (served by the waypoint); prefer TrafficApi.GATEWAY_API',
    ]);
  });
});
