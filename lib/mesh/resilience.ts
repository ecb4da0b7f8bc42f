import { Duration } from 'cdk8s';

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
export const RETRY_CONDITIONS: RetryCondition[] = [
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
