import { IConstruct } from 'constructs';
import { isDns1123Label } from '../mesh/checks';
import { Identity, IdentityKind } from '../identity';
import { AppRuntime } from '../app/runtime';
import { ExternalHost } from '../app/types';
import { MeshError } from '../mesh/errors';
import { isDnsName } from '../mesh/hosts';

/** The egress scope of a Sidecar when none is given: this namespace and the control plane. */
export const DEFAULT_EGRESS_HOSTS: readonly string[] = ['./*', 'istio-system/*'];

/**
 * Requires Sidecar egress hosts in `<namespace>/<host>` form: the namespace is `.` (this one), `*`
 * (any), `~` (none) or a namespace name; the host is `*` or a DNS name with a dot, optionally
 * starting with `*.`.
 *
 * @see https://istio.io/latest/docs/reference/config/networking/sidecar/#IstioEgressListener
 */
export function checkEgressHosts(scope: IConstruct, prop: string, value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw MeshError.invalid(scope, prop, value, 'a non-empty list of "<namespace>/<host>" entries, e.g. ["./*", "istio-system/*"]');
  }
  value.forEach((h, i) => {
    if (!isEgressHost(h)) {
      throw MeshError.invalid(scope, `${prop}[${i}]`, h,
        '"<namespace>/<host>" with a namespace ("." for this one, "*" for any, or a name) and a host "*" or a DNS name with a dot '
        + '(e.g. "istio-system/*", "./api.example.com")');
    }
  });
  return [...new Set(value as string[])];
}

function isEgressHost(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const slash = value.indexOf('/');
  if (slash < 0) return false;
  const ns = value.slice(0, slash);
  const host = value.slice(slash + 1);
  const nsOk = ns === '.' || ns === '*' || ns === '~' || isDns1123Label(ns);
  const hostOk = host === '*' || isDnsName(host, { wildcard: true });
  return nsOk && hostOk;
}

/**
 * The egress hosts of namespace `namespace`: the configured ones, then `<ns>/<host>` for every
 * external host registered for it (sorted) that no configured entry covers yet: a `./` entry with
 * host `*` covers the hosts of this namespace, `istio-egress/` with host `*` those of `istio-egress`.
 */
export function egressHostsWithExternal(namespace: string, configured: readonly string[], external: readonly ExternalHost[]): string[] {
  const out = [...configured];
  const covers = (ns: string, host: string): boolean => out.some(entry => {
    const slash = entry.indexOf('/');
    const [ens, ehost] = [entry.slice(0, slash), entry.slice(slash + 1)];
    const nsMatch = ens === '*' || ens === ns || (ens === '.' && ns === namespace);
    const hostMatch = ehost === '*' || ehost === host || (ehost.startsWith('*.') && host.endsWith(ehost.slice(1)));
    return nsMatch && hostMatch;
  });
  const extra = [...new Set(external.map(h => `${h.namespace}/${h.host}`))].sort();
  for (const entry of extra) {
    const slash = entry.indexOf('/');
    if (!covers(entry.slice(0, slash), entry.slice(slash + 1))) out.push(entry);
  }
  return out;
}

/**
 * Callers in other namespaces must also be able to reach the target: a sidecar only knows the
 * hosts its namespace's `Sidecar` imports (REGISTRY_ONLY), so namespace `nsName` is registered for
 * the callers' namespaces, whose ZeroTrustNamespace then lists `<nsName>/*`. The whole namespace,
 * not just the target Service: a route to it may send traffic to other Services (per-version
 * Services of a canary) that the caller's sidecar must know too.
 */
export function registerCallerNamespaces(scope: IConstruct, nsName: string, identities: readonly Identity[]): void {
  const callers = new Set(identities
    .filter(i => (i.kind === IdentityKind.SERVICE_ACCOUNT || i.kind === IdentityKind.NAMESPACE) && i.namespace !== undefined && i.namespace !== nsName)
    .map(i => i.namespace as string));
  for (const ns of callers) {
    AppRuntime.of(scope).registerExternalHost(ns, { host: '*', namespace: nsName, construct: scope });
  }
}
