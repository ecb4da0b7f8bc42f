import { IConstruct } from 'constructs';
import { MeshError } from './errors';

/** The cluster DNS domain used in fully qualified service hosts. */
export const DEFAULT_CLUSTER_DOMAIN = 'cluster.local';

/**
 * The fully qualified host of a Kubernetes Service: `name.namespace.svc.cluster.local`.
 *
 * The library always emits FQDNs: a short host in a VirtualService or DestinationRule resolves
 * in the namespace of the object that mentions it, not of the service.
 *
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#VirtualService
 */
export function serviceFqdn(name: string, namespace: string, clusterDomain: string = DEFAULT_CLUSTER_DOMAIN): string {
  return `${name}.${namespace}.svc.${clusterDomain}`;
}

/**
 * Resolves a host the way istiod does for an object in `namespace`: a short name without any dot
 * (`reviews`) becomes `reviews.<namespace>.svc.cluster.local`; a wildcard or anything with a dot
 * is taken as written (`reviews.other` is NOT expanded).
 */
export function resolveHost(host: string, namespace: string, clusterDomain: string = DEFAULT_CLUSTER_DOMAIN): string {
  if (host.startsWith('*') || host.includes('.')) {
    return host;
  }
  return serviceFqdn(host, namespace, clusterDomain);
}

const HOST_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * True for a DNS name of at least two labels whose top-level label is not all digits, optionally
 * starting with one `*.` wildcard label.
 */
export function isDnsName(host: string, options: { wildcard?: boolean } = {}): boolean {
  if (typeof host !== 'string' || host.length === 0 || host.length > 253) {
    return false;
  }
  const labels = host.split('.');
  if (labels.length < 2) {
    return false;
  }
  // istiod rejects an all-digit top-level label (it would be an IP address, not a name).
  if (/^[0-9]+$/.test(labels[labels.length - 1])) {
    return false;
  }
  return labels.every((label, i) => (i === 0 && options.wildcard && label === '*') || (label.length <= 63 && HOST_LABEL.test(label)));
}

/** Requires an external DNS name such as `api.stripe.com` (lowercase, at least one dot). */
export function checkDnsName(scope: IConstruct, prop: string, host: unknown, options: { wildcard?: boolean } = {}): string {
  if (typeof host === 'string' && /\.[0-9]+$/.test(host)) {
    throw MeshError.invalid(scope, prop, host, 'a DNS name whose top-level domain is not all digits (Istio rejects it; '
      + 'an IP address is not a host: use a ServiceEntry with addresses)');
  }
  if (typeof host !== 'string' || !isDnsName(host, options)) {
    throw MeshError.invalid(scope, prop, host,
      `a lowercase DNS name with at least one dot${options.wildcard ? ', optionally starting with "*."' : ' and no wildcard'} (e.g. "api.example.com")`);
  }
  return host;
}
