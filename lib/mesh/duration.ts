import type { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { isDuration, MeshError } from './errors';

const UNITS: ReadonlyArray<[string, number]> = [['h', 3_600_000], ['m', 60_000], ['s', 1_000], ['ms', 1]];

/** The Gateway API duration format (GEP-2257), checked by the HTTPRoute CRD. */
export const GATEWAY_API_DURATION = /^([0-9]{1,5}(h|m|s|ms)){1,4}$/;

/**
 * Formats a whole number of milliseconds as a compound duration (`1h30m`, `2s500ms`, `0s`).
 * The result is valid for both Istio (Go duration syntax) and Gateway API.
 */
export function formatMillis(ms: number): string {
  if (ms === 0) {
    return '0s';
  }
  let rest = ms;
  let out = '';
  for (const [unit, size] of UNITS) {
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return out;
}

function wholeMillis(scope: IConstruct, prop: string, value: Duration, allowed: string): number {
  if (!isDuration(value)) {
    throw MeshError.invalid(scope, prop, value, `a cdk8s Duration (${allowed})`);
  }
  const ms = value.toMilliseconds({ integral: false });
  if (!Number.isFinite(ms) || !Number.isInteger(ms) || ms < 0) {
    throw MeshError.invalid(scope, prop, value, allowed);
  }
  return ms;
}

/**
 * Renders a duration for an Istio field (`timeout`, `perTryTimeout`, `interval`, ...).
 * Istio requires at least 1ms and has millisecond precision.
 */
export function istioDuration(scope: IConstruct, prop: string, value: Duration): string {
  const allowed = 'a whole number of milliseconds, at least 1ms (Istio durations)';
  const ms = wholeMillis(scope, prop, value, allowed);
  if (ms < 1) {
    throw MeshError.invalid(scope, prop, value, allowed);
  }
  return formatMillis(ms);
}

/**
 * Renders a duration for a Gateway API field (`timeouts.request`, ...): whole milliseconds that
 * fit `^([0-9]{1,5}(h|m|s|ms)){1,4}$`. `0s` is allowed where the field allows it (it disables
 * the timeout); pass `allowZero: false` otherwise.
 */
export function gatewayApiDuration(scope: IConstruct, prop: string, value: Duration, options: { allowZero?: boolean } = {}): string {
  const allowZero = options.allowZero ?? true;
  const allowed = `a whole number of milliseconds${allowZero ? '' : ', at least 1ms'} in Gateway API format ^([0-9]{1,5}(h|m|s|ms)){1,4}$`;
  const ms = wholeMillis(scope, prop, value, allowed);
  const text = formatMillis(ms);
  if ((!allowZero && ms === 0) || !GATEWAY_API_DURATION.test(text)) {
    throw MeshError.invalid(scope, prop, value, allowed);
  }
  return text;
}

/** Milliseconds of a duration that has already been checked by one of the renderers above. */
export function millisOf(value: Duration): number {
  return value.toMilliseconds({ integral: false });
}
