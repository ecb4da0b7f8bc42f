import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { isDuration, MeshError } from '../mesh/errors';
import { Bucket } from './render';

/** Envoy refuses a local rate limit token bucket refilled more often than every 50ms (local_ratelimit_impl.cc). */
export const MIN_FILL_INTERVAL_MS = 50;

/**
 * Checks `requests` per `per` with an optional `burst` into Envoy's token bucket:
 * `tokens_per_fill` = requests, `fill_interval` = per, `max_tokens` = burst (default: requests).
 * Envoy's bucket never holds more than `max_tokens` ("The bucket will never contain more than
 * max_tokens tokens", envoy/type/v3/token_bucket.proto), so a burst below `requests` would cap
 * the rate at `burst` per interval: refused.
 */
export function checkBucket(scope: IConstruct, prop: string, requests: unknown, per: unknown, burst: unknown): Bucket {
  if (typeof requests !== 'number' || !Number.isInteger(requests) || requests < 1 || requests > 4294967295) {
    throw MeshError.invalid(scope, `${prop}.requests`, requests, 'an integer 1..4294967295 (requests per `per`; a rate of 0 would refuse everything)');
  }
  if (!isDuration(per)) throw MeshError.invalid(scope, `${prop}.per`, per, 'a cdk8s Duration (e.g. Duration.minutes(1))');
  const ms = (per as Duration).toMilliseconds({ integral: false });
  if (!Number.isInteger(ms) || ms < MIN_FILL_INTERVAL_MS) {
    throw MeshError.invalid(scope, `${prop}.per`, per, `a whole number of milliseconds, at least ${MIN_FILL_INTERVAL_MS}ms (Envoy's minimum token bucket fill interval)`);
  }
  let maxTokens = requests;
  if (burst !== undefined) {
    if (typeof burst !== 'number' || !Number.isInteger(burst) || burst < 1) {
      throw MeshError.invalid(scope, `${prop}.burst`, burst, 'a positive integer');
    }
    if (burst < requests) {
      throw MeshError.invalid(scope, `${prop}.burst`, burst,
        `at least requests (${requests}): burst is Envoy's max_tokens and the bucket never holds more, so a smaller burst would cap the rate at ${burst} per interval`);
    }
    maxTokens = burst;
  }
  return { maxTokens, tokensPerFill: requests, fillMillis: ms };
}
