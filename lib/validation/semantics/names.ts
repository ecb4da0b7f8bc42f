import { isIP } from 'node:net';
import { quote } from '../quote';

// Name, host and address checks as istiod applies them (istio/istio pkg/config/validation/agent and
// pkg/config/labels). Istio's DNS label allows upper-case letters; Kubernetes object names do not.

const LABEL = /^[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?$/;
const WILDCARD_LABEL = /^(\*|(\*|\*-)?[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?)$/;
const LOWER_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** A DNS label as Istio checks it: letters, digits and '-', at most 63 characters. */
export function isDnsLabel(value: string): boolean {
  return value.length <= 63 && LABEL.test(value);
}

/** A lower-case DNS-1123 label (namespace names, Gateway names, port names). */
export function isLowerDnsLabel(value: string): boolean {
  return value.length <= 63 && LOWER_LABEL.test(value);
}

function checkLabels(domain: string, rest: string): string | undefined {
  const parts = rest.split('.');
  const tld = parts[parts.length - 1];
  if (/^[0-9]+$/.test(tld)) return `domain name ${quote(domain)} is invalid: the top-level domain ${quote(tld)} cannot be all-numeric`;
  for (let i = 0; i < parts.length; i++) {
    if (i === parts.length - 1 && parts[i] === '') return undefined; // trailing dot: `istio.io.`
    if (!isDnsLabel(parts[i])) return `domain name ${quote(domain)} is invalid: label ${quote(parts[i])} is not a DNS label`;
  }
  return undefined;
}

function preconditions(domain: string): string | undefined {
  if (domain.length === 0) return 'an empty domain name is not allowed';
  if (domain.length > 255) return `domain name ${quote(domain)} is too long (at most 255 characters)`;
  return undefined;
}

/** Istio's FQDN check (ValidateFQDN): DNS labels, no wildcard. Returns the problem or undefined. */
export function fqdnProblem(domain: string): string | undefined {
  return preconditions(domain) ?? checkLabels(domain, domain);
}

/** Istio's host check (ValidateWildcardDomain): a wildcard is allowed only in the first label. */
export function wildcardDomainProblem(domain: string): string | undefined {
  const pre = preconditions(domain);
  if (pre) return pre;
  const dot = domain.indexOf('.');
  const first = dot < 0 ? domain : domain.slice(0, dot);
  if (!(first.length <= 63 && WILDCARD_LABEL.test(first))) {
    return `domain name ${quote(domain)} is invalid: label ${quote(first)} is not a DNS label (a wildcard is allowed only as the whole first label or its prefix)`;
  }
  return dot < 0 ? undefined : checkLabels(domain, domain.slice(dot + 1));
}

/** True when a host has a wildcard that is not `*` alone and not a `*.` prefix (e.g. `*foo.com`). */
export function isPartialWildcard(host: string): boolean {
  return host.includes('*') && host !== '*' && !host.startsWith('*.');
}

/**
 * Istio's ValidateUnixAddress for the path after `unix://`: an abstract socket (`@name`) or an
 * absolute path to a file (not ending in `/`). Returns the problem, or undefined.
 */
export function unixAddressProblem(path: string): string | undefined {
  if (path === '') return 'the unix socket path is empty';
  if (path.startsWith('@')) return undefined;
  return path.startsWith('/') && !path.endsWith('/') ? undefined : `${quote(path)} is not an absolute path to a file`;
}

/** True for an IPv4 or IPv6 address (no prefix, no zone). */
export function isIpAddress(value: string): boolean {
  return isIP(value) !== 0;
}

/** True for an IP address or a CIDR block `addr/bits` with bits in range. */
export function isIpOrCidr(value: string): boolean {
  const slash = value.indexOf('/');
  if (slash < 0) return isIpAddress(value);
  const addr = value.slice(0, slash);
  const bits = value.slice(slash + 1);
  const family = isIP(addr);
  if (family === 0 || !/^(0|[1-9][0-9]*)$/.test(bits)) return false;
  return Number(bits) <= (family === 4 ? 32 : 128);
}

/**
 * Whether host `a` and host `b` overlap (Istio's host.Name.Matches): equal, or one is a wildcard
 * that covers the other.
 */
export function hostsOverlap(a: string, b: string): boolean {
  const la = a.toLowerCase();
  const lb = b.toLowerCase();
  if (la === lb || la === '*' || lb === '*') return true;
  const covers = (wild: string, other: string) => {
    if (!wild.startsWith('*')) return false;
    const suffix = wild.slice(1);
    return other.endsWith(suffix) || (other.startsWith('*') && (other.slice(1).endsWith(suffix) || suffix.endsWith(other.slice(1))));
  };
  return covers(la, lb) || covers(lb, la);
}

/** Whether `sub` is covered by host `of` (Istio's host.Name.SubsetOf). */
export function hostSubsetOf(sub: string, of: string): boolean {
  const ls = sub.toLowerCase();
  const lo = of.toLowerCase();
  if (lo === '*' || ls === lo) return true;
  if (lo.startsWith('*')) {
    const suffix = lo.slice(1);
    return ls.startsWith('*') ? ls.slice(1).endsWith(suffix) : ls.endsWith(suffix);
  }
  return false;
}
