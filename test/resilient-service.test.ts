import { Duration, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { GatewayApiChannel, LoadBalancer, MeshContext, MeshSimulation, RequestMatch, ResilientService, ResilientServiceProps, Retries, TrafficApi, ConsistentHash } from '../lib';
import { validateManifests } from '../lib/tools';
import { appService, dest, emitted, errorName, thrown, warnings } from './traffic/helpers';
import { findOne, synthValid, testChart } from './util';

const RATINGS = 'ratings.shop.svc.cluster.local';

function ratingsChart() {
  const t = testChart();
  appService(t.chart, 'ratings', 9080);
  return t;
}

function props(extra: Partial<ResilientServiceProps>): ResilientServiceProps {
  return { service: { name: 'ratings', port: 9080 }, ...extra };
}

const vs = (http: unknown[]) => ({
  apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'ratings', namespace: 'shop' },
  spec: { hosts: [RATINGS], http },
});
const dr = (trafficPolicy: unknown, name = 'ratings', host = RATINGS) => ({
  apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name, namespace: 'shop' }, spec: { host, trafficPolicy },
});
const RETRIES = { attempts: 2, perTryTimeout: Duration.millis(800), retryOn: ['gateway-error' as const, 'connect-failure' as const] };

describe('ResilientService, Istio target', () => {
  test('timeout + retries: one route with timeout and retries (attempts = retries after the first try)', () => {
    // GIVEN
    const { chart } = ratingsChart();
    // WHEN
    const rs = new ResilientService(chart, 'ratings', props({ timeout: Duration.seconds(3), retries: RETRIES }));
    // THEN
    expect(emitted(synthValid(chart))).toEqual([vs([{
      name: 'default', route: [{ destination: dest('ratings', 9080) }], timeout: '3s',
      retries: { attempts: 2, perTryTimeout: '800ms', retryOn: 'gateway-error,connect-failure' },
    }])]);
    expect(rs.maxTries).toBe(3);
    expect(rs.api).toBe(TrafficApi.ISTIO);
    expect(warnings(chart)).toEqual([]);
  });

  test('Retries.none() disables Istio\'s default two retries with attempts: 0', () => {
    const { chart } = ratingsChart();
    new ResilientService(chart, 'ratings', props({ retries: Retries.none() }));
    expect(findOne(synthValid(chart), 'VirtualService').spec.http).toEqual([{ name: 'default', route: [{ destination: dest('ratings', 9080) }], retries: { attempts: 0 } }]);
  });

  test('circuit breaker + outlier detection: DestinationRule trafficPolicy only, no VirtualService; info about locality failover', () => {
    // GIVEN
    const { chart } = ratingsChart();
    // WHEN
    new ResilientService(chart, 'ratings', props({
      circuitBreaker: { maxConnections: 100, maxPendingRequests: 50, maxRequestsPerConnection: 10, maxRetries: 3 },
      outlierDetection: { consecutive5xxErrors: 5, interval: Duration.seconds(10), baseEjectionTime: Duration.seconds(30), maxEjectionPercent: 50 },
    }));
    // THEN
    expect(emitted(synthValid(chart))).toEqual([dr({
      connectionPool: { tcp: { maxConnections: 100 }, http: { http1MaxPendingRequests: 50, maxRequestsPerConnection: 10, maxRetries: 3 } },
      outlierDetection: { consecutive5xxErrors: 5, interval: '10s', baseEjectionTime: '30s', maxEjectionPercent: 50 },
    })]);
    expect(warnings(chart)).toEqual([]);
    expect(MeshContext.of(chart).infos.map(i => i.message)).toEqual([
      'ResilientService test/ratings: outlierDetection also enables locality failover for this host (Istio turns it on with outlier detection)',
    ]);
  });

  test.each([
    ['roundRobin', LoadBalancer.roundRobin(), { simple: 'ROUND_ROBIN' }],
    ['leastRequest', LoadBalancer.leastRequest(), { simple: 'LEAST_REQUEST' }],
    ['random', LoadBalancer.random(), { simple: 'RANDOM' }],
    ['consistentHash.header', ConsistentHash.header('x-user'), { consistentHash: { httpHeaderName: 'x-user' } }],
    ['consistentHash.cookie', ConsistentHash.cookie('session', { ttl: Duration.hours(1), path: '/' }),
      { consistentHash: { httpCookie: { name: 'session', ttl: '1h', path: '/' } } }],
    ['consistentHash.sourceIp + maglev', ConsistentHash.sourceIp({ maglevTableSize: 65537 }),
      { consistentHash: { useSourceIp: true, maglev: { tableSize: 65537 } } }],
    ['consistentHash.queryParam + ring', ConsistentHash.queryParam('user', { ringSize: 2048 }),
      { consistentHash: { httpQueryParameterName: 'user', ringHash: { minimumRingSize: 2048 } } }],
  ])('load balancer %s', (_name, lb, expected) => {
    // GIVEN
    const { chart } = ratingsChart();
    // WHEN
    new ResilientService(chart, 'ratings', props({ loadBalancer: lb as LoadBalancer }));
    // THEN
    expect(emitted(synthValid(chart))).toEqual([dr({ loadBalancer: expected })]);
  });

  test('header-gated fault: its own rule ahead of the normal route, which keeps timeout and retries', () => {
    // GIVEN
    const { chart } = ratingsChart();
    // WHEN
    new ResilientService(chart, 'ratings', props({
      timeout: Duration.seconds(3), retries: { attempts: 1 },
      faults: { delay: { percent: 5, duration: Duration.seconds(2) }, abort: { percent: 0.5, httpStatus: 503 }, when: [RequestMatch.header('x-chaos', 'on')] },
    }));
    // THEN
    expect(emitted(synthValid(chart))).toEqual([vs([
      {
        name: 'fault-injection', match: [{ headers: { 'x-chaos': { exact: 'on' } } }], route: [{ destination: dest('ratings', 9080) }],
        fault: { delay: { percentage: { value: 5 }, fixedDelay: '2s' }, abort: { percentage: { value: 0.5 }, httpStatus: 503 } },
      },
      { name: 'default', route: [{ destination: dest('ratings', 9080) }], timeout: '3s', retries: { attempts: 1 } },
    ])]);
  });

  test('a fault on all traffic without timeout or retries goes on the route', () => {
    const { chart } = ratingsChart();
    new ResilientService(chart, 'ratings', props({ faults: { abort: { percent: 10, httpStatus: 500 } } }));
    expect(findOne(synthValid(chart), 'VirtualService').spec.http).toEqual([
      { name: 'default', route: [{ destination: dest('ratings', 9080) }], fault: { abort: { percentage: { value: 10 }, httpStatus: 500 } } },
    ]);
  });

  // #15.10: the other methods keep the retries that are safe for any method (the request never
  // reached the application): Envoy's connect-failure, refused-stream, reset-before-request, all
  // accepted in Istio's retryOn (istio/istio 1.30.3 pkg/config/validation/validation.go).
  test('#15.10 retryMethods: a retried rule for those methods, then the same rule keeping only the retries safe for any method', () => {
    const { chart } = ratingsChart();
    new ResilientService(chart, 'ratings', props({ retries: { attempts: 2, perTryTimeout: Duration.seconds(1) }, retryMethods: ['GET', 'HEAD'] }));
    expect(findOne(synthValid(chart), 'VirtualService').spec.http).toEqual([
      {
        name: 'default-retry', match: [{ method: { regex: '^(GET|HEAD)$' } }], route: [{ destination: dest('ratings', 9080) }],
        retries: { attempts: 2, perTryTimeout: '1s' },
      },
      {
        name: 'default', route: [{ destination: dest('ratings', 9080) }],
        retries: { attempts: 2, perTryTimeout: '1s', retryOn: 'connect-failure,refused-stream,reset-before-request' },
      },
    ]);
    expect(warnings(chart)).toEqual([]);
  });

  test('#15.10 retryMethods with explicit conditions: the other methods keep the safe part of them, or none', () => {
    const rules = (retryOn: Array<'5xx' | 'connect-failure'>) => {
      const { chart } = ratingsChart();
      new ResilientService(chart, 'ratings', props({ retries: { attempts: 3, retryOn }, retryMethods: ['GET'] }));
      return findOne(synthValid(chart), 'VirtualService').spec.http.map((r: any) => r.retries);
    };
    expect(rules(['5xx', 'connect-failure'])).toEqual([
      { attempts: 3, retryOn: '5xx,connect-failure' },
      { attempts: 3, retryOn: 'connect-failure' },
    ]);
    expect(rules(['5xx'])).toEqual([{ attempts: 3, retryOn: '5xx' }, { attempts: 0 }]);
  });

  test('synthesizing twice gives identical output', () => {
    const { chart } = ratingsChart();
    new ResilientService(chart, 'ratings', props({ timeout: Duration.seconds(1), circuitBreaker: { maxConnections: 1 } }));
    expect(Testing.synth(chart)).toEqual(synthValid(chart));
  });
});

describe('ResilientService, Gateway API target', () => {
  test('timeouts.request on the HTTPRoute (Gateway API duration), connection policies in a DestinationRule', () => {
    // GIVEN
    const { chart } = ratingsChart();
    // WHEN
    new ResilientService(chart, 'ratings', props({ api: TrafficApi.GATEWAY_API, timeout: Duration.millis(1500), circuitBreaker: { maxConnections: 10 } }));
    // THEN
    expect(emitted(synthValid(chart))).toEqual([
      {
        apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'ratings', namespace: 'shop' },
        spec: {
          parentRefs: [{ group: '', kind: 'Service', name: 'ratings', port: 9080 }],
          rules: [{ backendRefs: [{ name: 'ratings', port: 9080 }], timeouts: { request: '1s500ms' } }],
        },
      },
      dr({ connectionPool: { tcp: { maxConnections: 10 } } }),
    ]);
  });

  test('retries on an App that targets the standard channel fail synth with the reason (the construct never changes the channel)', () => {
    const { app, chart } = ratingsChart();
    new ResilientService(chart, 'ratings', props({ api: TrafficApi.GATEWAY_API, retries: { attempts: 2 } }));
    expect(() => Testing.synth(chart))
      .toThrow('\n  ResilientService test/ratings: retries need HTTPRoute rules[].retry, which is Gateway API experimental-channel only, but the App targets the standard channel (whose CRDs drop it silently); install the experimental-channel CRDs and set MeshContext.of(app).gatewayApiChannel = GatewayApiChannel.EXPERIMENTAL, or use TrafficApi.ISTIO');
    expect(MeshContext.of(app).gatewayApiChannel).toBe(GatewayApiChannel.STANDARD);
  });

  test('retries on an App that targets the experimental channel: HTTPRoute retry, validated against the experimental channel', () => {
    // GIVEN
    const { app, chart } = ratingsChart();
    MeshContext.of(app).gatewayApiChannel = GatewayApiChannel.EXPERIMENTAL;
    // WHEN
    new ResilientService(chart, 'ratings', props({
      api: TrafficApi.GATEWAY_API, timeout: Duration.seconds(3),
      retries: { attempts: 2, perTryTimeout: Duration.seconds(1), retryOn: [503] },
    }));
    // THEN: https://gateway-api.sigs.k8s.io/reference/spec/#httprouteretry (experimental channel)
    const docs = Testing.synth(chart);
    expect(validateManifests(docs, { gatewayApiChannel: 'experimental' }).filter(d => d.severity === 'error')).toEqual([]);
    expect(findOne(docs, 'HTTPRoute').spec.rules).toEqual([{
      backendRefs: [{ name: 'ratings', port: 9080 }],
      retry: { attempts: 2, codes: [503] },
      timeouts: { request: '3s', backendRequest: '1s' },
    }]);
  });

  test('faults fail: HTTPRoute has no fault injection', () => {
    expect(() => new ResilientService(testChart().chart, 'ratings', props({ api: TrafficApi.GATEWAY_API, faults: { abort: { percent: 1, httpStatus: 503 } } })))
      .toThrow('ResilientService test/ratings: faults cannot be expressed with TrafficApi.GATEWAY_API: HTTPRoute has no fault-injection field; use TrafficApi.ISTIO');
  });
});

describe('ResilientService warnings', () => {
  test('perTryTimeout x (1 + attempts) longer than timeout', () => {
    const { chart } = ratingsChart();
    new ResilientService(chart, 'ratings', props({ timeout: Duration.seconds(2), retries: RETRIES }));
    synthValid(chart);
    expect(warnings(chart)).toEqual([
      'ResilientService test/ratings: retries: perTryTimeout 800ms x 3 tries (1 + attempts) = 2s400ms exceeds timeout 2s: the timeout ends the request before the last retries can run',
    ]);
  });

  test('retries scoped to non-idempotent methods', () => {
    const { chart } = ratingsChart();
    new ResilientService(chart, 'ratings', props({ retries: { attempts: 1 }, retryMethods: ['GET', 'POST'] }));
    synthValid(chart);
    expect(warnings(chart)).toEqual([
      'ResilientService test/ratings: retryMethods includes POST, which are not idempotent: a retry can repeat a side effect (e.g. a double charge)',
    ]);
  });
});

describe('ResilientService, bad input', () => {
  const make = (extra: Partial<ResilientServiceProps>) => () => new ResilientService(testChart().chart, 'ratings', props(extra));
  const prefix = 'ResilientService test/ratings: ';

  test.each([
    ['negative count', { circuitBreaker: { maxConnections: -1 } }, 'circuitBreaker.maxConnections must be an integer 1..2147483647, got -1'],
    ['non-integer count', { circuitBreaker: { maxPendingRequests: 1.5 } }, 'circuitBreaker.maxPendingRequests must be an integer 1..2147483647, got 1.5'],
    ['non-integer attempts', { retries: { attempts: 1.5 } }, 'retries.attempts must be an integer 0..2147483647, got 1.5'],
    ['negative outlier count', { outlierDetection: { consecutive5xxErrors: -2 } }, 'outlierDetection.consecutive5xxErrors must be an integer 0..4294967295, got -2'],
    ['maxEjectionPercent > 100', { outlierDetection: { maxEjectionPercent: 150 } }, 'outlierDetection.maxEjectionPercent must be an integer 0..100, got 150'],
    ['fault percent > 100', { faults: { abort: { percent: 101, httpStatus: 503 } } }, 'faults.abort.percent must be a number 0..100 (fractions down to 0.0001 allowed), got 101'],
    ['fault percent below 0.0001', { faults: { delay: { percent: 0.00001, duration: Duration.seconds(1) } } }, 'faults.delay.percent must be a number 0..100 (fractions down to 0.0001 allowed), got 0.00001'],
    ['duration below 1ms', { timeout: Duration.millis(0) }, 'timeout must be a whole number of milliseconds, at least 1ms (Istio durations), got 0ms'],
    ['sub-millisecond duration', { retries: { attempts: 1, perTryTimeout: Duration.millis(1.5) } }, 'retries.perTryTimeout must be a whole number of milliseconds, at least 1ms (Istio durations), got 1.5ms'],
    ['httpStatus 600', { faults: { abort: { percent: 1, httpStatus: 600 } } }, 'faults.abort.httpStatus must be an integer 200..599, got 600'],
    ['httpStatus 199', { faults: { abort: { percent: 1, httpStatus: 199 } } }, 'faults.abort.httpStatus must be an integer 200..599, got 199'],
    ['maglev size not prime', { loadBalancer: ConsistentHash.sourceIp({ maglevTableSize: 65536 }) }, 'loadBalancer.maglevTableSize must be a prime number up to 5000011 (e.g. 65537), got 65536'],
    ['maglev size too large', { loadBalancer: ConsistentHash.sourceIp({ maglevTableSize: 5000101 }) }, 'loadBalancer.maglevTableSize must be an integer 2..5000011, got 5000101'],
    ['ring size 0', { loadBalancer: ConsistentHash.header('x', { ringSize: 0 }) }, 'loadBalancer.ringSize must be an integer 1..8388608, got 0'],
    ['cookie without a name', { loadBalancer: ConsistentHash.cookie('') }, 'loadBalancer.consistentHash.cookie must be a non-empty name (an HTTP token), got ""'],
  ] as Array<[string, Partial<ResilientServiceProps>, string]>)('%s', (_name, extra, message) => {
    expect(make(extra)).toThrow(prefix + message);
  });

  test('an unknown retryOn token', () => {
    expect(make({ retries: { attempts: 1, retryOn: ['bogus' as any] } })).toThrow(/^ResilientService test\/ratings: retries\.retryOn\[0\] must be an HTTP status code 100\.\.599 or one of 5xx, gateway-error/);
  });

  test('attempts 0 with other retry fields', () => {
    expect(make({ retries: { attempts: 0, perTryTimeout: Duration.seconds(1) } }))
      .toThrow(`${prefix}retries: attempts is 0 (retries disabled), so perTryTimeout and retryOn must not be set; use Retries.none() to disable retries or set attempts >= 1`);
  });

  test('maglev and ring size together', () => {
    expect(make({ loadBalancer: ConsistentHash.header('x', { ringSize: 1024, maglevTableSize: 65537 }) }))
      .toThrow(`${prefix}loadBalancer: set maglevTableSize or ringSize, not both (they select different hashing algorithms)`);
  });

  test('a fault on all traffic together with retries or a timeout explains the Istio rule', () => {
    expect(make({ timeout: Duration.seconds(1), faults: { abort: { percent: 1, httpStatus: 503 } } }))
      .toThrow(`${prefix}faults on all traffic cannot be combined with timeout or retries: Istio disables timeouts and retries on a route that injects faults; gate the fault with faults.when (e.g. RequestMatch.header('x-chaos', 'on')) or drop timeout/retries`);
  });

  test('nothing to do', () => {
    expect(make({})).toThrow(`${prefix}set at least one of timeout, retries, circuitBreaker, outlierDetection, loadBalancer or faults`);
  });

  test('two ResilientServices on one service fail synth naming both', () => {
    const { chart } = ratingsChart();
    new ResilientService(chart, 'a', props({ timeout: Duration.seconds(1) }));
    new ResilientService(chart, 'b', props({ timeout: Duration.seconds(2) }));
    expect(() => Testing.synth(chart)).toThrow('ResilientService test/b: conflicts with ResilientService test/a: both set resilience for ratings.shop.svc.cluster.local; one ResilientService per service (merge them into one)');
  });

  test('rejected input is a MeshError, never a TypeError (property)', () => {
    const bad = fc.oneof(
      fc.record({ timeout: fc.double({ min: 0, max: 0.999, noNaN: true }).map(ms => Duration.millis(ms)) }),
      fc.record({ retries: fc.record({ attempts: fc.oneof(fc.integer({ max: -1 }), fc.double({ noInteger: true })) }) }),
      fc.record({ circuitBreaker: fc.record({ maxConnections: fc.oneof(fc.integer({ max: 0 }), fc.constant('10' as unknown as number)) }) }),
      fc.record({ faults: fc.record({ abort: fc.record({ percent: fc.integer({ min: 0, max: 100 }), httpStatus: fc.oneof(fc.integer({ max: 199 }), fc.integer({ min: 600 })) }) }) }),
      fc.record({ faults: fc.constant(null as any) }),
    );
    fc.assert(fc.property(bad, (extra) => {
      expect(errorName(thrown(make(extra as Partial<ResilientServiceProps>)))).toBe('MeshError');
    }), { numRuns: 100 });
  });
});

describe('ResilientService, accepted input (property)', () => {
  test('timeouts, retries and limits in range synthesize valid output for both targets', () => {
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 600_000 }),
      fc.integer({ min: 0, max: 10 }),
      fc.integer({ min: 1, max: 100_000 }),
      fc.constantFrom(TrafficApi.ISTIO, TrafficApi.GATEWAY_API),
      (timeoutMs, attempts, maxConnections, api) => {
        const { chart } = ratingsChart();
        const retries = api === TrafficApi.ISTIO ? (attempts === 0 ? Retries.none() : { attempts }) : undefined;
        new ResilientService(chart, 'ratings', props({ api, timeout: Duration.millis(timeoutMs), retries, circuitBreaker: { maxConnections } }));
        const docs = synthValid(chart);
        expect(findOne(docs, 'DestinationRule').spec.trafficPolicy.connectionPool.tcp.maxConnections).toBe(maxConnections);
      },
    ), { numRuns: 40 });
  });
});

describe('ResilientService through the simulator', () => {
  const FROM = { namespace: 'shop', serviceAccount: 'reviews' };
  const TO = { host: 'ratings', port: 9080 };

  test('timeout + retries: 3 s per request, 2 retries of 800 ms each on the conditions given', () => {
    const { chart } = ratingsChart();
    new ResilientService(chart, 'ratings', props({ timeout: Duration.seconds(3), retries: RETRIES }));
    const r = MeshSimulation.fromManifests(synthValid(chart)).request({ from: FROM, to: TO });
    expect([r.allowed, r.route?.resource, r.route?.timeoutMs, r.route?.retries]).toEqual([
      true, 'VirtualService shop/ratings', 3000, { attempts: 2, perTryTimeoutMs: 800, retryOn: 'gateway-error,connect-failure' }]);
  });

  test('Retries.none(): no retries at all (without a policy Istio would retry twice)', () => {
    const { chart } = ratingsChart();
    const none = MeshSimulation.fromManifests(synthValid(chart)).request({ from: FROM, to: TO });
    new ResilientService(chart, 'ratings', props({ retries: Retries.none() }));
    const r = MeshSimulation.fromManifests(synthValid(chart)).request({ from: FROM, to: TO });
    expect([none.route?.resource, none.route?.retries.attempts, r.route?.resource, r.route?.retries]).toEqual(['Service shop/ratings', 2, 'VirtualService shop/ratings', { attempts: 0 }]);
  });

  test('header-gated fault: x-chaos: on gets the fault (and no retries or timeout), other requests keep timeout and retries', () => {
    const { chart } = ratingsChart();
    new ResilientService(chart, 'ratings', props({
      timeout: Duration.seconds(3), retries: { attempts: 1 },
      faults: { delay: { percent: 5, duration: Duration.seconds(2) }, abort: { percent: 0.5, httpStatus: 503 }, when: [RequestMatch.header('x-chaos', 'on')] },
    }));
    const mesh = MeshSimulation.fromManifests(synthValid(chart));
    const chaos = mesh.request({ from: FROM, to: TO, headers: { 'x-chaos': 'on' } });
    const normal = mesh.request({ from: FROM, to: TO });
    expect([chaos.route?.rule, chaos.route?.fault, chaos.route?.retries, chaos.route?.timeoutMs]).toEqual([
      0, { delay: { fixedDelayMs: 2000, percent: 5 }, abort: { httpStatus: 503, percent: 0.5 } }, { attempts: 0 }, undefined]);
    expect([normal.route?.rule, normal.route?.fault, normal.route?.retries.attempts, normal.route?.timeoutMs]).toEqual([1, undefined, 1, 3000]);
  });

  test('Gateway API: timeouts.request on the HTTPRoute', () => {
    const { chart } = ratingsChart();
    new ResilientService(chart, 'ratings', props({ api: TrafficApi.GATEWAY_API, timeout: Duration.millis(1500), circuitBreaker: { maxConnections: 10 } }));
    const r = MeshSimulation.fromManifests(synthValid(chart)).request({ from: FROM, to: TO });
    expect([r.route?.resource, r.route?.timeoutMs]).toEqual(['HTTPRoute shop/ratings', 1500]);
  });
});
