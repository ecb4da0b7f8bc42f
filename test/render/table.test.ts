import { Duration, Testing } from 'cdk8s';
import { CircuitBreaker, Egress, ExternalApi, GatewayApiChannel, MeshContext, ResilientService, RetryPolicy, TrafficApi } from '../../lib';
import { appService } from '../traffic/helpers';
import { testChart } from '../util';

// One renderer per concept (lib/render/): the same retry policy, timeout or connection pool is
// accepted or rejected identically by every construct that takes it, per target API. Each case
// builds the construct and synthesizes; the outcome is `ok` or the error text after the
// construct's "Type path: " prefix (so the prop, the value and what is allowed must agree).

interface Input {
  readonly retries?: RetryPolicy;
  readonly timeout?: Duration;
  readonly circuitBreaker?: CircuitBreaker;
}

type Build = (input: Input) => string;

function outcome(type: string, run: () => void): string {
  try {
    run();
    return 'ok';
  } catch (e) {
    const message = (e as Error).message;
    const line = message.split('\n').map(l => l.trim()).find(l => l.startsWith(`${type} test/x: `));
    return line === undefined ? `unexpected: ${message}` : line.slice(`${type} test/x: `.length);
  }
}

function resilient(api: TrafficApi): Build {
  return input => {
    const { app, chart } = testChart();
    MeshContext.of(app).gatewayApiChannel = GatewayApiChannel.EXPERIMENTAL;
    appService(chart, 'ratings', 9080);
    return outcome('ResilientService', () => {
      new ResilientService(chart, 'x', { service: { name: 'ratings', port: 9080 }, api, ...input });
      Testing.synth(chart);
    });
  };
}

function external(egress: () => Egress): Build {
  return input => {
    const { app, chart } = testChart('payments');
    MeshContext.of(app).gatewayApiChannel = GatewayApiChannel.EXPERIMENTAL;
    return outcome('ExternalApi', () => {
      new ExternalApi(chart, 'x', { host: 'api.payments.example.com', tlsOrigination: true, egress: egress(), ...input });
      Testing.synth(chart);
    });
  };
}

const ISTIO: Record<string, Build> = {
  'ResilientService (Istio)': resilient(TrafficApi.ISTIO),
  'ExternalApi (direct, Istio)': external(() => Egress.direct()),
};
const GATEWAY_API: Record<string, Build> = {
  'ResilientService (Gateway API)': resilient(TrafficApi.GATEWAY_API),
  'ExternalApi (egress waypoint, Gateway API)': external(() => Egress.waypoint({ namespace: 'istio-egress', name: 'egress-waypoint' })),
};

const RETRY_CASES: Record<string, RetryPolicy> = {
  'codes and implied conditions': { attempts: 2, retryOn: ['connect-failure', 'gateway-error', 429] },
  'per-try timeout': { attempts: 1, perTryTimeout: Duration.seconds(1) },
  'Envoy-only condition 5xx': { attempts: 1, retryOn: ['5xx'] },
  'status code 302': { attempts: 1, retryOn: [302] },
  'status code 600': { attempts: 1, retryOn: [600] },
  'negative attempts': { attempts: -1 },
  'attempts 0': { attempts: 0 },
  'attempts 0 with retryOn': { attempts: 0, retryOn: ['5xx'] },
  'empty retryOn': { attempts: 1, retryOn: [] },
  'sub-millisecond per-try timeout': { attempts: 1, perTryTimeout: Duration.millis(0.5) },
};

const TIMEOUT_CASES: Record<string, Duration> = {
  '3s': Duration.seconds(3),
  '1500ms': Duration.millis(1500),
  '0ms': Duration.millis(0),
  '0.5ms': Duration.millis(0.5),
};

const POOL_CASES: Record<string, CircuitBreaker> = {
  'limits': { maxConnections: 10, maxPendingRequests: 5, connectTimeout: Duration.seconds(2) },
  'empty': {},
  'zero connections': { maxConnections: 0 },
  'fractional pending': { maxPendingRequests: 2.5 },
};

function table<T>(builders: Record<string, Build>, cases: Record<string, T>, input: (v: T) => Input): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(cases)) out[name] = Object.values(builders).map(b => b(input(value)));
  return out;
}

/** Each row: the outcome of every construct; all columns must be equal. */
function expectRowsAgree(rows: Record<string, string[]>): void {
  const disagreeing = Object.entries(rows).filter(([, outcomes]) => new Set(outcomes).size !== 1);
  expect(disagreeing).toEqual([]);
}

describe('one renderer per concept: every construct accepts and rejects the same input the same way', () => {
  test('retries, Istio target', () => {
    const rows = table(ISTIO, RETRY_CASES, retries => ({ retries, timeout: Duration.seconds(5) }));
    expectRowsAgree(rows);
    expect(Object.fromEntries(Object.entries(rows).map(([k, v]) => [k, v[0]]))).toEqual({
      'codes and implied conditions': 'ok',
      'per-try timeout': 'ok',
      'Envoy-only condition 5xx': 'ok',
      'status code 302': 'ok',
      'status code 600': 'retries.retryOn[0] must be an integer 100..599, got 600',
      'negative attempts': 'retries.attempts must be an integer 0..2147483647, got -1',
      'attempts 0': 'ok',
      'attempts 0 with retryOn': 'retries: attempts is 0 (retries disabled), so perTryTimeout and retryOn must not be set; use Retries.none() to disable retries or set attempts >= 1',
      'empty retryOn': 'retries.retryOn must be a non-empty list of retry conditions, got []',
      'sub-millisecond per-try timeout': 'retries.perTryTimeout must be a whole number of milliseconds, at least 1ms (Istio durations), got 0.5ms',
    });
  });

  test('retries, Gateway API target (HTTPRoute retry, experimental channel)', () => {
    const rows = table(GATEWAY_API, RETRY_CASES, retries => ({ retries, timeout: Duration.seconds(5) }));
    expectRowsAgree(rows);
    const expressible = 'a status code 400..599, gateway-error or one of connect-failure, refused-stream, unavailable, cancelled (what Gateway API retry can express)';
    expect(Object.fromEntries(Object.entries(rows).map(([k, v]) => [k, v[0]]))).toEqual({
      'codes and implied conditions': 'ok',
      'per-try timeout': 'ok',
      'Envoy-only condition 5xx': `retries.retryOn[0] must be ${expressible}, got "5xx"`,
      'status code 302': 'retries.retryOn[0] must be an integer 400..599, got 302',
      'status code 600': 'retries.retryOn[0] must be an integer 100..599, got 600',
      'negative attempts': 'retries.attempts must be an integer 0..2147483647, got -1',
      'attempts 0': 'retries.attempts 0 cannot be expressed with Gateway API (HTTPRouteRetry.attempts is at least 1; without retry the behaviour is implementation-specific); drop retries or target Istio',
      'attempts 0 with retryOn': 'retries: attempts is 0 (retries disabled), so perTryTimeout and retryOn must not be set; use Retries.none() to disable retries or set attempts >= 1',
      'empty retryOn': 'retries.retryOn must be a non-empty list of retry conditions, got []',
      'sub-millisecond per-try timeout': 'retries.perTryTimeout must be a whole number of milliseconds, at least 1ms (Istio durations), got 0.5ms',
    });
  });

  test('timeouts, both targets', () => {
    const istio = table(ISTIO, TIMEOUT_CASES, timeout => ({ timeout }));
    const gateway = table(GATEWAY_API, TIMEOUT_CASES, timeout => ({ timeout }));
    expectRowsAgree(istio);
    expectRowsAgree(gateway);
    expect(Object.fromEntries(Object.entries(istio).map(([k, v]) => [k, v[0]]))).toEqual({
      '3s': 'ok', '1500ms': 'ok',
      '0ms': 'timeout must be a whole number of milliseconds, at least 1ms (Istio durations), got 0ms',
      '0.5ms': 'timeout must be a whole number of milliseconds, at least 1ms (Istio durations), got 0.5ms',
    });
    expect(Object.fromEntries(Object.entries(gateway).map(([k, v]) => [k, v[0]]))).toEqual({
      '3s': 'ok', '1500ms': 'ok',
      '0ms': 'timeout must be a whole number of milliseconds, at least 1ms in Gateway API format ^([0-9]{1,5}(h|m|s|ms)){1,4}$, got 0ms',
      '0.5ms': 'timeout must be a whole number of milliseconds, at least 1ms in Gateway API format ^([0-9]{1,5}(h|m|s|ms)){1,4}$, got 0.5ms',
    });
  });

  test('connection pool (circuitBreaker), every construct on both targets', () => {
    const rows = table({ ...ISTIO, ...GATEWAY_API }, POOL_CASES, circuitBreaker => ({ circuitBreaker }));
    expectRowsAgree(rows);
    expect(Object.fromEntries(Object.entries(rows).map(([k, v]) => [k, v[0]]))).toEqual({
      'limits': 'ok',
      'empty': 'circuitBreaker must be a CircuitBreaker with at least one limit set, got {}',
      'zero connections': 'circuitBreaker.maxConnections must be an integer 1..2147483647, got 0',
      'fractional pending': 'circuitBreaker.maxPendingRequests must be an integer 1..2147483647, got 2.5',
    });
  });
});
