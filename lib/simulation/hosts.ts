import { ManifestIndex, Named, ServiceInfo } from './model';

// Host names as a caller writes them, resolved to a Service or a ServiceEntry of the set.

/** What a host names. */
export type HostTarget =
  | { readonly kind: 'Service'; readonly fqdn: string; readonly service: ServiceInfo }
  | { readonly kind: 'ServiceEntry'; readonly fqdn: string; readonly entry: Named };

/**
 * Resolves `host` like cluster DNS does for a pod in `namespace`: `reviews` → the Service in that
 * namespace, `reviews.shop`, `reviews.shop.svc` and `reviews.shop.svc.cluster.local` → Service
 * `shop/reviews`; anything else is looked up among ServiceEntry hosts (exact, then wildcards).
 */
export function resolveHostName(index: ManifestIndex, host: string, namespace: string | undefined, clusterDomain: string): HostTarget | undefined {
  const svc = serviceFor(index, host, namespace, clusterDomain);
  if (svc) return { kind: 'Service', fqdn: `${svc.name}.${svc.namespace}.svc.${clusterDomain}`, service: svc };
  const entry = serviceEntryFor(index, host);
  if (entry) return { kind: 'ServiceEntry', fqdn: host, entry };
  // A ServiceEntry host in cluster form (a VM's `legacy-db.db.svc.cluster.local`) is found by its short names too.
  const fq = qualify(host, namespace, clusterDomain);
  const qualified = fq !== host ? serviceEntryFor(index, fq) : undefined;
  return qualified ? { kind: 'ServiceEntry', fqdn: fq, entry: qualified } : undefined;
}

/** The FQDN a short or partial Service host stands for, or the host unchanged. */
export function qualify(host: string, namespace: string | undefined, clusterDomain: string): string {
  const labels = host.split('.');
  if (labels.length === 1 && namespace) return `${host}.${namespace}.svc.${clusterDomain}`;
  if (labels.length === 2) return `${host}.svc.${clusterDomain}`;
  if (labels.length === 3 && labels[2] === 'svc') return `${host}.${clusterDomain}`;
  return host;
}

function serviceFor(index: ManifestIndex, host: string, namespace: string | undefined, clusterDomain: string): ServiceInfo | undefined {
  const suffix = `.svc.${clusterDomain}`;
  let rest = host;
  if (rest.endsWith(suffix)) rest = rest.slice(0, -suffix.length);
  else if (rest.endsWith('.svc')) rest = rest.slice(0, -4);
  const labels = rest.split('.');
  if (labels.length === 1) return namespace ? index.services.get(`${namespace}/${labels[0]}`) : undefined;
  if (labels.length === 2) return index.services.get(`${labels[1]}/${labels[0]}`);
  return undefined;
}

function serviceEntryFor(index: ManifestIndex, host: string): Named | undefined {
  const exact = index.serviceEntriesByHost.get(host);
  if (exact?.length) return exact[0];
  const labels = host.split('.');
  for (let i = 1; i < labels.length; i++) {
    const wild = index.serviceEntriesByHost.get(`*.${labels.slice(i).join('.')}`);
    if (wild?.length) return wild[0];
  }
  return undefined;
}

/**
 * Istio host matching (VirtualService hosts, Gateway hosts): exact, or a `*.suffix` wildcard
 * matching any name ending in `.suffix`; `*` matches everything.
 */
export function hostMatches(pattern: string, host: string): boolean {
  if (pattern === '*') return true;
  if (pattern.startsWith('*.')) return host.endsWith(pattern.slice(1));
  return pattern === host;
}
