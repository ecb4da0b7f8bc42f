import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { RequestMatch } from '../../lib';
import { ResilienceIntent, RoutingIntent } from '../../lib/traffic/intents';
import { httpRouteRules } from '../../lib/traffic/render-gateway';
import { istioHttpRules } from '../../lib/traffic/render-istio';
import { testChart } from '../util';

// Renderers of the traffic model, tested directly: HTTPRoute `retry` is experimental-channel only
// (https://gateway-api.sigs.k8s.io/reference/spec/#httprouteretry); synthValid checks the standard
// channel, so the end-to-end experimental test lives in resilient-service.test.ts.

const service = { name: 'ratings', namespace: 'shop', port: 9080, host: 'ratings.shop.svc.cluster.local' };

function resilience(extra: Partial<ResilienceIntent>): ResilienceIntent {
  return { construct: new Construct(testChart().chart, 'rs'), allowVirtualServiceInAmbient: false, ...extra };
}

function routing(extra: Partial<RoutingIntent> = {}): RoutingIntent {
  return {
    construct: new Construct(testChart().chart, 'cr'), allowVirtualServiceInAmbient: false, stableVersion: 'v1', canaryVersion: 'v2',
    versionLabel: 'version', canaryWeight: 10, canaryMatches: [], meshTraffic: true, selector: { app: 'ratings' }, targetPort: 9080, ...extra,
  };
}

describe('Gateway API experimental retry', () => {
  test('retry with attempts and status codes; perTryTimeout becomes timeouts.backendRequest', () => {
    const r = resilience({ timeout: Duration.seconds(3), retries: { attempts: 2, perTryTimeout: Duration.seconds(1), retryOn: [503, 504] } });
    expect(httpRouteRules({ service, resilience: r })).toEqual([{
      backendRefs: [{ name: 'ratings', port: 9080 }],
      retry: { attempts: 2, codes: [503, 504] },
      timeouts: { request: '3s', backendRequest: '1s' },
    }]);
  });

  test('Envoy retry conditions Istio does not imply cannot be expressed (HTTPRouteRetry has only codes); the ones it implies and gateway-error can', () => {
    // Istio converts HTTPRoute retry to retryOn connect-failure,refused-stream,unavailable,cancelled,<codes>
    // (pilot/pkg/config/kube/gateway conversion), so those conditions are implied; gateway-error = 502, 503, 504.
    const r = resilience({ retries: { attempts: 1, retryOn: ['5xx'] } });
    expect(() => httpRouteRules({ service, resilience: r })).toThrow('Construct test/rs: retries.retryOn[0] must be a status code 400..599, gateway-error or one of connect-failure, refused-stream, unavailable, cancelled (what Gateway API retry can express), got "5xx"');
    const ok = resilience({ retries: { attempts: 1, retryOn: ['connect-failure', 'gateway-error', 429] } });
    expect(httpRouteRules({ service, resilience: ok })[0].retry).toEqual({ attempts: 1, codes: [429, 502, 503, 504] });
  });

  test('backendRequest longer than request is rejected (CEL rule of the CRD)', () => {
    const r = resilience({ timeout: Duration.seconds(1), retries: { attempts: 1, perTryTimeout: Duration.seconds(2) } });
    expect(() => httpRouteRules({ service, resilience: r })).toThrow('Construct test/rs: retries.perTryTimeout must be at most timeout (1000ms): Gateway API rejects a backendRequest timeout longer than the request timeout, got 2000ms');
  });
});

describe('Istio retryMethods with canary matches', () => {
  test('each canary match is ANDed with the method condition; unmatched methods keep the retries safe for any method (#15.10)', () => {
    const r = resilience({ retries: { attempts: 2 }, istioRetries: { attempts: 2 }, retryMethods: ['GET'] });
    const c = routing({ canaryMatches: [RequestMatch.header('x-canary', 'true')] });
    const names = istioHttpRules({ service, routing: c, resilience: r }).map((rule: any) => [rule.name, rule.match, rule.retries]);
    expect(names).toEqual([
      ['canary-match-retry', [{ headers: { 'x-canary': { exact: 'true' } }, method: { exact: 'GET' } }], { attempts: 2 }],
      ['canary-match', [{ headers: { 'x-canary': { exact: 'true' } } }], { attempts: 2, retryOn: 'connect-failure,refused-stream,reset-before-request' }],
      ['weighted-retry', [{ method: { exact: 'GET' } }], { attempts: 2 }],
      ['weighted', undefined, { attempts: 2, retryOn: 'connect-failure,refused-stream,reset-before-request' }],
    ]);
  });

  test('a canary match that tests a method keeps it: retried only if that method is listed', () => {
    const r = resilience({ retries: { attempts: 2 }, istioRetries: { attempts: 2 }, retryMethods: ['GET'] });
    const c = routing({ canaryMatches: [RequestMatch.method('POST'), RequestMatch.method('GET').and(RequestMatch.pathPrefix('/a'))] });
    const rules = istioHttpRules({ service, routing: c, resilience: r }).map((rule: any) => [rule.name, rule.match, rule.retries]);
    expect(rules.slice(0, 2)).toEqual([
      ['canary-match-retry', [{ method: { exact: 'GET' }, uri: { prefix: '/a' } }], { attempts: 2 }],
      ['canary-match', [{ method: { exact: 'POST' } }, { method: { exact: 'GET' }, uri: { prefix: '/a' } }], { attempts: 2, retryOn: 'connect-failure,refused-stream,reset-before-request' }],
    ]);
  });
});
