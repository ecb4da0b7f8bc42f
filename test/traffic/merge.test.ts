import { Chart, Duration, Testing } from 'cdk8s';
import { CanaryRoute, LoadBalancer, RequestMatch, ResilientService, TrafficApi } from '../../lib';
import { findOne, synthValid, testChart } from '../util';
import { appService, dest, emitted } from './helpers';

// One owner per host (DESIGN.md): a CanaryRoute and a ResilientService on the same service merge
// into one VirtualService / DestinationRule (Istio) or one HTTPRoute per parent (Gateway API).

const REVIEWS = 'reviews.shop.svc.cluster.local';
const service = { name: 'reviews', port: 9080 };

function setup() {
  const t = testChart();
  appService(t.chart, 'reviews', 9080);
  return t;
}

describe('CanaryRoute + ResilientService on one service', () => {
  test('Istio: one VirtualService with retries/timeout on every route, one DestinationRule with trafficPolicy and subsets', () => {
    // GIVEN
    const { chart } = setup();
    // WHEN
    new CanaryRoute(chart, 'canary', { service, stableVersion: 'v1', canaryVersion: 'v2', canaryWeight: 10, canaryMatches: [RequestMatch.header('x-canary', 'true')] });
    new ResilientService(chart, 'resilience', {
      service, timeout: Duration.seconds(3), retries: { attempts: 2, retryOn: ['5xx'] },
      circuitBreaker: { maxConnections: 100 }, loadBalancer: LoadBalancer.random(),
    });
    // THEN
    expect(emitted(synthValid(chart))).toEqual([
      {
        apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'reviews', namespace: 'shop' },
        spec: {
          hosts: [REVIEWS],
          http: [
            {
              name: 'canary-match', match: [{ headers: { 'x-canary': { exact: 'true' } } }],
              route: [{ destination: dest('reviews', 9080, 'canary') }], timeout: '3s', retries: { attempts: 2, retryOn: '5xx' },
            },
            {
              name: 'weighted', timeout: '3s', retries: { attempts: 2, retryOn: '5xx' },
              route: [{ destination: dest('reviews', 9080, 'stable'), weight: 90 }, { destination: dest('reviews', 9080, 'canary'), weight: 10 }],
            },
          ],
        },
      },
      {
        apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'reviews', namespace: 'shop' },
        spec: {
          host: REVIEWS,
          trafficPolicy: { connectionPool: { tcp: { maxConnections: 100 } }, loadBalancer: { simple: 'RANDOM' } },
          subsets: [{ name: 'stable', labels: { version: 'v1' } }, { name: 'canary', labels: { version: 'v2' } }],
        },
      },
    ]);
  });

  test('Istio: a header-gated fault comes first and routes with the canary split', () => {
    const { chart } = setup();
    new ResilientService(chart, 'resilience', { service, faults: { abort: { percent: 100, httpStatus: 503 }, when: [RequestMatch.header('x-chaos', 'on')] } });
    new CanaryRoute(chart, 'canary', { service, stableVersion: 'v1', canaryVersion: 'v2', canaryWeight: 50 });
    expect(findOne(synthValid(chart), 'VirtualService').spec.http.map((r: any) => [r.name, r.route.map((d: any) => d.weight)])).toEqual([
      ['fault-injection-weighted', [50, 50]],
      ['weighted', [50, 50]],
    ]);
  });

  test('the declaration order does not change the objects', () => {
    const a = setup();
    new CanaryRoute(a.chart, 'canary', { service, stableVersion: 'v1', canaryVersion: 'v2', canaryWeight: 10 });
    new ResilientService(a.chart, 'resilience', { service, timeout: Duration.seconds(1) });
    const b = setup();
    new ResilientService(b.chart, 'resilience', { service, timeout: Duration.seconds(1) });
    new CanaryRoute(b.chart, 'canary', { service, stableVersion: 'v1', canaryVersion: 'v2', canaryWeight: 10 });
    const byKind = (docs: any[]) => [...emitted(docs)].sort((x, y) => x.kind.localeCompare(y.kind));
    expect(byKind(synthValid(b.chart))).toEqual(byKind(synthValid(a.chart)));
  });

  test('Gateway API: timeouts on every HTTPRoute rule, per-version Services, a DestinationRule per backend host', () => {
    // GIVEN
    const { chart } = setup();
    // WHEN
    const canary = new CanaryRoute(chart, 'canary', { service, stableVersion: 'v1', canaryVersion: 'v2', canaryWeight: 10, api: TrafficApi.GATEWAY_API, canaryMatches: [RequestMatch.header('x-canary', 'true')] });
    new ResilientService(chart, 'resilience', { service, api: TrafficApi.GATEWAY_API, timeout: Duration.seconds(5), outlierDetection: { consecutive5xxErrors: 3 } });
    const docs = synthValid(chart);
    // THEN
    const policy = { outlierDetection: { consecutive5xxErrors: 3 } };
    const drFor = (name: string) => ({
      apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name, namespace: 'shop' },
      spec: { host: `${name}.shop.svc.cluster.local`, trafficPolicy: policy },
    });
    const svc = (version: string) => ({
      apiVersion: 'v1', kind: 'Service', metadata: { name: `reviews-${version}`, namespace: 'shop' },
      spec: { selector: { app: 'reviews', version }, ports: [{ name: 'http', port: 9080, targetPort: 9080 }] },
    });
    expect(emitted(docs)).toEqual([
      {
        apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'reviews', namespace: 'shop' },
        spec: {
          parentRefs: [{ group: '', kind: 'Service', name: 'reviews', port: 9080 }],
          rules: [
            { matches: [{ headers: [{ type: 'Exact', name: 'x-canary', value: 'true' }] }], backendRefs: [{ name: 'reviews-v2', port: 9080 }], timeouts: { request: '5s' } },
            { backendRefs: [{ name: 'reviews-v1', port: 9080, weight: 90 }, { name: 'reviews-v2', port: 9080, weight: 10 }], timeouts: { request: '5s' } },
          ],
        },
      },
      svc('v1'),
      svc('v2'),
      drFor('reviews'),
      drFor('reviews-v1'),
      drFor('reviews-v2'),
    ]);
    expect(canary.objects.destinationRules.length).toBe(3);
  });

  test('conflicting targets (VirtualService + HTTPRoute for one service) fail synth naming both constructs', () => {
    const { chart } = setup();
    new CanaryRoute(chart, 'canary', { service, stableVersion: 'v1', canaryVersion: 'v2', canaryWeight: 10, api: TrafficApi.ISTIO });
    new ResilientService(chart, 'resilience', { service, api: TrafficApi.GATEWAY_API, timeout: Duration.seconds(1) });
    expect(() => Testing.synth(chart)).toThrow('ResilientService test/resilience: conflicts with CanaryRoute test/canary: api resolves to TrafficApi.GATEWAY_API here and TrafficApi.ISTIO there for reviews.shop.svc.cluster.local; one service must not be routed by both a VirtualService and an HTTPRoute (set the same api on both)');
  });

  test('different ports of one host fail synth naming both constructs', () => {
    const { chart } = setup();
    new CanaryRoute(chart, 'canary', { service, stableVersion: 'v1', canaryVersion: 'v2', canaryWeight: 10 });
    new ResilientService(chart, 'resilience', { service: { name: 'reviews', port: 9081 }, timeout: Duration.seconds(1) });
    expect(() => Testing.synth(chart)).toThrow('ResilientService test/resilience: conflicts with CanaryRoute test/canary: service port 9081 differs from 9080 for reviews.shop.svc.cluster.local');
  });

  test('constructs in different charts of one App merge too', () => {
    const { app, chart } = setup();
    const other = new Chart(app, 'other', { namespace: 'ops' });
    new CanaryRoute(chart, 'canary', { service, stableVersion: 'v1', canaryVersion: 'v2', canaryWeight: 10 });
    new ResilientService(other, 'resilience', { service: { name: 'reviews', namespace: 'shop', port: 9080 }, timeout: Duration.seconds(1) });
    expect(findOne(synthValid(chart), 'VirtualService').spec.http[0].timeout).toBe('1s');
    expect(emitted(synthValid(other))).toEqual([]);
  });
});
