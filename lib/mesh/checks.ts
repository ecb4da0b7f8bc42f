import { IConstruct } from 'constructs';
import { MeshError } from './errors';

// Input checks shared by every construct. Each throws MeshError naming the construct path,
// the prop, the value and what is allowed.

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** True for a Kubernetes DNS-1123 label: lowercase alphanumerics and '-', at most 63 characters. */
export function isDns1123Label(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 63 && DNS1123_LABEL.test(value);
}

/** True for a Kubernetes DNS-1123 subdomain: dot-separated labels, at most 253 characters. */
export function isDns1123Subdomain(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 253 && DNS1123_SUBDOMAIN.test(value);
}

/** Requires a DNS-1123 label (names of Namespaces, Services, Gateways, ports). */
export function checkDns1123Label(scope: IConstruct, prop: string, value: unknown): string {
  if (!isDns1123Label(value)) {
    throw MeshError.invalid(scope, prop, value,
      'a DNS-1123 label (lowercase letters, digits and \'-\', starting and ending with a letter or digit, at most 63 characters)');
  }
  return value;
}

/** Requires a DNS-1123 subdomain (names of most Kubernetes objects). */
export function checkDns1123Subdomain(scope: IConstruct, prop: string, value: unknown): string {
  if (!isDns1123Subdomain(value)) {
    throw MeshError.invalid(scope, prop, value,
      'a DNS-1123 subdomain (lowercase letters, digits, \'-\' and \'.\', at most 253 characters)');
  }
  return value;
}

/** Requires an integer in `min..max`. */
export function checkInteger(scope: IConstruct, prop: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw MeshError.invalid(scope, prop, value, `an integer ${min}..${max}`);
  }
  return value;
}

/** Requires a TCP/UDP port number, an integer 1..65535. */
export function checkPort(scope: IConstruct, prop: string, value: unknown): number {
  return checkInteger(scope, prop, value, 1, 65535);
}

/**
 * Requires a percentage 0..100. With `fractions`, values such as 0.1 are allowed down to
 * `minFraction` (Istio's `Percent` type); otherwise only integers.
 */
export function checkPercent(scope: IConstruct, prop: string, value: unknown, options: { fractions?: boolean } = {}): number {
  if (!options.fractions) {
    return checkInteger(scope, prop, value, 0, 100);
  }
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 100 || (value > 0 && value < 0.0001)) {
    throw MeshError.invalid(scope, prop, value, 'a number 0..100 (fractions down to 0.0001 allowed)');
  }
  return value;
}
