import { isDnsLabel, isIpAddress, isPartialWildcard, wildcardDomainProblem } from './names';
import { quote } from '../quote';

/**
 * Problems of a `namespace/dnsName` host of a Sidecar egress listener or an Istio Gateway server
 * (istiod's `ValidateNamespaceSlashWildcardHostname`). Gateways also accept a bare host and an IP.
 */
export function namespacedHostProblems(host: string, gateway: boolean): string[] {
  const slash = host.indexOf('/');
  if (slash < 0) {
    if (!gateway) return [`host ${quote(host)} must have the form <namespace>/<dnsName> (e.g. "istio-system/*", "./reviews.shop.svc.cluster.local")`];
    return hostPartProblems(host, true);
  }
  const ns = host.slice(0, slash);
  const name = host.slice(slash + 1);
  const out: string[] = [];
  if (ns === '' || name === '') out.push(`host ${quote(host)}: namespace and dnsName cannot be empty`);
  const special = gateway ? ['*', '.'] : ['*', '.', '~'];
  if (ns !== '' && !special.includes(ns) && !isDnsLabel(ns)) {
    out.push(`host ${quote(host)}: invalid namespace ${quote(ns)}; use ${special.map(s => quote(s)).join(', ')} or a namespace name`);
  }
  if (name !== '') out.push(...hostPartProblems(name, gateway));
  return out;
}

function hostPartProblems(name: string, gateway: boolean): string[] {
  const out: string[] = [];
  if (name !== '*' && !name.includes('.')) {
    out.push(`host ${quote(name)} is a short name; use a fully qualified name (e.g. "reviews.shop.svc.cluster.local") or "*"`);
  }
  const problem = wildcardDomainProblem(name);
  if (problem && !(gateway && isIpAddress(name))) out.push(`invalid host: ${problem}`);
  if (isPartialWildcard(name)) out.push(`partial wildcard host ${quote(name)} is not allowed; use "*" or a "*." prefix`);
  return out;
}
