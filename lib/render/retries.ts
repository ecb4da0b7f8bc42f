import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { checkInteger } from '../mesh/checks';
import { gatewayApiDuration, istioDuration, millisOf } from '../mesh/duration';
import { MeshError } from '../mesh/errors';
import { RETRY_CONDITIONS, RetryPolicy } from '../mesh/resilience';

// The one renderer of a RetryPolicy, for both APIs. Every construct (ResilientService,
// ExternalApi, IngressGateway routes, ...) renders retries through these two functions, so the
// same policy is accepted or rejected the same way everywhere (test/render/table.test.ts).

const INT32_MAX = 2_147_483_647;

function retryOnToken(scope: IConstruct, prop: string, value: unknown): string {
  if (typeof value === 'number') return String(checkInteger(scope, prop, value, 100, 599));
  if (typeof value === 'string' && (RETRY_CONDITIONS as readonly string[]).includes(value)) return value;
  throw MeshError.invalid(scope, prop, value, `an HTTP status code 100..599 or one of ${RETRY_CONDITIONS.join(', ')}`);
}

/**
 * Validates a retry policy and renders Istio's `HTTPRetry` (`{ attempts, perTryTimeout, retryOn: 'a,b' }`).
 *
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPRetry
 */
export function istioRetries(scope: IConstruct, prop: string, policy: RetryPolicy): Record<string, unknown> {
  if (policy === null || typeof policy !== 'object') {
    throw MeshError.invalid(scope, prop, policy, 'a RetryPolicy { attempts, perTryTimeout?, retryOn? }');
  }
  const attempts = checkInteger(scope, `${prop}.attempts`, policy.attempts, 0, INT32_MAX);
  if (attempts === 0 && (policy.perTryTimeout !== undefined || policy.retryOn !== undefined)) {
    throw new MeshError(scope, `${prop}: attempts is 0 (retries disabled), so perTryTimeout and retryOn must not be set; `
      + 'use Retries.none() to disable retries or set attempts >= 1');
  }
  const out: Record<string, unknown> = { attempts };
  if (policy.perTryTimeout !== undefined) out.perTryTimeout = istioDuration(scope, `${prop}.perTryTimeout`, policy.perTryTimeout);
  if (policy.retryOn !== undefined) {
    if (!Array.isArray(policy.retryOn) || policy.retryOn.length === 0) {
      throw MeshError.invalid(scope, `${prop}.retryOn`, policy.retryOn, 'a non-empty list of retry conditions');
    }
    const tokens = policy.retryOn.map((t, i) => retryOnToken(scope, `${prop}.retryOn[${i}]`, t));
    out.retryOn = [...new Set(tokens)].join(',');
  }
  return out;
}

/** Conditions Istio always retries on when it converts Gateway API `retry`. */
const IMPLIED_CONDITIONS = ['connect-failure', 'refused-stream', 'unavailable', 'cancelled'];

/** Gateway API `retry` (experimental channel) and the per-try timeout as `timeouts.backendRequest`. */
export interface GatewayApiRetries {
  /** The HTTPRoute rule's `retry`. */
  readonly retry: Record<string, unknown>;
  /** `timeouts.backendRequest` (the per-try timeout), if any. */
  readonly backendRequest?: string;
}

/**
 * Validates a retry policy (as `istioRetries` does) and renders Gateway API HTTPRoute `retry`
 * plus the per-try timeout as `timeouts.backendRequest`. Istio turns `retry` into `retryOn:
 * connect-failure,refused-stream,unavailable,cancelled,<codes>`, so only those conditions,
 * `gateway-error` (= 502, 503, 504) and status codes 400..599 can be expressed; `attempts: 0`
 * cannot (HTTPRouteRetry has no "disabled"); a per-try timeout longer than `timeout` is rejected
 * by Gateway API.
 *
 * @see https://gateway-api.sigs.k8s.io/reference/spec/#httprouteretry
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPRetry
 */
export function gatewayApiRetries(scope: IConstruct, prop: string, policy: RetryPolicy, timeout?: Duration): GatewayApiRetries {
  istioRetries(scope, prop, policy);
  if (policy.attempts === 0) {
    throw new MeshError(scope, `${prop}.attempts 0 cannot be expressed with Gateway API (HTTPRouteRetry.attempts is at least 1; `
      + 'without retry the behaviour is implementation-specific); drop retries or target Istio');
  }
  const codes = new Set<number>();
  (policy.retryOn ?? []).forEach((token, i) => {
    if (typeof token === 'number') {
      codes.add(checkInteger(scope, `${prop}.retryOn[${i}]`, token, 400, 599));
    } else if (token === 'gateway-error') {
      [502, 503, 504].forEach(c => codes.add(c));
    } else if (!IMPLIED_CONDITIONS.includes(token)) {
      throw MeshError.invalid(scope, `${prop}.retryOn[${i}]`, token,
        `a status code 400..599, gateway-error or one of ${IMPLIED_CONDITIONS.join(', ')} (what Gateway API retry can express)`);
    }
  });
  const retry: Record<string, unknown> = { attempts: policy.attempts };
  if (codes.size > 0) retry.codes = [...codes].sort((a, b) => a - b);
  if (policy.perTryTimeout === undefined) return { retry };
  const backendRequest = gatewayApiDuration(scope, `${prop}.perTryTimeout`, policy.perTryTimeout, { allowZero: false });
  if (timeout !== undefined && millisOf(policy.perTryTimeout) > millisOf(timeout)) {
    throw MeshError.invalid(scope, `${prop}.perTryTimeout`, policy.perTryTimeout,
      `at most timeout (${millisOf(timeout)}ms): Gateway API rejects a backendRequest timeout longer than the request timeout`);
  }
  return { retry, backendRequest };
}
