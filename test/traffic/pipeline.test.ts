import { App, Chart, Duration, Testing } from 'cdk8s';
import { CanaryRoute, ResilientService, TrafficApi } from '../../lib';
import * as gatewayRender from '../../lib/traffic/render-gateway';
import * as istioRender from '../../lib/traffic/render-istio';
import { synthValid } from '../util';
import { appService } from './helpers';

// The one construct pipeline (#17) for the traffic family: with an explicit `api` the objects exist
// from the constructors (each construct adds what it needs to the service's shared set); without
// one the API follows the namespace's dataplane, known once the App is complete, so they are
// created at synth. Either way each spec is rendered once per synth: the synth check's rendering is
// the one the objects hand to validation and output.

const service = { name: 'reviews', port: 9080 };
const canary = { service, stableVersion: 'v1', canaryVersion: 'v2', canaryWeight: 10 };

function app(): { app: App; shop: Chart } {
  const a = Testing.app();
  const shop = new Chart(a, 'shop', { namespace: 'shop' });
  appService(shop, 'reviews', 9080);
  new Chart(a, 'other', { namespace: 'other' });
  return { app: a, shop };
}

afterEach(() => jest.restoreAllMocks());

describe('traffic objects: eager with an explicit api, lazy specs rendered once per synth', () => {
  test('Istio: VirtualService and DestinationRule exist after the constructors; app.synth() renders each spec once', async () => {
    // GIVEN
    const vs = jest.spyOn(istioRender, 'meshVirtualServiceSpec');
    const dr = jest.spyOn(istioRender, 'destinationRuleSpec');
    const { app: a, shop } = app();
    // WHEN
    const resilience = new ResilientService(shop, 'resilience', { service, api: TrafficApi.ISTIO, circuitBreaker: { maxConnections: 10 } });
    const afterResilience = resilience.objects;
    const route = new CanaryRoute(shop, 'canary', { ...canary, api: TrafficApi.ISTIO });
    // THEN: each construct added what it needs, before synth and before any rendering
    expect(afterResilience.destinationRules.map(o => o.name)).toEqual(['reviews']);
    expect(afterResilience.virtualServices).toEqual([]);
    expect(route.objects.virtualServices.map(o => o.node.path)).toEqual(['shop/resilience/VirtualService']);
    expect(route.objects.destinationRules.map(o => o.node.path)).toEqual(['shop/resilience/DestinationRule']);
    expect(resilience.objects).toEqual(route.objects);
    expect([vs.mock.calls.length, dr.mock.calls.length]).toEqual([0, 0]);
    a.synth();
    expect([vs.mock.calls.length, dr.mock.calls.length]).toEqual([1, 1]);
    // A later synth renders afresh, once.
    await Promise.resolve();
    a.synth();
    expect([vs.mock.calls.length, dr.mock.calls.length]).toEqual([2, 2]);
  });

  test('Gateway API: the HTTPRoute and the per-version Services exist after the constructor and are rendered once', () => {
    const route = jest.spyOn(gatewayRender, 'meshHttpRouteSpec');
    const versions = jest.spyOn(gatewayRender, 'versionServiceSpec');
    const { app: a, shop } = app();
    const canaryRoute = new CanaryRoute(shop, 'canary', { ...canary, api: TrafficApi.GATEWAY_API });
    expect(canaryRoute.objects.httpRoutes.map(o => o.name)).toEqual(['reviews']);
    expect(canaryRoute.objects.services.map(o => o.name)).toEqual(['reviews-v1', 'reviews-v2']);
    a.synth();
    expect(route.mock.calls.length).toBe(1);
    expect(versions.mock.calls.map(c => c[1])).toEqual(['v1', 'v2']);
  });

  test('without api the objects are created at synth (the dataplane is known then); specs are rendered once all the same', () => {
    const vs = jest.spyOn(istioRender, 'meshVirtualServiceSpec');
    const { shop } = app();
    const route = new CanaryRoute(shop, 'canary', canary);
    expect(route.objects.virtualServices).toEqual([]);
    const docs = synthValid(shop);
    expect(docs.filter(d => d.kind === 'VirtualService').map(d => d.metadata.name)).toEqual(['reviews']);
    expect(route.objects.virtualServices.map(o => o.node.path)).toEqual(['shop/canary/VirtualService']);
    expect(vs.mock.calls.length).toBe(1);
  });

  test('an explicit api gives the same documents as the default it equals', () => {
    const explicit = app();
    new CanaryRoute(explicit.shop, 'canary', { ...canary, api: TrafficApi.ISTIO });
    new ResilientService(explicit.shop, 'resilience', { service, api: TrafficApi.ISTIO, timeout: Duration.seconds(2) });
    const implicit = app();
    new CanaryRoute(implicit.shop, 'canary', canary);
    new ResilientService(implicit.shop, 'resilience', { service, timeout: Duration.seconds(2) });
    expect(synthValid(explicit.shop)).toEqual(synthValid(implicit.shop));
  });
});
