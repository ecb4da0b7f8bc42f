import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { checkInteger } from './checks';
import { MeshError } from './errors';
import { istioDuration } from './duration';

/**
 * A retry condition: Envoy's `x-envoy-retry-on` and `x-envoy-retry-grpc-on` vocabulary as
 * Istio accepts it in `retries.retryOn`.
 *
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPRetry
 * @see https://www.envoyproxy.io/docs/envoy/latest/configuration/http/http_filters/router_filter#x-envoy-retry-on
 */
export type RetryCondition =
  | '5xx'
  | 'gateway-error'
  | 'reset'
  | 'reset-before-request'
  | 'connect-failure'
  | 'envoy-ratelimited'
  | 'retriable-4xx'
  | 'refused-stream'
  | 'retriable-status-codes'
  | 'retriable-headers'
  | 'http3-post-connect-failure'
  | 'cancelled'
  | 'deadline-exceeded'
  | 'internal'
  | 'resource-exhausted'
  | 'unavailable';

/** Every `RetryCondition`, in the order Envoy documents them. */
export const RETRY_CONDITIONS: readonly RetryCondition[] = [
  '5xx', 'gateway-error', 'reset', 'reset-before-request', 'connect-failure', 'envoy-ratelimited', 'retriable-4xx',
  'refused-stream', 'retriable-status-codes', 'retriable-headers', 'http3-post-connect-failure',
  'cancelled', 'deadline-exceeded', 'internal', 'resource-exhausted', 'unavailable',
];

/** A retry condition or an HTTP status code (100..599) to retry on. */
export type RetryOn = RetryCondition | number;

/**
 * A retry policy.
 *
 * `attempts` counts RETRIES after the first try: `attempts: 2` means up to 3 requests in total.
 * Istio retries twice by default when no policy is given; use `Retries.none()` to turn that off.
 *
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPRetry
 */
export interface RetryPolicy {
  /** Number of retries after the first try (total tries = 1 + attempts). 0 disables retries. */
  readonly attempts: number;
  /**
   * Timeout of each try, the first one included.
   *
   * @default - the route timeout, if any
   */
  readonly perTryTimeout?: Duration;
  /**
   * Conditions that trigger a retry.
   *
   * @default - Istio's default: connect-failure, refused-stream, unavailable, cancelled
   */
  readonly retryOn?: RetryOn[];
}

/** Factories for common retry policies. */
export class Retries {
  /** No retries at all: disables Istio's default of two retries (`attempts: 0`). */
  public static none(): RetryPolicy {
    return { attempts: 0 };
  }

  private constructor() {}
}

/**
 * Connection limits of a destination (Istio `trafficPolicy.connectionPool`).
 *
 * @see https://istio.io/latest/docs/reference/config/networking/destination-rule/#ConnectionPoolSettings
 */
export interface CircuitBreaker {
  /**
   * Maximum number of TCP connections to a destination host.
   *
   * @default - Envoy's default (2^32-1)
   */
  readonly maxConnections?: number;
  /**
   * Maximum number of requests queued while waiting for a connection (`http1MaxPendingRequests`).
   *
   * @default - Envoy's default (2^32-1)
   */
  readonly maxPendingRequests?: number;
  /**
   * Maximum number of requests per connection; 1 disables keep-alive.
   *
   * @default - unlimited
   */
  readonly maxRequestsPerConnection?: number;
  /**
   * Maximum number of retries outstanding to all hosts of the destination at once.
   *
   * @default - Envoy's default (2^32-1)
   */
  readonly maxRetries?: number;
  /**
   * Maximum number of active requests to a destination (`http2MaxRequests`).
   *
   * @default - Envoy's default (2^32-1)
   */
  readonly maxRequests?: number;
  /**
   * TCP connect timeout.
   *
   * @default - 10s (Istio's default)
   */
  readonly connectTimeout?: Duration;
}

const INT32_MAX = 2_147_483_647;

function retryOnToken(scope: IConstruct, prop: string, value: unknown): string {
  if (typeof value === 'number') {
    return String(checkInteger(scope, prop, value, 100, 599));
  }
  if (typeof value === 'string' && (RETRY_CONDITIONS as readonly string[]).includes(value)) {
    return value;
  }
  throw MeshError.invalid(scope, prop, value, `an HTTP status code 100..599 or one of ${RETRY_CONDITIONS.join(', ')}`);
}

/**
 * Validates a retry policy and renders Istio's `HTTPRetry`
 * (`{ attempts, perTryTimeout, retryOn: 'a,b' }`).
 */
export function renderIstioRetries(scope: IConstruct, prop: string, policy: RetryPolicy): Record<string, unknown> {
  if (policy === null || typeof policy !== 'object') {
    throw MeshError.invalid(scope, prop, policy, 'a RetryPolicy { attempts, perTryTimeout?, retryOn? }');
  }
  const attempts = checkInteger(scope, `${prop}.attempts`, policy.attempts, 0, INT32_MAX);
  if (attempts === 0 && (policy.perTryTimeout !== undefined || policy.retryOn !== undefined)) {
    throw new MeshError(scope, `${prop}: attempts is 0 (retries disabled), so perTryTimeout and retryOn must not be set; `
      + 'use Retries.none() to disable retries or set attempts >= 1');
  }
  const out: Record<string, unknown> = { attempts };
  if (policy.perTryTimeout !== undefined) {
    out.perTryTimeout = istioDuration(scope, `${prop}.perTryTimeout`, policy.perTryTimeout);
  }
  if (policy.retryOn !== undefined) {
    if (!Array.isArray(policy.retryOn) || policy.retryOn.length === 0) {
      throw MeshError.invalid(scope, `${prop}.retryOn`, policy.retryOn, 'a non-empty list of retry conditions');
    }
    const tokens = policy.retryOn.map((t, i) => retryOnToken(scope, `${prop}.retryOn[${i}]`, t));
    out.retryOn = [...new Set(tokens)].join(',');
  }
  return out;
}

/**
 * Validates connection limits and renders Istio's `connectionPool`
 * (`{ tcp: { maxConnections, connectTimeout }, http: { http1MaxPendingRequests, ... } }`).
 */
export function renderConnectionPool(scope: IConstruct, prop: string, cb: CircuitBreaker): Record<string, unknown> {
  if (cb === null || typeof cb !== 'object') {
    throw MeshError.invalid(scope, prop, cb, 'a CircuitBreaker object');
  }
  const count = (field: keyof CircuitBreaker, min: number) =>
    (cb[field] === undefined ? undefined : checkInteger(scope, `${prop}.${field}`, cb[field], min, INT32_MAX));
  const tcp: Record<string, unknown> = {};
  const http: Record<string, unknown> = {};
  const maxConnections = count('maxConnections', 1);
  if (maxConnections !== undefined) tcp.maxConnections = maxConnections;
  if (cb.connectTimeout !== undefined) tcp.connectTimeout = istioDuration(scope, `${prop}.connectTimeout`, cb.connectTimeout);
  const pending = count('maxPendingRequests', 1);
  if (pending !== undefined) http.http1MaxPendingRequests = pending;
  const requests = count('maxRequests', 1);
  if (requests !== undefined) http.http2MaxRequests = requests;
  const perConnection = count('maxRequestsPerConnection', 0);
  if (perConnection !== undefined) http.maxRequestsPerConnection = perConnection;
  const retries = count('maxRetries', 0);
  if (retries !== undefined) http.maxRetries = retries;
  if (Object.keys(tcp).length === 0 && Object.keys(http).length === 0) {
    throw MeshError.invalid(scope, prop, cb, 'a CircuitBreaker with at least one limit set');
  }
  const out: Record<string, unknown> = {};
  if (Object.keys(tcp).length > 0) out.tcp = tcp;
  if (Object.keys(http).length > 0) out.http = http;
  return out;
}

/**
 * Ejection of failing endpoints from the load-balancing pool (Istio `trafficPolicy.outlierDetection`).
 *
 * Trap: setting outlier detection also turns on Istio's locality failover for the destination.
 *
 * @see https://istio.io/latest/docs/reference/config/networking/destination-rule/#OutlierDetection
 */
export interface OutlierDetection {
  /**
   * Consecutive 5xx responses (and connection failures) that eject an endpoint.
   *
   * @default - 5 (Istio's default)
   */
  readonly consecutive5xxErrors?: number;
  /**
   * Consecutive gateway errors (502, 503, 504) that eject an endpoint.
   *
   * @default - not used
   */
  readonly consecutiveGatewayErrors?: number;
  /**
   * Time between ejection sweeps.
   *
   * @default - 10s (Istio's default)
   */
  readonly interval?: Duration;
  /**
   * Minimum ejection time; it grows with each ejection of the same endpoint.
   *
   * @default - 30s (Istio's default)
   */
  readonly baseEjectionTime?: Duration;
  /**
   * Maximum percentage (0..100) of endpoints ejected at once.
   *
   * @default - 10 (Istio's default)
   */
  readonly maxEjectionPercent?: number;
  /**
   * Outlier detection is off while fewer than this percentage (0..100) of endpoints are healthy.
   *
   * @default - 0 (Istio's default)
   */
  readonly minHealthPercent?: number;
}

/** Validates outlier detection and renders Istio's `outlierDetection`. */
export function renderOutlierDetection(scope: IConstruct, prop: string, od: OutlierDetection): Record<string, unknown> {
  if (od === null || typeof od !== 'object') {
    throw MeshError.invalid(scope, prop, od, 'an OutlierDetection object');
  }
  const out: Record<string, unknown> = {};
  if (od.consecutive5xxErrors !== undefined) out.consecutive5xxErrors = checkInteger(scope, `${prop}.consecutive5xxErrors`, od.consecutive5xxErrors, 0, 4_294_967_295);
  if (od.consecutiveGatewayErrors !== undefined) out.consecutiveGatewayErrors = checkInteger(scope, `${prop}.consecutiveGatewayErrors`, od.consecutiveGatewayErrors, 0, 4_294_967_295);
  if (od.interval !== undefined) out.interval = istioDuration(scope, `${prop}.interval`, od.interval);
  if (od.baseEjectionTime !== undefined) out.baseEjectionTime = istioDuration(scope, `${prop}.baseEjectionTime`, od.baseEjectionTime);
  if (od.maxEjectionPercent !== undefined) out.maxEjectionPercent = checkInteger(scope, `${prop}.maxEjectionPercent`, od.maxEjectionPercent, 0, 100);
  if (od.minHealthPercent !== undefined) out.minHealthPercent = checkInteger(scope, `${prop}.minHealthPercent`, od.minHealthPercent, 0, 100);
  if (Object.keys(out).length === 0) {
    throw MeshError.invalid(scope, prop, od, 'an OutlierDetection with at least one field set');
  }
  return out;
}
