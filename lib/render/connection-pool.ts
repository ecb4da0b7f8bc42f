import { IConstruct } from 'constructs';
import { checkInteger } from '../mesh/checks';
import { istioDuration } from '../mesh/duration';
import { MeshError } from '../mesh/errors';
import { CircuitBreaker } from '../mesh/resilience';

// The one renderer of connection limits (DestinationRule `trafficPolicy.connectionPool`), used by
// every construct; Gateway API has no field for them, so both APIs emit a DestinationRule.

const INT32_MAX = 2_147_483_647;

/**
 * Validates connection limits and renders Istio's `connectionPool`
 * (`{ tcp: { maxConnections, connectTimeout }, http: { http1MaxPendingRequests, ... } }`).
 */
export function connectionPool(scope: IConstruct, prop: string, cb: CircuitBreaker): Record<string, unknown> {
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
