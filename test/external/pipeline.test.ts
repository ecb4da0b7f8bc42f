import { App, Chart, Duration, Testing } from 'cdk8s';
import { Egress } from '../../lib/egress';
import { ExternalApi } from '../../lib/external-api';
import * as direct from '../../lib/external/direct';
import * as gateway from '../../lib/external/gateway';
import * as model from '../../lib/external/model';
import * as waypoint from '../../lib/external/waypoint';
import { GatewayApiChannel, MeshContext } from '../../lib';
import { findOne, expectValid } from '../util';

// The one construct pipeline (#17): props are checked once in the constructor into a raw intent,
// the children exist from the constructor with lazy specs, and the pure renderers of lib/external
// turn the intent into specs once per synth.

const RENDERERS = [
  [model, 'serviceEntrySpec'], [model, 'hostDestinationRuleSpec'], [direct, 'directVirtualServiceSpec'],
  [gateway, 'egressGatewaySpec'], [gateway, 'gatewayVirtualServiceSpec'], [waypoint, 'waypointHttpRouteSpec'],
] as const;

function spies(): Record<string, jest.SpyInstance> {
  return Object.fromEntries(RENDERERS.map(([mod, name]) => [name, jest.spyOn(mod as any, name)]));
}

function twoCharts(): { app: App; shop: Chart } {
  const app = Testing.app();
  const shop = new Chart(app, 'shop', { namespace: 'shop' });
  new Chart(app, 'other', { namespace: 'other' });
  return { app, shop };
}

afterEach(() => jest.restoreAllMocks());

describe('ExternalApi: children from the constructor, rendered once per synth', () => {
  test('direct egress: ServiceEntry, DestinationRule and VirtualService exist before synth, each spec rendered once by app.synth()', () => {
    // GIVEN
    const calls = spies();
    const { app, shop } = twoCharts();
    // WHEN
    const api = new ExternalApi(shop, 'stripe', {
      host: 'api.stripe.com', tlsOrigination: true, timeout: Duration.seconds(5), retries: { attempts: 2, retryOn: ['gateway-error'] },
      circuitBreaker: { maxConnections: 10 },
    });
    // THEN: the objects are there, nothing is rendered yet
    expect([api.serviceEntry.kind, api.destinationRule?.kind, api.virtualService?.kind]).toEqual(['ServiceEntry', 'DestinationRule', 'VirtualService']);
    expect(Object.values(calls).map(c => c.mock.calls.length)).toEqual([0, 0, 0, 0, 0, 0]);
    app.synth();
    expect(Object.fromEntries(Object.entries(calls).map(([n, c]) => [n, c.mock.calls.length]))).toEqual({
      serviceEntrySpec: 1, hostDestinationRuleSpec: 1, directVirtualServiceSpec: 1,
      egressGatewaySpec: 0, gatewayVirtualServiceSpec: 0, waypointHttpRouteSpec: 0,
    });
  });

  test('direct egress: the spec rendered at synth is the checked intent (timeout, retries, connection limits, TLS origination)', () => {
    const { shop } = twoCharts();
    new ExternalApi(shop, 'stripe', {
      host: 'api.stripe.com', tlsOrigination: true, timeout: Duration.seconds(5), retries: { attempts: 2, retryOn: ['gateway-error'] },
      circuitBreaker: { maxConnections: 10 },
    });
    const docs = Testing.synth(shop);
    expectValid(docs);
    expect(findOne(docs, 'VirtualService').spec.http).toEqual([{
      timeout: '5s', retries: { attempts: 2, retryOn: 'gateway-error' },
      route: [{ destination: { host: 'api.stripe.com', port: { number: 80 } } }],
    }]);
    expect(findOne(docs, 'DestinationRule').spec.trafficPolicy).toEqual({
      portLevelSettings: [{ port: { number: 80 }, connectionPool: { tcp: { maxConnections: 10 } }, tls: { mode: 'SIMPLE', sni: 'api.stripe.com' } }],
    });
  });

  test('egress gateway: Gateway, VirtualService and both DestinationRules exist before synth, each spec rendered once', () => {
    const calls = spies();
    const { app, shop } = twoCharts();
    const api = new ExternalApi(shop, 'stripe', {
      host: 'api.stripe.com', tlsOrigination: true, timeout: Duration.seconds(3),
      egress: Egress.gateway({ namespace: 'istio-egress', selector: { istio: 'egressgateway' } }),
    });
    expect([api.egressGateway?.kind, api.egressGatewayDestinationRule?.kind, api.virtualService?.kind, api.destinationRule?.kind])
      .toEqual(['Gateway', 'DestinationRule', 'VirtualService', 'DestinationRule']);
    app.synth();
    expect(Object.fromEntries(Object.entries(calls).map(([n, c]) => [n, c.mock.calls.length]))).toEqual({
      serviceEntrySpec: 1, hostDestinationRuleSpec: 1, directVirtualServiceSpec: 0,
      egressGatewaySpec: 1, gatewayVirtualServiceSpec: 1, waypointHttpRouteSpec: 0,
    });
  });

  test('egress waypoint: the HTTPRoute exists before synth and is rendered once', () => {
    const calls = spies();
    const { app, shop } = twoCharts();
    MeshContext.of(app).gatewayApiChannel = GatewayApiChannel.EXPERIMENTAL;
    const api = new ExternalApi(shop, 'stripe', {
      host: 'api.stripe.com', tlsOrigination: true, retries: { attempts: 1 },
      egress: Egress.waypoint({ namespace: 'istio-egress', name: 'egress-waypoint' }),
    });
    expect(api.httpRoute?.kind).toBe('HTTPRoute');
    expect(api.virtualService).toBeUndefined();
    app.synth();
    expect(Object.fromEntries(Object.entries(calls).map(([n, c]) => [n, c.mock.calls.length]))).toEqual({
      serviceEntrySpec: 1, hostDestinationRuleSpec: 1, directVirtualServiceSpec: 0,
      egressGatewaySpec: 0, gatewayVirtualServiceSpec: 0, waypointHttpRouteSpec: 1,
    });
  });
});
